"""An export: the videos someone chose, written by a worker into one ZIP they may download.

The ZIP itself is written by `remixer.worker.exports`; this module holds the row that follows it.
"""

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from remixer.models.videos import Video, VideoQuerySet


class Export(models.Model):
    """One ZIP of videos, from `queued` to `completed` (or `failed`), then expired.

    Its file may be downloaded by its owner (or staff) until `expires_at`; the worker removes
    the file after that and the row stays, saying so.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        IN_PROGRESS = "in_progress", "Writing the ZIP"
        COMPLETED = "completed", "Ready"
        FAILED = "failed", "Failed"

    class Scope(models.TextChoices):
        SELECTED = "selected", "The videos ticked"
        MINE = "mine", "Everything I own"
        ALL = "all", "Everything"

    TERMINAL = (Status.COMPLETED, Status.FAILED)

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="exports"
    )
    scope = models.CharField(max_length=16, choices=Scope.choices)
    video_ids = models.JSONField(default=list, blank=True, help_text="The ids ticked.")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    video_count = models.PositiveIntegerField(default=0)
    file = models.CharField(max_length=200, blank=True)
    file_size = models.BigIntegerField(null=True, blank=True)
    error_message = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    completed_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__gte=0, progress__lte=100), name="export_progress_0_100"
            ),
        ]

    def __str__(self) -> str:
        return f"Export of {self.get_scope_display().lower()} by {self.owner_id}"

    def get_absolute_url(self) -> str:
        return reverse("export_detail", args=[self.pk])

    @property
    def is_finished(self) -> bool:
        return self.status in self.TERMINAL

    @property
    def is_expired(self) -> bool:
        return self.expires_at is not None and self.expires_at <= timezone.now()

    @property
    def is_ready(self) -> bool:
        """Whether its ZIP may be downloaded now."""
        return self.status == self.Status.COMPLETED and bool(self.file) and not self.is_expired

    @property
    def filename(self) -> str:
        return f"remixer-export-{self.created_at:%Y%m%d-%H%M%S}.zip"

    def can_see(self, user: Any) -> bool:
        """Only the one who asked for it (or staff) sees it and downloads it."""
        return bool(user.is_staff or user.pk == self.owner_id)


class ExportImport(models.Model):
    """A remixer export's ZIP given to the Import page, read by a worker into import jobs.

    The request only stores the ZIP (`upload`); a worker reads it and makes each video an
    import job while its owner has room under the active-job limit, so a large export waits
    its turn rather than being refused. `placed` maps each old id to the video it became,
    `problems` each old id that made no job to why."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting for a worker"
        WAITING = "waiting", "Waiting for your other jobs to finish"
        IN_PROGRESS = "in_progress", "Reading the ZIP"
        COMPLETED = "completed", "Read"
        FAILED = "failed", "Failed"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="export_imports"
    )
    form_token = models.UUIDField()
    operator = models.BooleanField(default=False, help_text="Staff's: owners kept, no limit.")
    upload = models.CharField(max_length=200, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.QUEUED)
    video_count = models.PositiveIntegerField(default=0)
    placed = models.JSONField(default=dict, blank=True)
    problems = models.JSONField(default=dict, blank=True)
    error_message = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "form_token"], name="export_import_one_per_form"
            ),
        ]

    def __str__(self) -> str:
        return f"Import of an export by {self.owner_id}"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.COMPLETED, self.Status.FAILED)

    @property
    def waiting_count(self) -> int:
        return max(0, self.video_count - len(self.placed) - len(self.problems))

    def arrived(self) -> VideoQuerySet:
        """The videos it brought into the library so far (not those since trashed), in the
        library's order: `placed` lists each as its import job is made."""
        videos = Video.objects.in_library()
        return videos.filter(pk__in=list(self.placed.values())).newest_first()
