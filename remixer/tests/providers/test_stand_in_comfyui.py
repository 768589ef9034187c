"""The ComfyUI stand-in speaks ComfyUI 0.3.64's protocol: uploads, prompts and their two kinds
of 400, events on the same port's WebSocket in ComfyUI's order, history, files, the queue,
interrupts, and a restart that forgets.

No database here: the server is plain HTTP and WebSocket."""

import io
import json
import time

import av
import numpy as np
import pytest
import requests
from websockets.sync.client import connect

from remixer.tests.support.comfyui_server import ComfyUIServer, serve

pytestmark = pytest.mark.database_free

COLOUR = (200, 40, 90)  # inverted: (55, 215, 165)


@pytest.fixture
def comfy():
    with serve(node_seconds=0.02) as server:
        yield server


def mp4(frames: int = 4, size: tuple[int, int] = (64, 48)) -> bytes:
    out = io.BytesIO()
    with av.open(out, "w", format="mp4") as container:
        stream = container.add_stream("libx264", rate=8, options={"crf": "0"})
        stream.width, stream.height, stream.pix_fmt = *size, "yuv420p"
        for _ in range(frames):
            pixels = np.full((size[1], size[0], 3), COLOUR, dtype=np.uint8)
            container.mux(stream.encode(av.VideoFrame.from_ndarray(pixels, format="rgb24")))
        container.mux(stream.encode(None))
    return out.getvalue()


def invert_workflow(file: str, blur: bool = False) -> dict:
    workflow = {
        "1": {"class_type": "LoadVideo", "inputs": {"file": file}, "_meta": {"title": "in"}},
        "2": {"class_type": "GetVideoComponents", "inputs": {"video": ["1", 0]}},
        "3": {"class_type": "ImageInvert", "inputs": {"image": ["2", 0]}},
        "4": {"class_type": "CreateVideo", "inputs": {"images": ["3", 0], "fps": ["2", 2]}},
        "5": {
            "class_type": "SaveVideo",
            "inputs": {
                "video": ["4", 0],
                "filename_prefix": "video/remixer",
                "format": "auto",
                "codec": "auto",
            },
        },
        "9": {
            "class_type": "CLIPTextEncode",
            "inputs": {"text": "a calm sea", "clip": ["99", 0]},
            "_meta": {"title": "remixer prompt"},
        },
    }
    if blur:
        workflow["6"] = {
            "class_type": "ImageBlur",
            "inputs": {"image": ["3", 0], "blur_radius": 1, "sigma": 1.0},
        }
        workflow["4"]["inputs"]["images"] = ["6", 0]
    return workflow


def upload(server, name="in.mp4", data=None, **fields) -> str:
    files = {"image": (name, data or mp4(), "video/mp4")}
    answer = requests.post(
        f"{server.url}/upload/image", files=files, data={"type": "input", **fields}, timeout=5
    )
    assert answer.status_code == 200, answer.text
    return answer.json()["name"]


def queue(server, workflow, client_id="remixer-1") -> requests.Response:
    body = {"prompt": workflow, "client_id": client_id}
    return requests.post(f"{server.url}/prompt", json=body, timeout=5)


def listen(socket, until=("execution_success", "execution_error", "execution_interrupted")):
    """Text events until the job's end and its `executing` with node null."""
    events, ended = [], False
    while True:
        message = json.loads(socket.recv(timeout=10))
        events.append(message)
        ended = ended or message["type"] in until
        if ended and message["type"] == "executing" and message["data"]["node"] is None:
            return events


def types(events) -> list[str]:
    return [e["type"] for e in events if e["type"] not in ("status", "progress_state")]


def history(server, prompt_id) -> dict:
    return requests.get(f"{server.url}/history/{prompt_id}", timeout=5).json()


def decode(data: bytes) -> list[np.ndarray]:
    with av.open(io.BytesIO(data)) as container:
        return [frame.to_ndarray(format="rgb24") for frame in container.decode(video=0)]


