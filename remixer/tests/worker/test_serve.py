"""`manage.py serve` keeps the site up: a worker that dies is started again while gunicorn
keeps answering, and Ctrl-C stops every process it started."""

import contextlib
import os
import signal
import socket
import subprocess
import threading
import time
import uuid
from pathlib import Path

import pytest
import requests

from remixer.actions import jobs, specs
from remixer.models import CatalogEntry, Video
from remixer.tests.conftest import start_site, stop_process, wait_for

pytestmark = pytest.mark.django_db(transaction=True)


def children(pid: int) -> dict[int, str]:
    """Every process descending from `pid`, with its command line."""
    parents: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rpartition(")")[2].split()
        except OSError:
            continue
        parents[int(stat.parent.name)] = int(fields[1])
    found, frontier = {}, [pid]
    while frontier:
        parent = frontier.pop()
        for child, its_parent in parents.items():
            if its_parent == parent:
                found[child] = command_line(child)
                frontier.append(child)
    return found


def command_line(pid: int) -> str:
    try:
        return (Path("/proc") / str(pid) / "cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def render_worker(serve_pid: int) -> int | None:
    found = [pid for pid, cmd in children(serve_pid).items() if "--queue-name render" in cmd]
    return found[0] if found else None


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    state = (Path("/proc") / str(pid) / "stat").read_text().rpartition(")")[2].split()[0]
    return state != "Z"


def interrupt(process: subprocess.Popen[bytes]) -> None:
    """Ctrl-C, as at a terminal: serve stops what it started, then itself."""
    process.send_signal(signal.SIGINT)
    try:
        process.wait(timeout=60)
    finally:
        stop_process(process)


def test_a_killed_worker_is_started_again_while_the_site_answers(ana, media_root, tmp_path):
    process, server = start_site(media_root, tmp_path)
    answers: list[int | str] = []
    polling = threading.Event()

    def poll() -> None:
        while not polling.is_set():
            try:
                answers.append(requests.get(f"{server}/login", timeout=5).status_code)
            except requests.RequestException as error:
                answers.append(type(error).__name__)
            time.sleep(0.1)

    poller = threading.Thread(target=poll)
    poller.start()
    try:
        wait_for(lambda: render_worker(process.pid) is not None, timeout=30)
        killed = render_worker(process.pid)
        assert killed is not None
        os.kill(killed, signal.SIGKILL)
        started = time.monotonic()
        wait_for(lambda: render_worker(process.pid) not in (None, killed), timeout=30)
        back = time.monotonic() - started
        entry = CatalogEntry.objects.get(provider__kind="local")
        spec = specs.create_spec(
            owner=ana, entry=entry, prompt="calm", size="720x1280", seconds="4", token=uuid.uuid4()
        )
        video = jobs.submit(spec)
        wait_for(lambda: Video.objects.get(pk=video.pk).is_finished, timeout=90)
        assert Video.objects.get(pk=video.pk).status == "completed"
    finally:
        polling.set()
        poller.join()
        started_by_serve = children(process.pid)
        interrupt(process)
    log = (tmp_path / "serve.log").read_text()
    print(f"a worker was back {back:.1f} s after SIGKILL; {len(answers)} requests meanwhile")
    assert "The render worker stopped (killed by SIGKILL); starting it again in 1 s." in log, log
    assert "Started the render worker again" in log
    assert set(answers) == {200}, answers
    assert back < 10
    assert len(started_by_serve) >= 5  # gunicorn and its 2 workers, the render worker, 2 more
    wait_for(lambda: not [pid for pid in started_by_serve if alive(pid)], timeout=10)


def test_no_process_outlives_a_killed_supervisor(media_root, tmp_path):
    process, _server = start_site(media_root, tmp_path)
    try:
        wait_for(lambda: len(children(process.pid)) >= 5, timeout=30)
        started_by_serve = children(process.pid)
        process.kill()
        process.wait(timeout=10)
        wait_for(lambda: not [pid for pid in started_by_serve if alive(pid)], timeout=30)
    finally:
        stop_process(process)
    assert not [pid for pid in started_by_serve if alive(pid)]


def test_a_killed_web_server_is_started_again_at_once_on_its_port(media_root, tmp_path):
    """gunicorn's master killed while an upload is under way: its workers, left behind to
    finish it, would hold the port; they go before the new master starts, which takes it."""
    process, server = start_site(media_root, tmp_path)
    uploading = threading.Event()

    def upload() -> None:  # a slow upload, a byte at a time
        with socket.create_connection(("127.0.0.1", int(server.rpartition(":")[2]))) as sock:
            sock.sendall(
                b"POST /login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 99999\r\n\r\n"
            )
            with contextlib.suppress(OSError):
                while not uploading.wait(0.2):
                    sock.sendall(b"x")

    def answers() -> bool:
        try:
            return requests.get(f"{server}/login", timeout=2).status_code == 200
        except requests.RequestException:
            return False

    uploader = threading.Thread(target=upload)
    uploader.start()
    try:
        time.sleep(1)
        web = [pid for pid, cmd in children(process.pid).items() if "gunicorn" in cmd]
        master = next(pid for pid in web if os.getpgid(pid) == pid)  # it leads its workers
        os.kill(master, signal.SIGKILL)
        killed = time.monotonic()
        wait_for(lambda: "Started the web server again" in (tmp_path / "serve.log").read_text())
        wait_for(answers, timeout=30)
        back = time.monotonic() - killed
    finally:
        uploading.set()
        uploader.join()
        interrupt(process)
    log = (tmp_path / "serve.log").read_text()
    print(f"the site answered again {back:.1f} s after gunicorn's master was killed")
    assert "The web server stopped (killed by SIGKILL); starting it again in 1 s." in log, log
    assert "Connection in use" not in log and "exit code" not in log, log
    assert back < 10  # it was 15 s while the old workers held the port
