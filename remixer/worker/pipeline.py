"""The steps a video job goes through in a worker.

A local job is rendered in one step; an HTTP job is submitted once, polled by short steps,
then copied into remixer's storage. Each step changes the row with a conditional UPDATE, so
running it twice does no harm; a step that wants to run again later returns when.
"""

import logging
from collections.abc import Callable
from datetime import timedelta
from functools import partial
from pathlib import Path

from django.conf import settings
from django.db.models import F, Q
from django.db.models.functions import Greatest
from django.utils import timezone

from remixer.files import storage
from remixer.lib import media
from remixer.lib.transfers import Moved
from remixer.models import Video
from remixer.providers import (
    Assets,
    Job,
    ProgressCallback,
    ProviderError,
    Submission,
    VideoProvider,
    circuits,
    strategies,
)
from remixer.providers.answers import download_failed, outcome_unknown, provider_time
from remixer.providers.comfyui import FORGOTTEN
from remixer.providers.factory import http_provider
from remixer.providers.kinds import capabilities, has_copy_upstream, provider_for
from remixer.worker import extensions
from remixer.worker.archiving import archive, rearchive_files
from remixer.worker.calls import calling, ignore_progress, learn, observed
from remixer.worker.endings import Forgotten, fail, failures_recorded, resend
from remixer.worker.leases import (
    JobCancelled,
    LeaseKeeper,
    Progress,
    ProgressWriter,
    claim,
    held,
    release,
)
from remixer.worker.scratch import workdir_for
from remixer.worker.waits import (
    POLL_MIN,
    Later,
    by_deadline,
    fail_overdue,
    fail_unstarted,
    past_deadline,
    poll_in,
    retry_wait,
    wait_for_place,
    waiting_reason,
)

logger = logging.getLogger(__name__)

POLL_MAX = 30.0
COPY_RETRY, COPY_RETRY_MAX = 5.0, 600.0  # seconds: backing off while the links last
UNPLAYABLE_ATTEMPTS = 3  # downloads that arrive whole but do not play, before giving up
MAX_POLL_FAILURES = 20
Status = Video.Status
Phase = Video.Phase
RUNNING = [Status.QUEUED, Status.IN_PROGRESS]


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
        assets = provider.fetch_assets(submission.provider_video_id, workdir)
        if video.recipe is not None:  # a recipe may reshape or lengthen: the file tells
            made = media.probe(assets.video)
            video.size = f"{made.width}x{made.height}"
            video.seconds = str(max(1, round(made.duration)))
        archive(video, assets)


# HTTP jobs


def submit(video_id: str) -> Later | None:
    """Send the job to its provider, exactly once; then it is polled."""
    if not claim(video_id, Q(status=Status.QUEUED, submitted_at__isnull=True)):
        return None
    video = load(video_id)
    try:
        if past_deadline(video):
            fail_unstarted(video)
            return None
        with calling(video):
            video.submitted_at = timezone.now()
            sending = Video.objects.filter(pk=video_id)
            sending.update(submitted_at=video.submitted_at, phase=Phase.SUBMITTED)
            with workdir_for(video) as workdir:
                job = job_for(video, workdir)
                provider = provider_for(video.provider)
                try:
                    submission = observed(video, starter(video, provider), job, ignore_progress)
                except ProviderError as error:
                    return submission_refused(video, error)
            return poll_in(adopt(video, submission))
    except circuits.Busy as busy:
        return wait_for_place(video, "submit", busy)
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
    if provider.can_list is not False and capabilities(provider).finds_lost_creates:
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
    video = load(video_id)
    if capabilities(video.provider).resends_forgotten:  # its work costs nothing to redo
        Video.objects.filter(pk=video_id).update(submitted_at=None, phase=Phase.WAITING)
        release(video_id)
        return Later("submit", 0.5)
    try:
        with calling(video):
            return poll_in(unknown_outcome(video, outcome_unknown()))
    except circuits.Busy as busy:
        return wait_for_place(video, "recover", busy)
    finally:
        release(video_id)


def submission_refused(video: Video, error: ProviderError) -> Later | None:
    if error.retry_after is not None:  # nothing reached the provider: submit again later
        wait = retry_wait(video, error)
        Video.objects.filter(pk=video.pk, status=Status.QUEUED).update(
            submitted_at=None, phase=Phase.WAITING, retry_reason=waiting_reason(video, error, wait)
        )
        video.submitted_at = None
        return Later("submit", by_deadline(video, wait))
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
    video = load(video_id)
    try:
        return poll_in(poll_once(video))
    except circuits.Busy as busy:
        return wait_for_place(video, "poll", busy)
    except Forgotten:
        return Later("submit", 0.5) if resend(video) else None
    finally:
        release(video_id)


def poll_once(video: Video) -> float | None:
    if video.is_finished or not video.provider_video_id:
        return None
    if video.phase == Phase.COPYING:
        with calling(video):
            return copy(video)
    if past_deadline(video):
        fail_overdue(video)
        return None
    with calling(video):
        try:
            status = provider_for(video.provider).status
            submission = observed(video, status, video.provider_video_id)
        except ProviderError as error:
            return poll_failed(video, error)
        return follow(video, submission)


def follow(video: Video, submission: Submission) -> float | None:
    """Mirror the provider's answer on the row: status and progress only ever move forward."""
    rows = Video.objects.filter(pk=video.pk, status__in=RUNNING)
    rows.update(provider_object=submission.raw, poll_failures=0, retry_reason=submission.waiting)
    if submission.status == FORGOTTEN:
        raise Forgotten(video.pk)
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
            keeper, job_id = LeaseKeeper(video.pk), video.provider_video_id
            assets = observed(video, provider.fetch_assets, job_id, workdir, keeper)
            learn(video.provider, has_variants=assets.thumbnail is not None)
            archive(video, extensions.joined(video, assets, workdir))
            return None
        except (ProviderError, media.MediaError) as error:
            logger.warning("%s: copy failed: %s", video.pk, error)
            trouble = error if isinstance(error, ProviderError) else download_failed(f"{error}")
            unplayable = str(error) if isinstance(error, media.MediaError) else ""
        except JobCancelled:
            return None
    if not trouble.is_temporary:  # what it made is not what can be kept: no retry helps
        fail(video.pk, trouble.code, trouble.message)
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
    """A status the provider did not give. Silence waits for the job's deadline (the
    provider's circuit paces it); other troubles end the job after a number of tries."""
    failures = video.poll_failures if error.unanswered else video.poll_failures + 1
    if error.retry_after is None:
        fail(video.pk, error.code, error.message)
        return None
    if failures > MAX_POLL_FAILURES:
        fail(video.pk, error.code, f"{error.message} remixer asked {failures} times, then stopped.")
        return None
    wait = retry_wait(video, error)
    reason = waiting_reason(video, error, wait)
    Video.objects.filter(pk=video.pk).update(poll_failures=failures, retry_reason=reason)
    return by_deadline(video, wait)


def next_poll(video: Video, submission: Submission) -> float:
    if submission.poll_after is not None:
        return by_deadline(video, max(submission.poll_after, 0.5))
    elapsed = (timezone.now() - (video.submitted_at or timezone.now())).total_seconds()
    return by_deadline(video, min(POLL_MAX, max(POLL_MIN, elapsed / 10)))


def sent_seconds(video: Video) -> str:
    """The seconds the provider was asked for: an extension from the last frame asks for
    its new segment alone."""
    if video.kind == Video.Kind.EXTENSION and video.strategy == Video.Strategy.LAST_FRAME:
        return str(extensions.segment_seconds(video))
    return str(video.seconds)


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
        workflow=video.workflow,
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
