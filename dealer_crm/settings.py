"""Dealer CRM settings, read from the environment.

With nothing set the app runs on a local SQLite file and a Celery broker that
needs no server (kombu's filesystem transport), so a newcomer can try it at once.
Set DATABASE_URL and REDIS_URL (or CELERY_BROKER_URL) to run on PostgreSQL and
Redis, as in production and CI. See README.md for the full table.
"""

from pathlib import Path

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(environ.Env().str("DEALER_CRM_VAR_DIR", default=str(BASE_DIR / "var")))

env = environ.Env()

DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off "
            "(set DJANGO_DEBUG=1 for a local try-out)."
        )
    SECRET_KEY = "insecure-local-development-key-do-not-use-in-production"

ALLOWED_HOSTS = env.list(
    "DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
# Absolute address of the app, for links in emails.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")

# Local apps come first: their order is the order of the navigation menu, and
# where two catalogues translate the same msgid the app listed first wins, so
# our own Chinese terms take precedence over Django's and third parties'.
LOCAL_APPS = [
    "common",
    "accounts",
    "regions",
    "notifications",
    "dealers",
    "visits",
    "inventory",
    "rebates",
    "portal",
    "promotions",
    "scorecards",
    "hq",
    # Tooling, not a domain: `manage.py bench` (no models, no URLs, no menu entry).
    "benchmarks",
]
INSTALLED_APPS = [
    *LOCAL_APPS,
    # The admin site for superusers: read-only, internal tables hidden (dealer_crm/admin.py).
    "dealer_crm.admin.DealerCrmAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_celery_beat",
    "auditlog",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "accounts.middleware.UserLanguageMiddleware",
    "common.audit.AuditActorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "common.middleware.BadInputMiddleware",
]

ROOT_URLCONF = "dealer_crm.urls"
FORM_RENDERER = "common.forms.BootstrapFormRenderer"
WSGI_APPLICATION = "dealer_crm.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "common.context_processors.navigation",
                "notifications.context_processors.unread_notifications",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The web server, the Celery worker and beat share one file: wait for locks
    # instead of failing, and take the write lock at the start of a transaction.
    DATABASES["default"].setdefault("OPTIONS", {}).update({"timeout": 20, "transaction_mode": "IMMEDIATE"})
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
    # No `SELECT 1` before each request: a connection lost to a database restart is
    # replaced when its first statement fails (common/db.py). Set to 1 to check anyway.
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = env.bool("DATABASE_CONN_HEALTH_CHECKS", default=False)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache (rate limits, throttling) -------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "common.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Auth ----------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Internationalisation -------------------------------------------------------
LANGUAGE_CODE = env.str("LANGUAGE_CODE", default="en")
LANGUAGES = [("en", _("English")), ("zh-hans", _("Simplified Chinese"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env.str("TIME_ZONE", default="Asia/Shanghai")
USE_I18N = True
# One date format per language (ISO order in both), see dealer_crm/formats and common/formatting.py.
FORMAT_MODULE_PATH = ["dealer_crm.formats"]
USE_TZ = True

# --- Static and media files ------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env.str("DJANGO_MEDIA_ROOT", default=str(BASE_DIR / "media")))
# Hashed, compressed file names (WhiteNoise's manifest storage) once collectstatic
# has written its manifest. Before that (DEBUG off but nothing collected yet) the
# plain storage serves the same files from the finders below, so a page never
# fails for want of a manifest; the system check common.W001 says what to run.
STATIC_MANIFEST_PATH = STATIC_ROOT / "staticfiles.json"
STATIC_MANIFEST_WANTED = not DEBUG and env.bool("DJANGO_MANIFEST_STATIC", default=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if STATIC_MANIFEST_WANTED and STATIC_MANIFEST_PATH.exists()
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Without collectstatic (a local try-out, the test suite) WhiteNoise serves
# straight from the finders, so the app never needs a CDN or a separate server.
WHITENOISE_USE_FINDERS = env.bool("WHITENOISE_USE_FINDERS", default=True)
# Uploaded photos (market checks, violations, ...): images only, at most this size
# and at most this many pixels (a small file can still decode to a huge bitmap).
MAX_IMAGE_UPLOAD_BYTES = env.int("MAX_IMAGE_UPLOAD_BYTES", default=5 * 1024 * 1024)
# The largest CSV/XLSX file an HQ admin may import (10,000 dealers take about 2 MB).
IMPORT_MAX_BYTES = env.int("IMPORT_MAX_BYTES", default=20 * 1024 * 1024)
# Uploaded import files wait here between the check and the import: outside
# MEDIA_ROOT, never served; deleted once imported or discarded.
IMPORT_FILES_DIR = Path(env.str("IMPORT_FILES_DIR", default=str(VAR_DIR / "imports")))
MAX_IMAGE_PIXELS = env.int("MAX_IMAGE_PIXELS", default=40_000_000)

# --- Input limits (SPEC "Inputs that must be refused": a 400, never a 500) -------
# A request body (JSON or form fields, files aside) of at most this many bytes.
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("DATA_UPLOAD_MAX_MEMORY_SIZE", default=2_621_440)
# JSON bodies nest lists and objects at most this deep.
API_MAX_JSON_DEPTH = env.int("API_MAX_JSON_DEPTH", default=32)
# A text field of the API without a length of its own takes at most this many characters.
API_TEXT_MAX_LENGTH = env.int("API_TEXT_MAX_LENGTH", default=10_000)

# --- Email ---------------------------------------------------------------------
EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
# Where django.core.mail.backends.filebased.EmailBackend writes (bin/faults.py counts the mails there).
EMAIL_FILE_PATH = env.str("EMAIL_FILE_PATH", default=str(VAR_DIR / "mail"))
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Dealer CRM <noreply@dealer-crm.local>")

# --- Security (issue #12): HTTPS, sign-in limits, API tokens ------------------------
# DJANGO_HTTPS=1 for a deployment served over HTTPS (behind a proxy that sets
# X-Forwarded-Proto): redirect plain HTTP, send HSTS, mark cookies Secure. With the
# production settings of README "Production", `manage.py check --deploy` is clean.
HTTPS = env.bool("DJANGO_HTTPS", default=False)
SESSION_COOKIE_SECURE = env.bool("DJANGO_SECURE_COOKIES", default=HTTPS)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=HTTPS)
SECURE_HSTS_SECONDS = env.int("DJANGO_HSTS_SECONDS", default=31536000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", default=HTTPS)
SECURE_HSTS_PRELOAD = env.bool("DJANGO_HSTS_PRELOAD", default=HTTPS)
if env.bool("DJANGO_BEHIND_PROXY", default=HTTPS):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# The probe /healthz-style paths a load balancer calls over plain HTTP, if any.
SECURE_REDIRECT_EXEMPT = env.list("DJANGO_SECURE_REDIRECT_EXEMPT", default=[])
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
# Failed sign-ins (form and API) allowed per user name and per address before a lock.
LOGIN_FAILURES_PER_USERNAME = env.int("LOGIN_FAILURES_PER_USERNAME", default=5)
LOGIN_FAILURES_PER_ADDRESS = env.int("LOGIN_FAILURES_PER_ADDRESS", default=20)
LOGIN_LOCKOUT_MINUTES = env.int("LOGIN_LOCKOUT_MINUTES", default=15)
# API tokens expire this many hours after sign-in (POST /api/v1/auth/token/).
API_TOKEN_TTL_HOURS = env.int("API_TOKEN_TTL_HOURS", default=168)
# Seconds a token's lookup is cached (accounts.tokens), 0: not cached. Only with a
# cache every process shares (Redis), else a deactivation seen by one worker misses
# the others. Off by default: a cache hit through Redis measured no cheaper than the
# token's one indexed lookup in PostgreSQL (issue 16).
API_TOKEN_CACHE_SECONDS = env.int("API_TOKEN_CACHE_SECONDS", default=0) if REDIS_URL else 0
# Content-Security-Policy (django-csp): every script, style, font and image comes
# from this site (static files vendored, no CDN), no inline script or style
# attribute, no framing, forms post only here.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

# --- REST API --------------------------------------------------------------------
REST_FRAMEWORK = {
    # Token first, so that an unauthenticated request answers 401 with a
    # WWW-Authenticate header rather than 403.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.tokens.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "common.api.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        "common.api.filters.FilterBackend",
        "rest_framework.filters.SearchFilter",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "common.api.schema.AutoSchema",
    "EXCEPTION_HANDLER": "common.api.exceptions.exception_handler",
    "DEFAULT_PARSER_CLASSES": [
        "common.api.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DATETIME_FORMAT": "iso-8601",
    "COERCE_DECIMAL_TO_STRING": True,
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Dealer CRM API",
    "DESCRIPTION": (
        "REST API of Dealer CRM. Authenticate with the browser session (with CSRF) "
        "or with a token from POST /api/v1/auth/token/, sent as "
        "'Authorization: Token <token>'. Lists are paginated; anything outside the "
        "caller's scope answers 404."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    # One name per choice set used by several fields (e.g. an order's status and a transition's to_status).
    "ENUM_NAME_OVERRIDES": {
        "OrderStatusEnum": "inventory.models.OrderStatus",
        "OrderSourceEnum": "inventory.models.OrderSource",
        "ProductUnitEnum": "inventory.models.ProductUnit",
        "DealerStatusEnum": "dealers.models.DealerStatus",
        "ContractStatusEnum": "dealers.models.ContractStatus",
        "ApplicationStatusEnum": "dealers.models.ApplicationStatus",
        "DealerGradeEnum": "dealers.models.Grade",
        "RebateStatementStatusEnum": "rebates.models.StatementStatus",
        "SettlementMethodEnum": "rebates.models.SettlementMethod",
        "QuestionStatusEnum": "portal.models.QuestionStatus",
        "CampaignStatusEnum": "promotions.models.CampaignStatus",
        "CampaignTypeEnum": "promotions.models.CampaignType",
        "UpsertOutcomeEnum": "hq.api.serializers.UPSERT_OUTCOMES",
    },
}

# --- Celery ----------------------------------------------------------------------
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="") or REDIS_URL or "filesystem://localhost/"  # a host, so kombu does not warn that none was given
if CELERY_BROKER_URL.startswith("filesystem://"):
    _broker_dir = VAR_DIR / "celery-broker"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "out"),
        "data_folder_out": str(_broker_dir / "out"),
        "processed_folder": str(_broker_dir / "processed"),
        "control_folder": str(_broker_dir / "control"),
        "store_processed": False,
    }
    for _sub in ("out", "processed"):
        (_broker_dir / _sub).mkdir(parents=True, exist_ok=True)
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Outages of the broker: the worker retries for as long as it takes (never gives up
# after 100 tries), and listens to no broadcast channel by default. The remote-control
# channel (Redis PUB/SUB) is where workers have been seen to stall for good after Redis
# came back (celery/celery#8030, #8990, #10302); set CELERY_REMOTE_CONTROL=1 for
# `celery inspect`. Nothing of ours needs it: reminders are derived from the database.
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_CONNECTION_MAX_RETRIES = None
CELERY_WORKER_ENABLE_REMOTE_CONTROL = env.bool("CELERY_REMOTE_CONTROL", default=False)
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# The beat schedule lives in code; django-celery-beat copies it into its tables
# at start, where an admin can see it. Every task is idempotent and derives what
# is due from the database, so a doubled or late beat never sends twice.
CELERY_BEAT_SCHEDULE = {
    "notifications-send-pending-emails": {
        "task": "notifications.tasks.send_pending_emails",
        "schedule": crontab(minute="*/5"),
    },
    "dealers-prospects-going-cold": {
        "task": "dealers.tasks.prospects_going_cold",
        "schedule": crontab(hour=8, minute=30),
    },
    "dealers-contract-end-reminders": {
        "task": "dealers.tasks.contract_end_reminders",
        "schedule": crontab(hour=8, minute=0),
    },
    # Safety net of the accrual that follows each shipment (rebates.services).
    "rebates-accrue-nightly": {
        "task": "rebates.tasks.accrue_all_rebates",
        "schedule": crontab(hour=2, minute=30),
    },
    # Campaign dates, the post-event follow-up clock and preparation reminders (SPEC §4).
    "promotions-follow-up-clock": {
        "task": "promotions.tasks.run_follow_up_clock",
        "schedule": crontab(minute=10),
    },
    # Visits (SPEC §2): plans → visits four weeks ahead; missed visits; reminders.
    "visits-generate": {
        "task": "visits.tasks.generate_visits",
        "schedule": crontab(hour=1, minute=15),
    },
    "visits-mark-missed": {
        "task": "visits.tasks.mark_missed_visits",
        "schedule": crontab(hour=0, minute=5),
    },
    "visits-reminders": {
        "task": "visits.tasks.send_visit_reminders",
        "schedule": crontab(minute=20),
    },
    # Idempotency-Key answers older than IDEMPOTENCY_KEY_TTL_HOURS are forgotten (common.idempotency).
    "common-purge-idempotency-records": {
        "task": "common.tasks.purge_idempotency_records",
        "schedule": crontab(minute=40),
    },
}

# An email whose queueing was lost (broker down, worker crash) is sent by the
# send_pending_emails beat once it has been pending this many seconds.
NOTIFICATION_EMAIL_RETRY_AFTER = env.int("NOTIFICATION_EMAIL_RETRY_AFTER", default=120)

# --- Domain settings -------------------------------------------------------------
# Prospects with no logged contact for this many days are "going cold" (SPEC §1).
PROSPECT_COLD_AFTER_DAYS = env.int("PROSPECT_COLD_AFTER_DAYS", default=14)
# Applications from the public form accepted per IP address and hour (anti-spam, with a honeypot).
DEALER_APPLICATIONS_PER_HOUR = env.int("DEALER_APPLICATIONS_PER_HOUR", default=5)
# Payment terms of an order: due this many days after its confirmation (SPEC §3, §5 overdue payments).
ORDER_PAYMENT_TERMS_DAYS = env.int("ORDER_PAYMENT_TERMS_DAYS", default=30)
# The suggested order (SPEC §3): the default safety coefficient, how many count
# periods its median looks back over, and the remaining share of shelf life below
# which stock is near expiry (a fraction such as "1/3" or a decimal).
# Empty coefficient: the rule's own default, inventory.calculations.DEFAULT_COEFFICIENT.
SUGGESTED_ORDER_DEFAULT_COEFFICIENT = env.str("SUGGESTED_ORDER_DEFAULT_COEFFICIENT", default="")
SUGGESTED_ORDER_LOOKBACK_PERIODS = env.int("SUGGESTED_ORDER_LOOKBACK_PERIODS", default=3)
SUGGESTED_ORDER_NEAR_EXPIRY_THRESHOLD = env.str("SUGGESTED_ORDER_NEAR_EXPIRY_THRESHOLD", default="1/3")
# Counts in daily life (SPEC §3): a counted quantity above MULTIPLE × the largest of the
# product's recent counts plus deliveries (never below MULTIPLE × FLOOR cases) is questioned
# until the rep confirms it; a dealer never counted is compared with the deliveries of the
# last DELIVERY_DAYS days. An identical count of the same visit within WINDOW minutes is a retry.
STOCK_COUNT_PLAUSIBLE_MULTIPLE = env.int("STOCK_COUNT_PLAUSIBLE_MULTIPLE", default=10)
STOCK_COUNT_PLAUSIBLE_FLOOR = env.int("STOCK_COUNT_PLAUSIBLE_FLOOR", default=100)
STOCK_COUNT_PLAUSIBLE_DELIVERY_DAYS = env.int("STOCK_COUNT_PLAUSIBLE_DELIVERY_DAYS", default=90)
STOCK_COUNT_DUPLICATE_WINDOW_MINUTES = env.int("STOCK_COUNT_DUPLICATE_WINDOW_MINUTES", default=10)
# How long an Idempotency-Key's first answer is kept for retries (common.idempotency).
IDEMPOTENCY_KEY_TTL_HOURS = env.int("IDEMPOTENCY_KEY_TTL_HOURS", default=24)

# --- Logging ---------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}
