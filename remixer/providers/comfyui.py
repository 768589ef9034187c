"""ComfyUI as a provider: the team's workflows are its models (workflows.py).

A job uploads its source under `remixer/` in ComfyUI's input folder (never over anyone's
file), fills the workflow's marked inputs and queues it with a client id of its own. Each
poll asks the history, else the queue (where it waits: "2 jobs ahead on ComfyUI"), and while
the job runs listens to its events on the WebSocket for a moment only: nodes done of nodes to
run, and a sampler's steps within its node. The result is fetched with `/view`.
ComfyUI keeps its history in memory: a job a restart forgot is told apart, to be queued once
more.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

from websockets.exceptions import WebSocketException
from websockets.sync.client import connect

from remixer.lib import media
from remixer.lib.words import counted
from remixer.providers import Assets, Job, ProgressCallback, ProviderError, Submission, workflows
from remixer.providers.answers import parse_json, unreachable
from remixer.providers.transport import NoAnswer, Response, TransferBroken, Transport

SUBFOLDER = "remixer"  # where remixer's uploads go in ComfyUI's input folder
LISTEN_SECONDS = 2.0  # one poll listens this long to a running job's events, then goes
VIDEO_SUFFIXES = (".mp4", ".webm", ".mov", ".mkv", ".gif")
FORGOTTEN = "forgotten"  # a Submission's status: ComfyUI no longer knows the job


@dataclass(frozen=True)
class ComfyUISettings:
    base_url: str
    read_timeout: float


def client_id(video_id: str) -> str:
    """The job's own WebSocket id: a second socket with an id replaces the first."""
    return f"remixer-{video_id}"


