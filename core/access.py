"""The one way a view refuses a role: 403 (an out-of-scope object is 404, from its visible_to door)."""

from django.core.exceptions import PermissionDenied


def require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied
