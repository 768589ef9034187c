"""What creators and administrators do to videos: each rule checks, changes and enqueues."""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from remixer import images, leases, media, pipeline, scratch, storage, tasks
from remixer.models import LOCAL_MODEL, CatalogEntry, Provider, Video
from remixer.providers import Assets, factory
from remixer.providers.http import unix_seconds

Status = Video.Status


class NotAllowed(Exception):
    """The user may not do this to this video; the message says why."""


class NotOwner(NotAllowed):
    """Only the owner of the video (or staff) may do this."""


class TooManyJobs(NotAllowed):
    """The user has as many jobs queued or running as one may; another must finish first."""


def create_video(
    *,
    owner: Any,
    entry: CatalogEntry,
    prompt: str,
    size: str,
    seconds: str,
    reference_image: UploadedFile[Any] | None = None,
    form_token: uuid.UUID,
    limit_active_jobs: bool = False,
) -> Video:
    def build() -> Video:
        video = Video(
            owner=owner,
            provider=entry.provider,
            model=entry.name,
            prompt=prompt,
            size=size,
            seconds=seconds,
            form_token=form_token,
        )
        if reference_image is not None:
            video.reference_image.name = images.store_reference(reference_image)
        return video

    return submit_once(
        owner=owner, form_token=form_token, build=build, limit_active_jobs=limit_active_jobs
    )


def remix_provider(source: Video, *, use_local: bool = False) -> Provider:
    """A remix goes to the provider that owns the source, unless it cannot remix."""
    owner = source.provider
    if use_local or owner.is_local or not source.provider_video_id:
        return Provider.default()
    if owner.can_remix is False:
        raise NotAllowed(f"{owner.name} cannot remix videos; remix with the local engine instead.")
    if not owner.enabled:
        raise NotAllowed(f"{owner.name} is switched off; remix with the local engine instead.")
    return owner


def remix_video(
    *,
    owner: Any,
    source: Video,
    prompt: str,
    recipe: dict[str, Any] | None,
    form_token: uuid.UUID,
    use_local: bool = False,
    limit_active_jobs: bool = False,
) -> Video:
    if not source.is_remixable:
        raise NotAllowed("Only a completed video can be remixed.")
    provider = remix_provider(source, use_local=use_local)
    if provider.is_local and recipe is None:
        raise NotAllowed("The local engine needs a recipe it can read from the prompt.")

    def build() -> Video:
        return Video(
            owner=owner,
            provider=provider,
            model=LOCAL_MODEL if provider.is_local else source.model,
            prompt=prompt,
            size=source.size,
            seconds=source.seconds,
            remixed_from=source,
            remixed_from_video_id=source.pk,
            recipe=recipe if provider.is_local else None,
            form_token=form_token,
        )

    return submit_once(
        owner=owner, form_token=form_token, build=build, limit_active_jobs=limit_active_jobs
    )


def submit_once(
    *,
    owner: Any,
    form_token: uuid.UUID,
    build: Callable[[], Video],
    limit_active_jobs: bool = False,
) -> Video:
    """Create and enqueue a job, unless this form was submitted already: then that job.

    With `limit_active_jobs` (what people submit through the pages and the API), refuse
    with TooManyJobs past REMIXER_MAX_ACTIVE_JOBS.
    """
    if existing := Video.objects.filter(form_token=form_token, owner=owner).first():
        return existing
    try:
        with transaction.atomic():
            if limit_active_jobs and (earlier := admit(owner, form_token)):
                return earlier
            video = build()
            video.save(force_insert=True)
            enqueue(video)
    except IntegrityError:
        return Video.objects.get(form_token=form_token, owner=owner)
    return video


def enqueue(video: Video) -> None:
    """Queue the job's first step; call it inside the transaction that saved the row."""
    first_step = tasks.render_video if video.provider.is_local else tasks.submit_video
    first_step.enqueue(video.pk)


def retry_video(*, user: Any, video: Video) -> Video:
    """A failed video stays as it was; its retry is a new video with the same inputs."""
    check_can_change(user, video)
    if video.status != Status.FAILED:
        raise NotAllowed("Only a failed video can be retried.")
    with transaction.atomic():
        retry = Video.objects.create(
            owner=video.owner,
            provider=video.provider,
            model=video.model,
            prompt=video.prompt,
            size=video.size,
            seconds=video.seconds,
            remixed_from=video.remixed_from,
            remixed_from_video_id=video.remixed_from_video_id,
            recipe=video.recipe,
            reference_image=video.reference_image.name,
            retry_of=video,
        )
        enqueue(retry)
    return retry


def cancel_video(*, user: Any, video: Video) -> bool:
    check_can_change(user, video)
    return bool(
        Video.objects.filter(pk=video.pk, status__in=[Status.QUEUED, Status.IN_PROGRESS]).update(
            status=Status.FAILED,
            error_code="cancelled",
            error_message=f"Cancelled by {user.get_username()}.",
        )
    )


def delete_video(*, user: Any, video: Video) -> None:
    """Remove a video and its own files; remixes of it stay, their source shown as deleted."""
    check_can_change(user, video)
    video_id = video.pk  # deleting the row clears it
    with transaction.atomic():
        if video.provider_video_id and not video.provider.is_local:
            tasks.delete_upstream.enqueue(video.provider_id, video.provider_video_id)
        video.delete()
        transaction.on_commit(partial(storage.delete_video_files, video_id))


