"""Figures for files in a bucket, against moto's S3 server in a process of its own on loopback:
memory serving through remixer (REMIXER_S3_PROXY=1), and the time a worker takes to store."""

import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client
from django.test.utils import override_settings

from remixer.bench.web import LARGE_FILE, SMALL_FILE, served_peak, stored_video
from remixer.files import storage
from remixer.lib import media
from remixer.providers.local import render_create
from remixer.settings import s3_storage

Report = Callable[[str, float, str], None]
CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "bench",
    "AWS_SECRET_ACCESS_KEY": "bench-secret",
    "AWS_DEFAULT_REGION": "us-east-1",
}
ROUNDS = 5


def run(report: Report) -> None:
    with s3_server() as endpoint, tempfile.TemporaryDirectory() as folder:
        os.environ.update(CREDENTIALS)
        bucket = f"bench-{os.getpid()}"
        make_bucket(endpoint, bucket)
        in_bucket = {"default": s3_storage(bucket, endpoint, "bench")}
        on_disk = {"default": {"BACKEND": "remixer.files.storage.LocalStorage"}}
        with override_settings(
            STORAGES={**settings.STORAGES, **in_bucket},
            REMIXER_S3_BUCKET=bucket,
            REMIXER_S3_PROXY=True,
            ALLOWED_HOSTS=["testserver"],
        ):
            report(
                "peak memory proxying a 512 MB file from S3 ÷ a 4 MB one", proxy_memory(), "≤ 1.1"
            )
            s3_time = store_time(Path(folder))
        with override_settings(
            STORAGES={**settings.STORAGES, **on_disk}, MEDIA_ROOT=Path(folder) / "media"
        ):
            local_time = store_time(Path(folder))
        report("time storing a 4 s render on S3 ÷ on local disk", s3_time / local_time, "reported")


@contextmanager
def s3_server() -> Iterator[str]:
    """moto's S3 server in a process of its own, as a bucket service would be."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    process = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    endpoint = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while not answers(endpoint):
            if time.monotonic() > deadline or process.poll() is not None:
                raise RuntimeError("moto's S3 server did not start")
            time.sleep(0.2)
        yield endpoint
    finally:
        process.terminate()
        process.wait(timeout=30)


def answers(endpoint: str) -> bool:
    try:
        with urllib.request.urlopen(endpoint, timeout=2):
            return True
    except OSError as error:
        return isinstance(error, urllib.request.HTTPError)


def make_bucket(endpoint: str, bucket: str) -> None:
    import boto3

    boto3.client("s3", endpoint_url=endpoint).create_bucket(Bucket=bucket)


def proxy_memory() -> float:
    """Peak Python memory while a client takes a whole file, then a Range of it: large ÷ small."""
    user = get_user_model().objects.create_user("bench-s3", password="bench-password")
    client = Client()
    client.force_login(user)
    urls = [stored_video(user, size) for size in (SMALL_FILE, LARGE_FILE)]
    served_peak(client, urls[0])  # warm: imports, connections and caches are not the file's
    peaks = [min(served_peak(client, url) for _ in range(3)) for url in urls]
    return peaks[1] / peaks[0]


def store_time(folder: Path) -> float:
    """Median seconds a worker takes to store a 4 s render with its thumbnail and spritesheet."""
    render = folder / "render"
    if not render.exists():
        render.mkdir()
        render_create(
            prompt="bench waves",
            size="1280x720",
            seconds=4,
            output=render / "video.mp4",
            reference_image=None,
            on_progress=lambda done, total: None,
        )
        media.make_thumbnail(render / "video.mp4", render / "thumbnail.webp")
        media.make_spritesheet(render / "video.mp4", render / "spritesheet.jpg")
    files = {f"videos/bench/{path.name}": path for path in sorted(render.iterdir())}
    storage.save_all(files)  # warm: connections are not the file's
    samples = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        storage.save_all(files)
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)
