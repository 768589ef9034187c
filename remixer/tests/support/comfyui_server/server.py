"""The server a test starts: its lifecycle, knobs, the requests it records, the way a request
goes through faults and routes to its answer, and helpers a test leans on."""

from __future__ import annotations

import contextlib
import dataclasses
import json
import socket
import threading
import time
import traceback
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from remixer.tests.support.comfyui_server.executor import Worker
from remixer.tests.support.comfyui_server.faults import ComfyFault, ComfyFaultControls
from remixer.tests.support.comfyui_server.folders import Folders
from remixer.tests.support.comfyui_server.jobs import PromptQueue, QueuedJob
from remixer.tests.support.comfyui_server.knobs import ComfyKnobs
from remixer.tests.support.comfyui_server.node_types import JSONDict
from remixer.tests.support.comfyui_server.plumbing import ComfyHTTPServer, ComfyRequestHandler
from remixer.tests.support.comfyui_server.routes import Call, ComfyEndpoints, text
from remixer.tests.support.comfyui_server.sockets import Hub, open_websocket, serve_socket
from remixer.tests.support.comfyui_server.validation import validate_prompt
from remixer.tests.support.videos_api_server.answers import Answer

TROUBLE = "500 Internal Server Error\n\nServer got itself in trouble"


@dataclass(frozen=True)
class ComfyRequest:
    """One request as it reached the server (`/ws` upgrades included, as GET /ws)."""

    method: str
    path: str  # percent-decoded, without the /api prefix
    query: dict[str, str]
    headers: dict[str, str]  # names lower-cased
    body: bytes
    time: float

    def json(self) -> Any:
        return json.loads(self.body)


