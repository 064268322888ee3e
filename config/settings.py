"""Settings for the coalition platform, read from environment variables.

Defaults make `make run` work on a laptop: SQLite, in-process tasks, mail on the
console. Production sets DEBUG=0 and SECRET_KEY at least; see the README table.
"""

import datetime
import ipaddress
import os
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def envbool(name: str, default: str) -> bool:
    value = os.environ.get(name, default).strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off", ""}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), not {value!r}")


def envint(name: str, default: str) -> int:
    value = os.environ.get(name, default)
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, not {value!r}") from None


def envlist(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = envbool("DEBUG", "1")

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "development-only-insecure-key-do-not-use-in-production"  # noqa: S105

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")

# Reverse proxies whose X-Forwarded-For is believed (addresses or CIDR ranges): the client is the
# right-most address in it that is not one of them (core/client_ip.py). Empty: the header is ignored.
TRUSTED_PROXIES = envlist("TRUSTED_PROXIES", "")
for _proxy in TRUSTED_PROXIES:
    try:
        ipaddress.ip_network(_proxy, strict=False)
    except ValueError:
        raise ImproperlyConfigured(f"TRUSTED_PROXIES must be addresses or CIDR ranges, not {_proxy!r}") from None
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", "")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    # The admin site asks for the second factor where it is required (accounts/admin_site.py).
    "accounts.apps.AdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "rest_framework",
    "knox",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "csp",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "auditlog",
]
# Project apps, in dependency order: each may import only those above it. Every model of these
# apps is recorded in the history (core/history), except the logs and queues it names.
PROJECT_APPS = [
    "core",
    "outbox",
    "countries",
    "attachments",
    "stakeholders",
    "accounts",
    "planning",
    "imports",
    "coalitions",
    "results",
    "explorers_network",
    "notifications",
    "trends",
    "website",
    "portal",
]
INSTALLED_APPS += PROJECT_APPS

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Before anything reads the path or the query: a control character in either is refused.
    "core.middleware.StrictInputMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "accounts.middleware.OTPMiddleware",
    "accounts.middleware.TwoFactorMiddleware",
    "core.history.context.HistoryMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, so it sees the response of a refused sign-in and answers with the lockout page.
    "axes.middleware.AxesMiddleware",
]

