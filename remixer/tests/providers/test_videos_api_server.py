"""The Videos API stand-in speaks the API: to the official SDK, and with each server's quirks.

No database here: the server is plain HTTP. Time moves with `server.advance()`, not sleeps.
"""

import base64
import io
import json
import uuid
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import openai
import pytest
import requests
from openai import OpenAI
from PIL import Image

from remixer.tests.conftest import VIDEO_KEYS
from remixer.tests.support.videos_api_server import VideosAPIServer, serve

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")  # the SDK's Sora notice

KEYS = VIDEO_KEYS
WIDE = {"size": "1280x720", "seconds": "4"}  # every download renders this one clip


@pytest.fixture
def server() -> Iterator[VideosAPIServer]:
    with serve() as running:
        yield running


def sdk(server: VideosAPIServer, **options: Any) -> OpenAI:
    return OpenAI(base_url=server.url, api_key="test-key", **{"max_retries": 0, **options})


def call(server: VideosAPIServer, method: str, path: str, **kwargs: Any) -> requests.Response:
    headers = {"Authorization": "Bearer test-key", **kwargs.pop("headers", {})}
    return requests.request(method, server.url + path, headers=headers, timeout=10, **kwargs)


def create(server: VideosAPIServer, prompt: str = "waves", **fields: str) -> dict[str, Any]:
    """A create sent as multipart, the way the SDK and remixer send it."""
    form = {"prompt": prompt, **WIDE, **fields}
    answer = call(server, "POST", "/videos", files={k: (None, v) for k, v in form.items()})
    assert answer.status_code == 200, answer.text
    video: dict[str, Any] = answer.json()
    return video


def finish(server: VideosAPIServer) -> None:
    server.advance(server.knobs.job_seconds + 0.01)


def quoted(video_id: str) -> str:
    return quote(video_id, safe="")


def png(size: tuple[int, int]) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (10, 120, 200)).save(out, "PNG")
    return out.getvalue()


# ---------------------------------------------------------------------------------------------
# OpenAI's own behaviour, through the official SDK


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


# ---------------------------------------------------------------------------------------------
# Faults


def test_a_5xx_burst_then_recovery_and_the_sdk_retries_gets(server):
    video = create(server)
    server.fail_next(2, status=503, method="GET")
    assert call(server, "POST", "/videos", json={"prompt": "p"}).status_code == 200
    assert call(server, "GET", f"/videos/{video['id']}").status_code == 503
    assert sdk(server, max_retries=2).videos.retrieve(video["id"]).id == video["id"]
    assert server.count("GET", f"/v1/videos/{video['id']}") == 3


def test_a_5xx_can_come_after_the_create_was_made(server):
    server.fail_next(1, status=502, body={"oops": True}, path_prefix="/v1/videos", process=True)
    answer = call(server, "POST", "/videos", json={"prompt": "p"})
    assert (answer.status_code, answer.json()) == (502, {"oops": True})
    assert len(server.jobs) == 1


def test_rate_limits_say_when_to_come_back(server):
    server.rate_limit_next(1, retry_after=2)
    limited = call(server, "POST", "/videos", json={"prompt": "p"})
    assert limited.status_code == 429 and limited.headers["retry-after"] == "2"
    assert limited.json()["error"]["code"] == "rate_limit_exceeded" and server.jobs == {}
    assert call(server, "POST", "/videos", json={"prompt": "p"}).status_code == 200


def test_a_hanging_create_has_created_its_job_when_the_client_gives_up(server):
    server.hang_next(1, seconds=5)
    with pytest.raises(requests.Timeout):
        requests.post(
            server.url + "/videos",
            json={"prompt": "p"},
            headers={"Authorization": "Bearer test-key"},
            timeout=0.3,
        )
    assert len(server.jobs) == 1 and server.count("POST", "/v1/videos") == 1


def test_a_dropped_connection_after_create_leaves_the_job(server):
    server.drop_after_create_next(1)
    with pytest.raises(requests.ConnectionError):
        call(server, "POST", "/videos", json={"prompt": "p"})
    assert len(server.jobs) == 1
    assert call(server, "GET", "/videos").json()["data"][0]["prompt"] == "p"


