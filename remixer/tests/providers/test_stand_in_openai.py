"""The Videos API stand-in speaks OpenAI's API: to the official SDK, over raw HTTP, on the
wall clock and across a restart.

No database here: the server is plain HTTP. Time moves with `server.advance()`, not sleeps.
"""

import io

import openai
import pytest
import requests
from openai import OpenAI
from PIL import Image

from remixer.tests.conftest import VIDEO_KEYS
from remixer.tests.support.stand_in_client import call, create, finish, sdk
from remixer.tests.support.videos_api_server import serve

pytestmark = [
    pytest.mark.database_free,
    pytest.mark.filterwarnings("ignore::DeprecationWarning"),
]  # the SDK's Sora notice

KEYS = VIDEO_KEYS


def png(size: tuple[int, int]) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (10, 120, 200)).save(out, "PNG")
    return out.getvalue()


def test_the_sdk_creates_polls_and_downloads_real_files(server):
    client = sdk(server)
    video = client.videos.create(prompt="calm sea", size="1280x720", seconds="4")
    assert video.id.startswith("video_") and video.status == "queued" and video.progress == 0
    sent = server.received("POST", "/v1/videos")
    assert len(sent) == 1 and sent[0].headers["content-type"].startswith("multipart/form-data")
    assert sent[0].fields == {"prompt": "calm sea", "size": "1280x720", "seconds": "4"}

    server.advance(0.6)
    running = client.videos.retrieve(video.id)
    assert running.status == "in_progress" and 0 < running.progress < 100
    finish(server)
    done = client.videos.retrieve(video.id)
    assert done.status == "completed" and done.progress == 100
    assert done.completed_at is not None and done.expires_at == done.completed_at + 3600

    mp4 = client.videos.download_content(video.id)
    assert mp4.read()[4:8] == b"ftyp" and mp4.response.headers["content-type"] == "video/mp4"
    webp = client.videos.download_content(video.id, variant="thumbnail").read()
    assert webp[:4] == b"RIFF" and webp[8:12] == b"WEBP"
    assert client.videos.download_content(video.id, variant="spritesheet").read()[:3] == (
        b"\xff\xd8\xff"
    )
    assert server.count("POST", "/v1/videos") == 1 and server.errors == []


def test_answers_have_all_13_keys_with_nulls_where_the_api_has_them(server):
    answer = call(server, "POST", "/videos", json={"prompt": "waves", "model": "sora-2-pro"})
    video = answer.json()
    assert set(video) == KEYS and answer.headers["content-length"] == str(len(answer.content))
    assert video["model"] == "sora-2-pro" and (video["size"], video["seconds"]) == ("720x1280", "4")
    assert video["completed_at"] is None and video["expires_at"] is None
    assert video["remixed_from_video_id"] is None and video["error"] is None


def test_an_input_reference_is_kept_and_must_match_the_size(server):
    client = sdk(server)
    image = png((1280, 720))
    video = client.videos.create(
        prompt="p", input_reference=("ref.png", image, "image/png"), size="1280x720"
    )
    assert server.jobs[video.id]["input_reference"]["data"] == image
    assert server.requests[-1].fields["input_reference"]["filename"] == "ref.png"
    with pytest.raises(openai.BadRequestError) as wrong:
        client.videos.create(prompt="p", input_reference=("r.png", png((64, 64)), "image/png"))
    assert isinstance(wrong.value.body, dict) and wrong.value.body["param"] == "input_reference"


@pytest.mark.parametrize(
    ("fields", "param", "code"),
    [
        ({"prompt": "p", "model": "sora-9"}, "model", "model_not_found"),
        ({"prompt": "p", "seconds": "5"}, "seconds", "invalid_value"),
        ({"prompt": "p", "seconds": 4}, "seconds", "invalid_type"),
        ({"prompt": "p", "size": "640x480"}, "size", "invalid_value"),
        ({"model": "sora-2"}, "prompt", "missing_required_parameter"),
        ({"prompt": "x" * 32001}, "prompt", "string_above_max_length"),
    ],
)
def test_bad_creates_answer_400_in_the_openai_envelope(server, fields, param, code):
    answer = call(server, "POST", "/videos", json=fields)
    assert answer.status_code == 400
    error = answer.json()["error"]
    assert (error["type"], error["param"], error["code"]) == ("invalid_request_error", param, code)
    assert server.jobs == {}


def test_the_key_is_checked_in_the_configured_header():
    with serve(api_key="s3cret", auth_header="api-key") as server:
        assert call(server, "GET", "/videos", headers={"api-key": "s3cret"}).status_code == 200
        wrong = call(server, "GET", "/videos", headers={"api-key": "nope"})
        assert wrong.status_code == 401 and wrong.json()["error"]["code"] == "invalid_api_key"
        bearer = call(server, "GET", "/videos", headers={"Authorization": "Bearer s3cret"})
        assert bearer.status_code == 401
    with serve() as server, pytest.raises(openai.AuthenticationError):
        OpenAI(base_url=server.url, api_key="wrong", max_retries=0).videos.list()


