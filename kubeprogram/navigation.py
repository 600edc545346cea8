"""The navbar: each entry is shown only to users who may open it (the same rule its view checks)."""

from collections.abc import Callable
from dataclasses import dataclass

from audit.permissions import can_view_audit_log
from beneficiaries.permissions import can_review_duplicates, can_view_registry
from complaints.permissions import can_view_complaints
from core.urls import cached_reverse
from disbursements.permissions import (
    can_attach_handover,
    can_view_allocations,
    can_view_catalogue,
    can_view_handovers,
)
from dtsen.permissions import can_view_register
from monitoring.permissions import can_record_visits, can_view_visits
from privacy.permissions import can_view_requests
from programs.permissions import can_view_budget_years
from proposals.permissions import can_view_proposals
from rechecks.permissions import can_view_rechecks
from reports.permissions import can_view_dashboard, can_view_reports
from training.permissions import can_mark_attendance, can_view_training


def can_do_field_work(user) -> bool:
    return can_mark_attendance(user) or can_attach_handover(user) or can_record_visits(user)


def _field_first(user) -> bool:
    """A regency's officer works in the field most: "Kerja Lapangan" stands first in her "Penyaluran" menu (a
    top-level item would push the navbar past a 1280-pixel screen)."""
    return not user.is_provincial and can_do_field_work(user)


def _field_in_menu(user) -> bool:
    return user.is_provincial and can_do_field_work(user)


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    visible: Callable[[object], bool]
    # URL prefix that marks the item active.
    prefix: str = ""
    # Items of one menu share it (a dropdown in the navbar, so it fits a 1366-pixel office screen).
    menu: str = ""


REGISTRY, DISTRIBUTION = "Penduduk & KUBE", "Penyaluran"


NAV_ITEMS = [
    NavItem("Beranda", "home", lambda user: True),
    NavItem("Dasbor", "reports:dashboard", can_view_dashboard, "/dasbor/"),
    NavItem("Penduduk", "beneficiaries:person_list", can_view_registry, "/penduduk/", menu=REGISTRY),
    NavItem("KUBE", "beneficiaries:group_list", can_view_registry, "/kube/", menu=REGISTRY),
    NavItem("Data Ganda", "beneficiaries:duplicate_list", can_review_duplicates, "/penduduk/duplikat/", menu=REGISTRY),
    NavItem("Data DTSEN", "dtsen:snapshot_list", can_view_register, "/dtsen/", menu=REGISTRY),
    NavItem(
        "Verifikasi Lapangan DTSEN",
        "rechecks:worklist",
        can_view_rechecks,
        "/dtsen/verifikasi-lapangan/",
        menu=REGISTRY,
    ),
    NavItem("Permintaan Subjek Data", "privacy:request_list", can_view_requests, "/pelindungan-data/", menu=REGISTRY),
    NavItem("Usulan", "proposals:proposal_list", can_view_proposals, "/usulan/"),
    NavItem("Kerja Lapangan", "fieldwork:home", _field_first, "/lapangan/", menu=DISTRIBUTION),
    NavItem("Alokasi", "disbursements:allocation_list", can_view_allocations, "/alokasi/", menu=DISTRIBUTION),
    NavItem("Bimtek", "training:session_list", can_view_training, "/bimtek/", menu=DISTRIBUTION),
    NavItem("BAST", "disbursements:handover_list", can_view_handovers, "/bast/", menu=DISTRIBUTION),
    NavItem("Monev", "monitoring:worklist", can_view_visits, "/monev/", menu=DISTRIBUTION),
    NavItem("Graduasi", "monitoring:assessment_list", can_view_visits, "/monev/graduasi/", menu=DISTRIBUTION),
    NavItem(
        "Verifikasi Pasca-Penyaluran",
        "monitoring:sample_list",
        can_view_visits,
        "/monev/verifikasi/",
        menu=DISTRIBUTION,
    ),
    NavItem("Kerja Lapangan", "fieldwork:home", _field_in_menu, "/lapangan/", menu=DISTRIBUTION),
    NavItem("Barang & Paket", "disbursements:goods_list", can_view_catalogue, "/barang/", menu=DISTRIBUTION),
    NavItem("Pengaduan", "complaints:complaint_list", can_view_complaints, "/pengaduan/"),
    NavItem("Laporan", "reports:report_index", can_view_reports, "/laporan/"),
    NavItem("Wilayah", "regions:regency_list", lambda user: True, "/wilayah/"),
    NavItem("Tahun Anggaran", "programs:budgetyear_list", can_view_budget_years, "/anggaran/"),
    NavItem("Jejak Audit", "audit:event_list", can_view_audit_log, "/audit/"),
]


def navigation(request):
    """Context processor: `nav_items` as (label, url, active) for the logged-in user. The item whose
    prefix matches the path longest is active (/penduduk/duplikat/ is "Data Ganda", not "Penduduk")."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    items = [
        {
            "label": item.label,
            "url": cached_reverse(item.url_name),
            "prefix": item.prefix,
            "active": False,
            "menu": item.menu,
        }
        for item in NAV_ITEMS
        if item.visible(user)
    ]
    matching = [i for i in items if (i["prefix"] and request.path.startswith(i["prefix"])) or request.path == i["url"]]
    if matching:
        max(matching, key=lambda i: len(i["prefix"]))["active"] = True
    # The navbar: plain items, and each menu once (where its first item stands) with its items inside.
    menu: list[dict] = []
    for item in items:
        if not item["menu"]:
            menu.append(item)
            continue
        group = next((m for m in menu if m.get("children") is not None and m["label"] == item["menu"]), None)
        if group is None:
            group = {"label": item["menu"], "children": [], "active": False}
            menu.append(group)
        group["children"].append(item)
        group["active"] = group["active"] or item["active"]
    return {"nav_items": items, "nav_menu": menu}
