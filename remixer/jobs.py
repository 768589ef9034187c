"""The one door every new job goes through: created, remixed, retried or imported.

A form (or the admin, the demo, a management command) builds a frozen `JobSpec`; `submit`
checks the one-time token, the active-job limit and the source's state, then writes the
row and enqueues its first step in one transaction.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files import File
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from remixer import images, scratch, tasks
from remixer.models import LOCAL_MODEL, CatalogEntry, Provider, Video, new_video_id
from remixer.providers.answers import unix_seconds
from remixer.services import NotAllowed, TooManyJobs, check_can_change, remix_provider

Kind = Video.Kind
Status = Video.Status
# Idempotency-Key values become tokens in this namespace (any fixed UUID would do).
IDEMPOTENCY_NAMESPACE = uuid.UUID("6f3c5f1e-8d0a-4f61-9a57-2d1b0c7e4a90")


class TokenReused(NotAllowed):
    """The token (or Idempotency-Key) was first used for a different request."""


@dataclass(frozen=True)
class JobSpec:
    """Everything a new job is made of; `asked` is what the request asked, to compare a
    resent request with. `exempt` lifts the active-job limit (operators, the demo)."""

    kind: str
    owner: Any
    token: uuid.UUID
    provider: Provider
    model: str
    size: str
    seconds: str
    prompt: str | None = None
    source: Video | None = None
    source_id: str | None = None
    recipe: dict[str, Any] | None = None
    reference_image: UploadedFile[Any] | None = None
    reference_name: str = ""
    retry_of: Video | None = None
    imported: Mapping[str, Any] = field(default_factory=dict)
    video_id: str = field(default_factory=new_video_id)
    asked: Mapping[str, Any] = field(default_factory=dict)
    exempt: bool = False
    strategy: str = ""  # how a remix reaches its engine, where known when it is submitted

    def build(self) -> Video:
        video = Video(
            id=self.video_id,
            kind=self.kind,
            owner=self.owner,
            provider=self.provider,
            model=self.model,
            prompt=self.prompt,
            size=self.size,
            seconds=self.seconds,
            remixed_from=self.source,
            remixed_from_video_id=self.source_id,
            recipe=self.recipe,
            retry_of=self.retry_of,
            strategy=self.strategy,
            form_token=self.token,
            submission=as_json(self.asked),
            **self.imported,
        )
        if self.reference_image is not None:
            video.reference_image.name = images.store_reference(self.reference_image)
        else:
            video.reference_image.name = self.reference_name
        return video


def submit(spec: JobSpec) -> Video:
    """The job this spec asks for: made and enqueued now, or the one its token made before."""
    try:
        with transaction.atomic():
            video = admit(spec)
            if video is None:
                video = spec.build()
                video.save(force_insert=True)
                enqueue(video)
    except IntegrityError:  # a concurrent copy of this request won: answer its job
        video = Video.objects.get(owner=spec.owner, form_token=spec.token)
        check_same_request(video, spec)
    except Exception:
        scratch.discard_upload(spec.video_id)
        raise
    if video.pk != spec.video_id:
        scratch.discard_upload(spec.video_id)
    return video


def admit(spec: JobSpec) -> Video | None:
    """Within the submitting transaction, with the owner (and the source) held: the job
    an earlier copy of this request made, if any; else check that this one may start."""
    hold(spec)
    if earlier := Video.objects.filter(owner=spec.owner, form_token=spec.token).first():
        check_same_request(earlier, spec)
        return earlier
    if spec.retry_of is not None and (retried := live_retry(spec.retry_of)):
        return retried
    if spec.kind == Kind.REMIX and spec.retry_of is None and not source_remixable(spec):
        raise NotAllowed("Only a completed video can be remixed.")
    if not spec.exempt:
        check_active_jobs(spec.owner)
    return None


def hold(spec: JobSpec) -> None:
    """Serialise submissions of one owner, and retries of one video, until the commit.

    PostgreSQL locks the rows; SQLite's immediate transactions already serialise writers.
    """
    users = get_user_model().objects.select_for_update().filter(pk=spec.owner.pk)
    list(users.values_list("pk"))
    for held in (spec.source, spec.retry_of):
        if held is not None:
            list(Video.objects.select_for_update().filter(pk=held.pk).values_list("pk"))


def source_remixable(spec: JobSpec) -> bool:
    """The source as it stands now, held: it may have been deleted since the form was read."""
    source = Video.objects.filter(pk=spec.source_id).first()
    return source is not None and source.is_remixable


def live_retry(video: Video) -> Video | None:
    """A failed video is retried once at a time: its retry that has not failed, if any."""
    if Video.objects.get(pk=video.pk).status != Status.FAILED:
        raise NotAllowed("Only a failed video can be retried.")
    return Video.objects.filter(retry_of=video).exclude(status=Status.FAILED).first()


def check_same_request(earlier: Video, spec: JobSpec) -> None:
    if earlier.submission is not None and earlier.submission != as_json(spec.asked):
        raise TokenReused(
            "This request's key was already used for a different request "
            f"(it made {earlier.pk}); send a new key or form to start another job."
        )


def check_active_jobs(owner: Any) -> None:
    limit = settings.REMIXER_MAX_ACTIVE_JOBS
    active = Video.objects.filter(owner=owner, status__in=[Status.QUEUED, Status.IN_PROGRESS])
    if active.count() >= limit:
        raise TooManyJobs(
            f"You have {limit} videos queued or in progress, as many as one may at once; "
            "wait for one to finish and try again."
        )


def enqueue(video: Video) -> None:
    """Queue the job's first step; call it inside the transaction that saved the row."""
    if video.kind == Kind.IMPORT:
        tasks.import_video.enqueue(video.pk)
    elif video.provider.is_local:
        tasks.render_video.enqueue(video.pk)
    else:
        tasks.submit_video.enqueue(video.pk)