class ComfyUIProvider:
    def __init__(self, settings: ComfyUISettings) -> None:
        self.base = settings.base_url.rstrip("/")
        self.transport = Transport({}, settings.read_timeout)

    # The provider interface

    def create(self, job: Job, on_progress: ProgressCallback) -> Submission:
        return self.queue(job)

    def remix(self, job: Job, on_progress: ProgressCallback) -> Submission:
        return self.queue(job)

    def status(self, provider_video_id: str) -> Submission:
        entry = self.answer("GET", f"/history/{provider_video_id}").get(provider_video_id)
        if isinstance(entry, dict):
            return ended(provider_video_id, entry)
        queue = self.answer("GET", "/queue")
        runs, pends = entries(queue.get("queue_running")), entries(queue.get("queue_pending"))
        running = [item for item in runs if item[1] == provider_video_id]
        if running:
            progress = self.listen(provider_video_id, running[0])
            return Submission(provider_video_id, "in_progress", progress=progress)
        waiting = [item[1] for item in sorted(pends, key=queue_number)]
        if provider_video_id in waiting:
            ahead = waiting.index(provider_video_id) + len(runs)
            said = f"{counted(ahead, 'job')} ahead on ComfyUI." if ahead else ""
            return Submission(provider_video_id, "queued", waiting=said)
        return Submission(provider_video_id, FORGOTTEN)

    def fetch_assets(
        self, provider_video_id: str, workdir: Path, on_progress: ProgressCallback | None = None
    ) -> Assets:
        entry = self.answer("GET", f"/history/{provider_video_id}").get(provider_video_id)
        files = output_files(entry if isinstance(entry, dict) else {})
        videos = [file for file in files if file["filename"].lower().endswith(VIDEO_SUFFIXES)]
        if not videos:
            names = [file["filename"] for file in files]
            more = f" and {len(names) - 1} more" if len(names) > 1 else ""
            made = f"{names[0]}{more}" if names else "nothing"
            raise ProviderError(
                "not_a_video",
                f"The workflow's output is not a video (ComfyUI saved {made}): end it in "
                "SaveVideo, or title its video output node remixer:output.",
            )
        path = workdir / "video.mp4"
        params = {key: str(videos[0].get(key, "")) for key in ("filename", "subfolder", "type")}
        try:
            with self.transport.streamed(f"{self.base}/view", params) as response:
                if response.status_code != 200:
                    said = (
                        f"Copying the video failed: ComfyUI answered HTTP {response.status_code}."
                    )
                    raise ProviderError("download_failed", said, retry_after=30)
                self.transport.save(response, path, on_progress)
        except NoAnswer as error:
            raise unreachable(error, timed_out=error.timed_out, retry_after=15) from error
        except TransferBroken as error:
            said = f"Copying the video failed: {error}."
            raise ProviderError("download_failed", said, retry_after=30) from error
        return Assets(video=path)

    def delete(self, provider_video_id: str) -> bool | None:
        return False  # ComfyUI has no route that deletes a file

    def cancel(self, provider_video_id: str) -> None:
        """Take the job out of ComfyUI's queue, or stop it if it runs: by its id only, never
        an interrupt without one, which would stop whatever runs (someone else's job)."""
        self.call("POST", "/queue", json={"delete": [provider_video_id]})
        self.call("POST", "/interrupt", json={"prompt_id": provider_video_id})

    def check(self, needed: dict[str, set[str]]) -> dict[str, Any]:
        """Does it answer, and has it every node class each workflow needs (entry → classes)."""
        try:
            stats = self.answer("GET", "/system_stats")
            known = set(self.answer("GET", "/object_info"))
        except ProviderError as error:
            return {"reachable": False, "message": f"ComfyUI cannot be reached: {error.message}"}
        version = stats.get("system", {}).get("comfyui_version", "unknown")
        missing = {
            entry: sorted(classes - known) for entry, classes in needed.items() if classes - known
        }
        if missing:
            said = "; ".join(
                f"{entry} needs {', '.join(classes)}, which this ComfyUI does not have"
                for entry, classes in sorted(missing.items())
            )
            return {"reachable": True, "missing": missing, "message": f"ComfyUI {version}: {said}."}
        return {"reachable": True, "missing": {}, "message": f"ComfyUI {version} answers."}

    # Jobs

    def queue(self, job: Job) -> Submission:
        made = job.workflow or {}
        if not made.get("workflow"):
            raise ProviderError("no_workflow", f"{job.model} has no workflow to run.")
        workflow = workflows.checked(made["workflow"])
        roles = {role: (str(p[0]), str(p[1])) for role, p in dict(made["roles"]).items()}
        values = self.values(job, workflow, roles, str(made.get("frames_rule", "")))
        body = {
            "prompt": workflows.fill(workflow, roles, values),
            "client_id": client_id(job.video_id),
        }
        response = self.call("POST", "/prompt", json=body)
        answer = parse_json(response)
        if response.status_code == 400:
            raise refusal(answer)
        if not response.ok or not isinstance(answer, dict) or not answer.get("prompt_id"):
            raise ProviderError(
                "provider_error", f"ComfyUI did not queue the job (HTTP {response.status_code})."
            )
        return Submission(str(answer["prompt_id"]), "queued", raw=answer)

    def values(
        self, job: Job, workflow: workflows.Workflow, roles: dict[str, workflows.Place], rule: str
    ) -> dict[str, Any]:
        width, height = workflows.sizes(job.size)
        fps = workflows.workflow_fps(workflow, roles)
        seconds = job.extend_seconds or job.seconds
        values: dict[str, Any] = {
            "prompt": job.prompt,
            "seed": workflows.seed_for(job.video_id, job.variation),
            "width": width,
            "height": height,
            "frames": workflows.frame_count(seconds, fps, rule),
        }
        if "video" in roles:
            if job.source_video is None:
                raise ProviderError("source_missing", f"{job.model} remixes a video: give it one.")
            values["video"] = self.upload(job.source_video, f"{job.video_id}-source.mp4")
        if "image" in roles:
            values["image"] = self.upload(self.image_of(job), f"{job.video_id}-image.png")
        return values

    def image_of(self, job: Job) -> Path:
        """The image a workflow starts from: the reference image, else a frame of the
        source (its last for an extension)."""
        if job.reference_image is not None:
            return job.reference_image
        if job.source_video is None:
            raise ProviderError("image_missing", f"{job.model} starts from an image: give it one.")
        frame = job.workdir / "frame.png"
        try:
            media.save_frame(job.source_video, frame, last=bool(job.extend_seconds))
        except media.MediaError as error:
            raise ProviderError("source_unreadable", f"The source video: {error}") from error
        return frame

    def upload(self, path: Path, name: str) -> str:
        """Put a file in ComfyUI's input folder, under remixer/; the name a node loads it by."""
        with path.open("rb") as handle:
            files = {"image": (name, handle, "application/octet-stream")}
            data = {"type": "input", "subfolder": SUBFOLDER, "overwrite": "false"}
            response = self.call("POST", "/upload/image", files=files, data=data)
        answer = parse_json(response)
        if not response.ok or not isinstance(answer, dict) or not answer.get("name"):
            raise ProviderError(
                "upload_failed", f"ComfyUI did not take the file (HTTP {response.status_code})."
            )
        folder = str(answer.get("subfolder") or "")
        return f"{folder}/{answer['name']}" if folder else str(answer["name"])

    def listen(self, prompt_id: str, running: list[Any]) -> int:
        """Listen to the running job's events for a moment: its progress, 1–99."""
        prompt = running[2] if len(running) > 2 and isinstance(running[2], dict) else {}
        extra = running[3] if len(running) > 3 and isinstance(running[3], dict) else {}
        order = execution_order(prompt)
        heard = Heard(order)
        address = urlsplit(self.base)
        scheme = "wss" if address.scheme == "https" else "ws"
        query = urlencode({"clientId": extra.get("client_id", f"remixer-listener-{prompt_id}")})
        url = f"{scheme}://{address.netloc}{address.path}/ws?{query}"
        deadline = time.monotonic() + LISTEN_SECONDS
        try:
            with connect(url, open_timeout=5, close_timeout=1) as socket:
                while (left := deadline - time.monotonic()) > 0 and not heard.ended:
                    message = socket.recv(timeout=left)
                    if isinstance(message, str):
                        heard.event(prompt_id, json.loads(message))
        except (TimeoutError, OSError, WebSocketException, ValueError):
            pass  # what was heard stands; the next poll listens again
        return heard.progress()

    # Requests

    def call(self, method: str, path: str, **kwargs: Any) -> Response:
        try:
            return self.transport.request(method, f"{self.base}{path}", **kwargs)
        except NoAnswer as error:
            raise unreachable(error, timed_out=error.timed_out, retry_after=15) from error

    def answer(self, method: str, path: str) -> dict[str, Any]:
        response = self.call(method, path)
        body = parse_json(response)
        if not response.ok or not isinstance(body, dict):
            raise ProviderError(
                "provider_error",
                f"ComfyUI answered {path} with HTTP {response.status_code}.",
                raw=response.text[:2000],
                retry_after=15,
            )
        return body