def test_a_prompt_with_the_fail_word_ends_failed_with_moderation_blocked(server):
    video = create(server, "a FAIL prompt")
    finish(server)
    failed = sdk(server).videos.retrieve(video["id"])
    assert failed.status == "failed" and failed.completed_at is not None
    assert failed.error is not None and failed.error.code == "moderation_blocked"
    assert failed.expires_at is None


def test_a_stall_word_keeps_a_job_in_progress_for_ever(server):
    video = create(server, "STALL please")
    server.advance(10_000)
    assert call(server, "GET", f"/videos/{video['id']}").json()["status"] == "in_progress"


def test_remix_inherits_size_and_seconds_and_needs_a_completed_source(server):
    client = sdk(server)
    source = client.videos.create(prompt="p", size="1792x1024", seconds="8")
    with pytest.raises(openai.BadRequestError):
        client.videos.remix(source.id, prompt="too early")
    finish(server)
    remix = client.videos.remix(source.id, prompt="warmer")
    assert remix.remixed_from_video_id == source.id and remix.status == "queued"
    assert (remix.size, remix.seconds, remix.prompt) == ("1792x1024", "8", "warmer")
    with pytest.raises(openai.NotFoundError):
        client.videos.remix("video_missing", prompt="x")


def test_the_sdk_pages_through_the_list(server):
    ids = [create(server, f"video {n}")["id"] for n in range(5)]
    client = sdk(server)
    assert [v.id for v in client.videos.list(limit=2)] == ids[::-1]
    assert [v.id for v in client.videos.list(limit=2, order="asc")] == ids
    page = call(server, "GET", "/videos", params={"limit": 2, "after": ids[4]}).json()
    assert page["object"] == "list" and [v["id"] for v in page["data"]] == [ids[3], ids[2]]
    assert (page["first_id"], page["last_id"], page["has_more"]) == (ids[3], ids[2], True)
    assert call(server, "GET", "/videos", params={"limit": 101}).status_code == 400


def test_delete_takes_only_finished_videos(server):
    client = sdk(server)
    video = client.videos.create(prompt="p")
    with pytest.raises(openai.BadRequestError):
        client.videos.delete(video.id)
    finish(server)
    gone = client.videos.delete(video.id)
    assert (gone.id, gone.deleted, gone.object) == (video.id, True, "video.deleted")
    assert server.jobs[video.id]["deleted"] is True
    with pytest.raises(openai.NotFoundError):
        client.videos.retrieve(video.id)


def test_content_exists_only_between_completion_and_expiry(server):
    video = create(server)
    early = call(server, "GET", f"/videos/{video['id']}/content")
    assert early.status_code == 404 and early.json()["error"]["code"] == "video_not_ready"
    finish(server)
    head = call(server, "HEAD", f"/videos/{video['id']}/content")
    assert head.status_code == 200 and head.content == b"" and int(head.headers["content-length"])
    server.advance(3601)
    late = call(server, "GET", f"/videos/{video['id']}/content?variant=thumbnail")
    assert late.status_code == 404 and late.json()["error"]["code"] == "video_expired"


def test_retrieve_can_suggest_a_poll_interval(server):
    video = create(server)
    assert "openai-poll-after-ms" not in call(server, "GET", f"/videos/{video['id']}").headers
    server.set(poll_after_ms=250)
    assert call(server, "GET", f"/videos/{video['id']}").headers["openai-poll-after-ms"] == "250"


def test_jobs_progress_on_the_wall_clock_for_the_sdks_poll_helper():
    with serve(job_seconds=0.3, poll_after_ms=50) as server:
        video = sdk(server).videos.create_and_poll(prompt="waves")
        assert video.status == "completed"
        assert 3 <= server.count("GET", f"/v1/videos/{video.id}") <= 10


def test_status_words_and_case_can_differ(server):
    server.set(status_words={"queued": "pending", "completed": "succeeded"}, status_case="upper")
    video = create(server)
    assert video["status"] == "PENDING"
    finish(server)
    assert call(server, "GET", f"/videos/{video['id']}").json()["status"] == "SUCCEEDED"


def test_a_session_keeps_one_connection_and_chunked_bodies_are_read(server):
    with requests.Session() as session:
        session.headers["Authorization"] = "Bearer test-key"
        body = iter([b'{"prompt": ', b'"chunked"}'])  # a generator: sent chunked
        created = session.post(server.url + "/videos", data=body, timeout=5)
        assert created.json()["prompt"] == "chunked"
        for _ in range(3):
            assert session.get(server.url + "/videos", timeout=5).status_code == 200
    assert len({record.client for record in server.requests}) == 1


def test_a_restart_on_the_same_port_forgets_the_jobs(server):
    video = create(server)
    port = server.port
    server.stop()
    server.start()
    assert server.port == port and server.jobs == {}
    assert call(server, "GET", f"/videos/{video['id']}").status_code == 404


def test_unknown_routes_and_knobs_are_refused(server):
    answer = call(server, "GET", "/models")
    assert answer.status_code == 404 and "Invalid URL" in answer.json()["error"]["message"]
    with pytest.raises(TypeError):
        server.set(no_such_knob=1)
