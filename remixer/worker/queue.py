"""django-tasks-db's queue, as the workers need it beyond enqueueing: which videos a waiting
task will take care of, and waits cut short when a provider answers again."""

from collections.abc import Iterator

from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from remixer.models import Provider, Video


def pending_video_ids() -> Iterator[str]:
    """Videos that a task waiting in the queue will take care of."""
    ready = DBTaskResult.objects.filter(status=TaskResultStatus.READY)
    for args in ready.values_list("args_kwargs", flat=True):
        if args.get("args"):
            yield str(args["args"][0])


def hurry(provider: Provider) -> int:
    """The provider answers again: the next steps its jobs wait for run now, not after the
    long waits its silence had them take."""
    waiting = Video.objects.filter(
        provider=provider, status__in=[Video.Status.QUEUED, Video.Status.IN_PROGRESS]
    )
    ids = list(waiting.values_list("pk", flat=True))
    now = timezone.now()
    later = DBTaskResult.objects.filter(
        status=TaskResultStatus.READY, run_after__gt=now, args_kwargs__args__0__in=ids
    )
    return later.update(run_after=now)
