"""A slow link to the bucket costs time, never the work: the lease is renewed while bytes move,
so a transfer lasting three leases is not taken over by the sweep; and a bucket that fails to
take a finished render, then recovers, is tried again within the lease."""

import threading
import time
from pathlib import Path

import av
import numpy as np
import pytest
from django.db.models import Q
from django.utils import timezone

from remixer.files import storage
from remixer.models import Video
from remixer.settings import REMIXER_S3_ATTEMPTS
from remixer.tests.conftest import video_row
from remixer.tests.support.buckets import Bucket
from remixer.worker import imports, leases, pipeline, recovery
from remixer.worker.scratch import upload_name

LEASE = 1.0  # seconds


@pytest.fixture
def linked(faulty: Bucket, settings) -> Bucket:  # type: ignore[no-untyped-def]
    """The bucket, reached through the proxy, with leases a second long."""
    settings.REMIXER_LEASE_SECONDS = LEASE
    return faulty


@pytest.fixture(scope="module")
def noisy_clip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A second of noise at 320x180: quick to check, some 1.5 MB to move."""
    path = tmp_path_factory.mktemp("noise") / "noise.mp4"
    rng = np.random.default_rng(21)
    with av.open(str(path), "w") as container:
        stream = container.add_stream(
            "libx264", rate=24, options={"crf": "0", "preset": "ultrafast"}
        )
        stream.width, stream.height, stream.pix_fmt = 320, 180, "yuv420p"
        for _ in range(24):
            pixels = rng.integers(0, 256, (180, 320, 3), dtype=np.uint8)
            container.mux(stream.encode(av.VideoFrame.from_ndarray(pixels, format="rgb24")))
        container.mux(stream.encode())
    return path


class Sweeper:
    """The sweep, run every half lease from another thread as a second worker would."""

    def __init__(self) -> None:
        self.resumed: list[tuple[str, str]] = []
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)

    def run(self) -> None:
        from django.db import connection

        try:
            while not self.stop.wait(LEASE / 2):
                self.resumed += recovery.sweep()
        finally:
            connection.close()

    def __enter__(self) -> "Sweeper":
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.thread.join()


@pytest.mark.django_db(transaction=True)
def test_an_import_through_a_slow_link_completes_without_restarting(linked, proxy, ana, noisy_clip):
    video = video_row(ana, kind=Video.Kind.IMPORT, size="", seconds="", prompt="")
    storage.save(noisy_clip, upload_name(video.pk))
    proxy.throttle(noisy_clip.stat().st_size / (3 * LEASE))  # its download lasts 3 leases
    with Sweeper() as sweeper:
        imports.verify_import(video.pk)
    video.refresh_from_db()
    assert (video.status, video.error) == ("completed", None)
    assert sweeper.resumed == []  # never taken over, never restarted from byte 0
    assert storage.size_and_sha256(str(video.video_file))[1] == video.file_sha256


@pytest.mark.django_db(transaction=True)  # the lease is renewed from a thread meanwhile
def test_a_bucket_that_fails_the_first_store_then_recovers_leaves_the_video_completed(
    linked, proxy, ana
):
    video = video_row(ana, prompt="calm blue waves at dusk", size="320x180", seconds="1")
    # Every attempt botocore makes at the first file fails: the store fails, and is tried again.
    proxy.fail({"PUT", "POST"}, "500", times=REMIXER_S3_ATTEMPTS)
    pipeline.render(video.pk)
    video.refresh_from_db()
    assert (video.status, video.error) == ("completed", None)
    assert proxy.failed == REMIXER_S3_ATTEMPTS
    stored = [video.video_file, video.thumbnail_file, video.spritesheet_file]
    assert all(storage.exists(str(name)) for name in stored) and not linked.uploads()


@pytest.mark.django_db(transaction=True)
def test_a_transfer_that_makes_no_progress_for_a_lease_lets_the_video_go(settings, ana):
    settings.REMIXER_LEASE_SECONDS = LEASE
    video = video_row(ana)
    assert leases.claim(video.pk, Q(status=Video.Status.QUEUED), status=Video.Status.IN_PROGRESS)
    first = Video.objects.get(pk=video.pk).lease_expires_at
    with leases.held(video.pk, moved := leases.Progress()):
        moved(65536)  # bytes arrive: renewed
        time.sleep(LEASE / 2)
        assert Video.objects.get(pk=video.pk).lease_expires_at > first
        time.sleep(LEASE * 1.3)  # then none: not renewed, the lease runs out
        assert Video.objects.get(pk=video.pk).lease_expires_at < timezone.now()
    assert recovery.sweep() == [(video.pk, "render")]  # another worker takes it over