def test_malformed_json_still_creates(server):
    server.malformed_json_next(1)
    answer = call(server, "POST", "/videos", json={"prompt": "p"})
    assert answer.status_code == 200
    with pytest.raises(ValueError):
        answer.json()
    assert len(server.jobs) == 1


def test_content_can_be_cut_short_mislabelled_or_corrupted(server):
    video = create(server)
    finish(server)
    path = f"/videos/{video['id']}/content"
    clean = call(server, "GET", path).content
    assert clean[4:8] == b"ftyp"

    server.set(truncate_content="body")
    with pytest.raises(requests.exceptions.ChunkedEncodingError):
        call(server, "GET", path)
    server.set(truncate_content="file")
    short = call(server, "GET", path)
    assert len(short.content) == len(clean) // 2 == int(short.headers["content-length"])

    server.set(truncate_content=None, mislabel_content=True)
    assert call(server, "GET", path).headers["content-type"] == "text/plain"
    thumb = call(server, "GET", path, params={"variant": "thumbnail"})
    assert thumb.headers["content-type"] == "video/mp4" and thumb.content[8:12] == b"WEBP"

    server.set(mislabel_content=False, corrupt_content=True)
    corrupt = call(server, "GET", path).content
    assert len(corrupt) == len(clean) and corrupt != clean and corrupt[4:8] == b"ftyp"
    server.set(corrupt_content="head")
    assert call(server, "GET", path).content[4:8] != b"ftyp"


# ---------------------------------------------------------------------------------------------
# The other servers' behaviours


def test_litellm_rewrites_ids_drops_prompt_and_hides_routes():
    with serve("litellm") as server:
        video = create(server, model="proxy-video")
        vid = video["id"]
        assert vid.startswith("video_") and 234 <= len(vid) <= 290 and vid.endswith("=")
        assert b"video_id:video_" in base64.b64decode(vid.removeprefix("video_"))
        assert "prompt" not in video and video["model"] == "proxy-video"

        assert "/" in vid and call(server, "GET", f"/videos/{vid}").status_code == 404
        assert call(server, "GET", f"/videos/{quoted(vid)}").json()["id"] == vid
        assert sdk(server).videos.retrieve(vid).id == vid  # the SDK encodes path ids

        assert call(server, "DELETE", f"/videos/{quoted(vid)}").status_code == 405
        assert call(server, "GET", "/videos").status_code == 400

        finish(server)
        thumb = call(server, "GET", f"/videos/{quoted(vid)}/content?variant=thumbnail")
        assert thumb.headers["content-type"] == "video/mp4" and thumb.content[4:8] == b"ftyp"
        remix = call(server, "POST", f"/videos/{quoted(vid)}/remix", json={"prompt": "more"})
        source = remix.json()["remixed_from_video_id"]
        assert source == server.jobs[vid]["upstream_id"] and source != vid
        assert call(server, "GET", f"/videos/{source}").status_code == 404


def test_litellm_wraps_upstream_errors_in_a_string():
    with serve("litellm") as server:
        error = call(server, "POST", "/videos", json={"prompt": "p", "model": "x"}).json()["error"]
        assert (error["type"], error["param"], error["code"]) == (None, None, "400")
        prefix, _, inner = error["message"].partition("OpenAIException - ")
        assert prefix.startswith("litellm.BadRequestError")
        assert json.loads(inner)["error"]["code"] == "model_not_found"


def test_sglang_has_uuid_ids_no_remix_and_no_video_variant():
    with serve("sglang") as server:
        video = create(server)
        assert uuid.UUID(video["id"]) and video["model"] == "Wan2.2"
        server.advance(0.7)
        stalled = call(server, "GET", f"/videos/{video['id']}").json()
        assert (stalled["status"], stalled["progress"]) == ("in_progress", 99)
        finish(server)
        path = f"/videos/{video['id']}"
        assert call(server, "POST", path + "/remix", json={"prompt": "p"}).json() == {
            "detail": "Not Found"
        }
        assert call(server, "GET", path + "/content?variant=video").status_code == 404
        assert call(server, "GET", path + "/content?variant=thumbnail").status_code == 404
        assert call(server, "GET", path + "/content").content[4:8] == b"ftyp"
        assert call(server, "DELETE", path).json()["status"] == "deleted"
        assert call(server, "GET", path).json() == {
            "detail": f"Video with id '{video['id']}' not found."
        }


