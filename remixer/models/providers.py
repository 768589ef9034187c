"""Where videos are made: the providers (the local engine, servers speaking the Videos API)
and the catalog of models each offers."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

from remixer.lib.words import duration

SIZES = ("720x1280", "1280x720", "1024x1792", "1792x1024")
SECONDS = ("4", "8", "12")
LOCAL_MODEL = "remixer-local"
UNREACHABLE_AFTER = 3  # calls in a row left unanswered (refused, reset, timed out)


class Provider(models.Model):
    """Where videos are made: the built-in local engine, or a server speaking the Videos API.

    What an HTTP provider can do is learnt: `None` means not known yet, until a
    connection test or the first use tells.
    """

    class Kind(models.TextChoices):
        LOCAL = "local", "Local engine"
        HTTP = "http", "Videos API server"
        COMFYUI = "comfyui", "ComfyUI"

    class AuthHeader(models.TextChoices):
        BEARER = "authorization", "Authorization: Bearer <key>"
        API_KEY = "api-key", "api-key: <key> (Azure)"

    class Encoding(models.TextChoices):
        MULTIPART = "multipart", "multipart/form-data"
        JSON = "json", "JSON"

    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.HTTP)
    name = models.CharField(max_length=100, unique=True)
    enabled = models.BooleanField(default=True)
    base_url = models.URLField(
        max_length=500,
        blank=True,
        help_text="The API's root, ending in /v1 (ComfyUI: its address, e.g. http://gpu:8188).",
    )
    api_key = models.CharField(max_length=500, blank=True)
    auth_header = models.CharField(
        max_length=32, choices=AuthHeader.choices, default=AuthHeader.BEARER
    )
    body_encoding = models.CharField(
        max_length=16, choices=Encoding.choices, default=Encoding.MULTIPART
    )
    extra_fields = models.JSONField(
        default=dict, blank=True, help_text='Sent with every create, e.g. {"seed": 42}.'
    )
    default_remix_model = models.CharField(
        max_length=200,
        blank=True,
        help_text="ComfyUI: the workflow its videos are remixed through by default; "
        "empty: the one that made each video, if it can remix.",
    )
    job_deadline = models.PositiveIntegerField(
        default=3600, help_text="Seconds a job may take before remixer gives up on it."
    )
    can_remix = models.BooleanField(null=True, blank=True)
    can_list = models.BooleanField(null=True, blank=True)
    can_delete = models.BooleanField(null=True, blank=True)
    has_variants = models.BooleanField(null=True, blank=True)
    checked_at = models.DateTimeField(null=True, blank=True)
    check_result = models.TextField(blank=True)
    # Its health, shared by every worker on every host: calls in a row it left unanswered
    # (connection refused or reset, timed out), since when, and the last such error. From
    # UNREACHABLE_AFTER on it is unreachable: its circuit is open, its jobs wait longer and
    # longer between tries, one at a time, until a call is answered.
    unanswered_calls = models.PositiveIntegerField(default=0)
    unanswered_since = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind"], condition=Q(kind="local"), name="one_local_engine"
            )
        ]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def default(cls) -> "Provider":
        provider, created = cls.objects.get_or_create(
            kind=cls.Kind.LOCAL, defaults={"name": "Local engine"}
        )
        if created:
            CatalogEntry.objects.create(provider=provider, name=LOCAL_MODEL)
        return provider

    @property
    def unreachable(self) -> bool:
        return self.unanswered_calls >= UNREACHABLE_AFTER

    @property
    def retry_every(self) -> float:
        """Seconds between tries while it is unreachable: doubling, up to a ceiling."""
        doublings = min(max(0, self.unanswered_calls - UNREACHABLE_AFTER), 20)
        first, ceiling = settings.REMIXER_RETRY_FIRST, settings.REMIXER_RETRY_CEILING
        return float(min(ceiling, first * 2**doublings))

    def unreachable_line(self) -> str:
        """What its jobs' pages say while it is unreachable."""
        since = timezone.localtime(self.unanswered_since or timezone.now())
        today = since.date() == timezone.localdate()
        moment = since.strftime("%H:%M %Z" if today else "%Y-%m-%d %H:%M %Z")
        return (
            f"The server at {self.base_url} has not answered since {moment}; "
            f"remixer tries again every {duration(self.retry_every)}."
        )


