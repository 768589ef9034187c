"""What each kind of provider is, in the words its callers ask in: the one place that reads
`Provider.kind`.

Code outside `remixer/providers/` asks a provider what it can do (`capabilities(provider)`,
or one of the questions below), never which kind it is (remixer/tests/providers/test_kinds.py
checks). A new kind is one more entry in `KINDS`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Case, OrderBy, QuerySet, Value, When

from remixer.models import LOCAL_MODEL, CatalogEntry, Provider, Video
from remixer.providers import VideoProvider, workflows
from remixer.providers.factory import comfyui_provider, http_provider, local_engine


@dataclass(frozen=True)
class Capabilities:
    """What one kind of provider does."""

    make: Callable[[Provider], VideoProvider]  # the object that makes its videos
    # Its jobs render in a worker, in one step on the render queue; else they are submitted
    # to a server, then polled.
    renders_here: bool
    # It is reached over a connection (the admin's Connection fields), which Test connection
    # checks without starting a job.
    connects: bool
    # A video it made keeps a copy upstream (its job there), to copy again or to delete.
    keeps_copies: bool
    # A remix follows a recipe read from the prompt; else the prompt is sent as it is.
    follows_recipe: bool
    # The model name every video it makes carries; "": the one asked for (or the source's).
    model: str
    # Its one way to remix and extend (a Video.Strategy); "": chosen per model when sent
    # (strategies.py, extensions.py).
    remix_strategy: str
    # Its models are workflows (catalog entries with one): a job keeps the one it asked for.
    runs_workflows: bool = False
    # A job it forgot (a restart) is sent once more: its work costs nothing to redo.
    resends_forgotten: bool = False
    # A cancelled job is taken out of its queue there, or stopped.
    cancels_upstream: bool = False
    # A create whose answer never came is looked for in its list of jobs (never sent again).
    finds_lost_creates: bool = False


KINDS: dict[str, Capabilities] = {
    Provider.Kind.LOCAL: Capabilities(
        make=local_engine,
        renders_here=True,
        connects=False,
        keeps_copies=False,  # the engine keeps no copies of its own
        follows_recipe=True,
        model=LOCAL_MODEL,
        remix_strategy=Video.Strategy.LOCAL,
    ),
    Provider.Kind.HTTP: Capabilities(
        make=http_provider,
        renders_here=False,
        connects=True,
        keeps_copies=True,
        follows_recipe=False,
        model="",
        remix_strategy="",
        finds_lost_creates=True,
    ),
    Provider.Kind.COMFYUI: Capabilities(
        make=comfyui_provider,
        renders_here=False,
        connects=True,
        keeps_copies=False,  # its files cannot be deleted there, nor its history relied on
        follows_recipe=False,
        model="",
        remix_strategy=Video.Strategy.WORKFLOW,
        runs_workflows=True,
        resends_forgotten=True,
        cancels_upstream=True,
    ),
}
# The kind of a provider known by its URL alone (REMIXER_PROVIDER_URL): a Videos API server.
VIDEOS_API = Provider.Kind.HTTP
COMFYUI = Provider.Kind.COMFYUI  # REMIXER_COMFYUI_URL


def capabilities(provider: Provider) -> Capabilities:
    return KINDS[provider.kind]


def provider_for(provider: Provider) -> VideoProvider:
    """The object that makes the provider's videos."""
    return capabilities(provider).make(provider)


def has_copy_upstream(video: Video) -> bool:
    """Whether the provider that made `video` keeps a copy of it (its job there)."""
    return capabilities(video.provider).keeps_copies and bool(video.provider_video_id)


def rendering_here() -> list[str]:
    """The kinds whose jobs render in a worker: the engines built into remixer."""
    return [kind for kind, can in KINDS.items() if can.renders_here]


def built_in_catalog() -> QuerySet[CatalogEntry]:
    """The models of the engines built into remixer."""
    return CatalogEntry.objects.filter(provider__kind__in=rendering_here())


def built_in_first() -> OrderBy:
    """An ordering of catalog entries that puts the built-in engines' first."""
    return Case(When(provider__kind__in=rendering_here(), then=Value(0)), default=Value(1)).asc()


def workflow_of(provider: Provider, model: str) -> dict[str, Any] | None:
    """What a job of `model` keeps of its entry's workflow, on a provider that runs them:
    the workflow, the node and input of each role, and how frames are counted."""
    if not capabilities(provider).runs_workflows:
        return None
    entry = CatalogEntry.objects.filter(provider=provider, name=model).first()
    if entry is None or not entry.workflow:
        return None
    roles = workflows.find_roles(entry.workflow, entry.roles)
    return {"workflow": entry.workflow, "roles": roles, "frames_rule": entry.frames_rule}


def workflow_abilities(provider: Provider, model: str) -> workflows.Abilities | None:
    """What the workflow `model` can do; None when it is no usable workflow."""
    try:
        kept = workflow_of(provider, model)
    except workflows.WorkflowError:
        return None
    return None if kept is None else workflows.abilities(kept["roles"])


def workflow_remixes(provider: Provider, model: str) -> bool:
    """Whether the workflow `model` takes a video (or a frame of one) to remix."""
    can = workflow_abilities(provider, model)
    return can is not None and (can.remixes or can.from_image)


def workflow_extends(provider: Provider, model: str) -> bool:
    """Whether the workflow `model` starts from an image: the source's last frame."""
    can = workflow_abilities(provider, model)
    return can is not None and can.from_image


def workflow_named(name: str) -> CatalogEntry | None:
    """The workflow entry (of any provider that runs them) a remix names as its model."""
    runs = [kind for kind, can in KINDS.items() if can.runs_workflows]
    entries = CatalogEntry.objects.filter(provider__kind__in=runs, provider__enabled=True)
    return next(
        (e for e in entries.select_related("provider") if name in (e.name, *e.alias_list)), None
    )


def cancel_upstream(provider: Provider, provider_video_id: str) -> None:
    """Stop a cancelled job where it runs, if the provider can (best effort)."""
    if capabilities(provider).cancels_upstream:
        comfyui_provider(provider).cancel(provider_video_id)


def remixing_workflows() -> list[tuple[str, str]]:
    """The workflows any video can be remixed through: (model, words for a menu)."""
    runs = [kind for kind, can in KINDS.items() if can.runs_workflows]
    entries = CatalogEntry.objects.filter(provider__kind__in=runs, provider__enabled=True)
    found = []
    for entry in entries.select_related("provider").exclude(workflow=None):
        can = workflow_abilities(entry.provider, entry.name)
        if can is not None and (can.remixes or can.from_image):
            way = "video-to-video" if can.remixes else "from the first frame"
            found.append((entry.name, f"{entry.name} on {entry.provider.name} ({way})"))
    return found


def remix_model(provider: Provider, made_with: str) -> str:
    """The workflow a remix of a video `made_with` one goes through by default: the
    provider's default remix workflow where it has one, else the one that made it."""
    chosen = provider.default_remix_model
    return chosen if chosen and workflow_remixes(provider, chosen) else made_with
