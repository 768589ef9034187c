"""The domain: the library's videos, the providers that make them, exports, accounts and
logins. Each model lives in a module of its own; they are all named here, so
`remixer.models.Video` (and the migrations' `remixer.models.new_video_id`) keep working."""

from remixer.models.accounts import ApiKey, LoginFailure
from remixer.models.audit import AuditRecord
from remixer.models.exports import Export, ExportImport
from remixer.models.providers import (
    LOCAL_MODEL,
    SECONDS,
    SIZES,
    CatalogEntry,
    Provider,
    ProviderCall,
)
from remixer.models.videos import (
    STATUS_FIELDS,
    VARIANTS,
    VIDEO_ID_PATTERN,
    Video,
    VideoQuerySet,
    new_video_id,
    status_columns,
    unix,
    variant_file,
)

__all__ = [
    "LOCAL_MODEL",
    "SECONDS",
    "SIZES",
    "STATUS_FIELDS",
    "VARIANTS",
    "VIDEO_ID_PATTERN",
    "ApiKey",
    "AuditRecord",
    "CatalogEntry",
    "Export",
    "ExportImport",
    "LoginFailure",
    "Provider",
    "ProviderCall",
    "Video",
    "VideoQuerySet",
    "new_video_id",
    "status_columns",
    "unix",
    "variant_file",
]
