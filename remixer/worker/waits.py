"""A job's deadline, and the waits before its next try: always cut short by the deadline, so
that every job of a provider, sent or not, ends in words when its time is up."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone

from remixer.lib.words import duration
from remixer.models import Video
from remixer.providers import ProviderError, circuits
from remixer.worker.endings import fail

POLL_MIN = 2.0  # seconds: never ask a provider again sooner than this
RUNNING = (Video.Status.QUEUED, Video.Status.IN_PROGRESS)


@dataclass(frozen=True)
class Later:
    """Run `step` ("submit" or "poll") again for this video after `seconds`."""

    step: str
    seconds: float


def poll_in(seconds: float | None) -> Later | None:
    return None if seconds is None else Later("poll", seconds)


def wait_for_place(video: Video, step: str, busy: circuits.Busy) -> Later:
    """Every place for a call is taken: the job waits its turn (and says why, when the
    provider is not answering)."""
    if video.provider.unreachable:
        waiting = Video.objects.filter(pk=video.pk, status__in=RUNNING)
        waiting.update(retry_reason=video.provider.unreachable_line())
    return Later(step, by_deadline(video, busy.wait))


def deadline(video: Video) -> datetime:
    """When the job fails unless it has finished: its provider's deadline after it was sent
    (or, never sent, after it was made)."""
    started = video.submitted_at or video.created_at
    return started + timedelta(seconds=video.provider.job_deadline)


def past_deadline(video: Video) -> bool:
    return timezone.now() > deadline(video)


def by_deadline(video: Video, wait: float) -> float:
    """A wait cut short, so that the job is looked at again as soon as its deadline passes."""
    left = (deadline(video) - timezone.now()).total_seconds()
    return max(0.5, min(wait, left + 1))


def fail_unstarted(video: Video) -> None:
    """The deadline of a job that never reached its provider."""
    provider, allowed = video.provider, duration(video.provider.job_deadline)
    safe = "nothing was started there, so Retry is safe."
    if provider.unanswered_calls:
        where = f"{provider.name} ({provider.base_url})"
        said = f"remixer could not reach {where} for {allowed}; {safe}"
        fail(video.pk, "unreachable", said)
        return
    why = f" ({video.retry_reason.rstrip('.')})" if video.retry_reason else ""
    said = f"{provider.name} did not take this video within {allowed}{why}; {safe}"
    fail(video.pk, "timeout", said)


def fail_overdue(video: Video) -> None:
    """The deadline of a job its provider was working on."""
    provider, allowed = video.provider, duration(video.provider.job_deadline)
    if provider.unanswered_calls:
        since = provider.unreachable_line().split(";")[0]
        fail(video.pk, "unreachable", f"{since}, and this video's deadline ({allowed}) has passed.")
        return
    fail(video.pk, "timeout", f"The provider did not finish this video within {allowed}.")


def retry_wait(video: Video, error: ProviderError) -> float:
    """Seconds until the next try after a passing trouble."""
    if error.unanswered:  # the provider's circuit paces every job of it alike
        return video.provider.retry_every
    return max(error.retry_after or 0.0, POLL_MIN)


def waiting_reason(video: Video, error: ProviderError, wait: float) -> str:
    """What the job's page says while it waits to try the provider again."""
    if error.unanswered and video.provider.unreachable:
        return video.provider.unreachable_line()
    return f"{error.message} remixer tries again in {duration(wait)}."
