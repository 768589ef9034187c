"""How a job ends `failed`: with words fit for a creator, once, and only by the worker that
holds it (or by any, once nobody does)."""

import logging
from collections.abc import Iterator
from contextlib import contextmanager

from django.db.models import F, Q
from django.utils import timezone

from remixer.files import attempts
from remixer.models import Video
from remixer.providers import ProviderError
from remixer.providers.kinds import capabilities
from remixer.worker.archiving import NAMES
from remixer.worker.leases import JobCancelled, free, worker_id

logger = logging.getLogger(__name__)
Status = Video.Status
Phase = Video.Phase


class Forgotten(Exception):  # noqa: N818 (what happened, as the provider tells it)
    """The provider no longer knows the job: it restarted and lost its queue and history."""


def resend(video: Video) -> bool:
    """A job its provider forgot is sent once more where its work costs nothing to redo;
    else, or the second time, it fails in words. True: it waits to be sent again."""
    name = video.provider.name
    if not capabilities(video.provider).resends_forgotten or video.resends:
        again = " again" if video.resends else ""
        said = (
            f"{name} forgot this job{again} (it restarted before it finished); Retry sends it anew."
        )
        fail(video.pk, "job_forgotten", said)
        return False
    return bool(
        Video.objects.filter(pk=video.pk, status__in=[Status.QUEUED, Status.IN_PROGRESS]).update(
            status=Status.QUEUED,
            progress=0,
            phase=Phase.WAITING,
            provider_video_id="",
            submitted_at=None,
            resends=F("resends") + 1,
            retry_reason="",
            note=f"{name} restarted and forgot this job: remixer queued it there once more.",
        )
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
        expires_at=None,  # the provider's download links: nothing to download now
        ended_at=timezone.now(),
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
