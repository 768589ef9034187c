"""The job specs the forms, the admin, the demo and the commands build for `jobs.submit`:
a create, a remix (or an edit), an extension, a retry and an import, each checked as it is
built."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from django.core.files import File
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone

from remixer.actions.errors import NotAllowed
from remixer.actions.jobs import JobSpec, file_digest, not_completed
from remixer.actions.videos import check_can_change, remix_provider
from remixer.lib.words import title_from_file_name
from remixer.models import CatalogEntry, Provider, Video, lengths, new_video_id
from remixer.models.recipes import remixed_size
from remixer.providers import kinds
from remixer.providers.answers import unix_seconds
from remixer.providers.kinds import capabilities
from remixer.worker import scratch

Kind = Video.Kind
Status = Video.Status


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
    kind: str = Kind.REMIX,
    workflow: str = "",
) -> JobSpec:
    """A remix, or an edit (a remix by the Videos API's other name): a new video made from
    `source` by the engine that made it, at its length and size (the one its recipe reshapes
    it to, if any)."""
    if not source.is_remixable and not waiting_import(source):  # an upload's: checked on submit
        raise NotAllowed(not_completed(kind))
    provider = remix_provider(source, use_local=use_local, workflow=workflow)
    can = capabilities(provider)
    if can.follows_recipe and recipe is None:
        raise NotAllowed("The local engine needs a recipe it can read from the prompt.")
    return JobSpec(
        kind=kind,
        owner=owner,
        token=token,
        provider=provider,
        model=workflow_model(workflow) or can.model or remix_model(provider, source),
        size=remixed_size(recipe if can.follows_recipe else None, source.size),
        seconds=source.seconds,
        prompt=prompt,
        source=source,
        source_id=source.pk,
        recipe=recipe if can.follows_recipe else None,
        asked={"source": source.pk, "prompt": prompt, "provider": provider.pk},
        exempt=exempt,
        strategy=can.remix_strategy,
    )


def extend_spec(
    *,
    owner: Any,
    source: Video,
    prompt: str,
    seconds: str,
    token: uuid.UUID,
    exempt: bool = False,
) -> JobSpec:
    """A longer video: `source` with a new segment of `seconds` after its last frame; the
    new video's `seconds` is the total."""
    total = extended_total(source, seconds)
    provider = extend_provider(source)
    return JobSpec(
        kind=Kind.EXTENSION,
        owner=owner,
        token=token,
        provider=provider,
        model=capabilities(provider).model or source.model,
        size=source.size,
        seconds="" if total is None else str(total),
        prompt=prompt,
        source=source,
        source_id=source.pk,
        asked={"source": source.pk, "prompt": prompt, "seconds": seconds, "extend": True},
        exempt=exempt,
    )


def extended_total(source: Video, seconds: str) -> int | None:
    """The length `source` would have with a segment of `seconds`, if it may be extended;
    None for an uploaded file's import not yet checked (its worker tells, then checks)."""
    try:
        lengths.check_segment(seconds)
        if waiting_import(source):
            return None
        if not source.is_remixable:
            raise NotAllowed(not_completed(Kind.EXTENSION))
        return lengths.extended_total(source.seconds, seconds)
    except lengths.LengthRefused as error:
        raise NotAllowed(str(error)) from error


def waiting_import(source: Video) -> bool:
    """An uploaded file's import that a job made from it waits for (or its stand-in)."""
    return source.kind == Kind.IMPORT and not source.is_finished


def extend_provider(source: Video) -> Provider:
    """The engine that made the source extends it (from its last frame if it must);
    videos of the local engine, imports and those of a switched-off provider, the engine."""
    owner = source.provider
    if capabilities(owner).renders_here:  # from remixer's own copy of the source
        return owner
    if not owner.enabled or not source.provider_video_id:
        return Provider.default()
    if capabilities(owner).runs_workflows and not kinds.workflow_extends(owner, source.model):
        return Provider.default()  # a workflow that cannot start from the source's last frame
    return owner


def retry_spec(*, user: Any, video: Video, token: uuid.UUID, exempt: bool = False) -> JobSpec:
    """A failed video stays as it was; its retry is a new job of the same kind and inputs."""
    check_can_change(user, video)
    if video.kind == Kind.IMPORT:
        raise NotAllowed("A failed import cannot be retried: import the file again.")
    if video.trashed:
        raise NotAllowed("A video in the Trash cannot be retried: restore it first.")
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
        strategy=video.strategy if capabilities(video.provider).remix_strategy else "",
        exempt=exempt,
    )


def import_spec(
    *,
    owner: Any,
    token: uuid.UUID,
    upload: File[Any],
    sidecar: Mapping[str, Any] | None,
    exempt: bool = False,
    video_id: str | None = None,
    parent: Video | None = None,
    parent_id: str | None = None,
    kept: Mapping[str, Any] | None = None,
) -> JobSpec:
    """An import: the upload is spooled to the job's folder; a worker checks and archives it.

    The sidecar (a Video object as the API returned it) keeps its fields, the original id
    as a note; what it leaves out (size, seconds) the file tells the worker. An entry of an
    export also names its id, its parent here, and the fields remixer keeps (`kept`: title,
    recipe, strategy, created_at, original_owner).
    """
    info = dict(sidecar or {})
    extra = dict(kept or {})
    video_id = video_id or new_video_id()
    digest = file_digest(upload)
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
        source=parent,
        source_id=parent_id,
        recipe=extra.pop("recipe", None),
        strategy=extra.pop("strategy", ""),
        imported={
            "title": title_from_file_name(upload.name or ""),
            "created_at": datetime.fromtimestamp(created, tz=UTC) if created else timezone.now(),
            "provider_object": info or None,
            "note": f"Imported from {original}." if original else "Imported.",
            **extra,
        },
        video_id=video_id,
        asked={"file": upload.name or "", "bytes": size, "sha256": digest, "sidecar": info or None},
        exempt=exempt,
    )


def workflow_model(name: str) -> str:
    """The entry's own name for a workflow a remix names (perhaps by an alias)."""
    entry = kinds.workflow_named(name) if name else None
    return entry.name if entry is not None else ""


def remix_model(provider: Provider, source: Video) -> str:
    """A remix's model on the source's provider: a ComfyUI's default remix workflow, or the
    model that made the source."""
    if capabilities(provider).runs_workflows and provider == source.provider:
        return kinds.remix_model(provider, source.model)
    return source.model