def check_can_change(user: Any, video: Video) -> None:
    if not video.can_change(user):
        raise NotOwner("Only the owner of this video can do that.")


def check_connection(provider: Provider) -> str:
    """Ask an HTTP provider, without starting a job, whether it answers and takes the key."""
    if provider.is_local:
        return "The local engine is built in: nothing to check."
    found = factory.http_provider(provider).check()
    provider.checked_at = timezone.now()
    provider.check_result = found["message"]
    if found.get("can_list") is not None:
        provider.can_list = found["can_list"]
    provider.save(update_fields=["checked_at", "check_result", "can_list"])
    return str(found["message"])


def provider_from_environment(environ: Mapping[str, str]) -> Provider | None:
    """Create or update the provider that REMIXER_PROVIDER_* variables describe."""
    url = environ.get("REMIXER_PROVIDER_URL", "").strip()
    if not url:
        return None
    name = environ.get("REMIXER_PROVIDER_NAME", "").strip() or "Videos API"
    with transaction.atomic():
        provider, _ = Provider.objects.update_or_create(
            name=name,
            defaults={
                "kind": Provider.Kind.HTTP,
                "base_url": url,
                "enabled": True,
                "api_key": environ.get("REMIXER_PROVIDER_KEY", ""),
            },
        )
        models = environ.get("REMIXER_PROVIDER_MODELS", "sora-2").split(",")
        for model in filter(None, (m.strip() for m in models)):
            CatalogEntry.objects.get_or_create(provider=provider, name=model)
    return provider


def import_video(
    *, owner: Any, mp4: Path, sidecar: Mapping[str, Any] | None = None, name: str = ""
) -> Video:
    """Bring a video kept from elsewhere into the library, checked like an archive.

    The file is verified before anything is written; the sidecar (a Video object as the
    API returned it) keeps its fields, the original id as a note.
    """
    info = dict(sidecar or {})
    probe = media.verify(mp4)
    size = f"{probe.width}x{probe.height}"
    if info.get("size") not in (None, size):
        raise media.MediaError(f"The sidecar says {info['size']}, but the video is {size}.")
    created = unix_seconds(info.get("created_at"))
    original = str(info.get("id") or name or "").strip()
    video = Video.objects.create(
        owner=owner,
        provider=Provider.default(),
        status=Status.IN_PROGRESS,
        model=str(info.get("model") or "imported")[:200],
        prompt=str(info["prompt"]) if info.get("prompt") else None,
        size=size,
        seconds=str(info.get("seconds") or round(probe.duration)),
        created_at=datetime.fromtimestamp(created, tz=UTC) if created else timezone.now(),
        provider_object=info or None,
        note=f"Imported from {original}." if original else "Imported.",
        lease_owner=leases.worker_id(),  # this request is the worker that archives it
        lease_expires_at=leases.lease_until(),
    )
    with scratch.workdir_for(video) as workdir:
        copy = workdir / "video.mp4"
        shutil.copyfile(mp4, copy)
        try:
            pipeline.archive(video, Assets(video=copy))
        except Exception:
            video.delete()
            raise
    video.refresh_from_db()
    return video


def import_upload(
    *, owner: Any, upload: UploadedFile[Any], sidecar: Mapping[str, Any] | None
) -> Video:
    """An uploaded MP4 is spooled to disk (never held in memory), then imported."""
    with scratch.spool() as folder:
        mp4 = folder / "upload.mp4"
        with mp4.open("wb") as spool:
            for chunk in upload.chunks():
                spool.write(chunk)
        return import_video(owner=owner, mp4=mp4, sidecar=sidecar, name=upload.name or "")


def rearchive_videos(videos: Any) -> int:
    """Queue a fresh copy and check of each completed video; returns how many."""
    ids = list(videos.filter(status=Status.COMPLETED).values_list("pk", flat=True))
    with transaction.atomic():
        for video_id in ids:
            tasks.rearchive_video.enqueue(video_id)
    return len(ids)


def hold_submissions(owner: Any) -> None:
    """Serialise one user's submissions until the transaction ends, so limits count true.

    PostgreSQL locks the user's row; SQLite's immediate transactions already serialise writers.
    """
    list(get_user_model().objects.select_for_update().filter(pk=owner.pk).values_list("pk"))


def admit(owner: Any, form_token: uuid.UUID) -> Video | None:
    """Within the submitting transaction: the job a concurrent resubmission made, if any;
    else raise TooManyJobs if the owner has as many running as one may."""
    hold_submissions(owner)
    if existing := Video.objects.filter(form_token=form_token, owner=owner).first():
        return existing
    check_active_jobs(owner)
    return None


def check_active_jobs(owner: Any) -> None:
    limit = settings.REMIXER_MAX_ACTIVE_JOBS
    active = Video.objects.filter(owner=owner, status__in=[Status.QUEUED, Status.IN_PROGRESS])
    if active.count() >= limit:
        raise TooManyJobs(
            f"You have {limit} videos queued or in progress, as many as one may at once; "
            "wait for one to finish and try again."
        )


def delete_finished_video(*, user: Any, video: Video) -> None:
    """The Videos API's delete: only a completed or failed video (cancel a running one first)."""
    check_can_change(user, video)
    if not video.is_finished:
        raise NotAllowed(
            f"Only a completed or failed video can be deleted; this one is {video.status}."
        )
    delete_video(user=user, video=video)
