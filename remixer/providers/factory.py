"""The objects that make a provider row's videos: the local engine, an HTTP Videos-API
client or a ComfyUI (which one a row gets is `kinds.provider_for`'s to say)."""

from django.conf import settings

from remixer.models import Provider
from remixer.providers import comfyui
from remixer.providers.comfyui import ComfyUIProvider
from remixer.providers.http import HttpProvider, Settings
from remixer.providers.local import LocalProvider


def local_engine(provider: Provider) -> LocalProvider:
    return LocalProvider()


def http_provider(provider: Provider) -> HttpProvider:
    return HttpProvider(
        Settings(
            base_url=provider.base_url,
            api_key=provider.api_key,
            auth_header=provider.auth_header,
            body_encoding=provider.body_encoding,
            extra_fields=provider.extra_fields,
            read_timeout=settings.REMIXER_HTTP_TIMEOUT,
        )
    )


def comfyui_provider(provider: Provider) -> ComfyUIProvider:
    return ComfyUIProvider(
        comfyui.ComfyUISettings(
            base_url=provider.base_url, read_timeout=settings.REMIXER_HTTP_TIMEOUT
        )
    )
