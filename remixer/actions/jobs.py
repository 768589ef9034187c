"""The one door every new job goes through: created, remixed, edited, retried or imported.

A form (or the admin, the demo, a management command) builds a frozen `JobSpec`; `submit`
checks the person's role (a viewer makes nothing), the one-time token, the active-job limit
and the source's state, then writes the row and enqueues its first step in one transaction.

A job made from an uploaded file (an edit of an MP4 sent to /v1) is two: the import, and
the follow-up that waits for it (`submit_after_import`). The import row names its follow-up
in `then`; the import's worker starts it once the file is checked, or fails it with the
import's error (`imports.follow_ups`). A remix may wait in the same way for a render here
(`submit_after`: the demo library's remixes, queued all at once). Variations of one form are a
batch of specs, admitted together by `submit_batch`: all of them start, or none does.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files import File
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django_tasks.base import DEFAULT_TASK_PRIORITY

from remixer import tasks
from remixer.actions import references
from remixer.actions.errors import NotAllowed, TooManyJobs, check_can_make
from remixer.engine.effects.variations import nothing_to_vary, spread
from remixer.lib.words import counted
from remixer.models import Provider, Video, new_video_id
from remixer.models.recipes import Recipe, stored_recipe
from remixer.providers import kinds, workflows
from remixer.worker import scratch

Kind = Video.Kind
Status = Video.Status
FROM_SOURCE = (Kind.REMIX, Kind.EDIT, Kind.EXTENSION)  # made from a completed library video
MADE_BY: dict[str, str] = {Kind.EDIT: "edited", Kind.EXTENSION: "extended"}
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
    # Made from an upload being imported: written now, started by the import's worker.
    waits: bool = False
    batch: uuid.UUID | None = None
    strategy: str = ""  # how a remix reaches its engine, where known when it is submitted
    priority: int = DEFAULT_TASK_PRIORITY  # its tasks' place in their queue (tasks.BACKGROUND)

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
            workflow=workflow_for(self.provider, self.model),
            form_token=self.token,
            batch=self.batch,
            submission=as_json(self.asked),
            **self.imported,
        )
        if self.reference_image is not None:
            video.reference_image.name = references.store_reference(self.reference_image)
        else:
            video.reference_image.name = self.reference_name
        return video


def workflow_for(provider: Provider, model: str) -> dict[str, Any] | None:
    """The workflow a job of a ComfyUI model is made with, kept on the job as it is now."""
    try:
        return kinds.workflow_of(provider, model)
    except workflows.WorkflowError as error:
        raise NotAllowed(f"{model} cannot be used: {error}") from error


def submit(spec: JobSpec) -> Video:
    """The job this spec asks for: made and enqueued now, or the one its token made before."""
    return submit_batch([spec])[0]


def submit_batch(specs: Sequence[JobSpec]) -> list[Video]:
    """The jobs of one submission (variations share their owner and source), in one
    transaction: made and enqueued together, or refused together by the active-job limit;
    a resubmission finds the jobs its tokens made before."""
    videos: list[Video | None]
    built: list[Video] = []
    try:
        with transaction.atomic():
            videos = admit(specs)
            for index, spec in enumerate(specs):
                if videos[index] is None:
                    videos[index] = made = spec.build()
                    built.append(made)
                    made.save(force_insert=True)
                    if not spec.waits:
                        enqueue(made, priority=spec.priority)
    except IntegrityError:  # a concurrent copy of this request won: answer its jobs
        forget_references(built)
        videos = [made_before(spec) for spec in specs]
    except Exception:
        forget_references(built)
        for spec in specs:
            scratch.discard_upload(spec.video_id)
        raise
    for video, spec in zip(videos, specs, strict=True):
        if video is None or video.pk != spec.video_id:
            scratch.discard_upload(spec.video_id)
    return [video for video in videos if video is not None]


def forget_references(built: list[Video]) -> None:
    """A submission rolled back keeps no reference image it stored (a retry's shared one,
    still used by its original, stays)."""
    for video in built:
        references.release_reference(video.reference_image.name)


def made_before(spec: JobSpec) -> Video:
    video = Video.objects.get(owner=spec.owner, form_token=spec.token)
    check_same_request(video, spec)
    return video


def admit(specs: Sequence[JobSpec]) -> list[Video | None]:
    """Within the submitting transaction, with the owner (and the source) held: for each
    spec the job an earlier copy of this request made, or None once it may start."""
    if len({spec.owner.pk for spec in specs}) != 1:
        raise ValueError("The jobs of one batch have one owner.")
    if not all(spec.exempt for spec in specs):  # a person's own request, not an operator's
        check_can_make(specs[0].owner)
    for spec in specs:
        hold(spec)
    found = [earlier_job(spec) for spec in specs]
    new = [spec for spec, video in zip(specs, found, strict=True) if video is None]
    for spec in new:
        if spec.kind in FROM_SOURCE and spec.retry_of is None and not source_ready(spec):
            raise NotAllowed(not_completed(spec.kind))
    if counted := [spec for spec in new if not spec.exempt]:
        check_active_jobs(specs[0].owner, adding=len(counted))
    return found


def earlier_job(spec: JobSpec) -> Video | None:
    """The job an earlier copy of this request made, or the failed video's live retry."""
    if earlier := Video.objects.filter(owner=spec.owner, form_token=spec.token).first():
        check_same_request(earlier, spec)
        return earlier
    if spec.retry_of is not None:
        return live_retry(spec.retry_of)
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


