"""Exports: a ZIP of the videos chosen, written by a worker (worker/exports.py)."""

from typing import Any

from django.db import transaction

from remixer import tasks
from remixer.actions import audit
from remixer.actions.errors import NotAllowed
from remixer.models.exports import Export


def start_export(
    *, user: Any, scope: str, video_ids: list[str], address: str | None = None
) -> Export:
    """An export of the videos chosen, written by a worker; the form has checked the choice."""
    if scope == Export.Scope.ALL and not user.is_staff:
        raise NotAllowed("Only staff may export everything.")
    with transaction.atomic():
        export = Export.objects.create(owner=user, scope=scope, video_ids=video_ids)
        tasks.build_export.enqueue(str(export.pk))
        detail = {"scope": scope} | audit.named(video_ids)
        audit.record(
            audit.Action.EXPORT_MADE, user=user, address=address, target=export, detail=detail
        )
    return export


def note_download(*, user: Any, export: Export, address: str | None) -> None:
    """An export's ZIP was asked for (a resumed download's later parts are not noted)."""
    audit.record(audit.Action.EXPORT_DOWNLOADED, user=user, address=address, target=export)
