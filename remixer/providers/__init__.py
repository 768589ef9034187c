"""The provider interface: what the pipeline asks of anything that makes videos."""

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

ProgressCallback = Callable[[int, int], None]


class ProviderError(Exception):
    """A provider could not do what was asked; `message` is fit for a creator's eyes.

    `retry_after` is set when the trouble is passing (rate limits, an unreachable or
    failing server): the same call may succeed that many seconds later. `unanswered` says
    the server did not answer at all (refused, reset, timed out): what opens its circuit.
    """

    def __init__(
        self,
        code: str,
        message: str,
        *,
        raw: Any = None,
        retry_after: float | None = None,
        unanswered: bool = False,
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.raw = raw
        self.retry_after = retry_after
        self.unanswered = unanswered

    @property
    def is_temporary(self) -> bool:
        return self.retry_after is not None


def join_failed(reason: object) -> ProviderError:
    """An extension whose parts could not be joined (an unreadable segment or source)."""
    return ProviderError("join_failed", f"The video could not be extended: {reason}")


@dataclass(frozen=True)
class Job:
    """Everything a provider needs to start one video."""

    video_id: str
    prompt: str
    model: str
    size: str
    seconds: int
    workdir: Path
    reference_image: Path | None = None
    source_video: Path | None = None
    source_provider_video_id: str | None = None
    recipe: dict[str, Any] | None = None
    variation: int = 0  # which of a batch's variations: another take of the same prompt
    extend_seconds: int = 0  # an extension's new segment; `seconds` is then the total
    remix_strategy: str = ""  # how a remix reaches an HTTP provider (providers/remixes.py)
    # A ComfyUI job's workflow, as its video keeps it: {"workflow", "roles", "frames_rule"}.
    workflow: dict[str, Any] | None = None


@dataclass(frozen=True)
class Submission:
    """What a provider says of a job: its id there, where it stands, and its raw answer."""

    provider_video_id: str
    status: str | None  # one of the API's four words, "deleted", or None when not understood
    progress: int = 0
    raw: dict[str, Any] = field(default_factory=dict)
    error: tuple[str, str] | None = None  # (code, message) of a failed job
    expires_at: int | None = None
    poll_after: float | None = None  # seconds the provider asks us to wait before asking again
    waiting: str = ""  # why it waits there, in words ("2 jobs ahead on ComfyUI.")


@dataclass(frozen=True)
class Assets:
    """A finished job's files, in the job's work directory; None where the provider has none."""

    video: Path
    thumbnail: Path | None = None
    spritesheet: Path | None = None


class VideoProvider(Protocol):
    def create(self, job: Job, on_progress: ProgressCallback) -> Submission: ...

    def remix(self, job: Job, on_progress: ProgressCallback) -> Submission: ...

    def status(self, provider_video_id: str) -> Submission: ...

    def fetch_assets(
        self, provider_video_id: str, workdir: Path, on_progress: ProgressCallback | None = None
    ) -> Assets: ...

    def delete(self, provider_video_id: str) -> bool | None: ...
