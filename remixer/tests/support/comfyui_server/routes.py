"""What each HTTP route answers, with ComfyUI's payloads (server.py of ComfyUI 0.3.64). Every
route is also served under `/api`, as ComfyUI serves them."""

from __future__ import annotations

import json
import mimetypes
import re
import sys
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from remixer.tests.support.comfyui_server.catalog import object_info
from remixer.tests.support.comfyui_server.jobs import QueuedJob
from remixer.tests.support.comfyui_server.validation import InvalidPrompt, validate_prompt
from remixer.tests.support.videos_api_server.answers import Answer, json_answer
from remixer.tests.support.videos_api_server.bodies import parse_multipart

if TYPE_CHECKING:
    from remixer.tests.support.comfyui_server.server import ComfyUIServer


@dataclass(frozen=True)
class Call:
    method: str
    path: str  # without the /api prefix
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


def empty(status: int = 200) -> Answer:
    """aiohttp's `web.Response(status=…)`: no body."""
    return Answer(status, b"", "application/octet-stream")


def text(status: int, message: str) -> Answer:
    return Answer(status, message.encode(), "text/plain; charset=utf-8")


class ComfyEndpoints:
    def __init__(self, server: ComfyUIServer) -> None:
        self.server = server
        self._routes: list[tuple[str, re.Pattern[str], Callable[..., Answer]]] = [
            ("GET", re.compile(r"/system_stats"), self.system_stats),
            ("GET", re.compile(r"/features"), self.features),
            ("GET", re.compile(r"/object_info"), self.object_info),
            ("GET", re.compile(r"/object_info/(?P<name>[^/]+)"), self.object_info),
            ("POST", re.compile(r"/upload/image"), self.upload),
            ("GET", re.compile(r"/prompt"), self.queue_info),
            ("POST", re.compile(r"/prompt"), self.prompt),
            ("GET", re.compile(r"/history"), self.history),
            ("GET", re.compile(r"/history/(?P<prompt_id>[^/]+)"), self.history),
            ("POST", re.compile(r"/history"), self.edit_history),
            ("GET", re.compile(r"/queue"), self.queue),
            ("POST", re.compile(r"/queue"), self.edit_queue),
            ("POST", re.compile(r"/interrupt"), self.interrupt),
            ("POST", re.compile(r"/free"), lambda call: empty()),
            ("GET", re.compile(r"/view"), self.view),
        ]

    def answer(self, call: Call) -> Answer:
        allowed = False
        for method, pattern, handler in self._routes:
            match = pattern.fullmatch(call.path)
            if match is None:
                continue
            allowed = True
            if method == call.method or (call.method == "HEAD" and method == "GET"):
                return handler(call, **match.groupdict())
        return text(405, "405: Method Not Allowed") if allowed else text(404, "404: Not Found")

    def system_stats(self, call: Call) -> Answer:
        gib = 1 << 30
        return json_answer(
            200,
            {
                "system": {
                    "os": "posix",
                    "ram_total": 16 * gib,
                    "ram_free": 12 * gib,
                    "comfyui_version": self.server.knobs.version,
                    "required_frontend_version": "1.27.10",
                    "installed_templates_version": "0.1.94",
                    "required_templates_version": "0.1.94",
                    "python_version": sys.version,
                    "pytorch_version": "2.8.0+cu128",
                    "embedded_python": False,
                    "argv": ["main.py", "--cpu", "--listen", self.server.knobs.host],
                },
                "devices": [
                    {
                        "name": "cpu",
                        "type": "cpu",
                        "index": None,
                        "vram_total": 16 * gib,
                        "vram_free": 12 * gib,
                        "torch_vram_total": 16 * gib,
                        "torch_vram_free": 12 * gib,
                    }
                ],
            },
        )

    def features(self, call: Call) -> Answer:
        from remixer.tests.support.comfyui_server.sockets import SERVER_FEATURES

        return json_answer(200, SERVER_FEATURES)

    def object_info(self, call: Call, name: str | None = None) -> Answer:
        return json_answer(200, object_info(self.server.folders, name))

    def upload(self, call: Call) -> Answer:
        content_type = call.headers.get("content-type", "")
        if not content_type.startswith("multipart/form-data"):
            return text(500, "500 Internal Server Error\n\nServer got itself in trouble")
        fields, files = parse_multipart(call.body, content_type)
        image = files.get("image")
        if image is None or not image.filename:
            return empty(400)
        folder_type = fields.get("type") or "input"
        subfolder = fields.get("subfolder", "")
        path = self.server.folders.inside(folder_type, subfolder, image.filename)
        if path is None or path.parent != self.server.folders.inside(folder_type, subfolder, "."):
            return empty(400)
        overwrite = fields.get("overwrite") in ("true", "1")
        name = self.server.folders.store_upload(path.parent, image.filename, image.data, overwrite)
        return json_answer(200, {"name": name, "subfolder": subfolder, "type": folder_type})

    def queue_info(self, call: Call) -> Answer:
        return json_answer(200, self.server.queue_info())

    def prompt(self, call: Call) -> Answer:
        payload = call.json()
        jobs = self.server.jobs
        if "number" in payload:
            number: float = float(payload["number"])
        else:
            number = jobs.next_number(front=bool(payload.get("front")))
        if "prompt" not in payload:
            error = {
                "type": "no_prompt",
                "message": "No prompt provided",
                "details": "No prompt provided",
                "extra_info": {},
            }
            return json_answer(400, {"error": error, "node_errors": {}})
        prompt_id = str(payload.get("prompt_id") or uuid.uuid4())
        extra_data = dict(payload.get("extra_data") or {})
        if "client_id" in payload:
            extra_data["client_id"] = payload["client_id"]
        try:
            prompt, outputs, node_errors = validate_prompt(payload["prompt"], self.server.folders)
        except InvalidPrompt as invalid:
            return json_answer(400, {"error": invalid.error, "node_errors": invalid.node_errors})
        jobs.put(QueuedJob(number, prompt_id, prompt, extra_data, outputs))
        return json_answer(
            200, {"prompt_id": prompt_id, "number": number, "node_errors": node_errors}
        )

    def history(self, call: Call, prompt_id: str | None = None) -> Answer:
        max_items = call.query.get("max_items")
        offset = int(call.query.get("offset", -1))
        found = self.server.jobs.history(
            prompt_id, int(max_items) if max_items is not None else None, offset
        )
        return json_answer(200, found)

    def edit_history(self, call: Call) -> Answer:
        payload = call.json()
        if payload.get("clear"):
            self.server.jobs.delete_history()
        for prompt_id in payload.get("delete", []):
            self.server.jobs.delete_history(prompt_id)
        return empty()

    def queue(self, call: Call) -> Answer:
        return json_answer(200, self.server.jobs.listing())

    def edit_queue(self, call: Call) -> Answer:
        payload = call.json()
        if payload.get("clear"):
            self.server.jobs.wipe()
        for prompt_id in payload.get("delete", []):
            self.server.jobs.delete(prompt_id)
        return empty()

    def interrupt(self, call: Call) -> Answer:
        try:
            payload = call.json()
        except ValueError:
            payload = {}
        self.server.worker.interrupt(payload.get("prompt_id") or None)
        return empty()

    def view(self, call: Call) -> Answer:
        filename = call.query.get("filename")
        if filename is None:
            return empty(404)
        if not filename or filename[0] == "/" or ".." in filename:
            return empty(400)
        folder = self.server.folders.of_type(call.query.get("type", "output"))
        if folder is None:
            return empty(400)
        subfolder = call.query.get("subfolder", "")
        base = self.server.folders.inside(call.query.get("type", "output"), subfolder, ".")
        if base is None:
            return empty(403)
        path = base / filename.rsplit("/", 1)[-1]
        if not path.is_file():
            return empty(404)
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        disposition = {"Content-Disposition": f'filename="{path.name}"'}
        return Answer(200, path.read_bytes(), content_type, headers=disposition)
