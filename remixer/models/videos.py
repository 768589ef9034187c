"""The library's videos: each a job mirroring the Videos API's Video object. The providers
that make them and their catalogs are in providers.py."""

import functools
import re
import secrets
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connections, models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator

from remixer.lib.text import NOT_TEXT, is_text
from remixer.lib.words import file_slug
from remixer.models.providers import Provider

# What a video id can look like (ours are video_ and hex); anything else is no video.
PROMPT_MAX = 32000  # the longest prompt any form takes
VIDEO_ID_PATTERN = re.compile("[A-Za-z0-9_-]{1,64}")
STATUS_FIELDS = {  # what the polled status fragment shows
    "id",
    "status",
    "progress",
    "phase",
    "retry_reason",
    "size",
    "error_code",
    "error_message",
    "owner_id",
    "trashed_at",
}


def valid_text(value: str) -> None:
    if not is_text(value):
        raise ValidationError(NOT_TEXT, code="invalid_text")


def new_video_id() -> str:
    return f"video_{secrets.token_hex(16)}"


def unix(moment: datetime | None) -> int | None:
    return None if moment is None else int(moment.timestamp())


class VideoQuerySet(models.QuerySet["Video"]):
    def newest_first(self) -> "VideoQuerySet":
        """The library's order: the latest to arrive here first (an export's video arrives
        when it is imported, however long ago it was made); /v1 lists by created_at."""
        return self.order_by("-arrived_at", "-id")

    def status_of(self, video_id: str) -> "Video | None":
        """Just what the polled status fragment shows, by a query written out once.

        Every open tab asks once a second; Django's query compiler costs more than the
        query itself, so this one skips it.
        """
        names = status_columns()  # in the model's order, as Model.from_db expects them
        with connections[self.db].cursor() as cursor:
            cursor.execute(
                f"SELECT {', '.join(names)} FROM {self.model._meta.db_table} WHERE id = %s",  # noqa: S608
                [video_id],
            )
            row = cursor.fetchone()
        return None if row is None else self.model.from_db(self.db, names, row)

    def unfinished(self) -> "VideoQuerySet":
        return self.exclude(status__in=Video.TERMINAL)

    def in_library(self) -> "VideoQuerySet":
        """The videos the library, the remix picker, compare and /v1 show: none in the Trash."""
        return self.filter(trashed_at__isnull=True)

    def in_trash(self) -> "VideoQuerySet":
        """Trashed videos whose files are still kept: they can be restored."""
        return self.filter(trashed_at__isnull=False, files_removed_at__isnull=True)


@functools.cache
def status_columns() -> list[str]:
    return [f.attname for f in Video._meta.concrete_fields if f.attname in STATUS_FIELDS]


