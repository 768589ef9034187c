"""Faults: the next few matching requests misbehave (5xx, 429, hangs, dropped connections,
bad JSON), set up through the server's `*_next` methods."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from dataclasses import dataclass

from remixer.tests.support.videos_api_server.answers import Answer, JSONDict, ServerError


@dataclass
class Fault:
    """The next `remaining` requests matching method/path_prefix misbehave as `kind` says."""

    kind: str  # fail | rate_limit | hang | drop | malformed
    remaining: int
    method: str | None = None
    path_prefix: str | None = None
    status: int = 500
    body: bytes | None = None
    seconds: float = 0.0
    process: bool = False  # fail only: handle the request first (a create does create)
    path_suffix: str | None = None

    def matches(self, method: str, path: str) -> bool:
        return (
            self.remaining > 0
            and (self.method is None or self.method == method)
            and (self.path_prefix is None or path.startswith(self.path_prefix))
            and (self.path_suffix is None or path.endswith(self.path_suffix))
        )


class FaultControls:
    """The server's methods that line faults up, and take them as requests arrive."""

    _lock: threading.RLock
    _faults: list[Fault]

    def _add_fault(self, fault: Fault) -> None:
        with self._lock:
            self._faults.append(fault)

    def fail_next(
        self,
        n: int = 1,
        status: int = 500,
        body: bytes | str | JSONDict | None = None,
        path_prefix: str | None = None,
        method: str | None = None,
        process: bool = False,
    ) -> None:
        """The next n matching requests answer `status` (body: default an error envelope).
        With process=True the request is handled first, so a create does create a job."""
        raw = json.dumps(body).encode() if isinstance(body, dict) else body
        raw = raw.encode() if isinstance(raw, str) else raw
        self._add_fault(
            Fault("fail", n, method, path_prefix, status=status, body=raw, process=process)
        )

    def rate_limit_next(
        self,
        n: int = 1,
        retry_after: float = 1,
        path_prefix: str | None = None,
        method: str | None = None,
    ) -> None:
        self._add_fault(Fault("rate_limit", n, method, path_prefix, seconds=retry_after))

    def hang_next(
        self,
        n: int = 1,
        seconds: float = 5.0,
        path_prefix: str | None = None,
        method: str | None = None,
        path_suffix: str | None = None,
    ) -> None:
        """Handle the next n matching requests, then wait before answering: a create that
        the client gives up on has still created its job."""
        fault = Fault("hang", n, method, path_prefix, seconds=seconds, path_suffix=path_suffix)
        self._add_fault(fault)

    def drop_after_create_next(
        self, n: int = 1, path_prefix: str | None = None, method: str | None = "POST"
    ) -> None:
        """Handle the next n matching requests (creates and remixes by default), then close
        the connection without answering."""
        self._add_fault(Fault("drop", n, method, path_prefix))

    def malformed_json_next(
        self, n: int = 1, path_prefix: str | None = None, method: str | None = None
    ) -> None:
        """Handle the next n matching requests, then answer 200 with truncated JSON."""
        self._add_fault(Fault("malformed", n, method, path_prefix))

    def clear_faults(self) -> None:
        with self._lock:
            self._faults.clear()

    def _take_fault(self, method: str, path: str) -> Fault | None:
        with self._lock:
            for fault in self._faults:
                if fault.matches(method, path):
                    fault.remaining -= 1
                    return fault
        return None


def fault_answer(fault: Fault, error: Callable[[ServerError], Answer]) -> Answer:
    """What a rate limit or a failure answers instead of the request's own answer."""
    if fault.kind == "rate_limit":
        limited = ServerError(
            429, "Rate limit reached for requests.", type="requests", code="rate_limit_exceeded"
        )
        answer = error(limited)
        answer.headers["Retry-After"] = f"{fault.seconds:g}"
        return answer
    if fault.body is not None:
        return Answer(fault.status, fault.body)
    return error(
        ServerError(
            fault.status,
            "The server had an error while processing your request. Sorry about that!",
            type="server_error",
        )
    )


def apply_fault(
    fault: Fault, answer: Answer, error: Callable[[ServerError], Answer], stopping: threading.Event
) -> Answer:
    """The request's own answer, as a fault taken after handling it changes it."""
    if fault.kind == "fail":
        return fault_answer(fault, error)
    if fault.kind == "drop":
        return Answer(0, drop=True)
    if fault.kind == "malformed":
        full = answer.body if answer.content_type == "application/json" else b'{"id": "x"}'
        return Answer(200, full[: max(1, len(full) // 2)])
    if fault.kind == "hang":
        stopping.wait(fault.seconds)
    return answer
