"""The steps a video job goes through in a worker.

A local job is rendered in one step; an HTTP job is submitted once, polled by short steps,
then copied into remixer's storage. Each step changes the row with a conditional UPDATE, so
running it twice does no harm; a step that wants to run again later returns when.
"""

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from functools import partial
from pathlib import Path

from django.conf import settings
from django.db.models import F, Q
from django.db.models.functions import Greatest
from django.utils import timezone

from remixer.files import attempts, storage
from remixer.lib import media
from remixer.lib.transfers import Moved
from remixer.models import Provider, Video
from remixer.providers import (
    Assets,
    Job,
    ProgressCallback,
    ProviderError,
    Submission,
    VideoProvider,
    strategies,
)
from remixer.providers.answers import download_failed, outcome_unknown, provider_time
from remixer.providers.factory import http_provider
from remixer.providers.kinds import capabilities, has_copy_upstream, provider_for
from remixer.worker import extensions
from remixer.worker.archiving import NAMES, archive, rearchive_files
from remixer.worker.leases import (
    JobCancelled,
    LeaseKeeper,
    Progress,
    ProgressWriter,
    claim,
    free,
    held,
    release,
    worker_id,
)
from remixer.worker.scratch import workdir_for

logger = logging.getLogger(__name__)

POLL_MIN, POLL_MAX = 2.0, 30.0
COPY_RETRY, COPY_RETRY_MAX = 5.0, 600.0  # seconds: backing off while the links last
UNPLAYABLE_ATTEMPTS = 3  # downloads that arrive whole but do not play, before giving up
MAX_POLL_FAILURES = 20
Status = Video.Status
Phase = Video.Phase
RUNNING = [Status.QUEUED, Status.IN_PROGRESS]


@dataclass(frozen=True)
class Later:
    """Run `step` ("submit" or "poll") again for this video after `seconds`."""

    step: str
    seconds: float


def poll_in(seconds: float | None) -> Later | None:
    return None if seconds is None else Later("poll", seconds)


# Local renders


def render(video_id: str) -> None:
    """Claim a queued local video and make it, start to finish."""
    rendered = Q(status=Status.QUEUED) & ~Q(kind=Video.Kind.IMPORT)  # an import is never drawn
    if not claim(video_id, rendered, status=Status.IN_PROGRESS, phase=Phase.RENDERING, progress=0):
        return
    video = load(video_id)
    with workdir_for(video) as workdir, failures_recorded(video_id):
        provider = provider_for(video.provider)
        with held(video_id, moved := Progress()):  # renewed while the source's bytes come
            job = job_for(video, workdir, moved)
        submission = starter(video, provider)(job, ProgressWriter(video_id))
        archive(video, provider.fetch_assets(submission.provider_video_id, workdir))


# HTTP jobs


def submit(video_id: str) -> Later | None:
    """Send the job to its provider, exactly once; then it is polled."""
    submitting = Q(status=Status.QUEUED, submitted_at__isnull=True)
    if not claim(video_id, submitting, submitted_at=timezone.now(), phase=Phase.SUBMITTED):
        return None
    video = load(video_id)
    try:
        with workdir_for(video) as workdir:
            job = job_for(video, workdir)
            provider = provider_for(video.provider)
            try:
                submission = starter(video, provider)(job, lambda done, total: None)
            except ProviderError as error:
                return submission_refused(video, error)
        return poll_in(adopt(video, submission))
    finally:
        release(video_id)


def adopt(video: Video, submission: Submission) -> float | None:
    """Take the provider's job as this video's, then follow it."""
    Video.objects.filter(pk=video.pk).update(provider_video_id=submission.provider_video_id)
    video.provider_video_id = submission.provider_video_id
    if video.kind == Video.Kind.REMIX:
        learn(video.provider, can_remix=True)
    return follow(video, submission)


def unknown_outcome(video: Video, error: ProviderError) -> float | None:
    """A create whose answer never came is never sent again: look for its job instead."""
    provider = video.provider
    found = None
    if provider.can_list is not False and not capabilities(provider).renders_here:
        taken = Video.objects.filter(provider=provider).exclude(provider_video_id="")
        found = http_provider(provider).find(
            {"prompt": video.prompt or "", "size": video.size, "seconds": sent_seconds(video)},
            since=int((video.submitted_at or video.created_at).timestamp()) - 60,
            exclude=set(taken.values_list("provider_video_id", flat=True)),
        )
    if found is None:
        fail(video.pk, error.code, f"{error.message} ({provider.name}, {provider.base_url})")
        return None
    logger.info("%s: found its job %s at the provider", video.pk, found.provider_video_id)
    return adopt(video, found)


