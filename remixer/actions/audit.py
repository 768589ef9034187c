"""The one door to the audit trail (models/audit.py).

`record` writes in the caller's transaction: when the record cannot be written, the action it
records fails too and changes nothing. The address is the client's, as the view found it
(forms/logins.py's `client_address`); actions never see the request.
"""

from typing import Any

from django.db import models

from remixer.models import AuditRecord

Action = AuditRecord.Action
LISTED_IDS = 100  # the ids one record names at most; its detail counts them all


def record(
    action: str,
    *,
    user: Any,
    address: str | None,
    target: models.Model | None = None,
    detail: dict[str, Any] | None = None,
    username: str = "",
) -> AuditRecord:
    """Write one record of `action`, by `user` (None for a failed sign-in: then `username` is
    the name typed) from `address`, on `target` (a row, named by its kind and id)."""
    if user is not None and not getattr(user, "is_authenticated", False):
        user = None
    return AuditRecord.objects.create(
        action=Action(action),
        user=user,
        username=(username or (user.get_username() if user is not None else ""))[:150],
        address=address,
        target_kind=(target._meta.model_name or "") if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        detail=detail or {},
    )


def named(ids: list[str]) -> dict[str, Any]:
    """A detail naming many rows: how many, and the first of their ids."""
    return {"count": len(ids), "ids": ids[:LISTED_IDS]}
