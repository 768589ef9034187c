"""Which remix strategy each catalog entry uses: detected, learnt from use, or chosen.

The strategies themselves, their detection and their request bodies are in
`providers/remixes.py`; this module keeps what was decided, with its evidence, in the
database, and sends a remix with the next strategy when one turns out unavailable.
"""

from __future__ import annotations

import dataclasses

from django.conf import settings
from django.db.models import F, QuerySet, Value
from django.db.models.functions import Concat
from django.template.defaultfilters import filesizeformat
from django.utils import timezone

from remixer.models import CatalogEntry, Provider, Video
from remixer.providers import Job, ProviderError, Submission, VideoProvider, remixes
from remixer.providers.factory import http_provider
from remixer.providers.kinds import capabilities

Strategy = CatalogEntry.RemixStrategy
CANNOT_REMIX = "This provider cannot remix videos; remix with the local engine instead."


def entry_for(provider: Provider, model: str) -> CatalogEntry | None:
    return CatalogEntry.objects.filter(provider=provider, name=model).first()


def strategy_of(provider: Provider, model: str) -> str:
    """What a remix of a video this provider made with `model` will use."""
    if way := capabilities(provider).remix_strategy:
        return way
    entry = entry_for(provider, model)
    return (entry.remix_strategy if entry else "") or Strategy.NATIVE


def describe(provider: Provider, model: str) -> str:
    """How a remix will be made, in words for the page, before it is submitted."""
    if capabilities(provider).runs_workflows:
        return f"remixed by {provider.name} through the workflow {model}"
    strategy = strategy_of(provider, model)
    how: dict[str, str] = {
        Video.Strategy.LOCAL: "with the local engine",
        Strategy.NATIVE: f"remixed by {provider.name} with its remix route",
        Strategy.VIDEO_FILE: f"remixed by {provider.name} from the source video",
        Strategy.VIDEO_URL: f"remixed by {provider.name} from the source video",
        Strategy.FIRST_FRAME: f"remixed by {provider.name} from its first frame",
        Strategy.LAST_FRAME: f"remixed by {provider.name} from its last frame",
    }
    return how.get(strategy, "with the local engine")


# Detection, from the admin


def detect(provider: Provider) -> remixes.Detection:
    """Ask the server (its OpenAPI document, its remix route) without starting a job."""
    document, probe = http_provider(provider).discover()
    return remixes.decide(document, remixes.openapi_url(provider.base_url), probe)


def detect_entries(
    provider: Provider, *, only_unknown: bool = False, entries: QuerySet[CatalogEntry] | None = None
) -> str:
    """Detect the provider's strategy and record it on its entries (or on those of `entries`
    that are its; with `only_unknown`, on those nothing was decided for yet). A detection that
    learns nothing leaves a decision as it was. The words say what was found."""
    if capabilities(provider).remix_strategy:
        return f"{provider.name} remixes its own way: nothing to detect."
    found = detect(provider)
    chosen = (entries if entries is not None else CatalogEntry.objects).filter(provider=provider)
    if only_unknown:
        chosen = chosen.filter(remix_strategy=Strategy.UNKNOWN)
    for entry in chosen:
        record(entry, found.decision or entry.remix_strategy, found.evidence)
    return found.evidence


def chosen(entry: CatalogEntry) -> None:
    """An administrator chose the entry's strategy (saved by the caller)."""
    entry.remix_evidence = stamped("chosen by an administrator.")


def record(entry: CatalogEntry, strategy: str, evidence: str) -> None:
    entry.remix_strategy = strategy
    entry.remix_evidence = stamped(evidence)
    entry.save(update_fields=["remix_strategy", "remix_evidence"])


def stamped(evidence: str) -> str:
    return f"{timezone.now():%Y-%m-%d %H:%M} UTC: {evidence}"


# Sending a remix, from the pipeline


def send_remix(video: Video, job: Job, provider: VideoProvider) -> Submission:
    """Send the remix with its entry's strategy; a strategy whose route is missing (which
    cannot have started a job) or that the source is too large for gives way to the next
    one the server is known to offer. The video records the strategy used."""
    entry = entry_for(video.provider, video.model)
    strategy = strategy_of(video.provider, video.model)
    tried: list[str] = []
    found: remixes.Detection | None = None
    if strategy == Strategy.NONE:
        raise ProviderError("unable_to_remix", CANNOT_REMIX)
    while True:
        try:
            submission = attempt(video, job, provider, strategy)
        except ProviderError as error:
            if error.code not in ("strategy_unavailable", "source_too_large"):
                raise
            tried.append(strategy)
            found = found or detect(video.provider)
            strategy = next((s for s in found.available if s not in tried), Strategy.NONE)
            if error.code == "strategy_unavailable" and entry is not None:
                record(entry, strategy, f"{error.message} {found.evidence}")
            if strategy == Strategy.NONE:
                raise no_strategy_left(video.provider, error) from error
            continue
        Video.objects.filter(pk=video.pk).update(strategy=strategy)
        return submission


def no_strategy_left(provider: Provider, error: ProviderError) -> ProviderError:
    if error.code == "strategy_unavailable":
        return ProviderError("unable_to_remix", CANNOT_REMIX, raw=error.message)
    return ProviderError(
        error.code,
        f"{error.message} {provider.name} takes the source no other way; "
        "remix with the local engine instead.",
    )


def attempt(video: Video, job: Job, provider: VideoProvider, strategy: str) -> Submission:
    if strategy == Strategy.VIDEO_URL and too_large(job):
        limit = filesizeformat(settings.REMIXER_DATA_URL_LIMIT)
        note = f"The source is larger than {limit}, the limit for sending it as a data URL."
        Video.objects.filter(pk=video.pk).update(note=Concat(F("note"), Value(note + " ")))
        raise ProviderError("source_too_large", note)
    return provider.remix(dataclasses.replace(job, remix_strategy=strategy), lambda *_: None)


def too_large(job: Job) -> bool:
    source = job.source_video
    return source is not None and source.stat().st_size > settings.REMIXER_DATA_URL_LIMIT
