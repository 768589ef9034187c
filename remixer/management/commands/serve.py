"""One foreground command for one machine: gunicorn and the workers, kept running together.

A process that dies is started again after a pause that doubles each time it dies soon after
starting (1 s up to 30 s), and the output says so. Ctrl-C stops them all: each finishes what
it is doing; a second Ctrl-C stops them at once (the sweep gives their work to the next).
"""

import contextlib
import ctypes
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from typing import Any

from django.core.management.base import BaseCommand

from remixer.files import storage

# Renders and imports' checks run apart from the short steps (submits, polls, copies), so
# they never delay them. The short steps run in several workers, each one step at a time:
# a provider that hangs holds REMIXER_CALLS_PER_PROVIDER of them at most, and the others go
# on with every other provider's jobs. Processes rather than threads: a worker that a call
# wedges, or that dies, takes nobody else's step with it, and django-tasks' database worker
# runs one task at a time.
SHORT_WORKERS = int(os.environ.get("REMIXER_SHORT_WORKERS", 4))
BACKOFF_FIRST, BACKOFF_MAX = 1.0, 30.0
PR_SET_PDEATHSIG = 1  # prctl(2)
STEADY_SECONDS = 60.0  # a process up this long starts its next backoff from the first pause


class Child:
    """One process the supervisor keeps running, in its own process group."""

    def __init__(self, name: str, command: list[str]) -> None:
        self.name, self.command = name, command
        self.pause = BACKOFF_FIRST
        self.restart_at: float | None = None
        self.start()

    def start(self) -> None:
        # Its own session: Ctrl-C reaches only the supervisor, which stops each child once
        # (a second signal would make a worker abandon the task it is running).
        # Each also asks the kernel for SIGTERM should the supervisor die without stopping
        # it (killed by SIGKILL, say), so that no process is left running unsupervised.
        self.process = subprocess.Popen(
            self.command, start_new_session=True, preexec_fn=end_with(os.getpid())
        )
        self.started = time.monotonic()
        self.restart_at = None

    def watch(self, say: Callable[[str], None]) -> None:
        now = time.monotonic()
        if self.restart_at is not None:
            if now >= self.restart_at:
                # What it started goes first: gunicorn's workers, left to finish their
                # requests during the pause, would hold the port the new master needs.
                self.kill_group()
                self.start()
                say(f"Started the {self.name} again (pid {self.process.pid}).")
            return
        code = self.process.poll()
        if code is None:
            if now - self.started >= STEADY_SECONDS:
                self.pause = BACKOFF_FIRST
            return
        say(f"The {self.name} stopped ({how(code)}); starting it again in {self.pause:g} s.")
        self.restart_at = now + self.pause
        self.pause = min(self.pause * 2, BACKOFF_MAX)

    def signal(self, signum: int) -> None:
        """Signal the process and whatever it started (gunicorn's workers)."""
        if self.restart_at is None and self.process.poll() is None:
            self.process.send_signal(signum)
        if signum == signal.SIGKILL:
            self.kill_group()

    def kill_group(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)


def end_with(supervisor: int) -> Callable[[], None] | None:
    """What a child runs before its command: on Linux, SIGTERM when its parent dies."""
    if not sys.platform.startswith("linux"):
        return None
    libc = ctypes.CDLL(None, use_errno=True)

    def ask() -> None:
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
        if os.getppid() != supervisor:  # it died before the request was made
            os.kill(os.getpid(), signal.SIGTERM)

    return ask


def how(code: int) -> str:
    if code < 0:
        return f"killed by {signal.Signals(-code).name}"
    return f"exit code {code}"


class Command(BaseCommand):
    help = "Run the web server and the background workers until Ctrl-C; restart any that dies."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--port", default=os.environ.get("PORT", "8000"))
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--web-workers", type=int, default=2)
        parser.add_argument(
            "--short-workers",
            type=int,
            default=SHORT_WORKERS,
            help="Workers for the short steps of jobs on servers (submits, polls, copies).",
        )
        parser.add_argument(
            "--timeout",
            type=int,
            default=int(os.environ.get("REMIXER_WEB_TIMEOUT", "30")),
            help="Seconds a gunicorn worker may go silent before it is replaced.",
        )

    def handle(self, *args: Any, port: str, host: str, web_workers: int, **options: Any) -> None:
        self.check(tags=[storage.CHECK_TAG], include_deployment_checks=True)
        short = max(1, options["short_workers"])
        commands = named_commands(host, port, web_workers, options["timeout"], short)
        children = [Child(name, command) for name, command in commands.items()]
        self.say(f"remixer is running on http://{host}:{port}/")
        stops = 0

        def stop(signum: int, frame: object) -> None:
            nonlocal stops
            stops += 1
            if stops == 1:
                self.say("Stopping: running tasks finish first (Ctrl-C again to stop at once).")
            for child in children:
                child.signal(signal.SIGTERM if stops == 1 else signal.SIGKILL)

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        while not stops:
            for child in children:
                child.watch(self.say)
            time.sleep(0.2)
        for child in children:
            child.process.wait()
            child.kill_group()  # nothing it started outlives it

    def say(self, message: str) -> None:
        self.stdout.write(message)
        self.stdout.flush()


def named_commands(
    host: str, port: str, web_workers: int, timeout: int, short_workers: int = SHORT_WORKERS
) -> dict[str, list[str]]:
    manage = [sys.executable, "manage.py"]
    # gthread: a slow upload or download occupies a thread, not the worker's heartbeat.
    web = [
        *(sys.executable, "-m", "gunicorn", "remixer.wsgi", "--bind", f"{host}:{port}"),
        *("--workers", str(web_workers), "--worker-class", "gthread", "--threads", "4"),
        *("--timeout", str(timeout), "--graceful-timeout", "10", "--access-logfile", "-"),
        # gunicorn's control socket has one path per user: two sites on a host would share it.
        "--no-control-socket",
    ]
    worker = [*manage, "worker", "--no-reload", "--interval", "0.5", "--queue-name"]
    short = {f"short-step worker {n}": [*worker, "default"] for n in range(1, short_workers + 1)}
    return {"web server": web, "render worker": [*worker, "render"], **short}
