"""Imports arrive on top: the library, its live poll and the remix picker order videos by
when they arrived here, and the Import page links an export's videos as they arrive, while
/v1 and the video's page keep when each was made."""

import importlib
import re
import uuid
from datetime import timedelta

import pytest
from django.apps import apps
from django.db import connection
from django.utils import timezone

from remixer.actions import trash
from remixer.models import ApiKey, Video
from remixer.tests.conftest import VIDEO_KEYS, job
from remixer.tests.support.export_zips import (
    check_imports,
    contents,
    export_to,
    export_zip,
    read_exports,
)
from remixer.web import imports as import_page

pytestmark = pytest.mark.django_db

MADE = 1700000000  # 14 Nov 2023, long before any video of the test's library
POLLED = {"HX-Request": "true"}


def old_id(number: int) -> str:
    return f"video_{number:032x}"


def send_export(client, clip: bytes, count: int, first: int = 1) -> None:  # type: ignore[no-untyped-def]
    """An export of `count` videos made in 2023, given to the Import page."""
    sidecars = {
        old_id(n): {"prompt": f"clip {n}", "created_at": MADE, "remixer": {}}
        for n in range(first, first + count)
    }
    upload = export_zip({pk: (sidecar, clip) for pk, sidecar in sidecars.items()})
    response = client.post("/videos/import", {"video": upload, "form_token": str(uuid.uuid4())})
    assert response.status_code == 302


def cards(page: str) -> list[str]:
    return re.findall(r'<li class="card" id="card-([^"]+)"', page)


def test_an_old_import_arrives_on_top_of_the_library_and_keeps_its_place_in_v1(
    client, ana, source, clip_path, tmp_path
):
    client.force_login(ana)
    library = client.get("/").content.decode()
    poll = re.search(r'hx-get="(/live\?[^"]+)"', library)
    assert poll is not None and cards(library) == [source.pk]

    send_export(client, clip_path.read_bytes(), 1)
    read_exports()
    imported = Video.objects.get(kind=Video.Kind.IMPORT)
    assert imported.created_at.timestamp() == MADE and imported.arrived_at > source.arrived_at
    arrivals = client.get(poll[1].replace("&amp;", "&")).content.decode()
    assert '<ul hx-swap-oob="afterbegin:#results .grid">' in arrivals
    assert cards(arrivals) == [imported.pk]  # new to the page, though made long before

    check_imports()
    assert cards(client.get("/").content.decode()) == [imported.pk, source.pk]
    assert cards(client.get("/remix").content.decode()) == [imported.pk, source.pk]
    page = client.get(imported.get_absolute_url()).content.decode()
    assert '<time datetime="2023-11-14T22:13:20+00:00">2023-11-14 22:13</time>' in page

    key = ApiKey.issue(user=ana, name="script")[1]
    headers = {"Authorization": f"Bearer {key}"}
    listed = client.get("/v1/videos", headers=headers).json()["data"]
    assert [video["id"] for video in listed] == [source.pk, imported.pk]  # by created_at
    assert set(listed[1]) == VIDEO_KEYS and listed[1]["created_at"] == MADE
    oldest = client.get("/v1/videos?order=asc&limit=1", headers=headers).json()
    assert oldest["data"][0]["id"] == imported.pk and oldest["has_more"]
    after = client.get(f"/v1/videos?order=asc&after={imported.pk}", headers=headers).json()
    assert [video["id"] for video in after["data"]] == [source.pk]

    exported = contents(export_to(tmp_path / "again.zip"))[imported.pk]["sidecar"]
    assert set(exported) == VIDEO_KEYS | {"remixer"}  # the Video object, as the API's
    assert "arrived_at" not in exported["remixer"] and exported["created_at"] == MADE


def notice(client) -> str:  # type: ignore[no-untyped-def]
    """The Import page's list of exports, as its poll asks for it."""
    answer = client.get("/videos/import", headers=POLLED)
    assert answer.status_code == 200 and "<html" not in answer.content.decode()
    return re.sub(r"\s+", " ", answer.content.decode())


def polls(fragment: str) -> bool:
    return 'hx-get="/videos/import" hx-trigger="every 2s"' in fragment


def link(video_id: str, name: str) -> str:
    return f'<a href="/videos/{video_id}">{name}</a>'


def test_the_import_page_links_an_exports_videos_as_they_arrive(
    client, ana, clip_path, monkeypatch
):
    clip = clip_path.read_bytes()
    client.force_login(ana)
    send_export(client, clip, 1)
    page = client.get("/videos/import").content.decode()
    assert 'id="export-imports"' in page and polls(page)  # the ZIP is not read yet
    assert "Its video" not in notice(client) and polls(notice(client))

    read_exports()
    one = link(old_id(1), "clip 1")
    assert f"Its video: {one} (being checked)." in notice(client) and polls(notice(client))
    check_imports()
    assert f"Its video: {one}." in notice(client)
    assert not polls(notice(client))  # read, and its video checked: nothing left to follow

    send_export(client, clip, 3, first=2)
    read_exports()
    check_imports()
    latest = notice(client)
    three = ", ".join([link(old_id(4), "clip 4"), link(old_id(3), "clip 3")])
    assert f"Its 3 videos: {three} and {link(old_id(2), 'clip 2')}." in latest
    assert f"Its video: {one}." in latest and not polls(latest)

    trash.trash_video(user=ana, video=Video.objects.get(pk=old_id(3)))
    monkeypatch.setattr(import_page, "LISTED", 1)
    more = '<a href="/">1 more in the library</a>'
    assert f"Its 2 videos: {link(old_id(4), 'clip 4')} and {more}." in notice(client)


def test_every_video_made_before_arrived_when_it_was_made(ana):
    """The migration that brought arrivals in dates each video's from its making."""
    migration = importlib.import_module("remixer.migrations.0018_video_arrived_at")
    made = job(ana, created_at=timezone.now() - timedelta(days=400))
    assert made.arrived_at - made.created_at > timedelta(days=399)
    migration.arrived_when_made(apps, None)
    made.refresh_from_db()
    assert made.arrived_at == made.created_at


def test_the_library_and_v1_page_through_their_own_indexes():
    """Deep pages stay fast: each order is read from an index, not sorted whole."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # an empty table would be scanned instead
            cursor.execute("SET LOCAL enable_seqscan = off")
    library = Video.objects.in_library()
    ids = library.newest_first().values_list("pk", flat=True)
    assert "video_arrived_first" in ids[24:48].explain()
    picker = library.filter(status=Video.Status.COMPLETED).newest_first()
    assert "video_status_arrived_first" in picker.values_list("pk", flat=True)[:24].explain()
    assert "video_created_first" in library.order_by("-created_at", "-id")[:21].explain()