def test_an_invert_job_runs_from_upload_to_view_with_events_in_order(comfy):
    name = upload(comfy)
    assert name == "in.mp4" and (comfy.input_dir / "in.mp4").exists()
    with connect(comfy.ws_url("remixer-1")) as socket:
        hello = json.loads(socket.recv(timeout=5))
        assert hello == {
            "type": "status",
            "data": {"status": {"exec_info": {"queue_remaining": 0}}, "sid": "remixer-1"},
        }
        answer = queue(comfy, invert_workflow(name))
        assert answer.status_code == 200
        queued = answer.json()
        assert set(queued) == {"prompt_id", "number", "node_errors"}
        assert queued["node_errors"] == {}
        events = listen(socket)
    prompt_id = queued["prompt_id"]
    assert types(events) == [
        "execution_start",
        "execution_cached",
        *["executing"] * 5,
        *["progress"] * 4,  # SaveVideo's frame loop
        "executed",
        "execution_success",
        "executing",
    ]
    ran = [e["data"]["node"] for e in events if e["type"] == "executing"]
    assert ran == ["1", "2", "3", "4", "5", None]  # CLIPTextEncode leads to no output: skipped
    assert {e["data"]["prompt_id"] for e in events if e["type"] != "status"} == {prompt_id}
    executed = next(e["data"] for e in events if e["type"] == "executed")
    saved = {"filename": "remixer_00001_.mp4", "subfolder": "video", "type": "output"}
    assert executed["output"] == {"images": [saved], "animated": [True]}

    entry = history(comfy, prompt_id)[prompt_id]
    assert entry["outputs"] == {"5": {"images": [saved], "animated": [True]}}
    assert entry["status"]["status_str"] == "success" and entry["status"]["completed"] is True
    assert [m[0] for m in entry["status"]["messages"]] == [
        "execution_start",
        "execution_cached",
        "execution_success",
    ]
    assert entry["prompt"][1] == prompt_id and entry["prompt"][3] == {"client_id": "remixer-1"}
    view = requests.get(f"{comfy.url}/view", params=saved, timeout=5)
    assert view.status_code == 200 and view.headers["content-type"] == "video/mp4"
    frames = decode(view.content)
    assert len(frames) == 4
    assert np.abs(frames[0].mean(axis=(0, 1)) - (55, 215, 165)).max() < 6
    missing = requests.get(f"{comfy.url}/view", params={**saved, "filename": "no.mp4"}, timeout=5)
    assert missing.status_code == 404
    assert comfy.count("POST", "/prompt") == 1 and comfy.errors == []


def test_the_same_job_again_is_cached_and_keeps_its_outputs(comfy):
    name = upload(comfy)
    assert upload(comfy) == name  # the same bytes under the same name are kept once
    assert upload(comfy, data=mp4(frames=3)) == "in (1).mp4"
    first = queue(comfy, invert_workflow(name)).json()["prompt_id"]
    comfy.wait_idle()
    with connect(comfy.ws_url("remixer-1")) as socket:
        socket.recv(timeout=10)  # its greeting: from now on the socket is told of jobs
        second = queue(comfy, invert_workflow(name)).json()["prompt_id"]
        events = [e for e in listen(socket) if e["data"].get("prompt_id") == second]
    cached = next(e["data"]["nodes"] for e in events if e["type"] == "execution_cached")
    assert sorted(cached) == ["1", "2", "3", "4", "5"]
    assert types(events) == [
        "execution_start",
        "execution_cached",
        "executed",
        "execution_success",
        "executing",
    ]
    assert history(comfy, second)[second]["outputs"] == history(comfy, first)[first]["outputs"]


def test_an_unknown_node_and_a_missing_file_answer_comfyuis_400s(comfy):
    unknown = queue(comfy, {"1": {"class_type": "NoSuchNode", "inputs": {}}})
    assert unknown.status_code == 400
    assert unknown.json() == {
        "error": {
            "type": "invalid_prompt",
            "message": "Cannot execute because node NoSuchNode does not exist.",
            "details": "Node ID '#1'",
            "extra_info": {},
        },
        "node_errors": {},
    }
    missing = queue(comfy, invert_workflow("missing.mp4"))
    assert missing.status_code == 400
    body = missing.json()
    assert body["error"]["type"] == "prompt_outputs_failed_validation"
    assert body["error"]["message"] == "Prompt outputs failed validation"
    assert body["node_errors"] == {
        "1": {
            "errors": [
                {
                    "type": "custom_validation_failed",
                    "message": "Custom validation failed for node",
                    "details": "file - Invalid video file: missing.mp4",
                    "extra_info": {"input_name": "file"},
                }
            ],
            "dependent_outputs": ["5"],
            "class_type": "LoadVideo",
        }
    }
    no_output = queue(comfy, {"1": {"class_type": "EmptyImage", "inputs": {}}})
    assert no_output.status_code == 400 and no_output.json()["error"]["type"] == "prompt_no_outputs"
    assert requests.get(f"{comfy.url}/queue", timeout=5).json() == {
        "queue_running": [],
        "queue_pending": [],
    }


