"""Jobs and their state: queued, then in_progress, then the outcome, on the server's clock;
their ids in each server's style; and the store that holds them until the server stops."""

from __future__ import annotations

import base64
import dataclasses
import itertools
import secrets
import string
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from remixer.tests.support.videos_api_server.answers import JSONDict, ServerError
from remixer.tests.support.videos_api_server.behaviours import Behaviour, Knobs
from remixer.tests.support.videos_api_server.bodies import Upload

# The fraction of a job's duration spent queued before it starts rendering.
QUEUED_SHARE = 0.2


@dataclass
class ServerJob:
    id: str
    upstream_id: str
    model: str
    prompt: str
    size: str
    seconds: str
    created: float  # server clock, Unix seconds
    duration: float
    outcome: str  # completed | failed | stall
    remixed_from: str | None = None
    input_reference: Upload | JSONDict | None = None
    deleted: bool = False
    sequence: int = 0

    def state(self, now: float, style: str) -> tuple[str, int]:
        """Status and progress at `now`: queued, then in_progress, then the outcome."""
        elapsed = (now - self.created) / self.duration if self.duration > 0 else 1.0
        if elapsed < QUEUED_SHARE and self.duration > 0:
            return "queued", 0
        if elapsed < 1.0 or self.outcome == "stall":
            share = min(1.0, (elapsed - QUEUED_SHARE) / (1 - QUEUED_SHARE))
            return "in_progress", _progress(share, style)
        if self.outcome == "failed":
            return "failed", 0
        return "completed", 100

    def finished_at(self) -> float:
        return self.created + self.duration

    def snapshot(self, now: float) -> JSONDict:
        status, progress = self.state(now, "smooth")
        data = dataclasses.asdict(self)
        data.update(status=status, progress=progress)
        return data


def _progress(share: float, style: str) -> int:
    if style == "jump":
        return 0
    if style == "stall99":
        return min(99, int(share * 200))
    return max(1, min(99, int(share * 100)))


def _new_id(style: str) -> str:
    if style == "uuid":
        return str(uuid.uuid4())
    if style == "vllm":
        return f"video-{uuid.uuid4().hex}"
    if style == "task":
        alphabet = string.ascii_letters + string.digits
        return "task_" + "".join(secrets.choice(alphabet) for _ in range(32))
    return f"video_{secrets.token_hex(24)}"


def litellm_id(upstream: str, alias: str) -> str:
    """LiteLLM's encoded id: `video_` + standard base64 of routing details, 234-290 chars,
    ending in `=` and holding a `/` (often a `+` too), so that a client which does not
    URL-encode path ids breaks here as it would against the real proxy."""
    inner = (
        f"litellm:custom_llm_provider:openai;model_id:{uuid.uuid4()};"
        f"target_model_names:{alias[:20]};video_id:{upstream}"
    )
    # ASCII `?`, `>` and `~` as the third byte of a 3-byte group encode as `/` or `+`.
    alphabet = string.ascii_letters + "?>~"
    for _ in range(1000):
        salt = "".join(secrets.choice(alphabet) for _ in range(secrets.choice((7, 8, 10, 11))))
        encoded = "video_" + base64.b64encode(f"{inner};salt:{salt}".encode()).decode()
        if 234 <= len(encoded) <= 290 and encoded.endswith("=") and "/" in encoded:
            return encoded
    raise RuntimeError("could not make a LiteLLM-shaped id")  # pragma: no cover


class JobStore:
    """The jobs of one server, in memory; guarded by the server's lock."""

    def __init__(self, lock: threading.RLock) -> None:
        self._lock = lock
        self._jobs: dict[str, ServerJob] = {}
        self._sequence = itertools.count()

    def add(
        self,
        prompt: str,
        model: str,
        size: str,
        seconds: str,
        *,
        behaviour: Behaviour,
        knobs: Knobs,
        created: float,
        reference: Upload | None = None,
        remixed_from: str | None = None,
    ) -> ServerJob:
        """A new job: its outcome from the prompt's words, its id in the behaviour's style."""
        outcome = "completed"
        if knobs.fail_word and knobs.fail_word in prompt:
            outcome = "failed"
        elif knobs.stall_word and knobs.stall_word in prompt:
            outcome = "stall"
        upstream = _new_id(behaviour.id_style)
        public = upstream
        if behaviour.id_style == "litellm":
            upstream = _new_id("openai")
            public = litellm_id(upstream, knobs.model_alias)
        job = ServerJob(
            public,
            upstream,
            model,
            prompt,
            size,
            seconds,
            created,
            knobs.job_seconds,
            outcome,
            remixed_from=remixed_from,
            input_reference=reference,
            sequence=next(self._sequence),
        )
        with self._lock:
            self._jobs[job.id] = job
        return job

    def find(self, video_id: str, routed: bool) -> ServerJob:
        """The job a path names, deleted ones not found; routed: Bifrost's `{id}:{provider}`."""
        if routed:
            return self._routed(video_id)
        with self._lock:
            job = self._jobs.get(video_id)
        if job is None or job.deleted:
            raise ServerError(
                404, f"Video with id '{video_id}' not found.", param="video_id", code="not_found"
            )
        return job

    def _routed(self, video_id: str) -> ServerJob:
        """Bifrost: `{id}:{provider}`, the provider being the prefix of the job's model."""
        bare, colon, provider = video_id.rpartition(":")
        if not colon:
            raise ServerError(
                400, "The video id must name its provider: {id}:{provider}.", param="video_id"
            )
        with self._lock:
            job = self._jobs.get(bare)
        if job is None or job.deleted or job.model.partition("/")[0] != provider:
            raise ServerError(
                404, f"Video with id '{video_id}' not found.", param="video_id", code="not_found"
            )
        return job

    def listed(self, newest_first: bool) -> list[ServerJob]:
        """Every job not deleted, in the order they were made."""
        with self._lock:
            return sorted(
                (j for j in self._jobs.values() if not j.deleted),
                key=lambda j: j.sequence,
                reverse=newest_first,
            )

    def delete(self, job: ServerJob) -> None:
        with self._lock:
            job.deleted = True

    def source_id(self, job: ServerJob, upstream: bool) -> str | None:
        """The id of the job it was remixed from; upstream: the id the client never saw."""
        if job.remixed_from is None or not upstream:
            return job.remixed_from
        with self._lock:
            source = self._jobs.get(job.remixed_from)
        return source.upstream_id if source else job.remixed_from

    def snapshots(self, now: Callable[[], float]) -> dict[str, JSONDict]:
        """Every job (deleted ones too, flagged) as a dict, with its status at `now()`."""
        with self._lock:
            return {job_id: job.snapshot(now()) for job_id, job in self._jobs.items()}

    def clear(self) -> None:
        with self._lock:
            self._jobs.clear()