def source_ready(spec: JobSpec) -> bool:
    """The source as it stands now, held: it may have been deleted since the form was read.
    A job that waits for its source may only wait for its owner's import of an upload, or
    for its owner's render here that has not ended."""
    source = Video.objects.select_related("provider").filter(pk=spec.source_id).first()
    if source is None:
        return False
    if spec.waits:
        rendering = kinds.capabilities(source.provider).renders_here and not source.is_finished
        return source.owner_id == spec.owner.pk and (source.kind == Kind.IMPORT or rendering)
    return source.is_remixable


def not_completed(kind: str) -> str:
    return f"Only a completed video can be {MADE_BY.get(kind, 'remixed')}."


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


def active_jobs(owner: Any) -> int:
    """How many of the owner's videos are queued or in progress."""
    return Video.objects.filter(owner=owner, status__in=[Status.QUEUED, Status.IN_PROGRESS]).count()


def has_room(owner: Any) -> bool:
    """Whether one more of the owner's jobs would be within the active-job limit now."""
    return active_jobs(owner) < settings.REMIXER_MAX_ACTIVE_JOBS


def check_active_jobs(owner: Any, *, adding: int = 1) -> None:
    limit = settings.REMIXER_MAX_ACTIVE_JOBS
    count = active_jobs(owner)
    if count >= limit:
        raise TooManyJobs(
            f"You have {counted(limit, 'video')} queued or in progress, as many as one may at "
            "once; wait for one to finish and try again."
        )
    if count + adding > limit:
        raise TooManyJobs(
            f"You have {counted(count, 'video')} queued or in progress and one may have {limit} "
            f"at once: {adding} more would be too many, so none was started. Ask for "
            f"{limit - count} at most, or wait for some to finish."
        )


def variations(spec: JobSpec, count: int) -> list[JobSpec]:
    """`count` jobs of one form, each its own row with its own token derived from the
    form's, sharing a batch; a single one is the form's job as it always was.

    An engine that follows the recipe makes each variation from its own recipe, gentler to
    stronger (`spread`), and one job where nothing in the recipe can vary; elsewhere each
    is another take of the same prompt."""
    takes = spread_recipes(spec, count)
    if len(takes) == 1:
        return [spec]
    asked = dict(spec.asked) | {"variations": len(takes)}
    return [
        replace(
            spec,
            token=derived_token(spec.token, str(index)),
            batch=spec.token,
            video_id=new_video_id(),
            recipe=recipe,
            asked=asked | {"variation": index} | ({"spread": label} if label else {}),
        )
        for index, (recipe, label) in enumerate(takes)
    ]


def spread_recipes(spec: JobSpec, count: int) -> list[tuple[dict[str, Any] | None, str]]:
    """Each variation's recipe and label ("gentler", "as asked", "stronger"; empty for
    another take of the same recipe)."""
    recipe = followed_recipe(spec)
    if recipe is None:
        return [(spec.recipe, "")] * count
    return [(varied.to_json(), label) for varied, label in spread(recipe, count)]


def one_video_reason(spec: JobSpec, count: int) -> str | None:
    """Why the `count` variations asked for are one video (nothing in the recipe can vary)."""
    recipe = followed_recipe(spec)
    return nothing_to_vary(recipe) if count > 1 and recipe is not None else None


def followed_recipe(spec: JobSpec) -> Recipe | None:
    """The recipe the job's engine follows itself, or None where the engine takes a prompt."""
    if spec.recipe is None or not kinds.capabilities(spec.provider).follows_recipe:
        return None
    return stored_recipe(spec.recipe)


def enqueue(video: Video, *, priority: int = DEFAULT_TASK_PRIORITY) -> None:
    """Queue the job's first step; call it inside the transaction that saved the row."""
    tasks.first_step(video).using(priority=priority).enqueue(video.pk)


def submit_after_import(imported: JobSpec, then: Callable[[Video], JobSpec]) -> Video:
    """An uploaded file's import and the job made from it (`then`, given the import's row:
    an edit, an extension), both written now in one transaction; the follow-up is answered.

    The follow-up waits for the import; the import row names it, so the import's worker
    starts it once the file is checked, or fails it with the import's error.
    """
    try:
        with transaction.atomic():
            source = submit(imported)
            return submit_after(source, then(source))
    except Exception:
        scratch.discard_upload(imported.video_id)
        raise


def submit_after(source: Video, spec: JobSpec) -> Video:
    """A job made from `source`, its owner's job not yet ended, written now and named in the
    source's `then`: the source's worker starts it (at the spec's priority) once the source
    has ended, or fails it with the source's error. A source has one such job at most."""
    with transaction.atomic():
        follow_up = submit(replace(spec, waits=True, exempt=True))
        if follow_up.pk == spec.video_id:  # a new job, not a resent request's
            then: dict[str, Any] = {"kind": follow_up.kind, "video": follow_up.pk}
            if spec.priority != DEFAULT_TASK_PRIORITY:
                then["priority"] = spec.priority
            if not Video.objects.filter(pk=source.pk, then__isnull=True).update(then=then):
                raise NotAllowed("Another job is already waiting for this video.")
            source.then = then
    return follow_up


def derived_token(token: uuid.UUID, what: str) -> uuid.UUID:
    """The token of a job a request makes beside its own (the import of an edit's upload)."""
    return uuid.uuid5(token, what)


def token_for_key(key: str, *, owner_pk: object, path: str) -> uuid.UUID:
    """A request's one-time token: the same Idempotency-Key on the same path finds the
    first job; without a key every request is a new job."""
    if not key:
        return uuid.uuid4()
    return uuid.uuid5(IDEMPOTENCY_NAMESPACE, f"{owner_pk}:{path}:{key}")


def as_json(asked: Mapping[str, Any]) -> Any:
    """What is stored and compared: the fields as JSON gives them back."""
    return json.loads(json.dumps(dict(asked), sort_keys=True, default=str))


def file_digest(upload: File[Any] | None) -> str | None:
    if upload is None:
        return None
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()
