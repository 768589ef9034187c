"""The shared cast: three people, a finished video to remix, and a way to start real processes."""

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import av
import pytest
from django.conf import settings
from django.contrib.admin.utils import quote
from django.contrib.auth.models import User
from django.db import connection, connections
from django.urls import reverse

from remixer.files import storage
from remixer.models import LOCAL_MODEL, Provider, Video
from remixer.providers.local import render_create
from remixer.tests.support.buckets import Bucket, use_bucket
from remixer.tests.support.fault_proxy import FaultProxy

ROOT = Path(__file__).resolve().parents[2]
# The 13 keys of the Videos API's Video object, all always present.
VIDEO_KEYS = frozenset(
    {
        "id",
        "object",
        "model",
        "status",
        "progress",
        "created_at",
        "completed_at",
        "expires_at",
        "prompt",
        "size",
        "seconds",
        "remixed_from_video_id",
        "error",
    }
)


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path: Path) -> Path:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.REMIXER_SCRATCH_DIR = tmp_path / "scratch"
    return settings.MEDIA_ROOT


# Object storage: a real S3 server (moto's) on loopback, one fresh bucket per test.


@pytest.fixture(scope="session")
def s3_server() -> Iterator[str]:
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def bucket(s3_server: str, settings, monkeypatch) -> Bucket:  # type: ignore[no-untyped-def]
    """remixer's files in a fresh bucket of the S3 server, for this test and its processes."""
    made = Bucket(s3_server)
    use_bucket(settings, monkeypatch, made)
    return made


@pytest.fixture
def proxy(s3_server: str) -> Iterator[FaultProxy]:
    """A fault-injecting (and throttling) proxy in front of the S3 server."""
    running = FaultProxy(s3_server)
    yield running
    running.stop()


@pytest.fixture
def faulty(bucket: Bucket, proxy: FaultProxy, settings, monkeypatch) -> Bucket:  # type: ignore[no-untyped-def]
    """The bucket, reached by remixer through the proxy."""
    use_bucket(settings, monkeypatch, bucket, endpoint=proxy.url)
    return bucket


@pytest.fixture(params=["local", "s3"])
def stores(request) -> str:  # type: ignore[no-untyped-def]
    """Run a test with files on local disk, then again with files in a bucket."""
    if request.param == "s3":
        request.getfixturevalue("bucket")
    return str(request.param)


@pytest.fixture
def ana(django_user_model) -> User:  # type: ignore[no-untyped-def]
    return django_user_model.objects.create_user("ana", password="ana-password-1")


@pytest.fixture
def ben(django_user_model) -> User:  # type: ignore[no-untyped-def]
    return django_user_model.objects.create_user("ben", password="ben-password-1")


@pytest.fixture
def staff(django_user_model) -> User:  # type: ignore[no-untyped-def]
    return django_user_model.objects.create_user("sam", password="sam-password-1", is_staff=True)


@pytest.fixture(scope="session")
def clip_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real 4 s 1280x720 MP4 from the local engine, rendered once per test run."""
    path = tmp_path_factory.mktemp("clips") / "clip.mp4"
    render_create(
        prompt="calm blue waves",
        size="1280x720",
        seconds=4,
        output=path,
        reference_image=None,
        on_progress=lambda done, total: None,
    )
    return path


@pytest.fixture(scope="session")
def long_clip_path(clip_path: Path) -> Path:
    """The clip 45 times over (3 minutes, about 5.7 MB): seconds to check frame by frame,
    and larger than what Django keeps in memory, so its upload streams to disk."""
    path = clip_path.with_name("long-clip.mp4")
    with av.open(str(clip_path)) as source, av.open(str(path), "w") as output:
        stream = source.streams.video[0]
        copy = output.add_stream_from_template(stream)
        offset = 0
        for _ in range(45):
            source.seek(0)
            end = offset
            for packet in source.demux(stream):
                if packet.dts is None or packet.pts is None:
                    continue
                packet.pts += offset
                packet.dts += offset
                end = max(end, packet.pts + packet.duration)
                packet.stream = copy
                output.mux(packet)
            offset = end
    return path


def video_row(owner: User, **fields: object) -> Video:
    """A video row as a job leaves it: queued by default, any field overridden."""
    defaults: dict[str, object] = {
        "provider": Provider.default(),
        "model": LOCAL_MODEL,
        "prompt": "calm blue waves",
        "size": "1280x720",
        "seconds": "4",
    }
    return Video.objects.create(owner=owner, **{**defaults, **fields})


def made_from(parent: Video, kind: str = "remix") -> dict[str, object]:
    """The fields that make a video a remix (or an extension, an edit) of `parent`."""
    return {"kind": kind, "remixed_from": parent, "remixed_from_video_id": parent.id}


def job(owner: User, **fields: object) -> Video:
    """A portrait 8 s job, queued unless told otherwise."""
    return video_row(
        owner, **{"prompt": "a running job", "size": "720x1280", "seconds": "8", **fields}
    )


def video_admin_url(video: Video) -> str:
    """A video's admin page as the admin writes it: quoted, or an id's "_22" reads as '"'."""
    return reverse("admin:remixer_video_change", args=[quote(video.pk)])


def finished_video(owner: User, clip: Path, **fields: object) -> Video:
    """A completed video whose file is a copy of `clip`."""
    video = video_row(owner, status=Video.Status.COMPLETED, progress=100, **fields)
    video.video_file.name = storage.save(clip, f"videos/{video.pk}/video.mp4")
    video.save(update_fields=["video_file"])
    return video


@pytest.fixture
def source(ana: User, clip_path: Path) -> Video:
    return finished_video(ana, clip_path)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests marked `database_free` or `browser_only` run on the SQLite pass alone."""
    if not settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        once = {i for i in items if {"database_free", "browser_only"} & set(i.keywords)}
        config.hook.pytest_deselected(items=list(once))
        items[:] = [item for item in items if item not in once]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def database_url() -> str:
    """The URL of the database the tests run on, for the processes they start."""
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    return f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def process_env(media_root: Path) -> dict[str, str]:
    data_dir = media_root.parent
    return {
        **os.environ,
        "DATABASE_URL": database_url(),
        "REMIXER_DATA_DIR": str(data_dir),
        "SECRET_KEY": settings.SECRET_KEY,
        "PYTHONUNBUFFERED": "1",
    }


