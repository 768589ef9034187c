"""Faults: the next few matching requests misbehave (an error status, no answer for a while, a
dropped connection), lined up through the server's `*_next` methods. `/ws` takes them too: a
failed upgrade answers the status, a hang delays the handshake, a drop closes before it."""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass

from remixer.tests.support.videos_api_server.answers import Answer


@dataclass
class ComfyFault:
    """The next `remaining` requests matching method and path prefix misbehave as `kind` says."""

    kind: str  # fail | hang | drop
    remaining: int
    method: str | None = None
    path_prefix: str | None = None
    status: int = 500
    body: bytes = b""
    seconds: float = 0.0
    process: bool = True  # hang and drop: the request takes effect before the fault

    def matches(self, method: str, path: str) -> bool:
        return (
            self.remaining > 0
            and (self.method is None or self.method == method)
            and (self.path_prefix is None or path.startswith(self.path_prefix))
        )


class ComfyFaultControls:
    """The server's methods that line faults up, and take them as requests arrive."""

    _lock: threading.RLock
    _faults: list[ComfyFault]
    _stopping: threading.Event

    def fail_next(
        self,
        n: int = 1,
        status: int = 500,
        body: bytes | str | dict[str, object] | None = None,
        path_prefix: str | None = None,
        method: str | None = None,
    ) -> None:
        """The next n matching requests answer `status` without taking effect. The default
        body is what aiohttp says for a handler that raised."""
        if body is None:
            body = "500 Internal Server Error\n\nServer got itself in trouble"
        raw = json.dumps(body) if isinstance(body, dict) else body
        data = raw.encode() if isinstance(raw, str) else raw
        self._add(ComfyFault("fail", n, method, path_prefix, status=status, body=data))

    def hang_next(
        self,
        n: int = 1,
        seconds: float = 5.0,
        path_prefix: str | None = None,
        method: str | None = None,
        process: bool = True,
    ) -> None:
        """Answer nothing for `seconds`, then answer. With process=True (the default) the
        request takes effect first: a `/prompt` the client gave up on is still queued."""
        self._add(ComfyFault("hang", n, method, path_prefix, seconds=seconds, process=process))

    def drop_next(
        self, n: int = 1, path_prefix: str | None = None, method: str | None = None
    ) -> None:
        """Take the request, then close the connection without answering."""
        self._add(ComfyFault("drop", n, method, path_prefix))

    def clear_faults(self) -> None:
        with self._lock:
            self._faults.clear()

    def _add(self, fault: ComfyFault) -> None:
        with self._lock:
            self._faults.append(fault)

    def _take_fault(self, method: str, path: str) -> ComfyFault | None:
        with self._lock:
            for fault in self._faults:
                if fault.matches(method, path):
                    fault.remaining -= 1
                    return fault
        return None

    def _before(self, fault: ComfyFault | None) -> Answer | None:
        """A fault's answer in place of the request's own, or None to handle it."""
        if fault is None:
            return None
        if fault.kind == "fail":
            return Answer(fault.status, fault.body, "text/plain; charset=utf-8")
        if fault.kind == "hang" and not fault.process:
            self._stopping.wait(fault.seconds)
        return None

    def _after(self, fault: ComfyFault | None, answer: Answer) -> Answer:
        if fault is None:
            return answer
        if fault.kind == "drop":
            return Answer(0, drop=True)
        if fault.kind == "hang" and fault.process:
            self._stopping.wait(fault.seconds)
        return answer
