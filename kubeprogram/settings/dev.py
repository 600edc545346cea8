"""Settings for `make run` on a laptop: debug on, a throwaway secret, local hosts only."""

import os

from .base import *  # noqa: F403
from .base import env_bool, env_list

DEBUG = env_bool("DEBUG", True)
SECRET_KEY = os.environ.get("SECRET_KEY") or "dev-only-insecure-key-never-use-in-production"
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")

# runserver and the test live server serve static files themselves; WhiteNoise is for production.
MIDDLEWARE = [m for m in MIDDLEWARE if m != "whitenoise.middleware.WhiteNoiseMiddleware"]  # noqa: F405

# The Content-Security-Policy reports, not blocks, on a laptop: a violation is logged (core.views.csp_report) and
# the page keeps working while it is fixed. Browser tests run with settings.test, where it is enforced again.
if DEBUG:
    CONTENT_SECURITY_POLICY_REPORT_ONLY = {
        "DIRECTIVES": {**CSP_DIRECTIVES, "report-uri": ["/csp-report/"]},  # noqa: F405
    }
    CONTENT_SECURITY_POLICY = None