def test_a_failing_node_reports_execution_error_and_an_error_history(comfy):
    comfy.set(fail_node_class="ImageBlur", fail_message="blur broke")
    name = upload(comfy)
    with connect(comfy.ws_url("remixer-1")) as socket:
        socket.recv(timeout=10)  # its greeting: from now on the socket is told of jobs
        prompt_id = queue(comfy, invert_workflow(name, blur=True)).json()["prompt_id"]
        events = listen(socket)
    error = next(e["data"] for e in events if e["type"] == "execution_error")
    assert (error["node_id"], error["node_type"]) == ("6", "ImageBlur")
    assert error["exception_message"] == "blur broke\n"
    assert error["exception_type"] == "RuntimeError"
    assert error["executed"] == ["1", "2", "3"] and error["prompt_id"] == prompt_id
    assert set(error) >= {"traceback", "current_inputs", "current_outputs", "timestamp"}
    status = history(comfy, prompt_id)[prompt_id]["status"]
    assert status["status_str"] == "error" and status["completed"] is False
    assert status["messages"][-1][0] == "execution_error"
    assert history(comfy, prompt_id)[prompt_id]["outputs"] == {}


def test_interrupt_stops_only_the_named_job_and_pending_jobs_can_be_deleted(comfy):
    comfy.set(job_seconds=1.5)
    other = comfy.queue_other()
    name = upload(comfy)
    mine = queue(comfy, invert_workflow(name)).json()["prompt_id"]
    later = queue(comfy, invert_workflow(name, blur=True)).json()["prompt_id"]
    listing = requests.get(f"{comfy.url}/queue", timeout=5).json()
    assert [item[1] for item in listing["queue_running"]] == [other]
    assert [item[1] for item in listing["queue_pending"]] == [mine, later]
    assert len(listing["queue_pending"][0]) == 5

    requests.post(f"{comfy.url}/interrupt", json={"prompt_id": mine}, timeout=5)  # not running
    requests.post(f"{comfy.url}/queue", json={"delete": [later]}, timeout=5)
    with connect(comfy.ws_url("remixer-1")) as socket:
        while json.loads(socket.recv(timeout=10))["type"] != "executing":
            pass  # mine has started
        answer = requests.post(f"{comfy.url}/interrupt", json={"prompt_id": mine}, timeout=5)
        assert answer.status_code == 200
        events = listen(socket)
    interrupted = next(e["data"] for e in events if e["type"] == "execution_interrupted")
    assert interrupted["prompt_id"] == mine and interrupted["node_type"] == "LoadVideo"
    assert history(comfy, other)[other]["status"]["status_str"] == "success"
    assert history(comfy, mine)[mine]["status"]["status_str"] == "error"
    assert history(comfy, later) == {}
    assert [r.json() for r in comfy.received("POST", "/interrupt")] == [
        {"prompt_id": mine},
        {"prompt_id": mine},
    ]


def test_a_second_socket_takes_the_first_ones_place(comfy):
    comfy.set(job_seconds=0.6)
    name = upload(comfy)
    with connect(comfy.ws_url("remixer-1")) as first:
        first.recv(timeout=5)  # its status: it is the id's socket now
        with connect(comfy.ws_url("remixer-1")) as second:
            second.recv(timeout=5)
            queue(comfy, invert_workflow(name))
            assert "execution_success" in types(listen(second))
            with pytest.raises(TimeoutError):
                first.recv(timeout=0.3)  # still open, but hears nothing more
            first.close()  # ComfyUI then forgets the id: the second socket goes deaf too
            deadline = time.monotonic() + 5
            while "remixer-1" in comfy.hub.connected() and time.monotonic() < deadline:
                time.sleep(0.01)
            assert comfy.hub.connected() == []