# History of every change (core/history): django-auditlog writes `core.ObjectChange` rows, with
# each field's old and new value as JSON. Its own LogEntry table is swapped out, so its
# migrations are switched off rather than creating a table nothing uses.
AUDITLOG_LOGENTRY_MODEL = "core.ObjectChange"
AUDITLOG_STORE_JSON_CHANGES = True
AUDITLOG_DISABLE_REMOTE_ADDR = False
# Neither library's own table is used: their models are swapped for ours (core.ObjectChange,
# accounts.ApiToken), so their migrations would only create an empty table that, holding a foreign
# key to the user, stops PostgreSQL from truncating users between transactional tests.
MIGRATION_MODULES = {"auditlog": None, "knox": None}

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
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "notifications.context_processors.unread_notifications",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=envint("CONN_MAX_AGE", "600"),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # PostgreSQL's JIT compiles a query the planner thinks costly before running it: a report's
    # roll-up over a country's thousands of coalitions paid seconds for it, and the pages' short
    # queries gain nothing from it. Off for this connection's sessions, after any options the URL gives.
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    _options["options"] = " ".join(filter(None, [_options.get("options", ""), "-c jit=off"]))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Every throttle and rate limit counts here (core/ratelimit.py), so with CACHE_URL all web
# processes share one count. Without it, each process counts in its own memory: right for
# `make run` (one process), wrong for several, which `check --deploy` says (core/checks.py).
CACHE_URL = os.environ.get("CACHE_URL", "")
if CACHE_URL:
    if not CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
        raise ImproperlyConfigured("CACHE_URL must start with redis://, rediss:// or unix://")
    CACHES = {"default": {"BACKEND": "core.cache.RedisCache", "LOCATION": CACHE_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Sessions are rows in the database, so any web process serves any signed-in user.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
AUTH_USER_MODEL = "accounts.User"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
# Staff land on the dashboard; `/` is the public home, which sends a signed-in user to their own page.
LOGIN_REDIRECT_URL = "/dashboard/"
# Where a partner lands after signing in (a URL name or path): the partner portal. A setting, so
# the accounts app that signs people in names no page of the apps above it.
PARTNER_HOME_URL = "portal:home"
LOGOUT_REDIRECT_URL = "website:home"  # signing out returns to the public site, not to a sign-in form
# Reset links stay valid for an hour (Django's default is three days): the link is in the outbox row.
PASSWORD_RESET_TIMEOUT = envint("PASSWORD_RESET_TIMEOUT", "3600")

# Sign-in protection (django-axes, accounts/lockout.py). After SIGNIN_FAILURE_LIMIT failures for
# one account, or SIGNIN_FAILURE_LIMIT_PER_IP from one address, within SIGNIN_COOLOFF_MINUTES,
# sign-in is refused (site, admin, second factor, password reset) until that much time has passed
# since the last failure. Failures are rows in the database, so every web process sees them.
AUTHENTICATION_BACKENDS = ["accounts.lockout.LockoutBackend", "django.contrib.auth.backends.ModelBackend"]
AXES_HANDLER = "accounts.lockout.LockoutHandler"
AXES_FAILURE_LIMIT = envint("SIGNIN_FAILURE_LIMIT", "5")
SIGNIN_FAILURE_LIMIT_PER_IP = envint("SIGNIN_FAILURE_LIMIT_PER_IP", "20")
AXES_COOLOFF_TIME = datetime.timedelta(minutes=envint("SIGNIN_COOLOFF_MINUTES", "15"))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_USERNAME_FORM_FIELD = "username"
# A try during the lockout does not restart the cool-off: the page's "try again in N minutes" holds.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "accounts.lockout.lockout_response"
# The client address lockouts count by: the one every limit uses (TRUSTED_PROXIES, below).
AXES_CLIENT_IP_CALLABLE = "core.client_ip.client_ip"
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "code"]
AXES_DISABLE_ACCESS_LOG = True  # failures are kept until their cool-off ends; successes are not logged
AXES_ENABLE_ADMIN = False  # accounts/admin.py shows lockouts, translated, with a "lift" action
AXES_VERBOSE = False

# Password reset mails: at most this many per hour for one address, and for one client address.
PASSWORD_RESET_LIMIT_PER_ADDRESS = envint("PASSWORD_RESET_LIMIT_PER_ADDRESS", "3")
PASSWORD_RESET_LIMIT_PER_IP = envint("PASSWORD_RESET_LIMIT_PER_IP", "10")

# Two-factor sign-in (django-otp: an authenticator app, plus single-use recovery codes). Users of
# these roles must use it (admin, staff, partner); anyone else may turn it on for themselves.
TWO_FACTOR_ROLES = {"admin", "staff", "partner"}
TWO_FACTOR_REQUIRED_ROLES = set(envlist("TWO_FACTOR_REQUIRED_ROLES", "" if DEBUG else "admin,staff"))
if TWO_FACTOR_REQUIRED_ROLES - TWO_FACTOR_ROLES:
    raise ImproperlyConfigured(
        f"TWO_FACTOR_REQUIRED_ROLES may name only {', '.join(sorted(TWO_FACTOR_ROLES))}, "
        f"not {', '.join(sorted(TWO_FACTOR_REQUIRED_ROLES - TWO_FACTOR_ROLES))}"
    )
OTP_TOTP_ISSUER = "Local Coalitions"

# API tokens (accounts.ApiToken, knox's hashing): people choose an expiry up to this many days.
KNOX_TOKEN_MODEL = "accounts.ApiToken"  # noqa: S105 (a model name)
API_TOKEN_MAX_DAYS = envint("API_TOKEN_MAX_DAYS", "365")
if API_TOKEN_MAX_DAYS < 1:
    raise ImproperlyConfigured("API_TOKEN_MAX_DAYS must be at least 1")
# Invitations (accounts.Invitation): how long the link in the mail stays valid.
INVITATION_VALID_DAYS = envint("INVITATION_VALID_DAYS", "7")
if INVITATION_VALID_DAYS < 1:
    raise ImproperlyConfigured("INVITATION_VALID_DAYS must be at least 1")
# Device secrets and recovery codes are not shown in the admin: an admin resets, never reads them.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("es", _("Spanish"))]
#: English dates in one format (config/formats/en/formats.py); Spanish keeps Django's.
FORMAT_MODULE_PATH = ["config.formats"]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "America/Bogota")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# In development WhiteNoise serves from the finders (no collectstatic, no missing-directory warning).
WHITENOISE_AUTOREFRESH = DEBUG
# Uploaded files: one directory every web process and worker reads and writes (a shared volume
# when they run on several machines), outside the code in production. Nothing serves MEDIA_URL:
# attachments are handed out by their download view, which checks who may see them.
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media")).resolve()
MEDIA_URL = "media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
    # Attachment files (attachments/storage.py): under MEDIA_ROOT, or an S3-compatible object store.
    "attachments": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
}
# s3://bucket/optional/prefix: attachments go to an S3-compatible object store, with the AWS_*
# variables below; empty: the file system under MEDIA_ROOT.
ATTACHMENTS_STORAGE_URL = os.environ.get("ATTACHMENTS_STORAGE_URL", "")
# How long a signed download URL of the object store stays valid (seconds).
ATTACHMENT_URL_EXPIRE = envint("ATTACHMENT_URL_EXPIRE", "60")
if ATTACHMENTS_STORAGE_URL:
    from urllib.parse import urlparse

    _store = urlparse(ATTACHMENTS_STORAGE_URL)
    if _store.scheme != "s3" or not _store.netloc:
        raise ImproperlyConfigured("ATTACHMENTS_STORAGE_URL must be s3://bucket or s3://bucket/prefix")
    STORAGES["attachments"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": _store.netloc,
            "location": _store.path.strip("/"),
            "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("AWS_S3_REGION_NAME") or None,
            "access_key": os.environ.get("AWS_ACCESS_KEY_ID") or None,
            "secret_key": os.environ.get("AWS_SECRET_ACCESS_KEY") or None,
            "addressing_style": os.environ.get("AWS_S3_ADDRESSING_STYLE") or None,
            "signature_version": "s3v4",
            "default_acl": None,
            "querystring_auth": True,
            "querystring_expire": ATTACHMENT_URL_EXPIRE,
            "file_overwrite": False,
        },
    }
