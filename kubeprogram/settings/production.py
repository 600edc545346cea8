"""Production settings: everything secret or host-specific must come from the environment.

Required: SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL (PostgreSQL). Usually also CSRF_TRUSTED_ORIGINS.
Check with: manage.py check --deploy --settings=kubeprogram.settings.production
"""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env_bool

DEBUG = False
if not SECRET_KEY:  # noqa: F405
    raise ImproperlyConfigured("SECRET_KEY harus diisi (variabel lingkungan) untuk produksi.")
if not ALLOWED_HOSTS:  # noqa: F405
    raise ImproperlyConfigured("ALLOWED_HOSTS harus diisi (variabel lingkungan) untuk produksi.")
if not os.environ.get("DATABASE_URL"):
    # base.py would fall back to a SQLite file in the checkout: never on a server.
    raise ImproperlyConfigured("DATABASE_URL harus diisi (postgres://…) untuk produksi.")

# Demo and synthetic data: never on the real server. A training server (a copy of the app with made-up data) sets
# DEMO_DATA_ALLOWED=1, so Admin Provinsi may make synthetic people there (Penduduk → Data sintetis).
DEMO_DATA_ALLOWED = env_bool("DEMO_DATA_ALLOWED", False)

# TLS ends at the reverse proxy, which sets X-Forwarded-Proto.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
# A load balancer probes /healthz over plain HTTP on the private network: no redirect for it.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
# Joining the browsers' HSTS preload list is a commitment for the whole parent domain (kaltimprov.go.id),
# for the province's network team to make, not this app: off unless SECURE_HSTS_PRELOAD=1.
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
