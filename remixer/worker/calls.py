"""A step's calls to its provider: one of the provider's places held for them (so that a
server that hangs ties up a few workers at most), the video's lease kept while they last,
and whether the server answered recorded in its circuit. Also the calls made on the side,
best effort: deleting a provider's copy, cancelling a job there.
"""

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial
from typing import ParamSpec, TypeVar

from remixer.models import Provider, Video
from remixer.providers import ProviderError, circuits, kinds
from remixer.providers.kinds import provider_for
from remixer.worker import queue
from remixer.worker.leases import held, worker_id

logger = logging.getLogger(__name__)
A = ParamSpec("A")
R = TypeVar("R")


@contextmanager
def calling(video: Video) -> Iterator[None]:
    """Hold one of the provider's places for calls (circuits.Busy when none is free), and the
    lease on the video, for as long as the step calls it: a call may outlast a lease."""
    holder = f"{worker_id()} {video.pk}"
    with (
        circuits.place_for(video.provider, holder) as place,
        held(video.pk, renew_also=partial(circuits.renew, place)),
    ):
        yield


def observed(video: Video, call: Callable[A, R], *args: A.args, **kwargs: A.kwargs) -> R:
    """Call the provider, recording in its circuit whether it answered."""
    try:
        result = call(*args, **kwargs)
    except ProviderError as error:
        circuits.record(video.provider, error)
        raise
    if circuits.record(video.provider):  # it answers again: its other jobs need not wait
        queue.hurry(video.provider)
    return result


def ignore_progress(done: int, total: int) -> None:
    """A submission's upload reports no progress: the job's progress is the provider's."""


def learn(provider: Provider, **capabilities: bool) -> None:
    """Record what first use taught about a provider (remix, variants, delete)."""
    Provider.objects.filter(pk=provider.pk).update(**capabilities)


def delete_upstream(provider: Provider, provider_video_id: str) -> float | None:
    """Best effort: delete the provider's copy. Returns seconds to wait before asking again
    when every place for a call is taken; a provider that does not answer keeps its copy."""
    if provider.unreachable:
        return None
    try:
        with circuits.place_for(provider, f"{worker_id()} delete"):
            deleted = provider_for(provider).delete(provider_video_id)
    except circuits.Busy as busy:
        return busy.wait
    if deleted is not None:
        learn(provider, can_delete=deleted)
    return None


def cancel_upstream(provider: Provider, provider_video_id: str) -> None:
    """Best effort: a provider that does not answer keeps running what it has."""
    try:
        kinds.cancel_upstream(provider, provider_video_id)
    except ProviderError as error:
        logger.warning("%s: could not cancel %s: %s", provider, provider_video_id, error)