# The largest file that may be attached (bytes); a larger one is dropped while it streams in.
ATTACHMENT_MAX_BYTES = envint("ATTACHMENT_MAX_BYTES", str(25 * 1024 * 1024))
# The thumbnail sweep (beat, every 5 minutes): images still without a thumbnail this many seconds
# after they were attached (their task was lost), this many per run.
ATTACHMENT_THUMBNAIL_SWEEP_AGE_SECONDS = envint("ATTACHMENT_THUMBNAIL_SWEEP_AGE_SECONDS", "300")
ATTACHMENT_THUMBNAIL_SWEEP_BATCH = envint("ATTACHMENT_THUMBNAIL_SWEEP_BATCH", "100")

# Mail: EMAIL_URL such as smtp://user:pass@127.0.0.1:8025 or smtp+tls://...; console otherwise.
EMAIL_URL = os.environ.get("EMAIL_URL", "")
if EMAIL_URL:
    from urllib.parse import unquote, urlparse

    _mail = urlparse(EMAIL_URL)
    if _mail.scheme not in {"smtp", "smtp+tls", "smtp+ssl"}:
        raise ImproperlyConfigured("EMAIL_URL must start with smtp://, smtp+tls:// or smtp+ssl://")
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = _mail.hostname or "127.0.0.1"
    EMAIL_PORT = _mail.port or 25
    EMAIL_HOST_USER = unquote(_mail.username or "")
    EMAIL_HOST_PASSWORD = unquote(_mail.password or "")
    EMAIL_USE_TLS = _mail.scheme == "smtp+tls"
    EMAIL_USE_SSL = _mail.scheme == "smtp+ssl"
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
EMAIL_TIMEOUT = envint("EMAIL_TIMEOUT", "20")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Local Coalitions <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Celery: without a broker every task runs in-process, so `make run` needs no Redis.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Well above the longest task, so Redis does not redeliver a task still running.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": envint("CELERY_VISIBILITY_TIMEOUT", "3600")}
# On a lost broker connection, give running tasks back rather than hold their unackable slots:
# the outbox's claims make a redelivered task harmless, and a worker whose slots stay full
# after a Redis restart stops consuming (celery/celery#8091).
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE: dict = {}
CELERY_BEAT_SCHEDULE["outbox-sweep"] = {"task": "outbox.tasks.outbox_sweep", "schedule": 60.0}
CELERY_BEAT_SCHEDULE["campaigns-due"] = {"task": "explorers_network.tasks.campaigns_start_due", "schedule": 60.0}
CELERY_BEAT_SCHEDULE["contact-requests-missed"] = {
    "task": "notifications.tasks.contact_requests_notify_missed",
    "schedule": 60.0,
}
CELERY_BEAT_SCHEDULE["attachment-thumbnails-sweep"] = {
    "task": "attachments.tasks.attachment_thumbnails_sweep",
    "schedule": 300.0,
}
CELERY_BEAT_SCHEDULE["notifications-reminders"] = {
    "task": "notifications.tasks.reminders_send",
    "schedule": envint("REMINDERS_EVERY_SECONDS", "3600"),
}
# The monthly snapshots (trends): on the first of the month, early, for the month that starts.
CELERY_BEAT_SCHEDULE["trends-snapshots"] = {
    "task": "trends.tasks.snapshots_take",
    "schedule": crontab(minute=30, hour=1, day_of_month=1),
}
# Kept report workbooks (trends.ReportRun) older than REPORT_RUNS_KEEP_DAYS are deleted, and runs
# whose task a broker outage lost are queued again.
CELERY_BEAT_SCHEDULE["trends-report-runs-expire"] = {"task": "trends.tasks.report_runs_expire", "schedule": 600.0}
CELERY_BEAT_SCHEDULE["notifications-digest"] = {
    "task": "notifications.tasks.digests_send",
    "schedule": envint("DIGEST_EVERY_SECONDS", "3600"),
}

