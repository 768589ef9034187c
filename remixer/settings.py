"""remixer's settings: everything comes from environment variables (see README)."""

import ipaddress
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured


def env_flag(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_networks(name: str) -> list[str]:
    """Addresses or networks (10.0.0.0/8), comma-separated; a typo stops the start."""
    found = env_list(name, "")
    for network in found:
        try:
            ipaddress.ip_network(network, strict=False)
        except ValueError as error:
            raise ImproperlyConfigured(
                f"{name}: {network!r} is not an address or a network."
            ) from error
    return found


BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("REMIXER_DATA_DIR", BASE_DIR / "data")).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)
MEDIA_ROOT = DATA_DIR / "media"
SECRET_KEY_FILE = DATA_DIR / "secret_key"

DEBUG = env_flag("DEBUG")
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY and SECRET_KEY_FILE.exists():
    SECRET_KEY = SECRET_KEY_FILE.read_text().strip()
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            f"Set SECRET_KEY (or write one to {SECRET_KEY_FILE}); `make run` does this for you."
        )
    SECRET_KEY = "insecure-development-key"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]" if DEBUG else "")
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured(
        "Set ALLOWED_HOSTS to the host names this server answers (comma-separated); "
        "`make run` sets the loopback names for you."
    )
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "remixer",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "template_partials",
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    "remixer.web.middleware.WholeBodyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "remixer.web.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "remixer.web.middleware.HtmxLoginRedirectMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "remixer.web.middleware.StorageUnavailableMiddleware",
]

ROOT_URLCONF = "remixer.urls"
WSGI_APPLICATION = "remixer.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{DATA_DIR / 'remixer.sqlite3'}", conn_max_age=60
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A web process and workers write at once: WAL, and transactions that take the
    # write lock up front, so a read-then-write never fails with "database is locked".
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    # Tests start real worker processes, which need a file they can open too.
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / "test-remixer.sqlite3")}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default", "render"],
    }
}

# Files: local disk (the embedded default), or an S3-compatible bucket shared by every host.
REMIXER_S3_BUCKET = os.environ.get("REMIXER_S3_BUCKET", "").strip()
REMIXER_S3_ENDPOINT_URL = os.environ.get("REMIXER_S3_ENDPOINT_URL", "").strip()
REMIXER_S3_PREFIX = os.environ.get("REMIXER_S3_PREFIX", "").strip().strip("/")
REMIXER_S3_PUBLIC_URL = os.environ.get("REMIXER_S3_PUBLIC_URL", "").strip()
REMIXER_S3_PROXY = env_flag("REMIXER_S3_PROXY")
REMIXER_S3_ATTEMPTS = int(os.environ.get("REMIXER_S3_ATTEMPTS", 4))
# How long a presigned URL lasts (long enough to seek through a long video), and how long
# one URL is handed out again so that browsers keep the file cached.
REMIXER_S3_URL_SECONDS = int(os.environ.get("REMIXER_S3_URL_SECONDS", 3600))
REMIXER_S3_URL_REUSE = 900
# A multipart upload unfinished after this long was begun by a process that died: the sweep
# aborts it (large imports over slow links take a while, so not sooner).
REMIXER_S3_UPLOAD_GRACE = 3600
# Each process works in a scratch folder of its own here, never inside the storage.
REMIXER_SCRATCH_DIR = DATA_DIR / "scratch"


def s3_storage(bucket: str, endpoint_url: str = "", prefix: str = "") -> dict[str, object]:
    """django-storages' S3 backend for `bucket`, with botocore's retries set explicitly."""
    from botocore.config import Config

    config = Config(
        retries={"total_max_attempts": REMIXER_S3_ATTEMPTS, "mode": "standard"},
        connect_timeout=5,
        read_timeout=30,
        signature_version="s3v4",
    )
    options = {
        "bucket_name": bucket,
        "endpoint_url": endpoint_url or None,
        "location": prefix,
        "file_overwrite": True,
        "client_config": config,
    }
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}


STORAGES = {
    "default": (
        s3_storage(REMIXER_S3_BUCKET, REMIXER_S3_ENDPOINT_URL, REMIXER_S3_PREFIX)
        if REMIXER_S3_BUCKET
        else {"BACKEND": "remixer.files.storage.LocalStorage"}
    ),
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]

