"""An export's ZIP given to the Import page is bounded: its videos count against the
person's active-job limit and wait their turn, a worker reads it (not the request), and its
sizes are checked before anything is written, stopping at once what no video can be."""

import uuid
import zipfile
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from remixer.actions import imports
from remixer.files import storage
from remixer.management.commands.worker import sweep_once
from remixer.models import ExportImport, Video
from remixer.tests.conftest import video_row
from remixer.tests.support.export_zips import check_imports, export_zip, read_exports
from remixer.worker.exports import ExportError

pytestmark = pytest.mark.django_db

ACTIVE = ("queued", "in_progress")


def old_id(number: int) -> str:
    return f"video_{number:032x}"


def videos_of(clip: bytes, count: int) -> dict[str, tuple[dict, bytes]]:
    return {old_id(n + 1): ({"prompt": f"clip {n}", "remixer": {}}, clip) for n in range(count)}


def post(client, upload) -> Any:  # type: ignore[no-untyped-def]
    return client.post("/videos/import", {"video": upload, "form_token": str(uuid.uuid4())})


def active(user) -> int:  # type: ignore[no-untyped-def]
    return Video.objects.filter(owner=user, status__in=ACTIVE).count()


def test_an_exports_videos_wait_their_turn_under_the_active_job_limit(
    client, ana, clip_path, settings
):
    settings.REMIXER_MAX_ACTIVE_JOBS = 3
    busy = video_row(ana)  # a render of ana's, queued
    client.force_login(ana)
    response = post(client, export_zip(videos_of(clip_path.read_bytes(), 4)))
    assert response.status_code == 302
    assert active(ana) == 1  # the request only stored the ZIP: a worker reads it
    assert not Video.objects.filter(kind="import").exists()
    (row,) = read_exports()
    assert (active(ana), row.status, len(row.placed)) == (3, "waiting", 2)
    page = client.get("/videos/import").content.decode()
    assert "2 of 4 videos started, 2 waiting" in page
    assert "wait in the ZIP and start as your earlier jobs finish" in page
    check_imports()  # two imports checked: room for the other two
    Video.objects.filter(pk=busy.pk).update(status="completed")
    (row,) = read_exports()
    assert (row.status, len(row.placed), row.problems) == ("completed", 4, {})
    assert [v.status for v in check_imports() if v.kind == "import"] == ["completed"] * 4


def test_staff_keep_their_powers_over_the_limit(stores, client, staff, clip_path, settings):
    settings.REMIXER_MAX_ACTIVE_JOBS = 1
    client.force_login(staff)
    assert post(client, export_zip(videos_of(clip_path.read_bytes(), 3))).status_code == 302
    (stored,) = ExportImport.objects.all()
    assert storage.stat(stored.upload) is not None  # the ZIP waits in the storage
    (row,) = read_exports()
    assert (row.status, len(row.placed), active(staff)) == ("completed", 3, 3)
    assert storage.stat(row.upload) is None  # read, it goes


def test_the_declared_sizes_together_are_held_to_the_import_limit(
    client, ana, clip_path, settings, media_root
):
    clip = clip_path.read_bytes()
    upload = export_zip(videos_of(clip, 2), extra={"videos/notes.txt": bytes(1024**2)})
    assert upload.getbuffer().nbytes < len(clip) * 2 + 100_000
    settings.REMIXER_MAX_IMPORT_BYTES = len(clip) * 2 + 100_000  # the ZIP and each MP4 pass
    refused_unwritten(client, ana, upload, "an import may be", media_root)


def test_a_zero_filled_video_that_unpacks_a_thousandfold_is_refused_unwritten(
    client, ana, media_root
):
    bomb = export_zip(
        {old_id(1): ({"remixer": {}}, bytes(32 * 1024**2))}, compression=zipfile.ZIP_DEFLATED
    )
    refused_unwritten(client, ana, bomb, "more than a video can shrink", media_root)


def refused_unwritten(client, user, upload, message: str, media_root) -> None:  # type: ignore[no-untyped-def]
    """The page refuses the ZIP in words, and nothing is made or stored."""
    client.force_login(user)
    response = post(client, upload)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Video.objects.exists()
    assert not [path for path in media_root.rglob("*") if path.is_file()]


def test_an_entry_is_stopped_at_once_past_what_its_bytes_can_hold(tmp_path):
    """The worker's copy counts the bytes too: past the bound it stops, whatever the ZIP said."""
    bomb = export_zip(
        {old_id(1): ({"remixer": {}}, bytes(8 * 1024**2))}, compression=zipfile.ZIP_DEFLATED
    )
    with zipfile.ZipFile(bomb) as archive:
        info = archive.getinfo(f"videos/{old_id(1)}.mp4")
        with pytest.raises(ExportError, match="stopped"):
            imports.copy_entry(archive, info, tmp_path)
    written = (tmp_path / f"{old_id(1)}.mp4").stat().st_size
    assert written <= imports.ceiling(info.compress_size) < 2 * 1024**2


def test_a_zip_whose_reader_stopped_is_read_again_by_the_sweep(client, ana, clip_path):
    client.force_login(ana)
    assert post(client, export_zip(videos_of(clip_path.read_bytes(), 2))).status_code == 302
    long_ago = timezone.now() - imports.STALLED - timedelta(seconds=1)
    ExportImport.objects.update(status="in_progress", updated_at=long_ago)  # its worker died
    sweep_once()
    (row,) = read_exports()
    assert (row.status, len(row.placed)) == ("completed", 2)