def start_process(
    args: list[str], media_root: Path, log: Path, **env: str
) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**process_env(media_root), **env},
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def stop_process(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def worker_args(queue: str) -> list[str]:
    """A worker as `make run` starts it, polling its queue often enough for tests."""
    return [
        "worker",
        "--no-reload",
        "--queue-name",
        queue,
        "--interval",
        "0.2",
        "--no-startup-delay",
    ]


@pytest.fixture
def worker(transactional_db, media_root: Path, tmp_path: Path) -> Iterator[Path]:  # type: ignore[no-untyped-def]
    """Real workers (db_worker plus the sweep), one per queue, as `make run` starts them."""
    Provider.default()  # a transactional test flushes the row the migration made
    processes = [
        start_process(worker_args(queue), media_root, tmp_path / f"worker-{queue}.log")
        for queue in ("render", "default")
    ]
    yield tmp_path
    for process in processes:
        stop_process(process)


def wait_for(condition, timeout: float = 60, interval: float = 0.2) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {condition}")
        time.sleep(interval)


# Browser tests: a real Chromium against `manage.py serve` (gunicorn and workers).

ARTIFACTS = ROOT / "test-artifacts"
DESKTOP = {"width": 1280, "height": 860}
PHONE = {"width": 390, "height": 844}
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]


@pytest.fixture
def server(transactional_db, media_root: Path, tmp_path: Path) -> Iterator[str]:  # type: ignore[no-untyped-def]
    process, url = start_site(media_root, tmp_path)
    yield url
    stop_process(process)


def start_site(media_root: Path, tmp_path: Path, **env: str) -> tuple[subprocess.Popen[bytes], str]:
    """`manage.py serve` (gunicorn and the workers), once it answers."""
    Provider.default()  # a transactional test flushes the row the migration made
    port = free_port()
    args = ["serve", "--port", str(port)]
    # A low timeout: no request should hold up a worker. Two short-step workers, not four:
    # the tests' sites drive one provider at a time on a small machine.
    env = {"REMIXER_WEB_TIMEOUT": "10", "REMIXER_SHORT_WORKERS": "2", **env}
    process = start_process(args, media_root, tmp_path / "serve.log", **env)
    url = f"http://127.0.0.1:{port}"

    def answers() -> bool:
        try:
            return urllib.request.urlopen(f"{url}/login", timeout=2).status == 200
        except OSError:
            assert process.poll() is None, (tmp_path / "serve.log").read_text()
            return False

    wait_for(answers, timeout=60)
    return process, url


@pytest.fixture
def browser(monkeypatch: pytest.MonkeyPatch) -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's loop shares this thread
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        complaints = watch_for_complaints(browser)
        expected: list[str] = []  # what a test means a page to log: a refused form's 400
        browser.expected_complaints = expected  # type: ignore[attr-defined]
        yield browser
        browser.close()
        # While Playwright's loop runs, Django keeps this test's connections apart from the
        # ones pytest-django closes; left open, they keep the test database in use.
        connections.close_all()
    unexpected = [said for said in complaints if not any(text in said for text in expected)]
    assert not unexpected, f"the pages made the browser complain: {unexpected}"


def watch_for_complaints(browser) -> list[str]:  # type: ignore[no-untyped-def]
    """Collect what any page of `browser` logs as an error or throws: a refused inline
    script or style (the Content-Security-Policy at work), a failed load, a script error."""
    complaints: list[str] = []
    new_context = browser.new_context

    def logged(message) -> None:  # type: ignore[no-untyped-def]
        if message.type == "error":
            complaints.append(f"{message.text} ({message.location['url']})")

    def watched_context(**options: object):  # type: ignore[no-untyped-def]
        context = new_context(**options)
        context.on("console", logged)
        context.on("weberror", lambda error: complaints.append(error.error.message))
        return context

    browser.new_context = watched_context
    return complaints


def log_in(browser, url: str, username: str, password: str, viewport=DESKTOP):  # type: ignore[no-untyped-def]
    page = browser.new_context(viewport=viewport).new_page()
    page.goto(url + "/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_url(url + "/")
    return page


def wait_until_playable(page, timeout: float = 90) -> None:  # type: ignore[no-untyped-def]
    """Wait until the status fragment's player has a frame to show.

    Polled from here: `page.wait_for_function` re-runs its predicate through `eval`, which
    the page's Content-Security-Policy rightly refuses once the first try comes too early.
    """
    page.wait_for_selector("#status video", timeout=timeout * 1000)
    wait_for(
        lambda: page.evaluate("() => document.querySelector('#status video').readyState >= 2"),
        timeout=timeout,
        interval=0.1,
    )


def shoot(page, name: str) -> None:  # type: ignore[no-untyped-def]
    ARTIFACTS.mkdir(exist_ok=True)
    # caret="initial": hiding the caret leaves style="" on inputs, which htmx copies on a swap
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True, caret="initial")
