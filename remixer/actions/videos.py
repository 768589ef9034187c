"""What creators and administrators do to videos: each rule checks, changes and enqueues."""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial
from typing import Any, NamedTuple

from django.db import transaction
from django.utils import timezone

from remixer import tasks
from remixer.models import CatalogEntry, Provider, Video
from remixer.models.exports import Export
from remixer.providers import factory, kinds, strategies
from remixer.worker import scratch

Status = Video.Status


class NotAllowed(Exception):
    """The user may not do this to this video; the message says why."""


class NotOwner(NotAllowed):
    """Only the owner of the video (or staff) may do this."""


class TooManyJobs(NotAllowed):
    """The user has as many jobs queued or running as one may; another must finish first."""


def remix_provider(source: Video, *, use_local: bool = False) -> Provider:
    """A remix goes to the provider that owns the source, whatever way it takes the source
    (see strategies.py), unless it is switched off or its model cannot remix at all."""
    owner = source.provider
    if use_local or not kinds.has_copy_upstream(source):
        return Provider.default()
    if not owner.enabled:
        raise NotAllowed(f"{owner.name} is switched off; remix with the local engine instead.")
    if strategies.strategy_of(owner, source.model) == CatalogEntry.RemixStrategy.NONE:
        raise NotAllowed(f"{owner.name} cannot remix videos; remix with the local engine instead.")
    return owner


def cancel_video(*, user: Any, video: Video) -> bool:
    check_can_change(user, video)
    cancelled = Video.objects.filter(pk=video.pk, status__in=[Status.QUEUED, Status.IN_PROGRESS])
    if not cancelled.update(
        status=Status.FAILED,
        error_code="cancelled",
        error_message=f"Cancelled by {user.get_username()}.",
    ):
        return False
    if video.kind == Video.Kind.IMPORT:  # its upload is of no more use
        transaction.on_commit(partial(scratch.discard_upload, video.pk))
    return True


def rename_video(*, user: Any, video: Video, title: str) -> None:
    check_can_change(user, video)
    video.title = title
    video.save(update_fields=["title", "updated_at"])


def check_can_change(user: Any, video: Video) -> None:
    if not video.can_change(user):
        raise NotOwner("Only the owner of this video can do that.")


class Checked(NamedTuple):
    """What Test connection found: whether the provider passed, and why, in words."""

    passed: bool
    message: str


def check_connection(provider: Provider) -> Checked:
    """Ask an HTTP provider, without starting a job, whether it answers and takes the key,
    and how its models can remix where that was not known yet."""
    if not kinds.capabilities(provider).connects:
        return Checked(True, "The local engine is built in: nothing to check.")
    found = factory.http_provider(provider).check()
    provider.checked_at = timezone.now()
    provider.check_result = found["message"]
    if found.get("can_list") is not None:
        provider.can_list = found["can_list"]
    provider.save(update_fields=["checked_at", "check_result", "can_list"])
    if "can_list" not in found:  # it does not answer as a Videos API that takes the key
        return Checked(False, str(found["message"]))
    remixing = strategies.detect_entries(provider, only_unknown=True)
    return Checked(True, f"{found['message']} Remixing: {remixing}")


def provider_from_environment(environ: Mapping[str, str]) -> Provider | None:
    """Create or update the provider that REMIXER_PROVIDER_* variables describe."""
    url = environ.get("REMIXER_PROVIDER_URL", "").strip()
    if not url:
        return None
    name = environ.get("REMIXER_PROVIDER_NAME", "").strip() or "Videos API"
    with transaction.atomic():
        provider, _ = Provider.objects.update_or_create(
            name=name,
            defaults={
                "kind": kinds.VIDEOS_API,
                "base_url": url,
                "enabled": True,
                "api_key": environ.get("REMIXER_PROVIDER_KEY", ""),
            },
        )
        models = environ.get("REMIXER_PROVIDER_MODELS", "sora-2").split(",")
        for model in filter(None, (m.strip() for m in models)):
            CatalogEntry.objects.get_or_create(provider=provider, name=model)
    return provider


def rearchive_videos(videos: Any) -> int:
    """Queue a fresh copy and check of each completed video; returns how many."""
    ids = list(videos.filter(status=Status.COMPLETED).values_list("pk", flat=True))
    with transaction.atomic():
        for video_id in ids:
            tasks.rearchive_video.enqueue(video_id)
    return len(ids)


def start_export(*, user: Any, scope: str, video_ids: list[str]) -> Export:
    """An export of the videos chosen, written by a worker; the form has checked the choice."""
    if scope == Export.Scope.ALL and not user.is_staff:
        raise NotAllowed("Only staff may export everything.")
    with transaction.atomic():
        export = Export.objects.create(owner=user, scope=scope, video_ids=video_ids)
        tasks.build_export.enqueue(str(export.pk))
    return export
