"""Settings for the solidarity portal, read from the environment.

Every default is the embedded one: SQLite in ``var/`` and Celery tasks run in-process. Production
values come only from environment variables (``DATABASE_URL``, ``REDIS_URL``, ``SECRET_KEY``,
``DEBUG``, ``ALLOWED_HOSTS``); a production start with the development secret key fails loudly.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()

# Recognisable on purpose: production refuses to start with it (see below).
DEVELOPMENT_SECRET_KEY = "insecure-development-key-do-not-use-in-production"  # noqa: S105

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env.str("SECRET_KEY", default=DEVELOPMENT_SECRET_KEY)
if not DEBUG and SECRET_KEY == DEVELOPMENT_SECRET_KEY:
    raise ImproperlyConfigured(
        "SECRET_KEY is the development default while DEBUG is off. "
        "Set SECRET_KEY to a long random value (or DEBUG=true on a development machine)."
    )

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "portal.apps.PortalConfig",
    "partners",
    "programs",
    "solidarity",
    "progress",
    "results",
    "dialogues",
    "risks",
    "assessments",
    "analyses",
    "reporting",
    "privacy",
    "mailings",
    "demo",
    "portal.apps.PortalAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    # django-auditlog, with the portal's registrations (what is recorded, and what never is).
    "portal.audit.PortalAuditlogConfig",
    "csp",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "django_countries",
    "bootstrap",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Before anything reads the body: an oversized request is refused unread.
    "portal.middleware.RequestSizeLimitMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Compresses the pages (static files come compressed from WhiteNoise above, which answers
    # before this runs). Below it nothing reads or rewrites the body; since Django 4.2 it pads
    # the gzip header with random bytes (mitigating BREACH), and the CSRF token in a page is
    # masked afresh on every request as well.
    "django.middleware.gzip.GZipMiddleware",
    "csp.middleware.CSPMiddleware",
    # Outside everything below, so that every rendered response is covered; static files are
    # answered by WhiteNoise above and keep their own caching.
    "portal.middleware.NoStoreMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "portal.middleware.SecondFactorRequiredMiddleware",
    "portal.middleware.SessionTimeoutMiddleware",
    "portal.middleware.UserLanguageMiddleware",
    # After the session checks: changes are recorded with the user who is really logged in.
    "auditlog.middleware.AuditlogMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, so that a lockout answers before any view runs.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal.context_processors.navigation",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------------------------
if "DATABASE_URL" not in env:
    # The embedded default keeps its SQLite file in var/, which a fresh clone does not have.
    VAR_DIR.mkdir(exist_ok=True)
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'portal.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded default serves the demo to several people at once: readers never wait for
    # the writer (WAL), writers take the lock when their transaction begins and wait up to 20 s
    # for it, instead of failing halfway with "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    )
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Persistent connections, checked before reuse: a restarted PostgreSQL costs no errors.
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = 5
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Accounts, passwords, second factor, throttling ----------------------------------------------
AUTH_USER_MODEL = "portal.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "portal.backends.RolePermissionBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"
OTP_TOTP_ISSUER = "Solidarity portal"

AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=30)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# How many reverse proxies stand in front of the portal, each appending to X-Forwarded-For
# (nginx: proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for). The lockout and the rate
# limits count the client's address found there (portal/network.py); 0 ignores the header.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
if TRUSTED_PROXY_COUNT < 0:
    raise ImproperlyConfigured("TRUSTED_PROXY_COUNT must be 0 (no proxy) or more.")
AXES_CLIENT_IP_CALLABLE = "portal.network.client_address"
# Password-reset mails: per client address and per account, in an hour (portal/throttle.py).
PASSWORD_RESET_PER_ADDRESS_PER_HOUR = env.int("PASSWORD_RESET_PER_ADDRESS_PER_HOUR", default=5)
PASSWORD_RESET_PER_ACCOUNT_PER_HOUR = env.int("PASSWORD_RESET_PER_ACCOUNT_PER_HOUR", default=3)
if PASSWORD_RESET_PER_ADDRESS_PER_HOUR < 1 or PASSWORD_RESET_PER_ACCOUNT_PER_HOUR < 1:
    raise ImproperlyConfigured(
        "PASSWORD_RESET_PER_ADDRESS_PER_HOUR and PASSWORD_RESET_PER_ACCOUNT_PER_HOUR must be "
        "at least 1."
    )

# Absolute lifetime of a session after login (one working day by default), enforced in the
# session itself by portal.middleware.SessionTimeoutMiddleware and by the cookie's expiry.
SESSION_ABSOLUTE_TIMEOUT = env.int("SESSION_ABSOLUTE_TIMEOUT", default=60 * 60 * 8)
# A session unused for this long ends (seconds; 30 minutes by default).
SESSION_IDLE_TIMEOUT = env.int("SESSION_IDLE_TIMEOUT", default=60 * 30)
if not 60 <= SESSION_IDLE_TIMEOUT <= SESSION_ABSOLUTE_TIMEOUT:
    raise ImproperlyConfigured(
        "SESSION_IDLE_TIMEOUT must be at least 60 seconds and at most SESSION_ABSOLUTE_TIMEOUT."
    )
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_TIMEOUT
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

# --- E-mail (console by default: the password-reset link is printed by the server) -------------
EMAIL_CONFIG = env.email("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="portal@localhost")
# Where the portal is reached, for the links in the e-mails it sends (no trailing slash needed).
PORTAL_BASE_URL = env.str("PORTAL_BASE_URL", default="http://127.0.0.1:8000")

# --- Languages ---------------------------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("sv", _("Swedish")), ("es", _("Spanish"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Europe/Stockholm"
USE_TZ = True

# --- Static files (all self-hosted; Bootstrap comes from the django-bootstrap-static package) ---
STATIC_URL = "/static/"
# From the environment so that a test can collect into a temporary directory.
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        ),
        # Static files are public. Without this, collectstatic would apply the uploads'
        # FILE_UPLOAD_PERMISSIONS (0o640) to them: the image collects them as root and runs as
        # another user, who could then read only the compressed copies WhiteNoise writes.
        "OPTIONS": {"file_permissions_mode": 0o644, "directory_permissions_mode": 0o755},
    },
}
# In development the files are served straight from the apps, rebuilt on every change.
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG
# Uploads live outside the static root and are served only through access-checked views.
MEDIA_ROOT = env.path("MEDIA_ROOT", default=VAR_DIR / "media")
# No MEDIA_URL on purpose: no URL maps to MEDIA_ROOT, so a stored file is reachable only
# through the access-checked attachment view.
# Largest photo or PDF accepted on a story (progress/attachments.py); larger ones get a form error.
ATTACHMENT_MAX_BYTES = env.int("ATTACHMENT_MAX_BYTES", default=10 * 1024 * 1024)
if ATTACHMENT_MAX_BYTES < 1024:
    raise ImproperlyConfigured("ATTACHMENT_MAX_BYTES must be a size in bytes, at least 1024.")
# Uploads above this are spooled to a temporary file (deleted when the request ends) instead of
# memory. Django's default, stated because attachments rely on it: a 10 MB photo never sits
# whole in a worker's memory before it is checked.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
# The fields of a form without its files: a long story is tens of kilobytes.
DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
# The whole body of any request, files included: five attachments and the form around them.
# Larger requests are refused with 413 before Django reads them (portal.middleware), whatever
# the proxy in front allows.
MAX_REQUEST_BYTES = env.int("MAX_REQUEST_BYTES", default=5 * ATTACHMENT_MAX_BYTES + 2 * 1024 * 1024)
# Five attachments per story; more files than this in one request is not a person using a form.
DATA_UPLOAD_MAX_NUMBER_FILES = 20
# Stored attachments are readable by the application's own user and group only.
FILE_UPLOAD_PERMISSIONS = 0o640
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o750

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

COUNTRIES_FIRST = ["SE"]
# django-countries' Swedish catalogue leaves these names in English ("Philippines", "Palestina,
# State of"); naming them here puts them in the portal's own catalogues, which take precedence.
COUNTRIES_OVERRIDE = {
    "AL": _("Albania"),
    "AS": _("American Samoa"),
    "AU": _("Australia"),
    "BR": _("Brazil"),
    "BV": _("Bouvet Island"),
    "CA": _("Canada"),
    "CC": _("Cocos (Keeling) Islands"),
    "CU": _("Cuba"),
    "CV": _("Cabo Verde"),
    "EG": _("Egypt"),
    "GE": _("Georgia"),
    "ID": _("Indonesia"),
    "IN": _("India"),
    "JO": _("Jordan"),
    "KH": _("Cambodia"),
    "LB": _("Lebanon"),
    "NF": _("Norfolk Island"),
    "PH": _("Philippines"),
    "PN": _("Pitcairn"),
    "PS": _("Palestine"),
    "SS": _("South Sudan"),
    "TD": _("Chad"),
}

# --- Security headers --------------------------------------------------------------------------
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if not DEBUG:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# --- Celery ------------------------------------------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
CELERY_BROKER_URL = REDIS_URL or "memory://"
# Results are kept only for the tasks that ask (the rebuild's progress bar reads them).
CELERY_RESULT_BACKEND = REDIS_URL or None
CELERY_TASK_IGNORE_RESULT = True
CELERY_RESULT_EXPIRES = 24 * 3600
# Without a broker the embedded default runs every task in-process, at once.
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
# kombu's sockets have no timeout by default: a Redis that accepts connections but never answers
# would hang the request that enqueues a task. These bound every broker call.
CELERY_BROKER_CONNECTION_TIMEOUT = 3
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_timeout": 3,
    "socket_connect_timeout": 3,
    "max_retries": 1,
    # Longer than the longest task (a full report rebuild) so acks_late never redelivers a task
    # that is still running.
    "visibility_timeout": 60 * 60 * 2,
}
CELERY_BROKER_POOL_LIMIT = 10
CELERY_REDIS_SOCKET_TIMEOUT = 3
CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = 3
CELERY_BEAT_SCHEDULE: dict[str, dict[str, object]] = {
    "clear-expired-sessions": {
        "task": "portal.clear_expired_sessions",
        "schedule": 60 * 60 * 6,
    },
    "purge-link-attempts": {
        "task": "progress.purge_link_attempts",
        "schedule": 60 * 60,
    },
    # Notices about reviewed stories that could not be sent at once (broker or mail server down).
    "send-story-notices": {
        "task": "progress.send_story_notices",
        "schedule": 60,
    },
    "purge-throttle-events": {
        "task": "portal.purge_throttle_events",
        "schedule": 60 * 60,
    },
    # The sweep behind the outbox: whatever a story change could not enqueue (broker down)
    # reaches the report figures within this interval.
    "refresh-story-aggregates": {
        "task": "reporting.refresh_aggregates",
        "schedule": 30,
    },
    # Newsletters' deliveries that could not be sent at once (broker or mail server down).
    "send-newsletters": {
        "task": "mailings.send_deliveries",
        "schedule": 60,
    },
    # Decisions on requests to join or leave a network that could not be told at once.
    "tell-request-decisions": {
        "task": "mailings.tell_request_decisions",
        "schedule": 60,
    },
    # The weekly digest, Monday morning, for those who chose it (each at most once a week).
    "send-digests": {
        "task": "mailings.send_digests",
        "schedule": crontab(minute=0, hour=6, day_of_week=1),
    },
}

# --- Audit trail and retention (docs/security.md, "Privacy duties") ---------------------------
# The client's address is personal data and says nothing the actor does not.
AUDITLOG_DISABLE_REMOTE_ADDR = True
# Foreign keys as ids: a story's partner or programme is never copied into history by name.
AUDITLOG_USE_FK_STRING_REPRESENTATION = False
# Drafts nobody has touched for this many days are deleted by ``manage.py purge_stale``.
RETENTION_DRAFT_DAYS = env.int("RETENTION_DRAFT_DAYS", default=365)
# Submission links expired or revoked this many days ago are deleted with their attempts.
RETENTION_LINK_DAYS = env.int("RETENTION_LINK_DAYS", default=90)
if RETENTION_DRAFT_DAYS < 1 or RETENTION_LINK_DAYS < 1:
    raise ImproperlyConfigured("RETENTION_DRAFT_DAYS and RETENTION_LINK_DAYS must be at least 1.")
CELERY_BEAT_SCHEDULE["purge-stale-data"] = {
    "task": "privacy.purge_stale",
    "schedule": 60 * 60 * 24,
}

# --- Cache and sessions ------------------------------------------------------------------------
# With Redis, the cache is shared by every web worker and holds the sessions: a request reads its
# session from Redis, and the database keeps a copy (cached_db), so a Redis restart logs nobody
# out and logging out ends the session everywhere. Signed-cookie sessions would save the read but
# could not be ended on the server. The embedded default keeps both in the process and SQLite.
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "portal",
            "TIMEOUT": SESSION_ABSOLUTE_TIMEOUT,
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "portal",
        }
    }

# --- Submission links: public story submissions, rate-limited --------------------------------
# Counted in the database (progress.LinkSubmissionAttempt), not in the cache: the limits must hold
# across every web worker and keep holding when Redis is down.
LINK_RATE_PER_ADDRESS_PER_HOUR = env.int("LINK_RATE_PER_ADDRESS_PER_HOUR", default=10)
LINK_RATE_PER_LINK_PER_HOUR = env.int("LINK_RATE_PER_LINK_PER_HOUR", default=60)
if LINK_RATE_PER_ADDRESS_PER_HOUR < 1 or LINK_RATE_PER_LINK_PER_HOUR < 1:
    raise ImproperlyConfigured(
        "LINK_RATE_PER_ADDRESS_PER_HOUR and LINK_RATE_PER_LINK_PER_HOUR must be at least 1."
    )

# --- Logging: one line per event, never story text or personal data ---------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"line": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "line"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

IATI_SCHEMA_DIR = env.str("IATI_SCHEMA_DIR", default=str(BASE_DIR.parent / "shared" / "iati"))
IATI_REPORTING_ORG_REF = env.str("IATI_REPORTING_ORG_REF", default="SE-ON-802000-0000")
