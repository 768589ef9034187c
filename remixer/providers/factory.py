"""The provider object for a provider row: the local engine, or an HTTP Videos-API client."""

from django.conf import settings

from remixer.models import Provider
from remixer.providers import VideoProvider
from remixer.providers.http import HttpProvider, Settings
from remixer.providers.local import LocalProvider


def provider_for(provider: Provider) -> VideoProvider:
    return LocalProvider() if provider.is_local else http_provider(provider)


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
