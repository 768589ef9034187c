"""The operations console: providers and their health (`providers`), videos, API keys, login
failures and exports (`videos`)."""

from remixer.admin import providers, videos

__all__ = ["providers", "videos"]