def recover(video_id: str) -> Later | None:
    """Find the job of a create whose worker died before the answer was stored."""
    if not claim(video_id, Q(status=Status.QUEUED, provider_video_id="")):
        return None
    try:
        video = load(video_id)
        return poll_in(unknown_outcome(video, outcome_unknown()))
    finally:
        release(video_id)


def submission_refused(video: Video, error: ProviderError) -> Later | None:
    if error.retry_after is not None:  # nothing reached the provider: submit again later
        Video.objects.filter(pk=video.pk, status=Status.QUEUED).update(
            submitted_at=None, phase=Phase.WAITING, retry_reason=error.message
        )
        return Later("submit", error.retry_after)
    if error.code == "outcome_unknown":
        return poll_in(unknown_outcome(video, error))
    if error.code == "unable_to_remix":
        learn(video.provider, can_remix=False)
    if error.raw is not None:  # what the provider said, for staff in the admin
        Video.objects.filter(pk=video.pk).update(provider_object={"refusal": error.raw})
    fail(video.pk, error.code, error.message)
    return None


def poll(video_id: str) -> Later | None:
    """Ask the provider once where the job stands; copy it home once it is done."""
    polling = Q(status__in=RUNNING) & ~Q(provider_video_id="")
    if not claim(video_id, polling):
        return None  # finished, deleted, or another worker is on it
    try:
        return poll_in(poll_once(load(video_id)))
    finally:
        release(video_id)


def poll_once(video: Video) -> float | None:
    video_id = video.pk
    if video.is_finished or not video.provider_video_id:
        return None
    if video.phase == Phase.COPYING:
        return copy(video)
    if past_deadline(video):
        minutes = video.provider.job_deadline // 60
        fail(
            video_id, "timeout", f"The provider did not finish this video within {minutes} minutes."
        )
        return None
    try:
        submission = provider_for(video.provider).status(video.provider_video_id)
    except ProviderError as error:
        return poll_failed(video, error)
    return follow(video, submission)


def follow(video: Video, submission: Submission) -> float | None:
    """Mirror the provider's answer on the row: status and progress only ever move forward."""
    rows = Video.objects.filter(pk=video.pk, status__in=RUNNING)
    rows.update(provider_object=submission.raw, poll_failures=0, retry_reason="")
    if submission.status == Status.FAILED:
        code, message = submission.error or ("failed", "")
        fail(video.pk, code, failure_message(code, message))
        return None
    if submission.status == "deleted":
        fail(video.pk, "job_gone", "The provider deleted this job before it finished.")
        return None
    progress = extensions.provider_progress(video, min(submission.progress, 99))
    if submission.status == Status.COMPLETED:
        window = timedelta(seconds=settings.REMIXER_DOWNLOAD_WINDOW)
        rows.update(
            status=Status.IN_PROGRESS,
            phase=Phase.COPYING,
            progress=Greatest(F("progress"), extensions.provider_progress(video, 99)),
            expires_at=provider_time(submission.expires_at) or timezone.now() + window,
        )
        return copy(load(video.pk))
    if submission.status == Status.IN_PROGRESS or video.status == Status.IN_PROGRESS:
        rows.update(status=Status.IN_PROGRESS, progress=Greatest(F("progress"), progress))
    else:
        rows.update(progress=Greatest(F("progress"), progress))
    return next_poll(video, submission)


def copy(video: Video) -> float | None:
    """Download, check and store the finished video; retry until its links expire."""
    with workdir_for(video) as workdir:
        provider = provider_for(video.provider)
        try:
            assets = provider.fetch_assets(video.provider_video_id, workdir, LeaseKeeper(video.pk))
            learn(video.provider, has_variants=assets.thumbnail is not None)
            archive(video, extensions.joined(video, assets, workdir))
            return None
        except (ProviderError, media.MediaError) as error:
            logger.warning("%s: copy failed: %s", video.pk, error)
            trouble = error if isinstance(error, ProviderError) else download_failed(f"{error}")
            unplayable = str(error) if isinstance(error, media.MediaError) else ""
        except JobCancelled:
            return None
    if unplayable and video.poll_failures + 1 >= UNPLAYABLE_ATTEMPTS:
        message = f"The provider's file is not a playable video. {unplayable}"
        fail(video.pk, "unplayable_file", message)
        return None
    if video.expires_at and timezone.now() >= video.expires_at:
        fail(
            video.pk,
            "download_expired",
            "The provider's download expired before remixer could copy it.",
        )
        return None
    Video.objects.filter(pk=video.pk).update(
        poll_failures=F("poll_failures") + 1, retry_reason=trouble.message
    )
    return min(COPY_RETRY * 2.0**video.poll_failures, COPY_RETRY_MAX)


def rearchive(video: Video) -> None:
    """Copy a completed video's files again: from its provider, or remade from our own copy."""
    with workdir_for(video) as workdir:
        if not has_copy_upstream(video):
            assets = Assets(video=storage.fetch(str(video.video_file), workdir / "video.mp4"))
        else:
            assets = provider_for(video.provider).fetch_assets(video.provider_video_id, workdir)
        rearchive_files(video, assets)


