"""A viewer's API key reads: the list, a video and its content answer as to anyone; a
create, a remix, an edit, an extension or a delete answers 403 in the error envelope and
makes nothing."""

import pytest
from django_tasks_db.models import DBTaskResult

from remixer.models import Video
from remixer.tests.conftest import finished_video
from remixer.tests.support.api_calls import assert_error, auth, create, post_json

pytestmark = pytest.mark.django_db


def test_a_viewers_key_reads_the_library_and_downloads(client, viewer_key, ana, clip_path):
    video = finished_video(ana, clip_path, prompt="calm blue waves")
    listed = client.get("/v1/videos", headers=auth(viewer_key))
    assert listed.status_code == 200 and [v["id"] for v in listed.json()["data"]] == [video.id]
    found = client.get(f"/v1/videos/{video.id}", headers=auth(viewer_key))
    assert found.status_code == 200 and found.json()["status"] == "completed"
    content = client.get(f"/v1/videos/{video.id}/content", headers=auth(viewer_key))
    assert content.status_code == 200
    assert b"".join(content.streaming_content)[4:8] == b"ftyp"


def test_a_viewers_key_makes_and_deletes_nothing(client, viewer, viewer_key, ana, clip_path):
    teammates = finished_video(ana, clip_path, prompt="ana's waves")
    own = finished_video(viewer, clip_path, prompt="hers, from before")
    before = (Video.objects.count(), DBTaskResult.objects.count())
    refusals = [
        create(client, viewer_key),
        post_json(client, f"/v1/videos/{teammates.id}/remix", {"prompt": "mono"}, viewer_key),
        post_json(
            client,
            "/v1/videos/extensions",
            {"video": {"id": own.id}, "prompt": "the sky", "seconds": "4"},
            viewer_key,
        ),
        client.post("/v1/videos/edits", {"prompt": "mono"}, headers=auth(viewer_key)),
        client.delete(f"/v1/videos/{own.id}", headers=auth(viewer_key)),
    ]
    for response in refusals:
        error = assert_error(response, 403, says="Viewers can watch, compare and export")
        assert (error["type"], error["code"]) == ("invalid_request_error", "read_only_role")
    assert (Video.objects.count(), DBTaskResult.objects.count()) == before
    own.refresh_from_db()
    assert own.trashed_at is None


def test_a_viewers_key_still_hears_of_routes_that_do_not_exist(client, viewer_key):
    assert_error(client.post("/v1/nothing", headers=auth(viewer_key)), 404)
