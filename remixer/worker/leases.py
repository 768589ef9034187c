"""Leases: a worker holds one on a video while it works on it and renews it as it goes.

A lease that runs out means its worker died; the sweep (`remixer.recovery`) then gives the
video its work again. Every claim is a conditional UPDATE, so two workers never hold one video.
"""

import os
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection
from django.db.models import F, Q, QuerySet
from django.db.models.functions import Greatest
from django.utils import timezone

from remixer.models import Video

Status = Video.Status
RUNNING = (Status.QUEUED, Status.IN_PROGRESS)
PROGRESS_INTERVAL = 0.2  # seconds between progress writes: live on screen, light on the database


class JobCancelled(Exception):
    """The row left `in_progress` while we worked on it (cancelled or deleted)."""


def worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def lease_until() -> datetime:
    return timezone.now() + timedelta(seconds=settings.REMIXER_LEASE_SECONDS)


def free() -> Q:
    return Q(lease_expires_at__isnull=True) | Q(lease_expires_at__lt=timezone.now())


def claim(video_id: str, conditions: Q, **changes: object) -> bool:
    """Take the video for this worker, if it meets `conditions` and no live lease holds it."""
    available = Video.objects.filter(conditions, free(), pk=video_id)
    return bool(
        available.update(lease_owner=worker_id(), lease_expires_at=lease_until(), **changes)
    )


def mine(video_id: str) -> QuerySet[Video]:
    return Video.objects.filter(pk=video_id, lease_owner=worker_id())


def release(video_id: str) -> None:
    mine(video_id).update(lease_owner="", lease_expires_at=None)


class LeaseKeeper:
    """Renews this worker's lease while it works; stops the work if the lease was lost."""

    def __init__(self, video_id: str) -> None:
        self.video_id = video_id
        self.renewed = time.monotonic()

    def __call__(self, done: int, total: int) -> None:
        if time.monotonic() - self.renewed >= settings.REMIXER_LEASE_SECONDS / 3:
            self.renew()

    def renew(self, **changes: object) -> None:
        self.renewed = time.monotonic()
        working = mine(self.video_id).filter(status=Status.IN_PROGRESS)
        if not working.update(lease_expires_at=lease_until(), **changes):
            raise JobCancelled(self.video_id)


class ProgressWriter(LeaseKeeper):
    """Writes frames done ÷ frames total to the row (renewing the lease), a few times a second."""

    def __init__(self, video_id: str) -> None:
        super().__init__(video_id)
        self.written = 0.0
        self.percent = -1

    def __call__(self, done: int, total: int) -> None:
        percent = min(99, done * 100 // max(total, 1))
        now = time.monotonic()
        if percent != self.percent and now - self.written >= PROGRESS_INTERVAL:
            self.written, self.percent = now, percent
            self.renew(progress=Greatest(F("progress"), percent))
        else:
            super().__call__(done, total)


class Progress:
    """Bytes a transfer has moved so far (it is called with each amount), for `held`."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, amount: int) -> None:
        self.count += amount


@contextmanager
def held(
    video_id: str,
    progress: Progress | None = None,
    renew_also: Callable[[], None] | None = None,
) -> Iterator[None]:
    """Renew this worker's lease from a thread while a step works without reporting progress
    (a spritesheet of a long video, a call to a slow provider), so that the video is not lost.

    With `progress` (a transfer's bytes), only while it moves: a transfer that makes no
    progress for a lease's length lets the lease run out, and the video is taken over.
    `renew_also` renews what else the step holds for as long (a place for a provider call)."""
    stop = threading.Event()
    owner = worker_id()

    def renew() -> None:
        seen = 0
        try:
            while not stop.wait(settings.REMIXER_LEASE_SECONDS / 3):
                if progress is not None:
                    if progress.count == seen:
                        continue  # stalled: not renewed
                    seen = progress.count
                working = Video.objects.filter(pk=video_id, lease_owner=owner, status__in=RUNNING)
                if not working.update(lease_expires_at=lease_until()):
                    return
                if renew_also is not None:
                    renew_also()
        finally:
            connection.close()  # this thread's own connection

    renewer = threading.Thread(target=renew, name=f"lease-{video_id}", daemon=True)
    renewer.start()
    try:
        yield
    finally:
        stop.set()
        renewer.join()
