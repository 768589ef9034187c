"""The audit trail: who signed in (or failed to), made or revoked a key, deleted, restored or
erased a video, emptied the Trash, made or downloaded an export, changed a provider or the
catalog, or acted on videos in the admin; when, and from which address.

Records are only ever added (actions/audit.py is the one door) and kept REMIXER_AUDIT_DAYS
days; the workers' sweep then removes them.
"""

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone


class AuditRecord(models.Model):
    class Action(models.TextChoices):
        SIGNED_IN = "signed_in", "Signed in"
        SIGN_IN_FAILED = "sign_in_failed", "Failed sign-in"
        KEY_MADE = "key_made", "API key made"
        KEY_REVOKED = "key_revoked", "API key revoked"
        VIDEO_DELETED = "video_deleted", "Video moved to the Trash"
        VIDEO_RESTORED = "video_restored", "Video restored"
        VIDEO_ERASED = "video_erased", "Video erased"
        TRASH_EMPTIED = "trash_emptied", "Trash emptied"
        EXPORT_MADE = "export_made", "Export made"
        EXPORT_DOWNLOADED = "export_downloaded", "Export downloaded"
        PROVIDER_SAVED = "provider_saved", "Provider added or changed"
        PROVIDER_DELETED = "provider_deleted", "Provider deleted"
        CATALOG_SAVED = "catalog_saved", "Catalog entry added or changed"
        CATALOG_DELETED = "catalog_deleted", "Catalog entry deleted"
        VIDEOS_RETRIED = "videos_retried", "Videos retried in the admin"
        VIDEOS_CANCELLED = "videos_cancelled", "Videos cancelled in the admin"
        VIDEOS_REARCHIVED = "videos_rearchived", "Videos re-archived in the admin"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="audit_records",
        help_text="Blank for a failed sign-in, or once the account is deleted.",
    )
    username = models.CharField(
        max_length=150, blank=True, help_text="As typed for a sign-in; else the user's name then."
    )
    at = models.DateTimeField(default=timezone.now)
    address = models.GenericIPAddressField(null=True, blank=True)
    action = models.CharField(max_length=32, choices=Action.choices)
    target_kind = models.CharField(max_length=32, blank=True)
    target_id = models.CharField(max_length=64, blank=True)
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["at"], name="audit_at"),
            models.Index(fields=["user", "at"], name="audit_user_at"),
            models.Index(fields=["action", "at"], name="audit_action_at"),
        ]

    def __str__(self) -> str:
        who = self.username or "someone"
        return f"{who}: {self.get_action_display()} at {self.at:%Y-%m-%d %H:%M}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise ValueError("An audit record is never changed.")
        super().save(*args, **kwargs)

    @property
    def target(self) -> str:
        return f"{self.target_kind} {self.target_id}".strip()


def forget_old_records() -> int:
    """Records older than REMIXER_AUDIT_DAYS (the sweep's upkeep); how many went."""
    before = timezone.now() - timedelta(days=settings.REMIXER_AUDIT_DAYS)
    return AuditRecord.objects.filter(at__lt=before).delete()[0]
