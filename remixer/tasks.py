"""Background tasks: thin, keyed by the video's (or export's) id, safe to run twice.

Renders, imports' checks and exports run on their own queue, so they never delay the short
HTTP steps. Each queue takes its tasks by priority, then in order: the demo library's jobs are
queued at `BACKGROUND`, so that a job anyone submits goes before them.
"""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks import task
from django_tasks.base import DEFAULT_TASK_PRIORITY, Task

from remixer.files import storage
from remixer.models import Provider, Video, accounts, audit
from remixer.providers.kinds import capabilities
from remixer.worker import calls, exports, imports, pipeline, recovery, scratch, waits

# Jobs nobody is waiting for (the demo library): any job queued at the default priority goes
# first.
BACKGROUND = -50


@task(queue_name="render")
def render_video(video_id: str) -> None:
    pipeline.render(video_id)
    start_follow_ups(video_id)


@task(queue_name="render")
def import_video(video_id: str) -> None:
    imports.verify_import(video_id)
    start_follow_ups(video_id)


@task(queue_name="render")
def build_export(export_id: str) -> None:
    exports.build(export_id)


@task()
def submit_video(video_id: str) -> None:
    schedule(pipeline.submit(video_id), video_id)


@task()
def poll_video(video_id: str) -> None:
    schedule(pipeline.poll(video_id), video_id)


@task()
def recover_video(video_id: str) -> None:
    schedule(pipeline.recover(video_id), video_id)


@task()
def rearchive_video(video_id: str) -> None:
    video = Video.objects.select_related("provider").filter(pk=video_id).first()
    if video is not None and video.status == Video.Status.COMPLETED:
        pipeline.rearchive(video)


@task()
def delete_upstream(provider_id: int, provider_video_id: str) -> None:
    provider = Provider.objects.filter(pk=provider_id).first()
    if provider is None:
        return
    if (wait := calls.delete_upstream(provider, provider_video_id)) is not None:
        later = timezone.now() + timedelta(seconds=wait)
        delete_upstream.using(run_after=later).enqueue(provider_id, provider_video_id)


@task()
def cancel_upstream(provider_id: int, provider_video_id: str) -> None:
    provider = Provider.objects.filter(pk=provider_id).first()
    if provider is not None:
        calls.cancel_upstream(provider, provider_video_id)


STEPS = {
    "render": render_video,
    "import": import_video,
    "submit": submit_video,
    "poll": poll_video,
    "recover": recover_video,
}


def first_step(video: Video) -> Task[[str], None]:
    """The task that starts a new job of this kind on this provider."""
    if video.kind == Video.Kind.IMPORT:
        return import_video
    return render_video if capabilities(video.provider).renders_here else submit_video


def start_follow_ups(source_id: str) -> None:
    """Once a job has ended (an import, a render), the job waiting for it starts at the
    priority it was submitted with (or fails with the source's error)."""
    with transaction.atomic():
        then = Video.objects.filter(pk=source_id).values_list("then", flat=True).first()
        priority = int((then or {}).get("priority", DEFAULT_TASK_PRIORITY))
        for video in imports.follow_ups(source_id):
            first_step(video).using(priority=priority).enqueue(video.pk)


def schedule(later: waits.Later | None, video_id: str) -> None:
    if later is not None:
        run_after = timezone.now() + timedelta(seconds=later.seconds)
        STEPS[later.step].using(run_after=run_after).enqueue(video_id)


def sweep() -> int:
    """Give every video whose work was lost (its worker died) its next step again."""
    with transaction.atomic():
        steps = recovery.sweep()
        for video_id, step in steps:
            STEPS[step].enqueue(video_id)
    for import_id in recovery.ended_with_follow_ups():  # cancelled, or its worker died
        start_follow_ups(import_id)
    scratch.clean_scratch()
    exports.upkeep()  # expired exports' files, and exports whose worker stopped
    accounts.forget_old_failures()
    audit.forget_old_records()  # the audit trail keeps REMIXER_AUDIT_DAYS
    # A process killed while uploading leaves its multipart upload behind: abort it.
    storage.abort_stale_uploads(timedelta(seconds=settings.REMIXER_S3_UPLOAD_GRACE))
    return len(steps)
