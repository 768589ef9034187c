"""A step's calls to its provider: one of the provider's places held for them (so that a
server that hangs ties up a few workers at most), the video's lease kept while they last,
and whether the server answered recorded in its circuit."""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial
from typing import ParamSpec, TypeVar

from remixer.models import Video
from remixer.providers import ProviderError, circuits
from remixer.worker import queue
from remixer.worker.leases import held, worker_id

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
