"""What administrators do to providers: test a connection, set one up from the environment
(`bootstrap`), and read their health over the last day."""

import math
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import NamedTuple

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from remixer.models import CatalogEntry, Provider, Video
from remixer.providers import circuits, factory, kinds, strategies, workflows

HEALTH_WINDOW = timedelta(days=1)


class Checked(NamedTuple):
    """What Test connection found: whether the provider passed, and why, in words."""

    passed: bool
    message: str


def check_connection(provider: Provider) -> Checked:
    """Ask an HTTP provider, without starting a job, whether it answers and takes the key,
    and how its models can remix where that was not known yet."""
    if not kinds.capabilities(provider).connects:
        return Checked(True, "The local engine is built in: nothing to check.")
    if kinds.capabilities(provider).runs_workflows:
        return check_workflows(provider)
    found = factory.http_provider(provider).check()
    provider.checked_at = timezone.now()
    provider.check_result = found["message"]
    if found.get("can_list") is not None:
        provider.can_list = found["can_list"]
    provider.save(update_fields=["checked_at", "check_result", "can_list"])
    if found["reachable"]:
        circuits.record(provider)  # it answered: its circuit closes
    if "can_list" not in found:  # it does not answer as a Videos API that takes the key
        return Checked(False, str(found["message"]))
    remixing = strategies.detect_entries(provider, only_unknown=True)
    return Checked(True, f"{found['message']} Remixing: {remixing}")


def check_workflows(provider: Provider) -> Checked:
    """A ComfyUI: does it answer, and has it every node class of every workflow."""
    needed = {
        entry.name: workflows.node_classes(entry.workflow)
        for entry in provider.catalog.all()
        if entry.workflow
    }
    found = factory.comfyui_provider(provider).check(needed)
    provider.checked_at, provider.check_result = timezone.now(), found["message"]
    provider.save(update_fields=["checked_at", "check_result"])
    if found["reachable"]:
        circuits.record(provider)
    return Checked(found["reachable"] and not found.get("missing"), str(found["message"]))


def comfyui_from_environment(environ: Mapping[str, str]) -> tuple[Provider | None, list[str]]:
    """Create or update the ComfyUI that REMIXER_COMFYUI_* variables describe, with a model
    per workflow file of REMIXER_COMFYUI_WORKFLOWS; what was done, and what was refused."""
    url = environ.get("REMIXER_COMFYUI_URL", "").strip()
    if not url:
        return None, []
    name = environ.get("REMIXER_COMFYUI_NAME", "").strip() or "ComfyUI"
    provider, _ = Provider.objects.update_or_create(
        name=name, defaults={"kind": kinds.COMFYUI, "base_url": url, "enabled": True}
    )
    folder = environ.get("REMIXER_COMFYUI_WORKFLOWS", "").strip()
    said = []
    for path in sorted(Path(folder).glob("*.json")) if folder else []:
        try:
            entry, changed = save_workflow(provider, path.stem, path.read_bytes())
        except workflows.WorkflowError as error:
            said.append(f"{path.name} was not added: {error}")
            continue
        if changed:
            said.append(f"{path.name} is the model {entry.name!r}.")
    return provider, said


def save_workflow(provider: Provider, name: str, text: str | bytes) -> tuple[CatalogEntry, bool]:
    """A workflow as a model of the provider (new, or changed: jobs already asked keep the
    one they were made with); WorkflowError in words when remixer cannot use it."""
    workflow = workflows.read(text)
    entry = CatalogEntry.objects.filter(provider=provider, name=name).first()
    workflows.find_roles(workflow, entry.roles if entry else {})
    if entry is not None and entry.workflow == workflow:
        return entry, False
    entry, _ = CatalogEntry.objects.update_or_create(
        provider=provider, name=name, defaults={"workflow": workflow}
    )
    return entry, True


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
                "kind": kinds.VIDEOS_API,
                "base_url": url,
                "enabled": True,
                "api_key": environ.get("REMIXER_PROVIDER_KEY", ""),
            },
        )
        models = environ.get("REMIXER_PROVIDER_MODELS", "sora-2").split(",")
        for model in filter(None, (m.strip() for m in models)):
            CatalogEntry.objects.get_or_create(provider=provider, name=model)
    return provider


@dataclass
class Health:
    """A provider's day: jobs not finished yet, how long completed ones took, failures."""

    in_flight: int = 0
    seconds_to_complete: list[float] = field(default_factory=list)
    failures: Counter[str] = field(default_factory=Counter)

    def percentile(self, share: float) -> float | None:
        """The nearest-rank percentile of the times to complete (0.5: the median)."""
        times = sorted(self.seconds_to_complete)
        return times[max(0, math.ceil(share * len(times)) - 1)] if times else None


def health_of(providers: Iterable[Provider]) -> dict[int, Health]:
    """Each provider's health, read in one query for all of them (an admin list's page)."""
    health = {provider.pk: Health() for provider in providers}
    recent = Q(ended_at__gte=timezone.now() - HEALTH_WINDOW)
    rows = Video.objects.filter(
        Q(status__in=[Video.Status.QUEUED, Video.Status.IN_PROGRESS]) | recent,
        provider__in=list(health),
    ).values_list("provider_id", "status", "error_code", "created_at", "ended_at")
    for provider_id, status, code, created_at, ended_at in rows:
        day = health[provider_id]
        if status == Video.Status.COMPLETED and ended_at is not None:
            day.seconds_to_complete.append((ended_at - created_at).total_seconds())
        elif status == Video.Status.FAILED:
            day.failures[code or "failed"] += 1
        elif status != Video.Status.COMPLETED:
            day.in_flight += 1
    return health