class ProviderCall(models.Model):
    """One of a provider's places for a call in flight (REMIXER_CALLS_PER_PROVIDER of them).

    A worker holds one while it calls the provider, so a server that hangs ties up that many
    workers at most, on every host. A holder that dies frees its place when `held_until`
    passes; a live one renews it as it renews its lease on the video.
    """

    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="calls")
    place = models.PositiveSmallIntegerField()
    holder = models.CharField(max_length=200, blank=True)
    held_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["provider", "place"], name="one_holder_per_place")
        ]

    def __str__(self) -> str:
        return f"{self.provider} place {self.place}"


class CatalogEntry(models.Model):
    """A model a provider offers, with what it accepts and what it costs."""

    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="catalog")
    name = models.CharField(max_length=200, help_text="The model name the provider expects.")
    sizes = models.CharField(max_length=200, default=",".join(SIZES))
    seconds = models.CharField(max_length=100, default=",".join(SECONDS))
    price_per_second = models.DecimalField(max_digits=8, decimal_places=4, default=0)

    class RemixStrategy(models.TextChoices):
        UNKNOWN = "", "Not known yet: detect it"
        NATIVE = "native", "The provider's remix route"
        VIDEO_FILE = "video_file", "Video-to-video: the source as an input_reference file"
        VIDEO_URL = "video_url", "Video-to-video: the source as a video_reference data URL"
        FIRST_FRAME = "first_frame", "Image-to-video from the source's first frame"
        LAST_FRAME = "last_frame", "Image-to-video from the source's last frame"
        NONE = "none", "None: remix with the local engine"

    remix_strategy = models.CharField(
        max_length=16, choices=RemixStrategy.choices, blank=True, default=""
    )
    remix_evidence = models.TextField(blank=True, help_text="Why this strategy was chosen.")
    aliases = models.CharField(
        max_length=500,
        blank=True,
        help_text="Other names scripts may ask for, comma-separated (e.g. sora-2, sora-2-pro).",
    )
    # A ComfyUI provider's entry is a workflow, in ComfyUI's API format; `roles` names the
    # node and input remixer fills for each role where the titles do not say it.
    workflow = models.JSONField(null=True, blank=True)
    roles = models.JSONField(
        default=dict,
        blank=True,
        help_text='Set by hand where node titles do not say it, e.g. {"prompt": ["6", "text"]}.',
    )
    frames_rule = models.CharField(
        max_length=16,
        blank=True,
        help_text="How a workflow's frame count is rounded, e.g. 4k+1 for Wan; empty: exact.",
    )

    class Meta:
        ordering = ["provider__name", "name"]
        verbose_name_plural = "catalog entries"
        constraints = [
            models.UniqueConstraint(fields=["provider", "name"], name="one_entry_per_model")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.provider.name})"

    @property
    def size_list(self) -> list[str]:
        return [size.strip() for size in self.sizes.split(",") if size.strip()]

    @property
    def seconds_list(self) -> list[str]:
        return [value.strip() for value in self.seconds.split(",") if value.strip()]

    @property
    def alias_list(self) -> list[str]:
        return [alias.strip() for alias in self.aliases.split(",") if alias.strip()]

    def clean(self) -> None:
        """An alias that names another model on offer would never be reached: refuse it."""
        others = CatalogEntry.objects.exclude(pk=self.pk)
        taken = {entry.name for entry in others} | {a for e in others for a in e.alias_list}
        if clashes := sorted(taken.intersection(self.alias_list)):
            raise ValidationError(
                {"aliases": f"Another model already answers to {', '.join(clashes)}."}
            )
