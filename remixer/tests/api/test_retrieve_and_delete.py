"""One video through /v1: retrieved as its page answers it, downloaded with the pages' range
support, and deleted by its owner alone."""

import pytest
from django.test import Client

from remixer.actions import videos
from remixer.models import LOCAL_MODEL, Video
from remixer.models.accounts import ApiKey
from remixer.tests.conftest import finished_video
from remixer.tests.support.api_calls import assert_error, auth, job, page_json

pytestmark = pytest.mark.django_db


# Retrieve -----------------------------------------------------------------------------------------


def test_retrieve_answers_what_the_page_json_answers_for_any_teammate(client, ana, ben_key, source):
    response = client.get(f"/v1/videos/{source.pk}", headers=auth(ben_key))
    assert response.status_code == 200
    assert response.json() == page_json(client, ana, source.pk)


def test_a_video_made_in_the_page_is_retrievable_through_the_api(client, ana, key):
    session = Client()
    session.force_login(ana)
    session.post(
        "/videos/new",
        {
            "prompt": "x",
            "model": LOCAL_MODEL,
            "size": "1280x720",
            "seconds": "4",
            "form_token": "a" * 32,
        },
    )
    video = Video.objects.get()
    answer = client.get(f"/v1/videos/{video.pk}", headers=auth(key)).json()
    assert answer == session.get(f"/videos/{video.pk}.json").json()


# Content ------------------------------------------------------------------------------------------


def test_content_is_the_mp4_with_the_pages_range_support(client, key, source, clip_path):
    whole = client.get(f"/v1/videos/{source.pk}/content", headers=auth(key))
    assert whole.status_code == 200 and whole["Content-Type"] == "video/mp4"
    body = b"".join(whole.streaming_content)
    assert body == clip_path.read_bytes() and body[4:8] == b"ftyp"
    part = client.get(
        f"/v1/videos/{source.pk}/content?variant=video", headers=auth(key, Range="bytes=0-99")
    )
    assert part.status_code == 206
    assert part["Content-Range"] == f"bytes 0-99/{len(body)}"
    assert b"".join(part.streaming_content) == body[:100]
    beyond = client.get(
        f"/v1/videos/{source.pk}/content", headers=auth(key, Range=f"bytes={len(body)}-")
    )
    assert beyond.status_code == 416
    head = client.head(f"/v1/videos/{source.pk}/content", headers=auth(key))
    assert (head.status_code, head["Content-Length"]) == (200, str(len(body)))
    assert head.content == b""


def test_content_errors_are_in_the_envelope(client, ana, key, source):
    url = f"/v1/videos/{source.pk}/content"
    assert_error(client.get(url, {"variant": "poster"}, headers=auth(key)), 400, "variant")
    assert_error(client.get(url, {"variant": "thumbnail"}, headers=auth(key)), 404)


@pytest.mark.parametrize(
    ("fields", "code", "says"),
    [
        ({"status": "queued"}, "video_not_ready", "This video is still queued; its content can "),
        (
            {"status": "in_progress", "progress": 42},
            "video_not_ready",
            "This video is still in progress (42 %); its content can be downloaded once it has "
            "completed.",
        ),
        (
            {
                "status": "failed",
                "error_code": "moderation",
                "error_message": "The prompt was refused.",
            },
            "video_failed",
            "This video failed: The prompt was refused; it has no content.",
        ),
        (
            {"status": "failed", "error_code": "error"},
            "video_failed",
            "This video failed; it has no",
        ),
    ],
)
def test_content_of_a_video_not_completed_says_why(client, ana, key, fields, code, says):
    video = job(ana, **fields)
    for variant in ("video", "thumbnail"):
        response = client.get(f"/v1/videos/{video.pk}/content?variant={variant}", headers=auth(key))
        assert assert_error(response, 400, None, says)["code"] == code


def test_content_of_a_cancelled_video_says_it_was_cancelled(client, ana, key):
    video = job(ana, status="in_progress", progress=10)
    assert videos.cancel_video(user=ana, video=video)
    response = client.get(f"/v1/videos/{video.pk}/content", headers=auth(key))
    error = assert_error(response, 400, None, "This video was cancelled, so it has no content.")
    assert error["code"] == "video_failed"
    assert error["message"].endswith("Cancelled by ana.")


# Delete -------------------------------------------------------------------------------------------


def test_the_owner_deletes_a_finished_video(client, key, source, media_root):
    response = client.delete(f"/v1/videos/{source.pk}", headers=auth(key))
    assert response.status_code == 200
    assert response.json() == {"id": source.pk, "object": "video.deleted", "deleted": True}
    assert not Video.objects.in_library().exists()  # in the Trash, its files kept for now
    assert (media_root / "videos" / source.pk / "video.mp4").exists()
    assert_error(client.get(f"/v1/videos/{source.pk}", headers=auth(key)), 404)
    assert_error(client.delete(f"/v1/videos/{source.pk}", headers=auth(key)), 404)
    failed = job(source.owner, status="failed", error_message="boom")
    assert client.delete(f"/v1/videos/{failed.pk}", headers=auth(key)).status_code == 200


def test_a_running_video_is_not_deleted(client, ana, key):
    for status in ["queued", "in_progress"]:
        video = job(ana, status=status)
        response = client.delete(f"/v1/videos/{video.pk}", headers=auth(key))
        assert_error(response, 400, None, f"this one is {status}")
    assert Video.objects.count() == 2


def test_a_teammate_may_not_delete_anothers_video(client, ben_key, source):
    response = client.delete(f"/v1/videos/{source.pk}", headers=auth(ben_key))
    error = assert_error(response, 403, None, "Only the owner")
    assert error["code"] == "permission_denied"
    assert Video.objects.filter(pk=source.pk).exists()


def test_a_staff_key_deletes_only_its_owners_videos(client, staff, source, clip_path):
    staff_key = ApiKey.issue(user=staff, name="cleanup")[1]
    refused = client.delete(f"/v1/videos/{source.pk}", headers=auth(staff_key))
    assert_error(refused, 403, says="Only the owner of this video can delete it")
    assert Video.objects.filter(pk=source.pk).exists() and source.video_file.storage.exists(
        source.video_file.name
    )
    own = finished_video(staff, clip_path)
    assert client.delete(f"/v1/videos/{own.pk}", headers=auth(staff_key)).status_code == 200
