"""Figures for the views hit most: the status fragment (of a healthy job and of one whose
provider hangs), the library, and the files."""

import socket
import statistics
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import include, path
from django.utils import timezone

from remixer.files import storage
from remixer.models import LOCAL_MODEL, CatalogEntry, Provider, Video
from remixer.worker import pipeline

Report = Callable[[str, float, str], None]
ROUNDS = 300
SMALL_FILE, LARGE_FILE = 4 * 2**20, 512 * 2**20


@login_required
def bare(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok")


urlpatterns = [path("bench/bare", bare), path("", include("remixer.urls"))]


def timed(client: Client, url: str, rounds: int = ROUNDS) -> tuple[float, int]:
    """Median seconds per request over `rounds`, and the SQL queries one request makes."""
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200, url
    queries = len(captured)  # now: later requests clear the connection's query log
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        client.get(url)
        samples.append(time.perf_counter() - start)
    return statistics.median(samples), queries


def make_videos(owner: Any, count: int) -> None:
    provider = Provider.default()
    Video.objects.bulk_create(
        [
            Video(
                owner=owner,
                provider=provider,
                model=LOCAL_MODEL,
                prompt=f"video {n}",
                size="1280x720",
                seconds="4",
                status=Video.Status.COMPLETED,
                progress=100,
            )
            for n in range(count)
        ],
        batch_size=1000,
    )


def run(report: Report) -> None:
    with override_settings(ROOT_URLCONF=__name__, ALLOWED_HOSTS=["testserver"]):
        user = get_user_model().objects.create_user("bench", password="bench-password")
        client = Client()
        client.force_login(user)
        running = Video.objects.create(
            owner=user,
            provider=Provider.default(),
            model=LOCAL_MODEL,
            prompt="running",
            size="1280x720",
            seconds="4",
            status=Video.Status.IN_PROGRESS,
            progress=40,
        )
        bare_time, _ = timed(client, "/bench/bare")
        status_time, status_queries = timed(client, f"/videos/{running.pk}/status")
        report("status fragment ÷ bare login-required view", status_time / bare_time, "≤ 1.5")
        report("status fragment SQL queries", status_queries, "≤ 3")
        report(
            "200 status fragments of a hung provider's job ÷ of a healthy one's",
            hung_fragments(client, user),
            "≤ 1.1",
        )

        make_videos(user, 23)
        small_time, small_queries = timed(client, "/")
        make_videos(user, 10_000 - 24)
        large_time, large_queries = timed(client, "/?page=200")
        report("library page 200 of 10,000 ÷ page 1 of 24", large_time / small_time, "≤ 1.3")
        report(
            "library SQL queries (24 videos / 10,000 videos)",
            max(small_queries, large_queries),
            "≤ 5",
        )
        report("peak memory serving a 512 MB file ÷ a 4 MB one", serving_memory(user), "≤ 1.1")


def serving_memory(user: Any) -> float:
    """Peak Python memory while a client takes a whole file, then a Range of it: large ÷ small."""
    client = Client()
    client.force_login(user)
    with tempfile.TemporaryDirectory() as media, override_settings(MEDIA_ROOT=media):
        urls = [stored_video(user, size) for size in (SMALL_FILE, LARGE_FILE)]
        served_peak(client, urls[0])  # warm: imports and caches are not the file's
        peaks = [min(served_peak(client, url) for _ in range(3)) for url in urls]
    return peaks[1] / peaks[0]


def stored_video(owner: Any, size: int) -> str:
    """A completed video whose stored file is `size` bytes (sparse zeros: never decoded),
    kept through the storage module, on local disk or in the bucket."""
    video = Video.objects.create(
        owner=owner,
        provider=Provider.default(),
        model=LOCAL_MODEL,
        status=Video.Status.COMPLETED,
        progress=100,
        size="1280x720",
        seconds="4",
    )
    with tempfile.TemporaryDirectory() as folder:
        sparse = Path(folder) / "video.mp4"
        with sparse.open("wb") as handle:
            handle.truncate(size)
        name = storage.save(sparse, f"videos/{video.pk}/video.mp4")
    Video.objects.filter(pk=video.pk).update(video_file=name)
    return f"/videos/{video.pk}/content"


def served_peak(client: Client, url: str) -> int:
    tracemalloc.start()
    try:
        take(client, url, {})
        take(client, url, {"Range": "bytes=1-"})
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def take(client: Client, url: str, headers: dict[str, str]) -> None:
    """Read the whole answer, as a browser would, keeping none of it."""
    response = client.get(url, headers=headers)
    assert isinstance(response, StreamingHttpResponse), url
    taken = sum(len(chunk) for chunk in response)
    assert taken == int(response["Content-Length"]) > 0, url


def hung_fragments(client: Client, user: Any) -> float:
    """200 status fragments of a job whose provider hangs ÷ 200 of a healthy provider's job.

    The hung provider is a real server that takes connections and never answers; its circuit
    is opened by the job's own polls, and its fragment shows the line that says so. No page
    ever waits for a provider."""
    with socket.socket() as hung, override_settings(REMIXER_HTTP_TIMEOUT=0.2):
        hung.bind(("127.0.0.1", 0))
        hung.listen(64)  # connections complete in the backlog; nothing ever reads them
        jobs = [
            job_at(user, name, f"http://127.0.0.1:{port}/v1")
            for name, port in (("hung", hung.getsockname()[1]), ("healthy", 9))
        ]
        for _ in range(3):
            pipeline.poll(jobs[0].pk)
    line = Provider.objects.get(name="hung").unreachable_line()
    fragment = client.get(f"/videos/{jobs[0].pk}/status").content.decode()
    assert line in fragment, fragment
    samples: dict[str, list[float]] = {job.pk: [] for job in jobs}
    for _ in range(200):  # in turn, so that the machine's ups and downs fall on both alike
        for job in jobs:
            start = time.perf_counter()
            client.get(f"/videos/{job.pk}/status")
            samples[job.pk].append(time.perf_counter() - start)
    hung_time, healthy_time = (statistics.median(samples[job.pk]) for job in jobs)
    return hung_time / healthy_time


def job_at(owner: Any, name: str, url: str) -> Video:
    """A job sent to a provider at `url`, which is working on it."""
    provider = Provider.objects.create(name=name, base_url=url, api_key="bench")
    CatalogEntry.objects.create(provider=provider, name="sora-2")
    return Video.objects.create(
        owner=owner,
        provider=provider,
        model="sora-2",
        prompt="waiting",
        size="1280x720",
        seconds="4",
        status=Video.Status.IN_PROGRESS,
        progress=30,
        provider_video_id=f"video_{name}",
        submitted_at=timezone.now(),
    )
