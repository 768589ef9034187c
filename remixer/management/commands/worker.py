"""django-tasks' database worker, plus the sweep that takes over the work of dead workers.

django-tasks-db leaves a task RUNNING for ever when its worker is killed, and never retries
it. Every remixer worker therefore sweeps when it starts and every few seconds after: each
unfinished video whose lease ran out, or that nothing is waiting to work on, is given its
next step again (see recovery.sweep). The same sweep removes the files of videos that have
been in the Trash longer than REMIXER_TRASH_DAYS (see trash.purge_expired).
"""

import logging
import threading
from typing import Any

from django.conf import settings
from django.db import close_old_connections, connection
from django_tasks_db.management.commands.db_worker import Command as DatabaseWorkerCommand

from remixer import tasks
from remixer.actions import imports, trash
from remixer.files import storage
from remixer.lib.words import counted
from remixer.worker import scratch

logger = logging.getLogger("remixer.worker")


class Command(DatabaseWorkerCommand):
    help = "Run a background worker that also recovers the work of workers that died."

    def handle(self, *args: Any, **options: Any) -> None:
        self.check(tags=[storage.CHECK_TAG], include_deployment_checks=True)
        scratch.clear_own()
        threading.Thread(target=sweep_forever, name="remixer-sweep", daemon=True).start()
        super().handle(*args, **options)


def sweep_forever() -> None:
    stop = threading.Event()
    while True:
        try:
            sweep_once()
        except Exception:
            logger.exception("The sweep failed; it runs again shortly.")
        finally:
            close_old_connections()
            connection.close()
        stop.wait(settings.REMIXER_LEASE_SECONDS / 2)


def sweep_once() -> None:
    if found := tasks.sweep():
        logger.warning("Recovered %s whose worker had stopped.", counted(found, "video"))
    if purged := trash.purge_expired():
        logger.info("Removed the files of %s long in the Trash.", counted(purged, "video"))
    if resumed := imports.resume_stalled():
        stalled = counted(resumed, "export")
        logger.warning("Reading again the ZIPs of %s whose worker had stopped.", stalled)
