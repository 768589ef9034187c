"""What creators and administrators do to videos: each rule checks, changes and enqueues.
Trash, jobs and exports have modules of their own."""

from __future__ import annotations

from functools import partial
from typing import Any

from django.db import transaction
from django.utils import timezone

from remixer import tasks
from remixer.actions.errors import NotAllowed, NotOwner, check_can_make
from remixer.files import attempts
from remixer.models import CatalogEntry, Provider, Video
from remixer.providers import kinds, strategies
from remixer.worker import scratch

Status = Video.Status


def remix_provider(source: Video, *, use_local: bool = False, workflow: str = "") -> Provider:
    """A remix goes to the provider that owns the source, whatever way it takes the source
    (see providers/strategies.py), unless it is switched off or its model cannot remix at all.
    Naming a ComfyUI workflow that remixes sends it there, whatever made the source."""
    if workflow:
        entry = kinds.workflow_named(workflow)
        if entry is None:
            raise NotAllowed(f"No ComfyUI workflow is called {workflow}.")
        return workflow_owner(entry.provider, entry.name)
    owner = source.provider
    if not use_local and kinds.capabilities(owner).runs_workflows:
        return workflow_owner(owner, kinds.remix_model(owner, source.model))
    if use_local or not kinds.has_copy_upstream(source):
        return Provider.default()
    if not owner.enabled:
        raise NotAllowed(f"{owner.name} is switched off; remix with the local engine instead.")
    if strategies.strategy_of(owner, source.model) == CatalogEntry.RemixStrategy.NONE:
        raise NotAllowed(f"{owner.name} cannot remix videos; remix with the local engine instead.")
    return owner


def workflow_owner(owner: Provider, model: str) -> Provider:
    """A remix of a ComfyUI video goes through the workflow that made it, if it remixes."""
    if not owner.enabled:
        raise NotAllowed(f"{owner.name} is switched off; remix with the local engine instead.")
    if not kinds.workflow_remixes(owner, model):
        raise NotAllowed(
            f"{model} on {owner.name} makes videos from words alone and cannot remix one; "
            "remix with the local engine instead."
        )
    return owner


def cancel_video(*, user: Any, video: Video) -> bool:
    check_can_change(user, video)
    cancelled = Video.objects.filter(pk=video.pk, status__in=[Status.QUEUED, Status.IN_PROGRESS])
    if not cancelled.update(
        status=Status.FAILED,
        error_code="cancelled",
        error_message=f"Cancelled by {user.get_username()}.",
        ended_at=timezone.now(),
    ):
        return False
    if video.kind == Video.Kind.IMPORT:  # its upload is of no more use
        transaction.on_commit(partial(scratch.discard_upload, video.pk))
    if video.provider_video_id and kinds.capabilities(video.provider).cancels_upstream:
        where = (video.provider_id, video.provider_video_id)
        transaction.on_commit(partial(tasks.cancel_upstream.enqueue, *where))
    # What an attempt whose worker died before its commit stored (a live one removes its own).
    transaction.on_commit(partial(attempts.delete_attempts, video.pk))
    return True


def rename_video(*, user: Any, video: Video, title: str) -> None:
    check_can_change(user, video)
    video.title = title
    video.save(update_fields=["title", "updated_at"])


def check_can_change(user: Any, video: Video) -> None:
    """Its owner (staff: anyone) may change it, unless a viewer."""
    check_can_make(user)
    if not video.can_change(user):
        raise NotOwner("Only the owner of this video can do that.")


def rearchive_videos(videos: Any) -> int:
    """Queue a fresh copy and check of each completed video; returns how many."""
    ids = list(videos.filter(status=Status.COMPLETED).values_list("pk", flat=True))
    with transaction.atomic():
        for video_id in ids:
            tasks.rearchive_video.enqueue(video_id)
    return len(ids)
