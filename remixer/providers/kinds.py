"""What each kind of provider is, in the words its callers ask in: the one place that reads
`Provider.kind`.

Code outside `remixer/providers/` asks a provider what it can do (`capabilities(provider)`,
or one of the questions below), never which kind it is (remixer/tests/providers/test_kinds.py
checks). A new kind is one more entry in `KINDS`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Case, OrderBy, QuerySet, Value, When

from remixer.models import LOCAL_MODEL, CatalogEntry, Provider, Video
from remixer.providers import VideoProvider
from remixer.providers.factory import http_provider, local_engine


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
    ),
}
# The kind of a provider known by its URL alone (REMIXER_PROVIDER_URL): a Videos API server.
VIDEOS_API = Provider.Kind.HTTP


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
