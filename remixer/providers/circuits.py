"""A provider's health, shared by every worker on every host through the database.

Calls in flight: a worker takes one of the provider's places (`ProviderCall`) before it
calls, so a server that hangs ties up REMIXER_CALLS_PER_PROVIDER workers at most; while the
provider is unreachable, one place only (one job tries; the others wait their turn).

The circuit: every call's outcome is recorded. Calls left unanswered in a row (refused,
reset, timed out) make the provider unreachable (`Provider.unreachable`); the first answer,
whatever it says, closes the circuit again.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

from django.conf import settings
from django.db.models import F, Q
from django.utils import timezone

from remixer.models import Provider, ProviderCall
from remixer.providers import ProviderError

BUSY_WAIT = 2.0  # seconds a job waits for a place when the provider answers but is busy
TAKE_ATTEMPTS = 3  # another worker may take the free place first


class Busy(Exception):
    """Every place for a call to this provider is taken: try again after `wait` seconds."""

    def __init__(self, wait: float) -> None:
        super().__init__(f"every place is taken; wait {wait:g} s")
        self.wait = wait


def places(provider: Provider) -> int:
    """How many calls may be in flight to it at once."""
    return 1 if provider.unreachable else max(1, settings.REMIXER_CALLS_PER_PROVIDER)


def waiting_time(provider: Provider) -> float:
    """How long a job waits before its next try, by the provider's health."""
    return provider.retry_every if provider.unreachable else BUSY_WAIT


@contextmanager
def place_for(provider: Provider, holder: str) -> Iterator[ProviderCall]:
    """Hold one of the provider's places while the block calls it; Busy when none is free.
    `holder` names the worker and its work (cut to the column's length)."""
    holder = holder[: ProviderCall._meta.get_field("holder").max_length]
    call = take(provider, holder)
    if call is None:
        raise Busy(waiting_time(provider))
    try:
        yield call
    finally:
        ProviderCall.objects.filter(pk=call.pk, holder=holder).update(holder="", held_until=None)


def take(provider: Provider, holder: str) -> ProviderCall | None:
    limit = places(provider)
    for _attempt in range(TAKE_ATTEMPTS):
        now = timezone.now()
        free = Q(holder="") | Q(held_until__lt=now)
        mine = ProviderCall.objects.filter(provider=provider, place__lt=limit)
        call = mine.filter(free).order_by("place").first()
        if call is None:
            if mine.count() >= limit:
                return None
            ProviderCall.objects.bulk_create(
                [ProviderCall(provider=provider, place=place) for place in range(limit)],
                ignore_conflicts=True,
            )
            continue
        until = now + timedelta(seconds=settings.REMIXER_LEASE_SECONDS)
        if ProviderCall.objects.filter(free, pk=call.pk).update(holder=holder, held_until=until):
            call.holder, call.held_until = holder, until
            return call
    return None


def renew(call: ProviderCall) -> None:
    """Keep holding the place (from the thread that renews the video's lease)."""
    until = timezone.now() + timedelta(seconds=settings.REMIXER_LEASE_SECONDS)
    ProviderCall.objects.filter(pk=call.pk, holder=call.holder).update(held_until=until)


def record(provider: Provider, error: BaseException | None = None) -> bool:
    """What came of one call: an answer closes the circuit, silence counts towards opening it.
    True when this answer ended a silence.

    The provider object is brought up to date with what is now stored, for the caller."""
    rows = Provider.objects.filter(pk=provider.pk)
    if not (isinstance(error, ProviderError) and error.unanswered):
        # Written only when the provider, as loaded for this step, had missed calls: most
        # calls find the circuit closed, and a poll adds no write (the next step's load sees
        # a circuit another worker opened meanwhile).
        if not (provider.unanswered_calls or provider.unanswered_since):
            return False
        opened = Q(unanswered_calls__gt=0) | Q(unanswered_since__isnull=False)
        ended = rows.filter(opened).update(unanswered_calls=0, unanswered_since=None)
        provider.unanswered_calls, provider.unanswered_since = 0, None
        return bool(ended)
    said = f"{error.message} {error.raw or ''}".strip()[:2000]
    rows.filter(unanswered_since__isnull=True).update(unanswered_since=timezone.now())
    rows.update(unanswered_calls=F("unanswered_calls") + 1, last_error=said)
    fresh = rows.values("unanswered_calls", "unanswered_since", "last_error").first()
    for field, value in (fresh or {}).items():
        setattr(provider, field, value)
    return False
