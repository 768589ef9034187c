"""`make bench`: performance figures, each a ratio against a baseline measured in the same run."""

from typing import Any

from django.core.management.base import BaseCommand
from django.db import connection

from remixer.bench import engine, storage, web


class Command(BaseCommand):
    help = "Print the engine's and the pages' figures beside their targets."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--only", choices=["engine", "web", "storage"], help="Run one group only."
        )

    def handle(self, *args: Any, only: str | None = None, **options: Any) -> None:
        if only in (None, "web"):
            self.in_scratch_database(web.run)
        if only in (None, "storage"):
            self.in_scratch_database(storage.run)
        if only in (None, "engine"):
            engine.run(self.report)

    def report(self, name: str, value: float, target: str) -> None:
        self.stdout.write(f"{name:<90} {value:>8.3f}   target {target}")

    def in_scratch_database(self, run: Any) -> None:
        """The web figures need thousands of rows: make them in a throwaway database."""
        old_name = connection.settings_dict["NAME"]
        connection.creation.create_test_db(verbosity=0, autoclobber=True)
        try:
            run(self.report)
        finally:
            connection.creation.destroy_test_db(old_name, verbosity=0)
