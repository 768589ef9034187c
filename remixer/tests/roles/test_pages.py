"""A viewer in the pages: every control for making, changing or deleting is hidden, and
every request for one answers 403 in words and changes nothing; the rest works as for anyone."""

import uuid
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django_tasks_db.models import DBTaskResult

from remixer.models import LOCAL_MODEL, Export, ExportImport, Video
from remixer.tests.conftest import finished_video, job

pytestmark = pytest.mark.django_db

REASON = "Viewers can watch, compare and export videos"


def counts() -> tuple[int, int, int, int]:
    """Everything a refused request could have made or changed."""
    return (
        Video.objects.count(),
        Video.objects.filter(trashed_at__isnull=False).count(),
        ExportImport.objects.count(),
        DBTaskResult.objects.count(),
    )


def assert_refused(response) -> None:  # type: ignore[no-untyped-def]
    assert response.status_code == 403, response.content[:400]
    page = response.content.decode()
    assert REASON in page and "<h1>Not allowed</h1>" in page
    assert 'class="brand"' in page  # in the site's look, not Django's bare page


def test_every_page_and_post_that_makes_or_changes_answers_403_and_changes_nothing(
    client, viewer, ana, clip_path
):
    own = finished_video(viewer, clip_path, prompt="made before she was a viewer")
    running = job(viewer, prompt="still running")
    failed = job(viewer, status=Video.Status.FAILED, prompt="it failed")
    gone = finished_video(viewer, clip_path, prompt="in the trash")
    Video.objects.filter(pk=gone.pk).update(trashed_at=gone.created_at)
    teammates = finished_video(ana, clip_path, prompt="ana's waves")
    client.force_login(viewer)
    before = counts()
    token = {"form_token": str(uuid.uuid4())}
    made = {"prompt": "calm waves", "model": LOCAL_MODEL, "size": "1280x720", "seconds": "4"}
    for url in ("/videos/new", "/remix", "/videos/import", "/trash", "/trash/empty"):
        assert_refused(client.get(url))
    for url, data in [
        ("/videos/new", made | token),
        (f"/videos/{teammates.id}/remix", {"prompt": "black and white"} | token),
        (f"/videos/{own.id}/extend", {"extend-prompt": "the sky", "extend-seconds": "4"} | token),
        (f"/videos/{failed.id}/retry", token),
        (f"/videos/{running.id}/cancel", {}),
        (f"/videos/{own.id}/title", {"title": "Renamed"}),
        (f"/videos/{own.id}/delete", {}),
        (f"/videos/{gone.id}/restore", {}),
        (f"/videos/{gone.id}/erase", {}),
        ("/trash/empty", {}),
        ("/videos/import", {"video": mp4_upload(clip_path)} | token),
    ]:
        assert_refused(client.post(url, data))
    assert_refused(client.get(f"/videos/{own.id}/delete"))  # its confirmation page too
    assert counts() == before
    own.refresh_from_db()
    running.refresh_from_db()
    gone.refresh_from_db()
    assert (own.title, own.trashed_at) == ("", None)
    assert running.status == Video.Status.QUEUED
    assert gone.trashed_at is not None and gone.files_removed_at is None


def mp4_upload(path: Path) -> SimpleUploadedFile:
    return SimpleUploadedFile("clip.mp4", path.read_bytes(), content_type="video/mp4")


def test_a_viewer_sees_no_control_to_make_or_change_but_browses_plays_and_compares(
    client, viewer, ana, clip_path
):
    source = finished_video(ana, clip_path, prompt="calm blue waves")
    remix = finished_video(
        ana,
        clip_path,
        prompt="calm red waves",
        remixed_from=source,
        remixed_from_video_id=source.id,
        kind=Video.Kind.REMIX,
    )
    own = finished_video(viewer, clip_path, prompt="her own, from before")
    client.force_login(viewer)
    library = client.get("/").content.decode()
    assert "calm red waves" in library and "her own, from before" in library
    assert ">New video</a>" not in library and 'href="/remix"' not in library
    assert 'href="/videos/import"' not in library and 'href="/trash"' not in library
    assert 'href="/exports"' in library and " Select</label>" in library  # export stays
    for video in (remix, own):
        page = client.get(video.get_absolute_url()).content.decode()
        assert "Download MP4" in page and f'src="/videos/{video.id}/content"' in page
        for control in (
            "Remix this video",
            "Extend this video",
            ">Delete</button>",
            "Give it a title",
            "Use as source",
            "Change the prompt and run again",
        ):
            assert control not in page, control
    assert "Compare with source" in client.get(remix.get_absolute_url()).content.decode()
    compare = client.get(f"/videos/{remix.id}/compare")
    assert compare.status_code == 200 and "calm <ins>red</ins> waves" in compare.content.decode()
    content = client.get(f"/videos/{remix.id}/content")
    assert content.status_code == 200
    assert b"".join(content.streaming_content)[4:8] == b"ftyp"
    assert client.get(f"/videos/{remix.id}.json").json()["id"] == remix.id


def test_a_viewer_exports_what_they_see(client, viewer, ana, clip_path):
    video = finished_video(ana, clip_path, prompt="waves to take home")
    client.force_login(viewer)
    assert client.get(f"/exports?v={video.id}").status_code == 200
    response = client.post("/exports", {"scope": "selected", "v": [video.id]})
    export = Export.objects.get(owner=viewer)
    assert response.status_code == 302 and response["Location"] == export.get_absolute_url()
    assert client.get(export.get_absolute_url()).status_code == 200


def test_a_creator_still_sees_every_control(client, ana, clip_path):
    video = finished_video(ana, clip_path, prompt="calm blue waves")
    client.force_login(ana)
    page = client.get(video.get_absolute_url()).content.decode()
    for control in (
        "Remix this video",
        "Extend this video",
        ">Delete</button>",
        ">New video</a>",
        'href="/trash"',
        'href="/videos/import"',
    ):
        assert control in page, control
    assert client.get("/videos/new").status_code == 200
