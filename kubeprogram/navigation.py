"""The navbar: each entry is shown only to users who may open it (the same rule its view checks)."""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse

from audit.permissions import can_view_audit_log
from programs.permissions import can_view_budget_years


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    visible: Callable[[object], bool]
    # URL prefix that marks the item active.
    prefix: str = ""


NAV_ITEMS = [
    NavItem("Beranda", "home", lambda user: True),
    NavItem("Wilayah", "regions:regency_list", lambda user: True, "/wilayah/"),
    NavItem("Tahun Anggaran", "programs:budgetyear_list", can_view_budget_years, "/anggaran/"),
    NavItem("Jejak Audit", "audit:event_list", can_view_audit_log, "/audit/"),
]


def navigation(request):
    """Context processor: `nav_items` as (label, url, active) for the logged-in user."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    items = []
    for item in NAV_ITEMS:
        if item.visible(user):
            url = reverse(item.url_name)
            active = request.path.startswith(item.prefix) if item.prefix else request.path == url
            items.append({"label": item.label, "url": url, "active": active})
    return {"nav_items": items}