LOGIN_URL = "login"
# The signed-in user comes with their role (one query for both); Django's own backend after it
# keeps the sessions it signed in valid.
AUTHENTICATION_BACKENDS = [
    "remixer.models.accounts.PeopleBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_REDIRECT_URL = "library"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = False
USE_TZ = True

SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Behind a TLS proxy (production): secure cookies, HSTS, and HTTP redirected to HTTPS.
BEHIND_HTTPS = env_flag("REMIXER_BEHIND_HTTPS")
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = SECURE_SSL_REDIRECT = BEHIND_HTTPS
SECURE_HSTS_SECONDS = 31536000 if BEHIND_HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = BEHIND_HTTPS
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if BEHIND_HTTPS else None
# HSTS preloading commits a whole domain for months: the domain's owner opts in, not remixer.
SILENCED_SYSTEM_CHECKS = ["security.W021"]
# nginx can send the bytes of a video on local disk itself: its internal location, e.g. /protected/.
REMIXER_ACCEL_REDIRECT = os.environ.get("REMIXER_ACCEL_REDIRECT", "")
# Failed logins that lock an account from one address, and from everywhere, for
# LOGIN_LOCK_MINUTES; failures from one address within LOGIN_FLOOD_SECONDS that make it
# wait (429 with Retry-After), whatever the names.
LOGIN_FAILURES_PER_ACCOUNT_AND_ADDRESS = 5
LOGIN_FAILURES_PER_ACCOUNT = 20
LOGIN_LOCK_MINUTES = 15
LOGIN_FLOOD_FAILURES = 30
LOGIN_FLOOD_SECONDS = 60
# The proxies (addresses or networks) whose X-Forwarded-For names the client.
REMIXER_TRUSTED_PROXIES = env_networks("REMIXER_TRUSTED_PROXIES")

# Uploads: reference images are small; anything larger is refused by the form.
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Larger uploads stream to disk here, in remixer's own data directory (never the system's
# temporary folder): an import's file is then moved into place, not copied.
FILE_UPLOAD_TEMP_DIR = DATA_DIR / "uploads"
FILE_UPLOAD_TEMP_DIR.mkdir(exist_ok=True)
REMIXER_MAX_IMAGE_BYTES = 10 * 1024 * 1024
REMIXER_MAX_IMAGE_PIXELS = 4096 * 4096
REMIXER_MAX_IMPORT_BYTES = int(os.environ.get("REMIXER_MAX_IMPORT_BYTES", 2 * 1024**3))
# What an import may be, read from its header before a frame is decoded: pixels a frame
# (width x height) and seconds; its frames are held to the seconds at 60 a second.
REMIXER_MAX_IMPORT_PIXELS = int(os.environ.get("REMIXER_MAX_IMPORT_PIXELS", 3840 * 2160))
REMIXER_MAX_IMPORT_SECONDS = int(os.environ.get("REMIXER_MAX_IMPORT_SECONDS", 600))

# How long remixer keeps trying to copy a finished video when the provider gives no expiry.
REMIXER_DOWNLOAD_WINDOW = int(os.environ.get("REMIXER_DOWNLOAD_WINDOW", 24 * 3600))

# Seconds a worker's hold on a video lasts unless renewed; a dead worker's videos are
# taken over by others once it runs out.
REMIXER_LEASE_SECONDS = float(os.environ.get("REMIXER_LEASE_SECONDS", 60))

# Seconds to wait for a provider's answer (connecting has its own, shorter limit).
REMIXER_HTTP_TIMEOUT = float(os.environ.get("REMIXER_HTTP_TIMEOUT", 30))

# Calls one provider may have in flight at once, across every worker and host: a server that
# hangs ties up that many workers at most, never all of them.
REMIXER_CALLS_PER_PROVIDER = int(os.environ.get("REMIXER_CALLS_PER_PROVIDER", 2))

# A provider that leaves calls unanswered is tried again after REMIXER_RETRY_FIRST seconds,
# then twice as long each time, up to REMIXER_RETRY_CEILING.
REMIXER_RETRY_FIRST = float(os.environ.get("REMIXER_RETRY_FIRST", 10))
REMIXER_RETRY_CEILING = float(os.environ.get("REMIXER_RETRY_CEILING", 300))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {
        "remixer": {"handlers": ["console"], "level": "INFO"},
        # Django's own: a page's error with its traceback, whether DEBUG is on or off.
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
    },
}

# remixer's own Videos API (/v1): how many jobs one user may have queued or running at once.
REMIXER_MAX_ACTIVE_JOBS = int(os.environ.get("REMIXER_MAX_ACTIVE_JOBS", 10))

# A remix sent to a provider as a data URL: sources larger than this go another way.
REMIXER_DATA_URL_LIMIT = int(os.environ.get("REMIXER_DATA_URL_LIMIT", 50 * 1024 * 1024))

# A chain of extensions stops at this many seconds in all.
REMIXER_MAX_EXTENDED_SECONDS = int(os.environ.get("REMIXER_MAX_EXTENDED_SECONDS", 120))

# Days a video stays in the Trash before the worker removes its files.
REMIXER_TRASH_DAYS = int(os.environ.get("REMIXER_TRASH_DAYS", 30))

# Days the audit trail keeps a record (sign-ins, keys, the Trash, exports, the admin's changes);
# the workers' sweep then removes it.
try:
    REMIXER_AUDIT_DAYS = int(os.environ.get("REMIXER_AUDIT_DAYS", 365))
except ValueError as error:
    raise ImproperlyConfigured("REMIXER_AUDIT_DAYS: a whole number of days, 1 or more.") from error
if REMIXER_AUDIT_DAYS < 1:
    raise ImproperlyConfigured("REMIXER_AUDIT_DAYS: a whole number of days, 1 or more.")

# Hours an export's download link lasts.
REMIXER_EXPORT_HOURS = int(os.environ.get("REMIXER_EXPORT_HOURS", 24))
