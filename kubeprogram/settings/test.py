"""Settings for the test suite (`make test`, `.ci/run`): fast hashing, no debug."""

from .dev import *  # noqa: F403

DEBUG = False
# Enforced, as in production (dev.py makes it report-only under DEBUG).
CONTENT_SECURITY_POLICY = {"DIRECTIVES": CSP_DIRECTIVES}  # noqa: F405
CONTENT_SECURITY_POLICY_REPORT_ONLY = None
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
ALLOWED_HOSTS = ["*"]

import os  # noqa: E402
import tempfile  # noqa: E402

# Uploaded files of the test run go to a throwaway folder (one shared with CI's Celery worker when given).
# Under pytest-xdist each worker has a folder of its own (two databases, two files named bast/1-photo.jpg).
MEDIA_ROOT = os.environ.get("TEST_MEDIA_ROOT") or tempfile.mkdtemp(
    prefix=f"kubeprogram-test-media-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}-"
)

# Each test sees the dashboard counted afresh; tests/reports/test_dashboard_cache.py turns the cache on.
DASHBOARD_CACHE_SECONDS = int(os.environ.get("DASHBOARD_CACHE_SECONDS", "0"))
