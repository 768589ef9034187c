"""Videos, API keys, login failures and exports in the admin."""

import uuid

from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.text import Truncator

from remixer.actions import audit, jobs, specs, trash, videos
from remixer.actions.errors import NotAllowed
from remixer.actions.keys import revoke_key
from remixer.files import storage
from remixer.forms.logins import client_address
from remixer.lib.words import counted
from remixer.models import Video
from remixer.models.accounts import ApiKey, LoginFailure
from remixer.models.exports import Export


@admin.register(Video)
class VideoAdmin(admin.ModelAdmin[Video]):
    # Narrow enough for a laptop's screen beside the filters; the rest is on each video's page.
    list_display = ["name", "owner", "status_now", "kind_word", "provider", "made"]
    list_filter = [
        "status",
        ("trashed_at", admin.EmptyFieldListFilter),
        "erased",
        "kind",
        "strategy",
        "provider",
        "model",
        "size",
        "seconds",
    ]
    search_fields = [
        "id",
        "title",
        "prompt",
        "provider_video_id",
        "remixed_from_video_id",
        "owner__username",
    ]
    list_select_related = ["owner", "provider"]
    date_hierarchy = "created_at"
    # What a job was asked for is fixed once it is made (retry makes a new one), and its lease is
    # the workers' own: an operator edits a video's title, owner and note.
    readonly_fields = [
        "id",
        "object",
        "model",
        "prompt",
        "size",
        "seconds",
        "lease_owner",
        "lease_expires_at",
        "kind",
        "strategy",
        "batch",
        "original_owner",
        "status",
        "progress",
        "phase_now",
        "created_at",
        "arrived_at",
        "completed_at",
        "expires_at",
        "remixed_from_video_id",
        "remixed_from",
        "retry_of",
        "error_code",
        "error_message",
        "provider",
        "provider_video_id",
        "provider_object",
        "submitted_at",
        "poll_failures",
        "retry_reason",
        "recipe",
        "recipe_read",
        "video_file",
        "thumbnail_file",
        "spritesheet_file",
        "file_size",
        "file_sha256",
        "reference_image",
        "form_token",
        "submission",
        "updated_at",
        "trashed_at",
        "files_removed_at",
        "erased",
    ]
    exclude = ["phase"]  # shown as `phase_now`, which says so once the job has finished
    raw_id_fields = ["owner"]
    actions = ["retry_videos", "cancel_videos", "rearchive_videos", "empty_trash"]

    class Media:
        css = {"all": ["remixer-admin.css"]}

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # a job starts through the one door (jobs.submit), never as a bare row

    @admin.display(description="Recipe, as the engine reads it")
    def recipe_read(self, video: Video) -> str:
        return "; ".join(video.recipe_steps) or "-"

    @admin.display(description="Title or prompt")
    def name(self, video: Video) -> str:
        """The title, else the prompt, on one line cut to 60 characters; all of it on hover."""
        full = " ".join((video.title or video.prompt or "").split()) or "(no prompt)"
        return format_html('<span title="{}">{}</span>', full, Truncator(full).chars(60))

    @admin.display(description="Status", ordering="status")
    def status_now(self, video: Video) -> str:
        shown = video.get_status_display()
        if video.status == Video.Status.IN_PROGRESS:
            shown = f"{shown} {video.progress}%"
        return f"{shown} (trashed)" if video.trashed else shown

    @admin.display(description="Kind", ordering="kind")
    def kind_word(self, video: Video) -> str:
        return video.kind.capitalize()

    @admin.display(description="Created", ordering="created_at")
    def made(self, video: Video) -> str:
        return timezone.localtime(video.created_at).strftime("%Y-%m-%d %H:%M")

    @admin.display(description="Phase")
    def phase_now(self, video: Video) -> str:
        """Where a running job is; a finished one has none (its blank phase means waiting)."""
        return "Finished" if video.is_finished else video.get_phase_display()

    def delete_model(self, request: HttpRequest, obj: Video) -> None:
        """Django's delete asks for confirmation first; the video goes to the Trash."""
        trash.trash_video(user=request.user, video=obj, address=client_address(request))

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Video]) -> None:
        for video in queryset:
            trash.trash_video(user=request.user, video=video, address=client_address(request))

    @admin.action(description="Retry the selected failed videos")
    def retry_videos(self, request: HttpRequest, queryset: QuerySet[Video]) -> None:
        retried, refused = [], []
        with transaction.atomic():
            for video in queryset.filter(status=Video.Status.FAILED):
                try:
                    spec = specs.retry_spec(
                        user=request.user, video=video, token=uuid.uuid4(), exempt=True
                    )
                except NotAllowed as error:
                    refused.append(f"{video.pk}: {error}")
                    continue
                if jobs.submit(spec).retry_of_id == video.pk:
                    retried.append(video.pk)
            note(request, audit.Action.VIDEOS_RETRIED, retried)
        self.message_user(
            request, f"Started {counted(len(retried), 'retry', 'retries')}.", messages.SUCCESS
        )
        for reason in refused:
            self.message_user(request, f"Not retried, {reason}", messages.WARNING)

    @admin.action(description="Cancel the selected running videos")
    def cancel_videos(self, request: HttpRequest, queryset: QuerySet[Video]) -> None:
        with transaction.atomic():
            cancelled = [v.pk for v in queryset if videos.cancel_video(user=request.user, video=v)]
            note(request, audit.Action.VIDEOS_CANCELLED, cancelled)
        done = counted(len(cancelled), "video")
        self.message_user(request, f"Cancelled {done}.", messages.SUCCESS)

    @admin.action(description="Re-archive the selected completed videos (copy and check again)")
    def rearchive_videos(self, request: HttpRequest, queryset: QuerySet[Video]) -> None:
        with transaction.atomic():
            count = videos.rearchive_videos(queryset)
            chosen = [str(pk) for pk in queryset.values_list("pk", flat=True)]
            note(request, audit.Action.VIDEOS_REARCHIVED, chosen, started=count)
        self.message_user(request, f"Re-archiving {counted(count, 'video')} in the background.")

    @admin.action(description="Empty the Trash of the selected videos (their files go for good)")
    def empty_trash(
        self, request: HttpRequest, queryset: QuerySet[Video]
    ) -> TemplateResponse | None:
        """Everyone's Trash, or part of it: named (how many videos of how many people) and
        confirmed on a page of its own first, as Django's delete is."""
        chosen = trash.in_trash_among(queryset)
        owners = trash.owners_of(chosen)
        if not owners:
            self.message_user(request, "None of the selected videos is in the Trash.")
            return None
        if request.POST.get("post") != "yes":
            context = {
                **self.admin_site.each_context(request),
                "title": "Empty the Trash of the selected videos",
                "opts": self.model._meta,
                "owners": owners,
                "count": sum(count for _, count in owners),
                "chosen": [str(pk) for pk in chosen.values_list("pk", flat=True)],
                "action_checkbox_name": ACTION_CHECKBOX_NAME,
            }
            return TemplateResponse(request, "admin/remixer/video/empty_trash.html", context)
        address = client_address(request)
        removed, kept = trash.remove_trashed(chosen, user=request.user, address=address)
        message = f"Removed the files of {counted(removed, 'video')} from the Trash for good."
        if kept:
            message += " " + trash.kept_for_remixes(kept)
        self.message_user(request, message, messages.SUCCESS)
        return None


