"""The queue and the history, kept in memory as ComfyUI keeps them: jobs in order of their
number, one running at a time, and a history entry for each job that ran."""

from __future__ import annotations

import copy
import heapq
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from remixer.tests.support.comfyui_server.node_types import JSONDict


@dataclass(order=True)
class QueuedJob:
    """One queue item; ComfyUI shows it as [number, prompt_id, prompt, extra_data, outputs]."""

    number: float
    prompt_id: str = field(compare=False)
    prompt: JSONDict = field(compare=False)
    extra_data: JSONDict = field(compare=False)
    outputs: list[str] = field(compare=False)

    @property
    def client_id(self) -> str | None:
        value = self.extra_data.get("client_id")
        return str(value) if value is not None else None

    def entry(self) -> list[Any]:
        return [self.number, self.prompt_id, self.prompt, self.extra_data, self.outputs]


class PromptQueue:
    """`changed` is called (outside the lock) whenever the count of jobs left changes."""

    def __init__(self, changed: Callable[[], None]) -> None:
        self._changed = changed
        self._lock = threading.Condition()
        self._pending: list[QueuedJob] = []
        self._running: QueuedJob | None = None
        self._history: dict[str, JSONDict] = {}
        self._number = 0

    def next_number(self, front: bool = False) -> int:
        with self._lock:
            number, self._number = self._number, self._number + 1
        return -number if front else number

    def put(self, job: QueuedJob) -> None:
        with self._lock:
            heapq.heappush(self._pending, job)
            self._lock.notify_all()
        self._changed()

    def take(self, stopping: threading.Event, wait: float = 0.05) -> QueuedJob | None:
        """The next job, now running; None when none came within `wait` seconds."""
        with self._lock:
            if not self._pending and not stopping.is_set():
                self._lock.wait(wait)
            if not self._pending or stopping.is_set():
                return None
            self._running = heapq.heappop(self._pending)
            job = self._running
        self._changed()
        return job

    def done(self, job: QueuedJob, result: JSONDict, status: JSONDict) -> None:
        with self._lock:
            self._running = None
            self._history[job.prompt_id] = {
                "prompt": copy.deepcopy(job.entry()),
                "outputs": {},
                "status": status,
                **result,
            }
        self._changed()

    def abandon(self) -> None:
        with self._lock:
            self._running = None

    def delete(self, prompt_id: str) -> bool:
        with self._lock:
            kept = [job for job in self._pending if job.prompt_id != prompt_id]
            deleted = len(kept) != len(self._pending)
            self._pending = kept
            heapq.heapify(self._pending)
        if deleted:
            self._changed()
        return deleted

    def wipe(self) -> None:
        with self._lock:
            self._pending = []
        self._changed()

    def running(self) -> QueuedJob | None:
        with self._lock:
            return self._running

    def listing(self) -> JSONDict:
        """`GET /queue`: running and pending items as lists, pending in queue order."""
        with self._lock:
            running = [self._running.entry()] if self._running is not None else []
            return {
                "queue_running": running,
                "queue_pending": [job.entry() for job in sorted(self._pending)],
            }

    def remaining(self) -> int:
        with self._lock:
            return len(self._pending) + (self._running is not None)

    def history(
        self, prompt_id: str | None = None, max_items: int | None = None, offset: int = -1
    ) -> JSONDict:
        with self._lock:
            if prompt_id is not None:
                entry = self._history.get(prompt_id)
                return {prompt_id: copy.deepcopy(entry)} if entry is not None else {}
            items = list(self._history.items())
        if offset < 0 and max_items is not None:
            offset = len(items) - max_items
        chosen = items[max(offset, 0) :]
        return dict(chosen[:max_items] if max_items is not None else chosen)

    def delete_history(self, prompt_id: str | None = None) -> None:
        with self._lock:
            if prompt_id is None:
                self._history.clear()
            else:
                self._history.pop(prompt_id, None)