class Video(models.Model):
    """One video job, mirroring the Videos API's Video object.

    The status only moves forward:

        queued ──▶ in_progress ──▶ completed
           │            │
           └────────────┴───────▶ failed   (an error, or cancelled by its owner)

    A retry never revives a failed row: it makes a new video that points back to it.
    Its kind says how it is made: an import is checked, never rendered. It never changes, but
    for an imported export, which takes on how it was first made once its file is checked.
    """

    class Kind(models.TextChoices):
        CREATE = "create", "Made from a prompt"
        REMIX = "remix", "Remixed from another video"
        EXTENSION = "extension", "Extended from another video"
        EDIT = "edit", "Edited from another video"
        IMPORT = "import", "Imported from a file"

    class Strategy(models.TextChoices):
        """How a remix, extension or edit reached its engine."""

        NONE = "", "Made directly"
        LOCAL = "local", "With the local engine"
        NATIVE = "native", "By the provider's remix route"
        VIDEO_FILE = "video_file", "From the source video, sent as a file"
        VIDEO_URL = "video_url", "From the source video, sent as a data URL"
        FIRST_FRAME = "first_frame", "From the source's first frame"
        LAST_FRAME = "last_frame", "From the source's last frame"
        EXTENSIONS = "extensions", "By the provider's extensions route"
        WORKFLOW = "workflow", "Through a ComfyUI workflow"

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        IN_PROGRESS = "in_progress", "In progress"
        COMPLETED = "completed", "Completed"
        FAILED = "failed", "Failed"

    class Phase(models.TextChoices):
        WAITING = "", "Waiting for a worker"
        RENDERING = "rendering", "Rendering"
        SUBMITTED = "submitted", "The provider is working on it"
        COPYING = "copying", "Copying into remixer's storage"
        VERIFYING = "verifying", "Checking the uploaded video"

    TERMINAL = (Status.COMPLETED, Status.FAILED)

    # The Video object's own fields.
    id = models.CharField(primary_key=True, max_length=64, default=new_video_id, editable=False)
    object = models.CharField(max_length=16, default="video", editable=False)
    model = models.CharField(max_length=200)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    completed_at = models.DateTimeField(null=True, blank=True)
    # When it completed or failed: what the providers' health over the last day is read from.
    ended_at = models.DateTimeField(null=True, blank=True, db_index=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    prompt = models.TextField(null=True, blank=True)
    size = models.CharField(max_length=16)
    seconds = models.CharField(max_length=8)
    remixed_from_video_id = models.CharField(max_length=64, null=True, blank=True)
    error_code = models.CharField(max_length=100, null=True, blank=True)
    error_message = models.TextField(null=True, blank=True)

    # What remixer keeps beside it.
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.CREATE)
    strategy = models.CharField(max_length=16, choices=Strategy.choices, blank=True, default="")
    title = models.CharField(max_length=200, blank=True)
    # When it arrived in this library: made here, or imported (created_at stays the export's).
    arrived_at = models.DateTimeField(default=timezone.now, editable=False)
    # Variations submitted together share a batch.
    batch = models.UUIDField(null=True, blank=True, editable=False, db_index=True)
    # The owner's name where the video was first made (an imported export), if not its owner.
    original_owner = models.CharField(max_length=150, blank=True)
    # In the Trash since; its files go after REMIXER_TRASH_DAYS, the row stays as a tombstone.
    trashed_at = models.DateTimeField(null=True, blank=True)
    erased = models.BooleanField(default=False)
    # When a trashed video's files were removed (emptied, erased or purged): it is a tombstone.
    files_removed_at = models.DateTimeField(null=True, blank=True)
    remixed_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="remixes"
    )
    retry_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="retries"
    )
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT)
    provider_video_id = models.CharField(max_length=512, blank=True)
    phase = models.CharField(max_length=16, choices=Phase.choices, blank=True, default="")
    submitted_at = models.DateTimeField(null=True, blank=True)
    poll_failures = models.PositiveSmallIntegerField(default=0)
    # Sent again after its provider forgot it (ComfyUI restarted): once at most.
    resends = models.PositiveSmallIntegerField(default=0, editable=False)
    # Why remixer is waiting to try the provider again (rate limit, outage); empty otherwise.
    retry_reason = models.TextField(blank=True)
    provider_object = models.JSONField(null=True, blank=True)
    recipe = models.JSONField(null=True, blank=True)
    # The ComfyUI workflow it is made with ({"workflow", "roles", "frames_rule"}), as its
    # entry was when it was asked for: a later change to the entry does not change it.
    workflow = models.JSONField(null=True, blank=True, editable=False)
    reference_image = models.FileField(blank=True)
    video_file = models.FileField(blank=True)
    thumbnail_file = models.FileField(blank=True)
    spritesheet_file = models.FileField(blank=True)
    file_size = models.BigIntegerField(null=True, blank=True)
    # The file's exact length in seconds (`seconds` is it rounded to whole seconds).
    duration = models.FloatField(null=True, blank=True, editable=False)
    file_sha256 = models.CharField(max_length=64, blank=True)
    note = models.TextField(blank=True)
    form_token = models.UUIDField(null=True, blank=True, editable=False)
    # What the submission asked for, to tell a resent request from another under the same key.
    submission = models.JSONField(null=True, blank=True, editable=False)
    # A follow-up, `{"kind", "video"}` (and `"priority"` where not the default): the job
    # waiting for this one (an edit of an upload waits for its import, a demo remix for its
    # source), started, or failed with this one's error, once this one ends; then cleared.
    then = models.JSONField(null=True, blank=True, editable=False)
    lease_owner = models.CharField(max_length=64, blank=True)
    lease_expires_at = models.DateTimeField(null=True, blank=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = VideoQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            # The library's order (newest_first), and with a status (the remix picker's);
            # trashed_at last: the library's pages skip the Trash from the index alone.
            models.Index(fields=["-arrived_at", "-id", "trashed_at"], name="video_arrived_first"),
            models.Index(
                fields=["status", "-arrived_at", "-id", "trashed_at"],
                name="video_status_arrived_first",
            ),
            # /v1's list, by when each video was made, as the Videos API orders it.
            models.Index(fields=["-created_at", "-id", "trashed_at"], name="video_created_first"),
            # What the Trash lists and the worker purges: never the tombstones left for good.
            models.Index(
                fields=["trashed_at"],
                condition=Q(trashed_at__isnull=False, files_removed_at__isnull=True),
                name="video_in_trash",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__gte=0, progress__lte=100), name="video_progress_0_100"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["queued", "in_progress", "completed", "failed"]),
                name="video_status_known",
            ),
            models.UniqueConstraint(fields=["owner", "form_token"], name="one_job_per_form"),
        ]

    def __str__(self) -> str:
        return self.id

    def get_absolute_url(self) -> str:
        return reverse("video_detail", args=[self.pk])

    @property
    def width(self) -> int:
        return int(self.size.partition("x")[0] or 0)

    @property
    def height(self) -> int:
        return int(self.size.partition("x")[2] or 0)

    @property
    def orientation(self) -> str:
        return "portrait" if self.height > self.width else "landscape"

    @property
    def is_finished(self) -> bool:
        return self.status in self.TERMINAL

    @property
    def is_remixable(self) -> bool:
        return self.status == self.Status.COMPLETED and bool(self.video_file) and not self.trashed

    @property
    def trashed(self) -> bool:
        return self.trashed_at is not None

    @property
    def source(self) -> "Video | None":
        """The video this one was made from, while it is in the library (not in the Trash)."""
        source = self.remixed_from
        return None if source is None or source.trashed else source

    @property
    def display_name(self) -> str:
        """How people know the video: its title, else its prompt shortened, never its id alone."""
        if self.title:
            return self.title
        if self.prompt:
            return Truncator(" ".join(self.prompt.split())).chars(60)
        made = timezone.localtime(self.created_at).strftime("%Y-%m-%d %H:%M")
        return f"the untitled video of {made}"

    @property
    def variation(self) -> int:
        """Which of its batch's variations this is, as asked; 0 for a video asked for alone."""
        index = (self.submission or {}).get("variation") if self.batch else None
        return index if isinstance(index, int) else 0

    @property
    def error(self) -> dict[str, str] | None:
        if self.error_code is None and self.error_message is None:
            return None
        return {"code": self.error_code or "error", "message": self.error_message or ""}

    @property
    def recipe_steps(self) -> list[str]:
        from remixer.models.recipes import RecipeError, stored_recipe

        if not self.recipe:
            return []
        try:
            recipe = stored_recipe(self.recipe)
        except RecipeError as error:  # a stored recipe the engine can no longer follow
            return [f"Recipe not usable: {error}"]
        return recipe.describe() + recipe.notes()

    def can_change(self, user: Any) -> bool:
        """Only the owner (or staff) may retry, cancel or delete."""
        return bool(user.is_staff or user.pk == self.owner_id)

    def as_api_object(self) -> dict[str, Any]:
        """The Video object exactly as the Videos API renders it."""
        return {
            "id": self.id,
            "object": "video",
            "model": self.model,
            "status": self.status,
            "progress": self.progress,
            "created_at": unix(self.created_at),
            "completed_at": unix(self.completed_at),
            "expires_at": unix(self.expires_at),
            "prompt": self.prompt,
            "size": self.size,
            "seconds": self.seconds,
            "remixed_from_video_id": self.remixed_from_video_id,
            "error": self.error or self.waiting,
        }

    @property
    def waiting(self) -> dict[str, str] | None:
        """Why an unfinished job waits to try its provider again (unreachable, rate-limited),
        in the API's error shape: a script sees what the page says, before the job fails."""
        if self.is_finished or not self.retry_reason:
            return None
        return {"code": "provider_waiting", "message": self.retry_reason}


# The downloadable variants of a video, as the Videos API names them: (field, file extension).
VARIANTS = {
    "video": ("video_file", "mp4"),
    "thumbnail": ("thumbnail_file", "webp"),
    "spritesheet": ("spritesheet_file", "jpg"),
}


def variant_file(video: Video, variant: str) -> tuple[str, str] | None:
    """The storage name of one variant and the name to serve it under, after the video's
    title or prompt ("calm-blue-waves-at-dusk.mp4"); None until it exists."""
    field, extension = VARIANTS[variant]
    stored = getattr(video, field)
    if not stored:
        return None
    named = file_slug(video.title or video.prompt or "") or video.pk
    suffix = "" if variant == "video" else f"-{variant}"
    return str(stored), f"{named}{suffix}.{extension}"
