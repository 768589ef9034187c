"""Several hosts that share only PostgreSQL and a bucket: one web process and two workers,
each with its own empty data directory and no path in common with the others."""

import hashlib
import os
import signal
import subprocess
import sys
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import pytest
from django.db import connection

from remixer.actions import jobs, specs
from remixer.models import CatalogEntry, Provider, Video
from remixer.models.accounts import ApiKey
from remixer.tests.conftest import (
    ROOT,
    free_port,
    process_env,
    start_process,
    stop_process,
    wait_for,
    worker_args,
)

pytestmark = pytest.mark.django_db(transaction=True)


class NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def get(url: str, headers: dict[str, str]) -> tuple[int, str, bytes]:
    """One request, redirects not followed: status, Location, body."""
    opener = urllib.request.build_opener(NoRedirects)
    try:
        with opener.open(urllib.request.Request(url, headers=headers), timeout=30) as answer:
            return answer.status, "", answer.read()
    except urllib.error.HTTPError as answer:
        return answer.code, answer.headers.get("Location", ""), answer.read()


class Host:
    """A machine of its own: an empty data directory nobody else uses."""

    def __init__(self, root: Path, name: str) -> None:
        self.data = root / name
        self.data.mkdir()
        self.log = self.data.parent / f"{name}.log"

    def worker(self) -> subprocess.Popen[bytes]:
        return start_process(
            worker_args("render"), self.data / "media", self.log, REMIXER_LEASE_SECONDS="2"
        )

    def web(self, port: int) -> subprocess.Popen[bytes]:
        command = ["-m", "gunicorn", "remixer.wsgi", "--bind", f"127.0.0.1:{port}"]
        return subprocess.Popen(
            [sys.executable, *command, "--workers", "1"],
            cwd=ROOT,
            env=process_env(self.data / "media"),
            stdout=self.log.open("ab"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def files(self) -> list[Path]:
        return [path for path in self.data.rglob("*") if path.is_file()]


def rendering_on(process: subprocess.Popen[bytes]) -> Video | None:
    return Video.objects.filter(
        status="in_progress", progress__gte=15, lease_owner__endswith=f":{process.pid}"
    ).first()


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="hosts share PostgreSQL, not a SQLite file"
)
def test_hosts_sharing_only_postgresql_and_a_bucket(bucket, ana, source, tmp_path):
    Provider.default()
    local = CatalogEntry.objects.get(provider__kind="local")
    made = [
        jobs.submit(
            specs.create_spec(
                owner=ana,
                entry=local,
                prompt=f"host video {index}",
                size="1280x720",
                seconds="4",
                token=uuid.uuid4(),
                exempt=True,
            )
        )
        for index in range(3)
    ]
    made.append(
        jobs.submit(
            specs.remix_spec(
                owner=ana,
                source=source,
                prompt="sepia",
                recipe={"effects": ["sepia"]},
                token=uuid.uuid4(),
                exempt=True,
            )
        )
    )
    web, one, two = (Host(tmp_path, name) for name in ("web", "worker-one", "worker-two"))
    port = free_port()
    processes = [web.web(port), one.worker(), two.worker()]  # both hosts take jobs
    ids = [video.pk for video in made]
    try:
        victim = wait_for_value(lambda: rendering_on(processes[1]))
        os.kill(processes[1].pid, signal.SIGKILL)  # the first host dies mid-render
        processes[1].wait()
        assert not [name for name in bucket.names() if victim.pk in name]
        wait_for(lambda: Video.objects.filter(pk__in=ids, status="completed").count() == 4, 240)
        key = ApiKey.issue(user=ana, name="hosts")[1]
        for video in Video.objects.filter(pk__in=ids):
            served = served_by(f"http://127.0.0.1:{port}/v1/videos/{video.pk}/content", key)
            assert hashlib.sha256(served).hexdigest() == video.file_sha256
    finally:
        for process in processes:
            stop_process(process)
    taken_over = Video.objects.get(pk=victim.pk)
    assert taken_over.note == "The render was restarted after its worker stopped."
    assert not bucket.uploads()
    assert not web.files() and not two.files()  # the files live in the bucket, not on hosts
    restarted = one.worker()  # the killed host comes back: its worker clears what it left
    try:
        wait_for(lambda: not one.files(), timeout=60)
    finally:
        stop_process(restarted)


def served_by(url: str, key: str) -> bytes:
    status, location, _ = get(url, {"Authorization": f"Bearer {key}"})
    assert status == 302 and location.startswith("http"), status
    status, _, body = get(location, {})
    assert status == 200
    return body


def wait_for_value(find, timeout: float = 120):  # type: ignore[no-untyped-def]
    """Wait until `find()` gives something, and return it."""
    found: list[object] = [None]

    def given() -> bool:
        found[0] = find()
        return found[0] is not None

    wait_for(given, timeout=timeout)
    return found[0]