# When a coalition needs attention (trends.health): fewer active members than the month before by
# this many, at least this many overdue commitments, no engagement for this many days. Admins
# may override each in the admin (trends.HealthThresholds).
COALITION_HEALTH_THRESHOLDS = {"members_lost": 2, "overdue_commitments": 3, "days_without_meeting": 90}
# A period report's workbook for a range longer than this many days is built in the background
# (Celery) and kept for download for REPORT_RUNS_KEEP_DAYS days; a shorter one downloads at once.
REPORT_ASYNC_DAYS = envint("REPORT_ASYNC_DAYS", "366")
REPORT_RUNS_KEEP_DAYS = envint("REPORT_RUNS_KEEP_DAYS", "30")

# The outbox (outbox/services.py): batch size per task, SMTP connections each task sends a batch
# over at once, how long a worker holds a claimed row, when a pending row counts as stuck, and the
# retry backoff for temporary SMTP errors.
OUTBOX_BATCH_SIZE = envint("OUTBOX_BATCH_SIZE", "200")
OUTBOX_SMTP_CONNECTIONS = envint("OUTBOX_SMTP_CONNECTIONS", "4")
OUTBOX_LEASE_SECONDS = envint("OUTBOX_LEASE_SECONDS", "900")
OUTBOX_STUCK_SECONDS = envint("OUTBOX_STUCK_SECONDS", "300")
OUTBOX_RETRY_BASE_SECONDS = envint("OUTBOX_RETRY_BASE_SECONDS", "60")
OUTBOX_MAX_ATTEMPTS = envint("OUTBOX_MAX_ATTEMPTS", "6")
# Publishing waits at most about a second for the broker; the sweeper covers longer outages.
OUTBOX_PUBLISH_RETRY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.5}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "core.api.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": [
        "core.api.filters.FilterBackend",
        "core.api.filters.StrictOrderingFilter",
    ],
    # JSON bodies only (a form or multipart body is a 415): generated clients then send JSON, in which
    # null clears a field. A view that takes a file upload adds MultiPartParser itself.
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "core.api.pagination.ApiPagination",
    "EXCEPTION_HANDLER": "core.api.exceptions.api_exception_handler",
    "DEFAULT_THROTTLE_CLASSES": ["core.api.throttling.TokenRateThrottle", "core.api.throttling.IPRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "token": os.environ.get("API_THROTTLE_TOKEN", "1000/minute"),
        "ip": os.environ.get("API_THROTTLE_IP", "3000/minute"),
    },
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    # JSON bounded in size (DATA_UPLOAD_MAX_MEMORY_SIZE) and depth (core/api/parsers.py).
    # Request bodies are JSON only (what generated clients send; a form body is a 415), bounded in
    # size and depth. Multipart belongs only on an endpoint that takes a file, declared on its view.
    "DEFAULT_PARSER_CLASSES": ["core.api.parsers.BoundedJSONParser"],
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Local Coalitions API",
    "DESCRIPTION": "Coalitions, stakeholders, commitments and outcomes for program partners.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Separate request and response components: read-only fields are not asked for in requests.
    "COMPONENT_SPLIT_REQUEST": True,
    # Several models have a "status"; name each enum after its model so clients get stable names.
    "ENUM_NAME_OVERRIDES": {
        "CountryStatusEnum": "countries.models.Country.Status",
        "CoalitionStatusEnum": "coalitions.models.Coalition.Status",
        "CommitmentStatusEnum": "coalitions.models.Commitment.Status",
        "ExplorerStatusEnum": "explorers_network.models.Explorer.Status",
        "FundingSourceEnum": "planning.models.FundingSource",
        "RegionKindEnum": "countries.models.Region.Kind",
        "AttachmentKindEnum": "attachments.models.AttachmentKind",
        "EntryPointStatusEnum": "planning.models.EntryPoint.Status",
    },
    # drf-spectacular's enum components, then a blank-able choice as one enum (core.api.schema).
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "core.api.schema.postprocess_blank_choices",
    ],
}

# Strict CSP: everything from this origin, no inline scripts or styles.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if not DEBUG:
    SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", "1")
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", "31536000")
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", "1")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # django-axes logs every sign-in at INFO; its warnings (failures, lockouts) are what matters.
    "loggers": {"axes": {"level": "WARNING"}},
}