def token_for_key(key: str, *, owner_pk: object, path: str) -> uuid.UUID:
    """A request's one-time token: the same Idempotency-Key on the same path finds the
    first job; without a key every request is a new job."""
    if not key:
        return uuid.uuid4()
    return uuid.uuid5(IDEMPOTENCY_NAMESPACE, f"{owner_pk}:{path}:{key}")


def as_json(asked: Mapping[str, Any]) -> Any:
    """What is stored and compared: the fields as JSON gives them back."""
    return json.loads(json.dumps(dict(asked), sort_keys=True, default=str))


def file_digest(upload: UploadedFile[Any] | None) -> str | None:
    if upload is None:
        return None
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


# Specs the forms, the admin and the commands build ----------------------------------------------


def create_spec(
    *,
    owner: Any,
    entry: CatalogEntry,
    prompt: str,
    size: str,
    seconds: str,
    token: uuid.UUID,
    reference_image: UploadedFile[Any] | None = None,
    exempt: bool = False,
) -> JobSpec:
    asked = {"model": entry.name, "provider": entry.provider_id, "prompt": prompt}
    return JobSpec(
        kind=Kind.CREATE,
        owner=owner,
        token=token,
        provider=entry.provider,
        model=entry.name,
        size=size,
        seconds=seconds,
        prompt=prompt,
        reference_image=reference_image,
        asked=asked | {"size": size, "seconds": seconds, "image": file_digest(reference_image)},
        exempt=exempt,
    )


def remix_spec(
    *,
    owner: Any,
    source: Video,
    prompt: str,
    recipe: dict[str, Any] | None,
    token: uuid.UUID,
    use_local: bool = False,
    exempt: bool = False,
) -> JobSpec:
    if not source.is_remixable:
        raise NotAllowed("Only a completed video can be remixed.")
    provider = remix_provider(source, use_local=use_local)
    if provider.is_local and recipe is None:
        raise NotAllowed("The local engine needs a recipe it can read from the prompt.")
    return JobSpec(
        kind=Kind.REMIX,
        owner=owner,
        token=token,
        provider=provider,
        model=LOCAL_MODEL if provider.is_local else source.model,
        size=source.size,
        seconds=source.seconds,
        prompt=prompt,
        source=source,
        source_id=source.pk,
        recipe=recipe if provider.is_local else None,
        asked={"source": source.pk, "prompt": prompt, "provider": provider.pk},
        exempt=exempt,
        strategy=Video.Strategy.LOCAL if provider.is_local else "",
    )


def retry_spec(*, user: Any, video: Video, token: uuid.UUID, exempt: bool = False) -> JobSpec:
    """A failed video stays as it was; its retry is a new job of the same kind and inputs."""
    check_can_change(user, video)
    if video.kind == Kind.IMPORT:
        raise NotAllowed("A failed import cannot be retried: import the file again.")
    if video.status != Status.FAILED:
        raise NotAllowed("Only a failed video can be retried.")
    return JobSpec(
        kind=video.kind,
        owner=video.owner,
        token=token,
        provider=video.provider,
        model=video.model,
        size=video.size,
        seconds=video.seconds,
        prompt=video.prompt,
        source=video.remixed_from,
        source_id=video.remixed_from_video_id,
        recipe=video.recipe,
        reference_name=video.reference_image.name or "",
        retry_of=video,
        asked={"retry_of": video.pk},
        strategy=video.strategy if video.provider.is_local else "",
        exempt=exempt,
    )


def import_spec(
    *,
    owner: Any,
    token: uuid.UUID,
    upload: File[Any],
    sidecar: Mapping[str, Any] | None,
    exempt: bool = False,
) -> JobSpec:
    """An import: the upload is spooled to the job's folder; a worker checks and archives it.

    The sidecar (a Video object as the API returned it) keeps its fields, the original id
    as a note; what it leaves out (size, seconds) the file tells the worker.
    """
    info = dict(sidecar or {})
    video_id = new_video_id()
    size = scratch.spool_upload(upload, video_id)
    created = unix_seconds(info.get("created_at"))
    original = str(info.get("id") or upload.name or "").strip()
    return JobSpec(
        kind=Kind.IMPORT,
        owner=owner,
        token=token,
        provider=Provider.default(),
        model=str(info.get("model") or "imported")[:200],
        size=str(info.get("size") or "")[:16],
        seconds=str(info.get("seconds") or "")[:8],
        prompt=str(info["prompt"]) if info.get("prompt") else None,
        imported={
            "created_at": datetime.fromtimestamp(created, tz=UTC) if created else timezone.now(),
            "provider_object": info or None,
            "note": f"Imported from {original}." if original else "Imported.",
        },
        video_id=video_id,
        asked={"file": upload.name or "", "bytes": size, "sidecar": info or None},
        exempt=exempt,
    )