def poll_failed(video: Video, error: ProviderError) -> float | None:
    failures = video.poll_failures + 1
    Video.objects.filter(pk=video.pk).update(poll_failures=failures, retry_reason=error.message)
    if error.retry_after is None or failures > MAX_POLL_FAILURES:
        fail(video.pk, error.code, error.message)
        return None
    return max(error.retry_after, POLL_MIN)


def next_poll(video: Video, submission: Submission) -> float:
    if submission.poll_after is not None:
        return max(submission.poll_after, 0.5)
    elapsed = (timezone.now() - (video.submitted_at or timezone.now())).total_seconds()
    return min(POLL_MAX, max(POLL_MIN, elapsed / 10))


def learn(provider: Provider, **capabilities: bool) -> None:
    """Record what first use taught about a provider (remix, variants, delete)."""
    Provider.objects.filter(pk=provider.pk).update(**capabilities)


def delete_upstream(provider: Provider, provider_video_id: str) -> None:
    deleted = provider_for(provider).delete(provider_video_id)
    if deleted is not None:
        learn(provider, can_delete=deleted)


def sent_seconds(video: Video) -> str:
    """The seconds the provider was asked for: an extension from the last frame asks for
    its new segment alone."""
    if video.kind == Video.Kind.EXTENSION and video.strategy == Video.Strategy.LAST_FRAME:
        return str(extensions.segment_seconds(video))
    return str(video.seconds)


def past_deadline(video: Video) -> bool:
    started = video.submitted_at or video.created_at
    return timezone.now() > started + timedelta(seconds=video.provider.job_deadline)


def failure_message(code: str, message: str) -> str:
    if "moderation" in f"{code} {message}".lower():
        return f"The provider rejected the prompt: {message}"
    return f"The provider could not make this video: {message or code}"


# Shared steps


def starter(video: Video, provider: VideoProvider) -> Callable[[Job, ProgressCallback], Submission]:
    """How the job starts: a create, a remix or edit (sent the way its model takes), or an
    extension (which chooses its own way)."""
    if video.kind == Video.Kind.EXTENSION:
        return partial(extensions.start, video)
    if not video.remixed_from_video_id:
        return provider.create
    if capabilities(video.provider).remix_strategy:  # its one way
        return provider.remix
    return lambda job, progress: strategies.send_remix(video, job, provider)


def load(video_id: str) -> Video:
    return Video.objects.select_related("provider", "remixed_from").get(pk=video_id)


def job_for(video: Video, workdir: Path, on_bytes: Moved | None = None) -> Job:
    source = video.remixed_from
    if video.remixed_from_video_id and (source is None or not source.video_file):
        raise ProviderError("source_missing", "The source video was deleted before the remix ran.")
    return Job(
        video_id=video.pk,
        prompt=video.prompt or "",
        model=video.model,
        size=video.size,
        seconds=int(video.seconds),
        workdir=workdir,
        reference_image=(
            storage.working_copy(str(video.reference_image), workdir, on_bytes)
            if video.reference_image
            else None
        ),
        source_video=(
            storage.working_copy(str(source.video_file), workdir, on_bytes) if source else None
        ),
        source_provider_video_id=source.provider_video_id if source else None,
        recipe=video.recipe,
        variation=video.variation,
        extend_seconds=extensions.segment_seconds(video),
    )


def fail(video_id: str, code: str, message: str) -> bool:
    """End the job `failed`, unless it ended already or another worker has taken it over."""
    unfinished = Video.objects.filter(Q(lease_owner=worker_id()) | free(), pk=video_id)
    failed = unfinished.exclude(status__in=Video.TERMINAL).update(
        status=Status.FAILED,
        error_code=code,
        error_message=message,
        phase=Phase.WAITING,
        retry_reason="",
        lease_owner="",
        lease_expires_at=None,
    )
    if failed:  # what attempts that died before their commit stored: of no use now
        attempts.delete_attempts(video_id, keep=named_files(video_id))
    return bool(failed)


def named_files(video_id: str) -> tuple[str, ...]:
    """The stored names a video's row points to."""
    row = Video.objects.filter(pk=video_id).values_list(*NAMES).first() or ()
    return tuple(str(name) for name in row if name)


@contextmanager
def failures_recorded(video_id: str) -> Iterator[None]:
    """Any error while rendering ends the job `failed`, with words fit for a creator."""
    try:
        yield
    except JobCancelled:
        logger.info("%s stopped: it is no longer in progress", video_id)
    except ProviderError as error:
        fail(video_id, error.code, error.message)
    except Exception:
        logger.exception("%s failed", video_id)
        fail(video_id, "internal_error", "Something went wrong while making this video.")
