"""First-run set-up for `make run`: the default provider, an account to log in with, and the
demo videos queued for the workers (nothing is rendered here, so the site answers at once)."""

import os
import secrets
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from remixer.actions import demo
from remixer.actions.providers import comfyui_from_environment, provider_from_environment
from remixer.models import Provider, Video


class Command(BaseCommand):
    help = "Make sure the local engine, a login and the demo library exist."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--no-demo", action="store_true", help="Queue no demo videos.")

    def handle(self, *args: Any, no_demo: bool = False, **options: Any) -> None:
        Provider.default()
        if provider := provider_from_environment(os.environ):
            self.stdout.write(f"Provider {provider.name!r} set from REMIXER_PROVIDER_URL.")
        comfyui, said = comfyui_from_environment(os.environ)
        if comfyui is not None:
            self.stdout.write(f"ComfyUI {comfyui.name!r} set from REMIXER_COMFYUI_URL.")
        for line in said:
            self.stdout.write(f"  {line}")
        username, password = self.ensure_account()
        if not no_demo and not Video.objects.exists():
            queued = len(demo.load())
            self.stdout.write(
                f"The demo library's {queued} videos are queued (first run only): they arrive "
                "one by one,\nand any video you ask for goes before those still waiting."
            )
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"Log in as {username!r} with password {password!r}"))
        self.stdout.write("")

    def ensure_account(self) -> tuple[str, str]:
        """Reuse the saved login while it still works; otherwise make (or reset) one."""
        User = get_user_model()
        saved = Path(settings.DATA_DIR) / "login.txt"
        if saved.exists():
            username, _, password = saved.read_text().strip().partition("\n")
            user = User.objects.filter(username=username).first()
            if user is not None and user.check_password(password):
                return username, password
        username, password = "admin", secrets.token_urlsafe(12)
        user, _ = User.objects.get_or_create(username=username)
        user.is_staff = user.is_superuser = True
        user.set_password(password)
        user.save()
        saved.write_text(f"{username}\n{password}\n")
        saved.chmod(0o600)
        return username, password
