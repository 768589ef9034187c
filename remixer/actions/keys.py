"""Personal keys for /v1, made and revoked, each noted in the audit trail in the same
transaction (the pages, the admin and `create_api_key` all come here)."""

from typing import Any

from django.db import transaction

from remixer.actions import audit
from remixer.models.accounts import ApiKey


def make_key(
    *, user: Any, name: str, address: str | None = None, via: str = "the keys page"
) -> tuple[ApiKey, str]:
    """A new key for `user`, and its secret: the only time the secret exists in full."""
    with transaction.atomic():
        key, secret = ApiKey.issue(user=user, name=name)
        detail = {"name": key.name, "prefix": key.prefix, "via": via}
        audit.record(audit.Action.KEY_MADE, user=user, address=address, target=key, detail=detail)
    return key, secret


def revoke_key(*, user: Any, key: ApiKey, address: str | None = None) -> None:
    """Revoke `key` (by its owner, or staff in the admin); revoking it again notes nothing."""
    with transaction.atomic():
        if key.is_revoked:
            return
        key.revoke()
        detail = {"name": key.name, "prefix": key.prefix, "owner": key.user.get_username()}
        audit.record(
            audit.Action.KEY_REVOKED, user=user, address=address, target=key, detail=detail
        )
