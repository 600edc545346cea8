"""Settings shared by every environment.

Everything that differs between a laptop and a server comes from environment variables:
DATABASE_URL, SECRET_KEY, DEBUG, ALLOWED_HOSTS, CSRF_TRUSTED_ORIGINS (see docs/operations.md).
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONCE, NONE, SELF

from core.storage import media_storage

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("SECRET_KEY", "")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_filters",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "axes",
    "csp",
    # Our floors, in dependency order: each may import from those above it, never below (import-linter checks it).
    # The ground floor: domain-free tools and template tags; it imports no app.
    "core",
    "regions",
    "accounts",
    "audit",
    "jobs",
    "notifications",
    "programs",
    "beneficiaries",
    "dtsen",
    "proposals",
    "training",
    "disbursements",
    "rechecks",
    "monitoring",
    "complaints",
    "fieldwork",
    "privacy",
    "quality",
    "reports",
    # The roof: settings, URLs, home page, navbar and demo data compose the apps above.
    "kubeprogram",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "accounts.middleware.IdleTimeoutMiddleware",
    "kubeprogram.middleware.MaskNumbersMiddleware",
    "core.headers.SecurityHeadersMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "core.media.StorageFullMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # AxesMiddleware last: it turns a lockout raised by the backend into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "kubeprogram.urls"
WSGI_APPLICATION = "kubeprogram.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "kubeprogram.navigation.navigation",
                "kubeprogram.context_processors.office",
                "csp.context_processors.nonce",
            ],
        },
    },
]

# SQLite is only the zero-setup default of `make run`; production and CI use PostgreSQL.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE takes the write lock at BEGIN, so two writers queue instead of failing midway
    # (the ceiling checks of later apps rely on it on SQLite).
    DATABASES["default"].setdefault("OPTIONS", {})["transaction_mode"] = "IMMEDIATE"
    DATABASES["default"]["CONN_MAX_AGE"] = 0

# A read replica for the dashboard, reports and exports (core/replica.py), when there is one. In tests it mirrors
# the test database, so the routing is exercised without a second server.
if os.environ.get("REPLICA_DATABASE_URL"):
    DATABASES["replica"] = dj_database_url.parse(
        os.environ["REPLICA_DATABASE_URL"], conn_max_age=DATABASES["default"].get("CONN_MAX_AGE", 0)
    )
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["core.replica.ReplicaRouter"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTHENTICATION_BACKENDS = [
    # Axes first: it refuses a locked-out username + IP before the password is even checked.
    "axes.backends.AxesStandaloneBackend",
    # Passwords as Django's ModelBackend; permissions from the user's role, without a query.
    "accounts.backends.RoleBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
# Where a role lands after logging in (role value -> URL name); the others land on the home page.
ROLE_LANDING = {"pimpinan": "reports:dashboard"}
LOGOUT_REDIRECT_URL = "accounts:login"

# Several app servers share one cache: Redis when REDIS_URL is set (redis://127.0.0.1:6379/1). Sessions are then
# read from it and written through to the database ("cached_db"), so a request no longer pays a session query and
# a Redis restart logs nobody out. Without Redis: the per-process memory cache, and sessions in the database only
# (a per-process cache in front of them would let a logout on one server be missed by another).
REDIS_URL = os.environ.get("REDIS_URL", "")
# Redis down: every cache read is a miss and every write a no-op (core.cache.SafeRedisCache), so pages go on and
# sessions are read from the database; a dead Redis answers in half a second at most.
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "core.cache.SafeRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# Background jobs (jobs app) on Celery with a Redis broker; without CELERY_BROKER_URL they run inline.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
CELERY_TASK_IGNORE_RESULT = True  # the Job row keeps the state and the file
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = "Asia/Makassar"
# Run by `celery -A kubeprogram beat` (one per installation); without a broker: `manage.py notify_overdue` by cron.
CELERY_BEAT_SCHEDULE = {
    "complaints-overdue-every-morning": {
        "task": "complaints.notify_overdue",
        "schedule": crontab(hour=7, minute=0),
    },
    # The possible-duplicates page reads the groups of the last scan (beneficiaries.duplicates).
    "duplicates-scan-every-night": {
        "task": "beneficiaries.scan_duplicates",
        "schedule": crontab(hour=2, minute=0),
    },
    # A job whose runner died (worker killed, server restarted) is ended with its reason (jobs.services.jobs_sweep).
    "jobs-sweep-every-minute": {"task": "jobs.sweep", "schedule": 60.0},
    # Files no row points at (a process killed between the file and its row), older than a day: removed, audited.
    "media-orphans-every-night": {"task": "kubeprogram.media_orphans", "schedule": crontab(hour=3, minute=0)},
    # Data subjects' requests past 3x24 hours: the Petugas Pelindungan Data and the regency's officer are told, once.
    "subject-requests-overdue-every-hour": {"task": "privacy.notify_overdue_requests", "schedule": 3600.0},
    # What has passed its retention period (privacy.RetentionRule): a berita acara for the Petugas Pelindungan Data.
    "retention-every-month": {
        "task": "privacy.propose_destruction",
        "schedule": crontab(day_of_month=1, hour=4, minute=0),
    },
}
# A task is acknowledged when it ends, and put back when the process running it dies (SIGKILL, out of memory):
# another worker process takes the job over once its lease has run out (jobs.services.job_claim).
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
# A running job proves it lives every JOB_HEARTBEAT_SECONDS; one silent for JOB_LEASE_SECONDS is taken as dead:
# run once more from its stored input (JOB_MAX_ATTEMPTS), else failed with its reason. A job still waiting after
# JOB_WAITING_MINUTES was never picked up by a worker.
JOB_HEARTBEAT_SECONDS = int(os.environ.get("JOB_HEARTBEAT_SECONDS", "15"))
JOB_LEASE_SECONDS = int(os.environ.get("JOB_LEASE_SECONDS", "90"))
JOB_MAX_ATTEMPTS = 2
JOB_WAITING_MINUTES = int(os.environ.get("JOB_WAITING_MINUTES", "30"))
# The dashboard's figures are counted at most once a minute per scope (the page says as of when; "Perbarui"
# recounts at once). 0: always counted afresh.
DASHBOARD_CACHE_SECONDS = int(os.environ.get("DASHBOARD_CACHE_SECONDS", "60"))
# Exports with more rows than this are prepared in the background, with a progress bar.
BACKGROUND_EXPORT_ROWS = int(os.environ.get("BACKGROUND_EXPORT_ROWS", "5000"))
# A proposal workbook of more rows is checked, and saved, in the background with a progress bar.
BACKGROUND_IMPORT_ROWS = int(os.environ.get("BACKGROUND_IMPORT_ROWS", "5000"))
# UU 27/2022 erasure: a recipient's BAST is a financial record, kept this many years after its budget year
# (PP 28/2012 on archives and the regional archive retention schedule for financial records: 10 years).
ERASE_AFTER_YEARS = int(os.environ.get("ERASE_AFTER_YEARS", "10"))
# With the broker down, an import or export of at most this many rows runs inline instead (jobs.shortcuts).
BACKGROUND_INLINE_MAX_ROWS = int(os.environ.get("BACKGROUND_INLINE_MAX_ROWS", "20000"))
# How long a preview's checked plan is kept for its save (in the cache: Redis with REDIS_URL); a save after it
# (or once the registry changed under it) checks the file afresh.
IMPORT_PLAN_CACHE_SECONDS = int(os.environ.get("IMPORT_PLAN_CACHE_SECONDS", "7200"))

# A session ends after an hour without a request (shared office computers), and with the browser.
# accounts.middleware.IdleTimeoutMiddleware renews the expiry of an active session once a minute.
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_IDLE_SECONDS", "3600"))
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# Login lockout: 5 failures of one username from one address lock that pair for 15 minutes.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/lockout.html"
# Number of trusted reverse proxies in front of the app (0 = none: the client address is REMOTE_ADDR). Behind
# nginx set PROXY_COUNT=1: the address is the last entry of X-Forwarded-For, the one nginx appended (core.client;
# an entry the client wrote itself stands further left and is never believed). AXES_PROXY_COUNT is the old name.
PROXY_COUNT = int(os.environ.get("PROXY_COUNT", os.environ.get("AXES_PROXY_COUNT", "0")))
AXES_CLIENT_IP_CALLABLE = "core.client.client_address"

LANGUAGE_CODE = "id"
LANGUAGES = [("id", "Bahasa Indonesia")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Makassar"  # WITA
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT") or BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))

STORAGES = {
    # Files kept with their rows: removed when their transaction does not commit; a full disk is a message (core.media)
    "default": {"BACKEND": "core.media.LocalMedia"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Uploads on S3-compatible storage (core/storage.py): s3://bucket/prefix?endpoint_url=…; MEDIA_ROOT otherwise.
MEDIA_STORAGE_URL = os.environ.get("MEDIA_STORAGE_URL", "")
if MEDIA_STORAGE_URL:
    STORAGES["default"] = media_storage(MEDIA_STORAGE_URL)

# Content-Security-Policy (django-csp): scripts only from this site (static files) or carrying the page's nonce,
# no inline handlers, no eval (htmx runs with allowEval off), no inline styles, no plugins, no framing, forms
# posted only here. Uploaded files are served as downloads under a stricter policy of their own (core.files).
# Development (DEBUG) sends it report-only, with the violations logged by core.views.csp_report; production and
# the tests enforce it, and a browser test fails on any violation (tests/conftest.py).
CSP_DIRECTIVES = {
    "default-src": [SELF],
    "script-src": [SELF, NONCE],
    "style-src": [SELF],
    "img-src": [SELF, "data:", "blob:"],
    "connect-src": [SELF],
    "font-src": [SELF],
    "manifest-src": [SELF],
    "worker-src": [SELF],
    "object-src": [NONE],
    "base-uri": [NONE],
    "frame-ancestors": [NONE],
    "form-action": [SELF],
}
CONTENT_SECURITY_POLICY = {"DIRECTIVES": CSP_DIRECTIVES}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

# The office's name as printed on pages and reports.
OFFICE_NAME = "Dinas Sosial Provinsi Kalimantan Timur"
OFFICE_SHORT_NAME = "Dinsos Kaltim"
# The letterhead of printed pages (BAST, daftar hadir): the address line, and an optional logo — a static file
# path such as "img/logo-kaltim.png" placed under static/ (none is shipped).
OFFICE_ADDRESS = os.environ.get("OFFICE_ADDRESS", "Jl. Basuki Rahmat No. 92, Samarinda, Kalimantan Timur")
OFFICE_LOGO = os.environ.get("OFFICE_LOGO", "")

# `manage.py seed_demo` writes well-known passwords; only the production settings turn it off.
DEMO_DATA_ALLOWED = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}
PROPOSAL_DOCUMENT_MAX_BYTES = int(os.environ.get("PROPOSAL_DOCUMENT_MAX_BYTES", str(5 * 1024 * 1024)))
# Handover photo and signed BAST scan (images or PDF).
HANDOVER_DOCUMENT_MAX_BYTES = int(os.environ.get("HANDOVER_DOCUMENT_MAX_BYTES", str(5 * 1024 * 1024)))
# A phone photo before it is shrunk on the server (a HEIC of a 48-MP camera is 4–8 MB).
VISIT_PHOTO_MAX_BYTES = int(os.environ.get("VISIT_PHOTO_MAX_BYTES", str(15 * 1024 * 1024)))
VISIT_PHOTOS_MAX = int(os.environ.get("VISIT_PHOTOS_MAX", "10"))  # photos on one visit
# A complaint's photo or letter (before a photo is shrunk).
# The office's numbers shown on the public complaint page (leave empty to hide one).
COMPLAINT_OFFICE_PHONE = os.environ.get("COMPLAINT_OFFICE_PHONE", "(0541) 741 245")
COMPLAINT_OFFICE_WHATSAPP = os.environ.get("COMPLAINT_OFFICE_WHATSAPP", "")
COMPLAINT_ATTACHMENT_MAX_BYTES = int(os.environ.get("COMPLAINT_ATTACHMENT_MAX_BYTES", str(10 * 1024 * 1024)))
PROPOSAL_WORKBOOK_MAX_BYTES = int(os.environ.get("PROPOSAL_WORKBOOK_MAX_BYTES", str(10 * 1024 * 1024)))
# A DTSEN extract: the province's million rows as CSV are about 100 MB (nginx allows as much on /dtsen/ only).
DTSEN_EXTRACT_MAX_BYTES = int(os.environ.get("DTSEN_EXTRACT_MAX_BYTES", str(150 * 1024 * 1024)))
PROPOSAL_WORKBOOK_MAX_ROWS = int(os.environ.get("PROPOSAL_WORKBOOK_MAX_ROWS", "20000"))
# Uploads up to this size stay in memory; larger ones go to a temporary file.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

# E-mail for notifications: an SMTP server when EMAIL_HOST is set, the console otherwise (development). Sending
# never blocks an action for long (timeout) nor breaks it (notifications.services).
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
EMAIL_TIMEOUT = 5
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend" if EMAIL_HOST else "django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "kubeprogram <noreply@dinsos.kaltimprov.go.id>")
SITE_URL = os.environ.get("SITE_URL", "")  # e.g. https://kubeprogram.kaltimprov.go.id, for links in e-mails
