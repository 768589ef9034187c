"""One foreground command for one machine: gunicorn and the workers, stopped together."""

import os
import signal
import subprocess
import sys
import time
from typing import Any

from django.core.management.base import BaseCommand

from remixer import storage

# Renders run apart from short tasks, so a long render never delays them.
WORKER_QUEUES = ("render", "default")


class Command(BaseCommand):
    help = "Run the web server and the background workers until Ctrl-C."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--port", default=os.environ.get("PORT", "8000"))
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--web-workers", type=int, default=2)

    def handle(self, *args: Any, port: str, host: str, web_workers: int, **options: Any) -> None:
        self.check(tags=[storage.CHECK_TAG], include_deployment_checks=True)
        # Own process groups: Ctrl-C reaches only this command, which stops each child once
        # (a second signal would make a worker abandon the task it is running).
        children = [
            subprocess.Popen(cmd, start_new_session=True)
            for cmd in commands(host, port, web_workers)
        ]
        self.stdout.write(self.style.SUCCESS(f"remixer is running on http://{host}:{port}/"))
        stopping = False

        def stop(signum: int, frame: object) -> None:
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        while not stopping and all(child.poll() is None for child in children):
            time.sleep(0.2)
        for child in children:
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)
        for child in children:
            child.wait()
        if not stopping:
            sys.exit("A remixer process stopped unexpectedly; stopped the others too.")


def commands(host: str, port: str, web_workers: int) -> list[list[str]]:
    manage = [sys.executable, "manage.py"]
    web = [
        sys.executable,
        "-m",
        "gunicorn",
        "remixer.wsgi",
        "--bind",
        f"{host}:{port}",
        "--workers",
        str(web_workers),
        "--access-logfile",
        "-",
        "--graceful-timeout",
        "10",
    ]
    workers = [
        [*manage, "worker", "--no-reload", "--queue-name", queue, "--interval", "0.5"]
        for queue in WORKER_QUEUES
    ]
    return [web, *workers]
