"""The Videos API stand-in's other servers: LiteLLM, SGLang, vLLM, New API and Bifrost, each
with the deviations from OpenAI's API that it stands in for.

No database here: the server is plain HTTP. Time moves with `server.advance()`, not sleeps.
"""

import base64
import json
import uuid
from urllib.parse import quote

import openai
import pytest

from remixer.tests.support.stand_in_client import WIDE, call, create, finish, sdk
from remixer.tests.support.videos_api_server import serve

pytestmark = [
    pytest.mark.database_free,
    pytest.mark.filterwarnings("ignore::DeprecationWarning"),
]  # the SDK's Sora notice


def quoted(video_id: str) -> str:
    return quote(video_id, safe="")


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