def test_sglang_errors_have_no_code_and_deletes_running_jobs():
    with serve("sglang") as server:
        video = create(server, "FAIL")
        finish(server)
        assert call(server, "GET", f"/videos/{video['id']}").json()["error"] == {
            "message": "Your request was blocked by our moderation system."
        }
        running = create(server)
        assert call(server, "DELETE", f"/videos/{running['id']}").status_code == 200


def test_vllm_takes_only_multipart_and_its_served_model():
    with serve("vllm") as server:
        refused = call(server, "POST", "/videos", json={"prompt": "p"})
        assert refused.status_code == 422 and refused.json()["detail"][0]["loc"] == [
            "body",
            "prompt",
        ]
        client = sdk(server)
        with pytest.raises(openai.NotFoundError):
            client.videos.create(prompt="p", model="sora-2")
        # A local engine takes sizes and lengths the API's types do not list.
        video = client.videos.create(
            prompt="p",
            model="Wan2.2",
            size="640x360",  # type: ignore[arg-type]
            seconds="2",  # type: ignore[arg-type]
        )
        assert (video.model, video.size, video.seconds) == ("Wan2.2", "640x360", "2")
        server.advance(0.9)
        assert call(server, "GET", f"/videos/{video.id}").json()["progress"] == 0
        assert call(server, "DELETE", f"/videos/{video.id}").status_code == 409
        assert (
            call(server, "POST", f"/videos/{video.id}/remix", json={"prompt": "p"}).status_code
            == 404
        )
        finish(server)
        assert client.videos.retrieve(video.id).progress == 100


def test_vllm_answers_a_failed_job_with_500_and_the_video():
    with serve("vllm") as server:
        video = create(server, "FAIL")
        finish(server)
        answer = call(server, "GET", f"/videos/{video['id']}")
        assert answer.status_code == 500 and answer.json()["status"] == "failed"


def test_newapi_omits_nulls_uses_milliseconds_and_has_no_list_or_delete():
    with serve("newapi") as server:
        video = create(server)
        assert video["id"].startswith("task_") and video["created_at"] > 10**11
        assert not {"completed_at", "expires_at", "remixed_from_video_id", "error"} & set(video)
        finish(server)
        done = call(server, "GET", f"/videos/{video['id']}").json()
        assert done["completed_at"] > 10**11 and done["expires_at"] < 10**11
        listed = call(server, "GET", "/videos")
        assert (listed.status_code, listed.text) == (404, "404 page not found")
        assert call(server, "DELETE", f"/videos/{video['id']}").status_code == 404


def test_bifrost_takes_only_json_and_routes_ids_by_provider():
    with serve("bifrost") as server:
        form = {"prompt": "waves", "model": "openai/sora-2", **WIDE}
        multipart = call(server, "POST", "/videos", files={k: (None, v) for k, v in form.items()})
        assert multipart.status_code == 400 and server.jobs == {}
        bare_model = call(server, "POST", "/videos", json={**form, "model": "sora-2"})
        assert bare_model.status_code == 400 and bare_model.json()["error"]["param"] == "model"
        video = call(server, "POST", "/videos", json=form).json()
        assert ":" not in video["id"] and video["model"] == "openai/sora-2"
        assert call(server, "GET", f"/videos/{video['id']}").status_code == 400
        assert call(server, "GET", f"/videos/{video['id']}:google").status_code == 404
        routed = call(server, "GET", f"/videos/{video['id']}:openai").json()
        assert routed["id"] == video["id"]


def test_a_preset_field_can_be_overridden():
    with serve("sglang", progress_style="smooth", job_seconds=2.0) as server:
        video = create(server)
        server.advance(1.0)
        assert call(server, "GET", f"/videos/{video['id']}").json()["progress"] < 99
