"""Many people at once on the embedded default (SQLite, gunicorn, workers): no lock errors,
no 5xx, and one job per submitted form however often it is sent."""

import re
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from django.db import connection
from django_tasks_db.models import DBTaskResult

from remixer.actions import jobs, specs
from remixer.models import CatalogEntry, Video
from remixer.tests.conftest import job, wait_for
from remixer.tests.support.pages import logged_in

pytestmark = pytest.mark.django_db(transaction=True)
POLLERS = 50
POLL_SECONDS = 30


def poll(
    server: str, cookies: dict[str, str | None], video_ids: list[str], until: float
) -> list[int]:
    statuses = []
    with requests.Session() as session:
        session.cookies.update(cookies)
        while time.monotonic() < until:
            for video_id in video_ids:
                response = session.get(
                    f"{server}/videos/{video_id}/status", timeout=30, headers={"HX-Request": "true"}
                )
                statuses.append(response.status_code)
            time.sleep(0.2)
    return statuses


def test_fifty_pollers_for_thirty_seconds_while_a_render_writes_progress(server, ana, tmp_path):
    local = CatalogEntry.objects.get(provider__kind="local")
    videos = [
        jobs.submit(
            specs.create_spec(
                owner=ana,
                entry=local,
                prompt=f"storm at sea {n}",
                size="1792x1024",
                seconds="12",
                token=uuid.uuid4(),
                exempt=True,
            )
        )
        for n in range(4)
    ]
    ids = [video.pk for video in videos]
    wait_for(lambda: Video.objects.filter(pk__in=ids, progress__gt=0).exists(), timeout=60)
    cookies = logged_in(server, "ana", "ana-password-1")
    progress_seen: set[int] = set()
    stop = threading.Event()

    def watch_progress() -> None:
        try:
            while not stop.is_set():
                progress_seen.update(
                    Video.objects.filter(pk__in=ids).values_list("progress", flat=True)
                )
                time.sleep(0.1)
        finally:
            connection.close()  # this thread's own connection, or the test database stays in use

    watcher = threading.Thread(target=watch_progress)
    watcher.start()
    until = time.monotonic() + POLL_SECONDS
    with ThreadPoolExecutor(POLLERS) as pool:
        results = list(pool.map(lambda _: poll(server, cookies, ids, until), range(POLLERS)))
    stop.set()
    watcher.join()
    statuses = [status for result in results for status in result]
    log = (tmp_path / "serve.log").read_text()
    print(
        f"{len(statuses)} status requests from {POLLERS} clients in {POLL_SECONDS} s; "
        f"{len(progress_seen)} progress values written meanwhile"
    )
    assert len(statuses) > POLLERS * POLL_SECONDS  # every client kept polling
    assert set(statuses) == {200}, sorted(set(statuses))
    assert "database is locked" not in log
    assert len(progress_seen) >= 20  # the render kept writing throughout


def test_twenty_copies_of_one_form_make_one_job(server, ana, source):
    cookies = logged_in(server, "ana", "ana-password-1")
    token = str(uuid.uuid4())

    def submit(_: int) -> str:
        with requests.Session() as session:
            session.cookies.update(cookies)
            response = session.post(
                f"{server}/videos/{source.pk}/remix",
                allow_redirects=False,
                timeout=30,
                data={
                    "prompt": "black and white",
                    "form_token": token,
                    "csrfmiddlewaretoken": cookies["csrftoken"],
                },
                headers={"Referer": f"{server}/videos/{source.pk}"},
            )
            assert response.status_code == 302, response.status_code
            return response.headers["Location"]

    with ThreadPoolExecutor(20) as pool:
        locations = set(pool.map(submit, range(20)))
    remixes = Video.objects.filter(remixed_from=source)
    assert len(locations) == 1 and remixes.count() == 1
    assert locations == {f"/videos/{remixes.get().pk}"}
    assert DBTaskResult.objects.filter(args_kwargs__args=[remixes.get().pk]).count() == 1


def test_twenty_retries_of_one_failed_video_make_one_job(server, ana):
    """Two gunicorn workers, twenty posts of the Retry form at once: half from the page
    (one token), half from other tabs (each its own): one retry, one task."""
    failed = job(ana, status=Video.Status.FAILED, error_message="boom")
    cookies = logged_in(server, "ana", "ana-password-1")
    with requests.Session() as session:
        session.cookies.update(cookies)
        page = session.get(f"{server}/videos/{failed.pk}", timeout=10).text
    form = re.search(r'action="/videos/[^"]+/retry".*?name="form_token" value="([^"]+)"', page)
    assert form is not None, page

    def retry(n: int) -> str:
        with requests.Session() as session:
            session.cookies.update(cookies)
            response = session.post(
                f"{server}/videos/{failed.pk}/retry",
                allow_redirects=False,
                timeout=30,
                data={
                    "form_token": form.group(1) if n % 2 else str(uuid.uuid4()),
                    "csrfmiddlewaretoken": cookies["csrftoken"],
                },
                headers={"Referer": f"{server}/videos/{failed.pk}"},
            )
            assert response.status_code == 302, response.status_code
            return response.headers["Location"]

    with ThreadPoolExecutor(20) as pool:
        locations = set(pool.map(retry, range(20)))
    retries = Video.objects.filter(retry_of=failed)
    print(f"20 concurrent retries made {retries.count()} job(s)")
    assert retries.count() == 1 and locations == {f"/videos/{retries.get().pk}"}
    assert DBTaskResult.objects.filter(args_kwargs__args=[retries.get().pk]).count() == 1