def note(request: HttpRequest, action: str, ids: list[str], **detail: int) -> None:
    """An admin's action on videos, in the audit trail: the videos it changed."""
    address = client_address(request)
    audit.record(action, user=request.user, address=address, detail=audit.named(ids) | detail)


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin[ApiKey]):
    """Every key, never its secret: users make keys on their own page (or with create_api_key)."""

    list_display = ["name", "user", "prefix", "created_at", "last_used_at", "revoked_at"]
    list_filter = [("revoked_at", admin.EmptyFieldListFilter), "created_at", "last_used_at"]
    search_fields = ["name", "prefix", "user__username"]
    list_select_related = ["user"]
    date_hierarchy = "created_at"
    fields = ["name", "user", "prefix", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["user", "prefix", "created_at", "last_used_at", "revoked_at"]
    actions = ["revoke_keys"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # a secret is shown once, to the user who makes the key

    @admin.action(description="Revoke the selected keys")
    def revoke_keys(self, request: HttpRequest, queryset: QuerySet[ApiKey]) -> None:
        with transaction.atomic():
            for key in queryset.select_related("user"):
                revoke_key(user=request.user, key=key, address=client_address(request))
        self.message_user(request, f"Revoked {counted(len(queryset), 'key')}.", messages.SUCCESS)


@admin.register(LoginFailure)
class LoginFailureAdmin(admin.ModelAdmin[LoginFailure]):
    """Failed logins; deleting an account's recent rows unlocks it at once."""

    list_display = ["username", "address", "failed_at"]
    list_filter = ["failed_at"]
    search_fields = ["username", "address"]
    readonly_fields = ["username", "address", "failed_at"]


@admin.register(Export)
class ExportAdmin(admin.ModelAdmin[Export]):
    """Exports people asked for; made on the Export page, removed by the worker once expired."""

    list_display = ["created_at", "owner", "scope", "status", "video_count", "expires_at"]
    list_filter = ["status", "scope", "created_at"]
    search_fields = ["owner__username", "id"]
    list_select_related = ["owner"]
    readonly_fields = [field.name for field in Export._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def delete_model(self, request: HttpRequest, obj: Export) -> None:
        if obj.file:
            storage.delete(obj.file)
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Export]) -> None:
        storage.delete(*(export.file for export in queryset if export.file))
        super().delete_queryset(request, queryset)
