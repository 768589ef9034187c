"""An export's sidecar may name a parent: it is kept when it is in the same ZIP or the
importer's own, and dropped with a note when it is someone else's (staff keep any)."""

import uuid

import pytest

from remixer.models import Video
from remixer.tests.conftest import finished_video
from remixer.tests.support.export_zips import check_imports, export_zip, read_exports

pytestmark = pytest.mark.django_db

GRAFTED = "video_" + "f" * 32


def import_remix_of(client, user, parent: Video, clip: bytes) -> Video:  # type: ignore[no-untyped-def]
    sidecar = {"prompt": "sepia", "remixer": {"kind": "remix", "parent": parent.pk}}
    client.force_login(user)
    upload = export_zip({GRAFTED: (sidecar, clip)})
    response = client.post("/videos/import", {"video": upload, "form_token": str(uuid.uuid4())})
    assert response.status_code == 302
    read_exports()
    check_imports()
    return Video.objects.get(kind__in=["import", "remix"], note__startswith="Imported from")


def test_a_parent_of_someone_elses_is_dropped_with_a_note(client, ana, ben, clip_path):
    bens = finished_video(ben, clip_path, prompt="ben's waves")
    imported = import_remix_of(client, ana, bens, clip_path.read_bytes())
    assert imported.status == "completed"
    assert (imported.remixed_from_id, imported.remixed_from_video_id) == (None, None)
    assert f"names {bens.pk} as its parent" in imported.note
    assert "not linked" in imported.note
    assert not Video.objects.filter(remixed_from=bens).exists()  # ben's family is as it was


def test_a_parent_of_the_importers_own_is_kept(client, ana, clip_path):
    own = finished_video(ana, clip_path, prompt="ana's waves")
    imported = import_remix_of(client, ana, own, clip_path.read_bytes())
    assert imported.remixed_from_id == own.pk
    assert imported.note == f"Imported from {GRAFTED}."


def test_staff_may_keep_any_parent(client, staff, ben, clip_path):
    bens = finished_video(ben, clip_path, prompt="ben's waves")
    imported = import_remix_of(client, staff, bens, clip_path.read_bytes())
    assert imported.remixed_from_id == bens.pk
