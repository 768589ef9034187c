"""What administrators do to providers: test a connection, and set one up from the
environment (`bootstrap`)."""

from collections.abc import Mapping
from typing import NamedTuple

from django.db import transaction
from django.utils import timezone

from remixer.models import CatalogEntry, Provider
from remixer.providers import factory, kinds, strategies


class Checked(NamedTuple):
    """What Test connection found: whether the provider passed, and why, in words."""

    passed: bool
    message: str


def check_connection(provider: Provider) -> Checked:
    """Ask an HTTP provider, without starting a job, whether it answers and takes the key,
    and how its models can remix where that was not known yet."""
    if not kinds.capabilities(provider).connects:
        return Checked(True, "The local engine is built in: nothing to check.")
    found = factory.http_provider(provider).check()
    provider.checked_at = timezone.now()
    provider.check_result = found["message"]
    if found.get("can_list") is not None:
        provider.can_list = found["can_list"]
    provider.save(update_fields=["checked_at", "check_result", "can_list"])
    if "can_list" not in found:  # it does not answer as a Videos API that takes the key
        return Checked(False, str(found["message"]))
    remixing = strategies.detect_entries(provider, only_unknown=True)
    return Checked(True, f"{found['message']} Remixing: {remixing}")


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
