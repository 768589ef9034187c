"""Recovery after a worker died: the sweep (with `queue.py`, the only code that reads
django-tasks-db's table).

A video needs the sweep when the lease on it ran out (its worker died mid-step), or when it
has no lease and no task waiting for it (its worker died before taking it). The sweep resets
it to where its work can start again and names the step to run.
"""

import time
from datetime import datetime, timedelta
from functools import partial

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from remixer.files import attempts, storage
from remixer.models import Video
from remixer.providers.kinds import capabilities
from remixer.worker.endings import named_files
from remixer.worker.imports import UPLOAD_GONE
from remixer.worker.queue import pending_video_ids
from remixer.worker.scratch import upload_name

SWEEP_GRACE = 60  # seconds a queued video may wait for its task's first step
Status = Video.Status
Phase = Video.Phase


class WorkerStopped(Exception):
    """What a task row left `RUNNING` by a killed worker is closed with."""


def sweep() -> list[tuple[str, str]]:
    """Unfinished videos whose work was lost, each made ready again with the step to run.

    A video needs the sweep when the lease on it ran out (its worker died mid-step), or when
    it has no lease and no task waiting for it (its worker died before taking it).
    """
    now = timezone.now()
    waiting = set(pending_video_ids())
    lost = (
        Video.objects.unfinished()
        .exclude(remixed_from__then__isnull=False)  # waits for its import, which starts it
        .select_related("provider")
        .filter(
            Q(lease_expires_at__lt=now)
            | Q(lease_expires_at__isnull=True, updated_at__lt=now - timedelta(seconds=SWEEP_GRACE))
        )
    )
    steps = []
    for video in lost:
        if video.lease_expires_at is None and video.pk in waiting:
            continue
        if step := resume(video):
            steps.append((video.pk, step))
    return steps


def resume(video: Video) -> str | None:
    """Reset a video whose worker died to where its work can start again; name that step.

    The step follows from the video's kind, which is never changed here: an import is
    checked again (or fails in words if its file is gone), never rendered.
    """
    untouched = Video.objects.filter(pk=video.pk, lease_expires_at=video.lease_expires_at)
    restart: dict[str, object] = {"lease_owner": "", "lease_expires_at": None}
    if video.kind == Video.Kind.IMPORT:
        restart |= import_restart(video)
        step = "import" if restart["status"] == Status.QUEUED else None
    elif capabilities(video.provider).renders_here:
        if video.status == Status.IN_PROGRESS:
            restart |= {
                "status": Status.QUEUED,
                "progress": 0,
                "phase": Phase.WAITING,
                "note": "The render was restarted after its worker stopped.",
            }
        step = "render"
    elif video.provider_video_id:
        step = "poll"
    elif video.submitted_at is not None:
        step = "recover"  # the create may have reached the provider: never send it again
    else:
        step = "submit"
    if not untouched.update(**restart):
        return None
    # What its dead (or stalled) attempts stored before their commit: none of them can commit
    # once this is committed. Attempts begun within a lease are left: they may be a new worker's.
    began = time.time() - settings.REMIXER_LEASE_SECONDS
    transaction.on_commit(partial(clear_attempts, video.pk, began))
    grace = timezone.now() - timedelta(seconds=SWEEP_GRACE)  # a task just started may claim it yet
    close_abandoned_tasks(video.pk, before=video.lease_expires_at or grace)
    return step


def clear_attempts(video_id: str, began_before: float) -> None:
    attempts.delete_attempts(video_id, keep=named_files(video_id), before=began_before)


def import_restart(video: Video) -> dict[str, object]:
    try:
        kept = storage.exists(upload_name(video.pk))
    except storage.StorageError:
        kept = True  # the storage cannot say now; the import's own check will
    if kept:
        return {"status": Status.QUEUED, "progress": 0, "phase": Phase.WAITING}
    return {
        "status": Status.FAILED,
        "phase": Phase.WAITING,
        "error_code": "upload_missing",
        "error_message": UPLOAD_GONE,
    }


def ended_with_follow_ups() -> list[str]:
    """Sources (an upload's import, a demo remix's source) that ended without starting the
    job waiting for them."""
    ended = Video.objects.filter(status__in=Video.TERMINAL)
    return list(ended.filter(then__isnull=False).values_list("pk", flat=True))


def close_abandoned_tasks(video_id: str, before: datetime) -> None:
    """Mark the task rows a dead worker left `RUNNING` for this video as failed.

    django-tasks-db never finishes them itself; left alone they would read as running for
    ever in the admin. Only tasks started before the video was taken over are touched.
    """
    abandoned = DBTaskResult.objects.filter(
        status=TaskResultStatus.RUNNING, started_at__lt=before, args_kwargs__args__0=video_id
    )
    abandoned.update(
        status=TaskResultStatus.FAILED,
        finished_at=timezone.now(),
        exception_class_path=f"{WorkerStopped.__module__}.{WorkerStopped.__qualname__}",
        traceback="Its worker stopped before the task finished; the video's work was given again.",
    )