class Heard:
    """A running job's events: which node runs, and how far within it."""

    def __init__(self, order: list[str]) -> None:
        self.order = order
        self.done: set[str] = set()
        self.current: str | None = None
        self.fraction = 0.0
        self.ended = False

    def event(self, prompt_id: str, message: dict[str, Any]) -> None:
        kind, data = message.get("type"), message.get("data") or {}
        if not isinstance(data, dict) or data.get("prompt_id") not in (None, prompt_id):
            return
        if kind == "execution_cached":
            self.done.update(str(node) for node in data.get("nodes") or [])
        elif kind == "executing":
            if self.current is not None:
                self.done.add(self.current)
            node = data.get("node")
            self.current, self.fraction = (str(node) if node is not None else None), 0.0
            self.ended = node is None
        elif kind == "progress" and data.get("max"):
            self.fraction = min(1.0, float(data.get("value", 0)) / float(data["max"]))
        elif kind == "executed" and data.get("node") is not None:
            self.done.add(str(data["node"]))
        elif kind in ("execution_success", "execution_error", "execution_interrupted"):
            self.ended = True

    def progress(self) -> int:
        """Nodes done of nodes to run (the running one by its steps), as a percentage."""
        if not self.order:
            return 1
        before = set()
        if self.current in self.order:  # a socket opened mid-job hears only the current node
            before = set(self.order[: self.order.index(self.current)])
        done = len((self.done | before) & set(self.order))
        running = self.fraction if self.current in self.order else 0.0
        return max(1, min(99, int(100 * (done + running) / len(self.order))))