class ComfyUIServer(ComfyFaultControls):
    """A ComfyUI server in background threads; see the package docstring. Keyword arguments
    are ComfyKnobs fields; faults are lined up with fail_next, hang_next and drop_next."""

    def __init__(self, **knobs: Any) -> None:
        self._lock = threading.RLock()
        self.knobs = ComfyKnobs()
        self.requests: list[ComfyRequest] = []
        self._errors: list[str] = []
        self._faults: list[ComfyFault] = []
        self._stopping = threading.Event()
        self._httpd: ComfyHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._others = 0
        self.folders = Folders()
        self._forget()
        self.set(**knobs)

    def _forget(self) -> None:
        """A fresh memory: no queue, no history, no sockets, no cache (the files stay)."""
        self.jobs = PromptQueue(self._queue_changed)
        self.hub = Hub(self._greeting)
        self.worker = Worker(self.jobs, self.hub, self.folders, self.knobs)
        self._endpoints = ComfyEndpoints(self)

    # -- lifecycle ------------------------------------------------------------------------

    def start(self) -> ComfyUIServer:
        if self._httpd is not None:
            return self
        self._stopping.clear()
        httpd = ComfyHTTPServer((self.knobs.host, self.knobs.port), ComfyRequestHandler)
        httpd.comfy = self
        self.knobs.port = httpd.server_address[1]  # a restart comes back on the same port
        self._httpd = httpd
        self.hub.start()
        self.worker.start()
        self._thread = threading.Thread(
            target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving (connections refused) and forget every job, the queue, the history and
        the sockets, as a restarted ComfyUI has; input and output files stay on disk."""
        httpd, self._httpd = self._httpd, None
        if httpd is None:
            return
        self._stopping.set()  # wakes hanging answers
        httpd.shutdown()
        httpd.close_connections()  # kept-alive sockets and WebSockets alike
        httpd.server_close()
        self.worker.stop()
        self.hub.stop()
        if self._thread is not None:
            self._thread.join(timeout=5)
        with self._lock:
            self._faults.clear()
            self._errors.extend(self.worker.errors)
        self._forget()

    def close(self) -> None:
        """Stop and delete the folders."""
        self.stop()
        self.folders.cleanup()

    def __enter__(self) -> ComfyUIServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    @property
    def url(self) -> str:
        return f"http://{self.knobs.host}:{self.knobs.port}"

    def ws_url(self, client_id: str) -> str:
        return f"ws://{self.knobs.host}:{self.knobs.port}/ws?clientId={client_id}"

    @property
    def input_dir(self) -> Path:
        return self.folders.input

    @property
    def output_dir(self) -> Path:
        return self.folders.output

    @property
    def errors(self) -> list[str]:
        """Tracebacks of the stand-in's own bugs (answered 500), not of failing nodes."""
        return [*self._errors, *self.worker.errors]

    def set(self, **knobs: Any) -> None:
        """Change knobs, also while running."""
        names = {f.name for f in dataclasses.fields(ComfyKnobs)}
        with self._lock:
            for name, value in knobs.items():
                if name not in names:
                    raise TypeError(f"unknown knob {name!r}")
                if name in ("host", "port") and self._httpd is not None:
                    raise RuntimeError(f"stop the server before changing {name}")
                setattr(self.knobs, name, value)

    # -- assertions and helpers -----------------------------------------------------------

    def received(
        self, method: str | None = None, path: str | None = None, prefix: bool = False
    ) -> list[ComfyRequest]:
        """Recorded requests by method and path (exact, or a prefix)."""
        with self._lock:
            records = list(self.requests)
        return [
            r
            for r in records
            if (method is None or r.method == method)
            and (path is None or (r.path.startswith(path) if prefix else r.path == path))
        ]

    def count(
        self, method: str | None = None, path: str | None = None, prefix: bool = False
    ) -> int:
        return len(self.received(method, path, prefix))

    def clear_requests(self) -> None:
        with self._lock:
            self.requests.clear()

    def events(self, client_id: str) -> list[JSONDict]:
        """The messages delivered to the sockets of `client_id`, in order."""
        return [message for sid, message in list(self.hub.sent) if sid == client_id]

    def queue_other(self, workflow: JSONDict | None = None, client_id: str = "someone-else") -> str:
        """Queue a job as another person would (not recorded as a request); its prompt_id.
        The default makes a few frames of a colour no earlier job used, so it never caches."""
        self._others += 1
        workflow = workflow or {
            "1": {
                "class_type": "EmptyImage",
                "inputs": {"width": 64, "height": 64, "batch_size": 2, "color": self._others},
            },
            "2": {
                "class_type": "SaveImage",
                "inputs": {"images": ["1", 0], "filename_prefix": "others/ComfyUI"},
            },
        }
        prompt, outputs, _ = validate_prompt(workflow, self.folders)
        prompt_id = str(uuid.uuid4())
        number = self.jobs.next_number()
        self.jobs.put(QueuedJob(number, prompt_id, prompt, {"client_id": client_id}, outputs))
        return prompt_id

    def wait_idle(self, timeout: float = 10.0) -> None:
        """Wait until no job is queued or running."""
        deadline = time.monotonic() + timeout
        while self.jobs.remaining():
            if time.monotonic() > deadline:
                raise TimeoutError(f"jobs still queued or running after {timeout} s")
            time.sleep(0.01)

    def drop_sockets(self) -> None:
        """Cut every WebSocket without a closing handshake (a network blip); HTTP lives on."""
        self.hub.close_all()

    def queue_info(self) -> JSONDict:
        return {"exec_info": {"queue_remaining": self.jobs.remaining()}}

    # -- handling -------------------------------------------------------------------------

    def handle(self, method: str, target: str, headers: dict[str, str], body: bytes) -> Answer:
        """The answer to one request, faults included."""
        call = self._call(method, target, headers, body)
        fault = self._take_fault(method, call.path)
        answer = self._before(fault)
        if answer is not None:
            return answer
        try:
            answer = self._endpoints.answer(call)
        except ValueError:  # a body that is not JSON: aiohttp's answer to the handler raising
            answer = text(500, TROUBLE)
        except Exception:
            self._errors.append(traceback.format_exc())
            answer = text(500, TROUBLE)
        return self._after(fault, answer)

    def open_socket(self, sock: socket.socket, target: str, head: bytes) -> None:
        """Serve `/ws` on a socket whose upgrade request (`head`) was read: until it closes."""
        lines = head.decode("latin-1").split("\r\n")[1:]
        headers = {
            k.strip().lower(): v.strip() for k, _, v in (h.partition(":") for h in lines if h)
        }
        call = self._call("GET", target, headers, b"")
        fault = self._take_fault("GET", call.path)
        refused = self._before(fault)
        if refused is not None or (fault is not None and fault.kind == "drop"):
            with contextlib.suppress(OSError):
                if refused is not None:
                    sock.sendall(_raw_answer(refused))
            return
        if call.path != "/ws":
            sock.sendall(_raw_answer(text(404, "404: Not Found")))
            return
        self._after(fault, Answer(101))
        sock.settimeout(None)  # the HTTP handler's idle timeout would end a quiet socket
        connection = open_websocket(sock, head)
        if connection is not None:
            sid = call.query.get("clientId") or uuid.uuid4().hex
            serve_socket(self.hub, sid, connection)

    def _call(self, method: str, target: str, headers: dict[str, str], body: bytes) -> Call:
        split = urlsplit(target)
        path = unquote(split.path)
        path = path.removeprefix("/api") if path.startswith("/api/") else path
        query = dict(parse_qsl(split.query, keep_blank_values=True))
        with self._lock:
            self.requests.append(ComfyRequest(method, path, query, headers, body, time.time()))
        return Call(method, path, query, headers, body)

    def _queue_changed(self) -> None:
        self.hub.send("status", {"status": self.queue_info()})

    def _greeting(self, sid: str) -> list[tuple[str, JSONDict]]:
        greeting = [("status", {"status": self.queue_info(), "sid": sid})]
        node = self.worker.last_node_id
        if self.worker.client_id == sid and node is not None:
            greeting.append(("executing", {"node": node}))
        return greeting


def _raw_answer(answer: Answer) -> bytes:
    head = (
        f"HTTP/1.1 {answer.status} ComfyFault\r\nContent-Type: {answer.content_type}\r\n"
        f"Content-Length: {len(answer.body)}\r\nConnection: close\r\n\r\n"
    )
    return head.encode() + answer.body


@contextlib.contextmanager
def serve(**knobs: Any) -> Iterator[ComfyUIServer]:
    """A started server, stopped and its folders deleted on exit."""
    with ComfyUIServer(**knobs) as server:
        yield server
