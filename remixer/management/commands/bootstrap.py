"""First-run set-up for `make run`: the default provider, an account to log in with, demo videos."""

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
        parser.add_argument("--no-demo", action="store_true", help="Skip the demo videos.")

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
            self.stdout.write("Rendering the demo library (first run only)…")
            for video in demo.load():
                self.stdout.write(
                    f"  {video.status:<10} {video.size:>9} {video.seconds:>2}s  {video.prompt}"
                )
        self.stdout.write(self.style.SUCCESS(f"Log in as {username!r} with password {password!r}"))

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
