"""The operations console: providers and their health (`providers`), videos, API keys, login
failures and exports (`videos`), the audit trail (`audit`), people and their roles (`people`)."""

from remixer.admin import audit, people, providers, videos

__all__ = ["audit", "people", "providers", "videos"]
