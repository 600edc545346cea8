import time

from django.conf import settings

# How often (seconds) an active session's expiry is pushed forward. Saving it on every request
# (SESSION_SAVE_EVERY_REQUEST) would cost a database write per page on a slow office network.
REFRESH_EVERY = 60


class IdleTimeoutMiddleware:
    """Sessions end after SESSION_COOKIE_AGE seconds without a request, not after a fixed time.

    The session row's expiry is renewed at most once a minute while the user keeps working, so
    the idle limit is exact to within a minute.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = getattr(request, "session", None)
        if session is not None and session.session_key and settings.SESSION_COOKIE_AGE:
            now = int(time.time())
            if now - session.get("_refreshed_at", 0) >= REFRESH_EVERY:
                session["_refreshed_at"] = now  # marks the session modified: saved with a new expiry
        return self.get_response(request)
