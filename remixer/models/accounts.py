"""Who may come in and what they may do: failed logins counted in the database, personal
keys for /v1, and each person's role (viewer, creator or staff)."""

import hashlib
import secrets
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone


class LoginFailure(models.Model):
    """A failed login, kept in the database so every web process counts the same failures."""

    username = models.CharField(max_length=150, db_index=True)
    address = models.GenericIPAddressField(null=True, blank=True, db_index=True)
    failed_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-failed_at"]

    def __str__(self) -> str:
        return f"{self.username} from {self.address} at {self.failed_at:%Y-%m-%d %H:%M}"


VIEWERS = "Viewers"  # the auth group whose members may look but not make or change


class Role(models.TextChoices):
    """What a person may do: a viewer browses, plays, downloads, compares and exports; a
    creator also makes, changes and deletes their own videos; staff anyone's."""

    VIEWER = "viewer", "Viewer"
    CREATOR = "creator", "Creator"
    STAFF = "staff", "Staff"


def role_of(user: Any) -> Role:
    """A person's role: staff by their flag, a viewer by membership of the Viewers group
    (read with the user where `PeopleBackend` or the admin loaded it, else asked now)."""
    if user.is_staff or user.is_superuser:
        return Role.STAFF
    if not user.is_authenticated:
        return Role.VIEWER
    viewer = getattr(user, "is_viewer", None)
    if viewer is None:
        viewer = user.groups.filter(name=VIEWERS).exists()
    return Role.VIEWER if viewer else Role.CREATOR


def viewer_membership() -> Exists:
    """Whether the user of the outer row is in the Viewers group, to annotate as `is_viewer`."""
    memberships = get_user_model().groups.through.objects.filter(
        user=OuterRef("pk"), group__name=VIEWERS
    )
    return Exists(memberships)


class PeopleBackend(ModelBackend):
    """Django's model backend, whose signed-in user comes with their role: every page asks
    it (the header's links), and it costs no query of its own."""

    def get_user(self, user_id: Any) -> Any:
        people = get_user_model()._default_manager.annotate(is_viewer=viewer_membership())
        user = people.filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None


def can_make(user: Any) -> bool:
    """The one question "may this person change anything": make, remix, import or delete."""
    return role_of(user) != Role.VIEWER


def viewers_group() -> Group:
    """The Viewers group, made the first time it is asked for (no migration makes it)."""
    return Group.objects.get_or_create(name=VIEWERS)[0]


def set_role(user: Any, role: Role) -> None:
    """Make a person a viewer or a creator (staff is the admin's "Staff status" flag)."""
    if role == Role.VIEWER:
        user.groups.add(viewers_group())
    else:
        user.groups.remove(*Group.objects.filter(name=VIEWERS))


API_KEY_START = "rmx_"
KEY_USE_RESOLUTION = timedelta(minutes=1)


def key_digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


class ApiKey(models.Model):
    """A personal key for the /v1 Videos API. Only its SHA-256 is kept: the secret is shown once."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_keys"
    )
    name = models.CharField(max_length=100)
    prefix = models.CharField(
        max_length=16, editable=False, help_text="Not secret: tells keys apart."
    )
    digest = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "API key"

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @classmethod
    def issue(cls, *, user: Any, name: str) -> tuple["ApiKey", str]:
        """A new key for `user`, and its secret: the only time the secret exists in full."""
        secret = API_KEY_START + secrets.token_urlsafe(32)
        key = cls.objects.create(
            user=user, name=name, prefix=secret[:12], digest=key_digest(secret)
        )
        return key, secret

    @classmethod
    def of(cls, user: Any) -> "models.QuerySet[ApiKey]":
        return cls.objects.filter(user=user)

    @classmethod
    def find(cls, secret: str) -> "ApiKey | None":
        """The key with this secret, if it is neither revoked nor its user deactivated."""
        active = cls.objects.filter(revoked_at__isnull=True, user__is_active=True)
        return active.select_related("user").filter(digest=key_digest(secret)).first()

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    def record_use(self) -> None:
        """Note the use, at most once a minute: a script polling every second writes nothing."""
        now = timezone.now()
        if self.last_used_at is not None and now - self.last_used_at < KEY_USE_RESOLUTION:
            return
        stale = Q(last_used_at__isnull=True) | Q(last_used_at__lt=now - KEY_USE_RESOLUTION)
        ApiKey.objects.filter(stale, pk=self.pk).update(last_used_at=now)
        self.last_used_at = now

    def revoke(self) -> None:
        now = timezone.now()
        ApiKey.objects.filter(pk=self.pk, revoked_at__isnull=True).update(revoked_at=now)
        self.revoked_at = self.revoked_at or now


def recent(seconds: float) -> Any:
    return LoginFailure.objects.filter(failed_at__gte=timezone.now() - timedelta(seconds=seconds))


def forget_old_failures() -> int:
    """Failed logins past every window that counts them (the sweep's upkeep)."""
    window = max(settings.LOGIN_LOCK_MINUTES * 60, settings.LOGIN_FLOOD_SECONDS)
    before = timezone.now() - timedelta(seconds=window)
    return LoginFailure.objects.filter(failed_at__lt=before).delete()[0]


def locked(username: str, address: str | None) -> bool:
    failures = recent(settings.LOGIN_LOCK_MINUTES * 60).filter(username__iexact=username)
    from_here = failures.filter(address=address).count() if address else 0
    return (
        from_here >= settings.LOGIN_FAILURES_PER_ACCOUNT_AND_ADDRESS
        or failures.count() >= settings.LOGIN_FAILURES_PER_ACCOUNT
    )


def flood_wait(address: str | None) -> int:
    """Seconds until this address may try again: 0 unless it failed too often just now."""
    limit, window = settings.LOGIN_FLOOD_FAILURES, settings.LOGIN_FLOOD_SECONDS
    if address is None:
        return 0
    times = recent(window).filter(address=address).order_by("-failed_at")
    oldest = times.values_list("failed_at", flat=True)[limit - 1 : limit].first()
    if oldest is None:
        return 0
    return max(1, int(window - (timezone.now() - oldest).total_seconds()) + 1)