def execution_order(prompt: dict[str, Any]) -> list[str]:
    """The nodes that run, each after the nodes it takes inputs from (ids break ties)."""
    order: list[str] = []
    seen: set[str] = set()

    def visit(node_id: str) -> None:
        if node_id in seen or node_id not in prompt:
            return
        seen.add(node_id)
        inputs = prompt[node_id].get("inputs", {}) if isinstance(prompt[node_id], dict) else {}
        for value in inputs.values():
            if isinstance(value, list) and len(value) == 2 and isinstance(value[0], str):
                visit(value[0])
        order.append(node_id)

    for node_id in sorted(prompt, key=lambda key: (len(key), key)):
        visit(node_id)
    return order


def ended(prompt_id: str, entry: dict[str, Any]) -> Submission:
    """A job in ComfyUI's history: completed, or failed with the node's own words."""
    found = entry.get("status")
    status: dict[str, Any] = found if isinstance(found, dict) else {}
    for event, data in status.get("messages") or []:
        if event == "execution_error" and isinstance(data, dict):
            message = (
                f"ComfyUI's node {data.get('node_type', '?')} (node {data.get('node_id', '?')}) "
                f"failed: {str(data.get('exception_message', '')).strip()}"
            )
            return Submission(prompt_id, "failed", error=("execution_error", message))
        if event == "execution_interrupted":
            return Submission(prompt_id, "failed", error=("interrupted", "ComfyUI interrupted it."))
    if status.get("status_str") == "error":
        return Submission(prompt_id, "failed", error=("execution_error", "ComfyUI failed the job."))
    if status.get("completed") or status.get("status_str") == "success":
        return Submission(prompt_id, "completed", progress=100)
    return Submission(prompt_id, "in_progress", progress=99)


def entries(listed: Any) -> list[list[Any]]:
    """A queue's entries, `[number, prompt_id, prompt, extra, outputs]`, the malformed left out."""
    if not isinstance(listed, list):
        return []
    return [item for item in listed if isinstance(item, list) and len(item) > 1]


def queue_number(item: list[Any]) -> float:
    """Where an entry stands in the queue (those queued in front have lower numbers)."""
    return float(item[0]) if isinstance(item[0], int | float) else 0.0


def output_files(entry: dict[str, Any]) -> list[dict[str, Any]]:
    files = []
    for output in (entry.get("outputs") or {}).values():
        for key in ("images", "videos", "gifs"):
            files += [file for file in output.get(key) or [] if isinstance(file, dict)]
    return [file for file in files if isinstance(file.get("filename"), str)]


def refusal(answer: Any) -> ProviderError:
    """ComfyUI's 400 for a workflow it will not run: in its node's own words."""
    error = answer.get("error", {}) if isinstance(answer, dict) else {}
    said = str(error.get("message", "")) if isinstance(error, dict) else str(error)
    nodes = answer.get("node_errors") if isinstance(answer, dict) else None
    for node_id, problem in (nodes or {}).items() if isinstance(nodes, dict) else []:
        details = "; ".join(
            str(item.get("details") or item.get("message", ""))
            for item in problem.get("errors", [])
            if isinstance(item, dict)
        )
        said = f"{problem.get('class_type', '?')} (node {node_id}): {details}"
        break
    return ProviderError("workflow_refused", f"ComfyUI refused the workflow: {said}", raw=answer)
