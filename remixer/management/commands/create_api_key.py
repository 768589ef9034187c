"""Make an API key from the shell: standard output carries the key and nothing else."""

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from remixer.actions.keys import make_key


class Command(BaseCommand):
    help = "Create a personal key for remixer's /v1 Videos API and print it (shown only this once)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("username", help="The user the key acts as")
        parser.add_argument("--name", default="Made from the shell", help="What the key is for")

    def handle(self, *args: Any, username: str, name: str, **options: Any) -> None:
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user named {username!r}.")
        if not user.is_active:
            raise CommandError(f"{username!r} is deactivated: a key of theirs would be refused.")
        name = name.strip()[:100] or "Made from the shell"
        _, secret = make_key(user=user, name=name, via="create_api_key")
        self.stdout.write(secret)