def test_a_socket_opened_mid_job_hears_the_current_node(comfy):
    comfy.set(job_seconds=1.0)
    name = upload(comfy)
    queue(comfy, invert_workflow(name))
    while not requests.get(f"{comfy.url}/queue", timeout=5).json()["queue_running"]:
        time.sleep(0.01)
    time.sleep(0.1)
    with connect(comfy.ws_url("remixer-1")) as socket:
        status = json.loads(socket.recv(timeout=5))
        again = json.loads(socket.recv(timeout=5))
        assert (
            status["type"] == "status"
            and status["data"]["status"]["exec_info"]["queue_remaining"] == 1
        )
        assert again["type"] == "executing" and set(again["data"]) == {"node"}
        assert again["data"]["node"] in {"1", "2", "3", "4", "5"}


def test_a_restart_forgets_every_job_and_comes_back_on_the_same_port(comfy):
    comfy.set(job_seconds=2.0)
    name = upload(comfy)
    prompt_id = queue(comfy, invert_workflow(name)).json()["prompt_id"]
    url = comfy.url
    comfy.stop()
    with pytest.raises(requests.ConnectionError):
        requests.get(f"{url}/system_stats", timeout=2)
    comfy.start()
    assert comfy.url == url
    assert history(comfy, prompt_id) == {}
    assert requests.get(f"{url}/queue", timeout=5).json()["queue_running"] == []
    stats = requests.get(f"{url}/system_stats", timeout=5).json()
    assert stats["system"]["comfyui_version"] == "0.3.64" and stats["devices"]
    assert (comfy.input_dir / name).exists()  # files outlive the restart


def test_object_info_lists_the_nodes_in_comfyuis_shape(comfy):
    upload(comfy)
    info = requests.get(f"{comfy.url}/object_info/LoadVideo", timeout=5).json()
    load = info["LoadVideo"]
    assert load["input"]["required"]["file"][0] == ["in.mp4"]
    assert load["output"] == ["VIDEO"] and load["output_node"] is False
    assert requests.get(f"{comfy.url}/object_info", timeout=5).json()["SaveVideo"]["output_node"]
    assert requests.get(f"{comfy.url}/object_info/Nope", timeout=5).json() == {}


def test_faults_hang_and_fail_the_next_matching_requests(comfy):
    comfy.fail_next(1, status=500, path_prefix="/prompt")
    assert queue(comfy, invert_workflow("x.mp4")).status_code == 500
    comfy.hang_next(1, seconds=5, path_prefix="/history")
    with pytest.raises(requests.Timeout):
        requests.get(f"{comfy.url}/history", timeout=0.3)
    assert requests.get(f"{comfy.url}/history", timeout=5).json() == {}
    assert comfy.count("GET", "/history") == 2


def test_save_image_writes_a_png_listed_without_animated(comfy):
    workflow = {
        "1": {
            "class_type": "EmptyImage",
            "inputs": {"width": 32, "height": 16, "batch_size": 1, "color": 0xFF0000},
        },
        "2": {
            "class_type": "SaveImage",
            "inputs": {"images": ["1", 0], "filename_prefix": "still"},
        },
    }
    prompt_id = queue(comfy, workflow).json()["prompt_id"]
    comfy.wait_idle()
    outputs = history(comfy, prompt_id)[prompt_id]["outputs"]
    assert outputs == {
        "2": {"images": [{"filename": "still_00001_.png", "subfolder": "", "type": "output"}]}
    }
    png = requests.get(f"{comfy.url}/view", params={"filename": "still_00001_.png"}, timeout=5)
    assert png.headers["content-type"] == "image/png" and png.content[:4] == b"\x89PNG"


def test_a_server_object_can_be_held_outside_a_with():
    server = ComfyUIServer().start()
    try:
        assert requests.get(f"{server.url}/api/system_stats", timeout=5).status_code == 200
    finally:
        server.close()
