"""The server a test starts: its lifecycle, knobs and clock, the requests it records, and the
way one request goes through faults and routes to its answer."""

from __future__ import annotations

import contextlib
import dataclasses
import json
import threading
import time
import traceback
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from remixer.tests.support.videos_api_server.answers import (
    Answer,
    JSONDict,
    ServerError,
    error_answer,
)
from remixer.tests.support.videos_api_server.behaviours import BEHAVIOURS, Behaviour, Knobs
from remixer.tests.support.videos_api_server.endpoints import Endpoints
from remixer.tests.support.videos_api_server.faults import (
    Fault,
    FaultControls,
    apply_fault,
    fault_answer,
)
from remixer.tests.support.videos_api_server.jobs import JobStore
from remixer.tests.support.videos_api_server.plumbing import ApiRequestHandler, LoopbackServer
from remixer.tests.support.videos_api_server.routes import route


@dataclass(frozen=True)
class RecordedRequest:
    """One request as it reached the server."""

    method: str
    path: str  # percent-decoded, e.g. /v1/videos/video_a/b=
    raw_path: str  # as sent, e.g. /v1/videos/video_a%2Fb%3D
    query: dict[str, str]
    headers: dict[str, str]  # names lower-cased
    body: bytes
    time: float
    client: tuple[str, int]  # the client's address: one port per kept-alive connection
    fields: JSONDict | None = None  # create/remix form or JSON fields; files as summaries

    def json(self) -> Any:
        return json.loads(self.body)


class VideosAPIServer(FaultControls):
    """A Videos API server in a background thread; see the package docstring.

    `behaviour` picks a preset from BEHAVIOURS; keyword arguments are Knobs fields or
    Behaviour fields overriding the preset. Faults are lined up with the methods of
    FaultControls (fail_next, rate_limit_next, hang_next, ...)."""

    def __init__(self, behaviour: str = "openai", **knobs: Any) -> None:
        self._lock = threading.RLock()
        self.behaviour: Behaviour = BEHAVIOURS[behaviour]
        self.knobs = Knobs()
        self.requests: list[RecordedRequest] = []
        self.errors: list[str] = []  # tracebacks of the server's own bugs (answered 500)
        self.store = JobStore(self._lock)
        self._endpoints = Endpoints(self)
        self._faults: list[Fault] = []
        self._clock_offset = 0.0
        self._httpd: LoopbackServer | None = None
        self._thread: threading.Thread | None = None
        self._stopping = threading.Event()
        self.set(**knobs)

    # -- lifecycle ------------------------------------------------------------------------

    def start(self) -> VideosAPIServer:
        if self._httpd is not None:
            return self
        self._stopping.clear()
        httpd = LoopbackServer((self.knobs.host, self.knobs.port), ApiRequestHandler)
        httpd.api = self
        self.knobs.port = httpd.server_address[1]  # a restart comes back on the same port
        self._httpd = httpd
        self._thread = threading.Thread(
            target=httpd.serve_forever,
            kwargs={"poll_interval": 0.05},
            daemon=True,
            name=f"videos-api-{self.behaviour.name}",
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and forget every job, as an in-memory server does on restart."""
        httpd, self._httpd = self._httpd, None
        if httpd is None:
            return
        self._stopping.set()  # wakes hanging answers
        httpd.shutdown()
        httpd.close_connections()  # kept-alive sockets would reach the old state otherwise
        httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        with self._lock:
            self.store.clear()
            self._faults.clear()

    def __enter__(self) -> VideosAPIServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        return self.knobs.port

    @property
    def url(self) -> str:
        return f"http://{self.knobs.host}:{self.knobs.port}/v1"

    # -- knobs and clock ------------------------------------------------------------------

    def set(self, **knobs: Any) -> None:
        """Change knobs or behaviour fields, also while running."""
        knob_names = {f.name for f in dataclasses.fields(Knobs)}
        behaviour_names = {f.name for f in dataclasses.fields(Behaviour)} - {"name"}
        with self._lock:
            for name, value in knobs.items():
                if name in ("host", "port") and self._httpd is not None:
                    raise RuntimeError(f"stop the server before changing {name}")
                if name in knob_names:
                    if name == "models":
                        value = tuple(value)
                    setattr(self.knobs, name, value)
                elif name in behaviour_names:
                    if name in ("drop_keys", "ms_keys"):
                        value = frozenset(value)
                    self.behaviour = dataclasses.replace(self.behaviour, **{name: value})
                else:
                    raise TypeError(f"unknown knob {name!r}")

    def now(self) -> float:
        return time.time() + self._clock_offset

    def advance(self, seconds: float) -> None:
        """Move the server's clock forward: jobs progress without the test waiting."""
        with self._lock:
            self._clock_offset += seconds

    # -- assertions -----------------------------------------------------------------------

    @property
    def jobs(self) -> dict[str, JSONDict]:
        """Every job (deleted ones too, flagged) as a dict, with its status right now."""
        return self.store.snapshots(self.now)

    def received(
        self, method: str | None = None, path: str | None = None, prefix: bool = False
    ) -> list[RecordedRequest]:
        """Recorded requests by method and path (decoded or as sent; exact or prefix)."""
        with self._lock:
            records = list(self.requests)

        def path_matches(record: RecordedRequest) -> bool:
            if path is None:
                return True
            if prefix:
                return record.path.startswith(path) or record.raw_path.startswith(path)
            return path in (record.path, record.raw_path)

        return [r for r in records if (method is None or r.method == method) and path_matches(r)]

    def count(
        self, method: str | None = None, path: str | None = None, prefix: bool = False
    ) -> int:
        return len(self.received(method, path, prefix))

    def clear_requests(self) -> None:
        with self._lock:
            self.requests.clear()

    # -- handling -------------------------------------------------------------------------

    def handle(
        self,
        method: str,
        target: str,
        headers: dict[str, str],
        body: bytes,
        client: tuple[str, int],
    ) -> Answer:
        """The answer to one request, faults included."""
        split = urlsplit(target)
        path = unquote(split.path)
        query = dict(parse_qsl(split.query, keep_blank_values=True))
        fields: JSONDict | None = None
        fault = self._take_fault(method, path)
        record_index = self._record(
            RecordedRequest(method, path, split.path, query, headers, body, time.time(), client)
        )
        if fault is not None and fault.kind in ("rate_limit", "fail") and not fault.process:
            return fault_answer(fault, self._error)
        try:
            answer, fields = route(self._endpoints, method, split.path, query, headers, body)
        except ServerError as error:
            answer = self._error(error)
        except Exception:
            self.errors.append(traceback.format_exc())
            answer = self._error(ServerError(500, "The server had an error.", type="server_error"))
        if fields is not None:
            self._annotate(record_index, fields)
        if fault is None:
            return answer
        return apply_fault(fault, answer, self._error, self._stopping)

    def _record(self, record: RecordedRequest) -> int:
        with self._lock:
            self.requests.append(record)
            return len(self.requests) - 1

    def _annotate(self, index: int, fields: JSONDict) -> None:
        with self._lock:
            self.requests[index] = dataclasses.replace(self.requests[index], fields=fields)

    def _error(self, error: ServerError) -> Answer:
        return error_answer(self.behaviour.error_style, error)


@contextlib.contextmanager
def serve(behaviour: str = "openai", **knobs: Any) -> Iterator[VideosAPIServer]:
    """A started server, stopped on exit."""
    server = VideosAPIServer(behaviour, **knobs)
    with server:
        yield server
