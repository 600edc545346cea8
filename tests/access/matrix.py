"""The access matrix: every URL of the project, and what each role gets from it.

A URL pattern without a declaration here fails `test_every_url_is_declared`, so no page can be added
without saying who may open it. Roles: "anonymous" plus the five of accounts.roles.Role (by value).
"Own" and "other" regency: the operator under test belongs to Kota Samarinda (64.72); "other" objects
belong to Kota Balikpapan (64.71). Out-of-scope objects answer 404, never 403 (docs/architecture.md, "Roles and
scoping").
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.urls import URLPattern, URLResolver, get_resolver

from accounts.roles import Role

ANONYMOUS = "anonymous"
ALL_ROLES = frozenset(role.value for role in Role)
PROVINCIAL = frozenset({Role.ADMIN_PROVINSI, Role.VERIFIKATOR, Role.PIMPINAN, Role.AUDITOR})
OWN, OTHER = "own", "other"
LOGIN = "login"  # expected: a redirect to the login page


@dataclass(frozen=True)
class Access:
    """Who may open a URL.

    allowed: roles that get `ok`; every other logged-in role gets `denied`.
    kwargs: builds the URL kwargs from the test context and the scope (OWN/OTHER).
    scoped: the object belongs to a regency; an operator asking for another regency's gets 404.
    anonymous: what an anonymous visitor gets (LOGIN = redirect to the login page).
    """

    allowed: frozenset = ALL_ROLES
    ok: int = 200
    denied: int = 403
    method: str = "get"
    kwargs: Callable[[dict, str], dict] | None = None
    scoped: bool = False
    anonymous: int | str = LOGIN
    data: dict | Callable[[dict, str], dict] = field(default_factory=dict)

    def expected(self, role: str, scope: str | None) -> int | str:
        if role == ANONYMOUS:
            return self.anonymous
        # Another regency's object is "not found" for an operator, whatever they may do with their own.
        if self.scoped and role == Role.OPERATOR and scope == OTHER:
            return 404
        if role not in self.allowed:
            return self.denied
        return self.ok


def _user(ctx, scope):
    return {"pk": ctx["account"].pk}


def _regency_code(ctx, scope):
    return {"code": ctx["regency"][scope].code}


def _year(ctx, scope):
    return {"year": ctx["budget_year"].year}


def _year_query(ctx, scope):
    return {"tahun": ctx["budget_year"].year}


def _flagged(ctx, scope):
    return {"regency": ctx["regency"][scope].code, "person": ctx["flagged"][scope].pk}


def _report(ctx, scope):
    return {"pk": ctx["destruction_report"].pk}


def _breach(ctx, scope):
    return {"pk": ctx["breach"].pk}


def _subject_request(ctx, scope):
    return {"pk": ctx["subject_request"][scope].pk}


def _person(ctx, scope):
    return {"pk": ctx["person"][scope].pk}


def _group(ctx, scope):
    return {"pk": ctx["group"][scope].pk}


def _member(ctx, scope):
    member = ctx["member"][scope]
    return {"pk": member.group_id, "member_pk": member.pk}


def _snapshot(ctx, scope):
    return {"pk": ctx["snapshot"][scope].pk}


def _proposal(ctx, scope):
    return {"pk": ctx["proposal"][scope].pk}


def _proposal_item(ctx, scope):
    item = ctx["item"][scope]
    return {"pk": item.proposal_id, "item_pk": item.pk}


def _proposal_document(ctx, scope):
    return {"pk": ctx["proposal"][scope].pk, "kind": "surat-pengantar"}


def _upload(ctx, scope):
    upload = ctx["upload"][scope]
    return {"pk": upload.proposal_id, "upload_pk": upload.pk}


def _allocation(ctx, scope):
    return {"pk": ctx["allocation"][scope].pk}


def _goods(ctx, scope):
    return {"pk": ctx["goods"].pk}


def _package(ctx, scope):
    return {"pk": ctx["package"].pk}


def _session(ctx, scope):
    return {"pk": ctx["session"][scope].pk}


def _attendance(ctx, scope):
    attendance = ctx["attendance"][scope]
    return {"pk": attendance.session_id, "attendance_pk": attendance.pk}


def _handover(ctx, scope):
    return {"pk": ctx["handover"][scope].pk}


def _handover_ids(ctx, scope):
    return {"id": [ctx["handover"][scope].pk]}


def _handover_for_visit(ctx, scope):
    return {"handover_pk": ctx["handover"][scope].pk}


def _visit(ctx, scope):
    return {"pk": ctx["visit"][scope].pk}


def _assessment(ctx, scope):
    return {"pk": ctx["assessment"][scope].pk}


def _visit_photo(ctx, scope):
    return {"pk": ctx["visit_photo"][scope].pk}


def _handover_photo(ctx, scope):
    return {"pk": ctx["handover"][scope].pk, "kind": "foto"}


def _open_data(ctx, scope):
    return {"budget_year": ctx["budget_year"].pk, "program": "KUBE", "regency": ctx["regency"]["own"].pk}


REGISTRY_EDITORS = frozenset({Role.ADMIN_PROVINSI, Role.OPERATOR})
PRIVACY_READERS = frozenset({Role.ADMIN_PROVINSI, Role.OPERATOR, Role.AUDITOR})
BREACH_READERS = frozenset({Role.ADMIN_PROVINSI, Role.AUDITOR})
PROPOSAL_EDITORS = REGISTRY_EDITORS
NOBODY = frozenset()
FULL_NIK = frozenset({Role.ADMIN_PROVINSI, Role.VERIFIKATOR, Role.OPERATOR})
DUPLICATE_REVIEWERS = frozenset({Role.ADMIN_PROVINSI, Role.VERIFIKATOR})
ADMIN = frozenset({Role.ADMIN_PROVINSI})
FIELD_STAFF = frozenset({Role.ADMIN_PROVINSI, Role.VERIFIKATOR})  # run Bimtek and handovers
VISITORS = FIELD_STAFF | {Role.OPERATOR}  # record monitoring visits (an operator: of their own regency)


ACCESS: dict[str, Access] = {
    "home": Access(),
    "healthz": Access(anonymous=200),
    # The browser's Content-Security-Policy reports: anyone may post one (nothing is stored, a line is logged).
    "csp_report": Access(method="post", ok=204, anonymous=204, data={"csp-report": {}}),
    # The installable web app: its manifest and service worker are public files (they hold no data).
    "manifest": Access(anonymous=200),
    "service_worker": Access(anonymous=200),
    # A background job is its requester's alone: for anyone else (every role here) it does not exist.
    "jobs:job_list": Access(),  # each user's own jobs only
    **{
        f"jobs:{name}": Access(kwargs=lambda ctx, scope: {"pk": ctx["job"][OWN].pk}, ok=404)
        for name in ("job_detail", "job_status", "job_download")
    },
    "jobs:job_retry": Access(kwargs=lambda ctx, scope: {"pk": ctx["job"][OWN].pk}, ok=404, method="post"),
    "fieldwork:home": Access(),
    "fieldwork:session": Access(kwargs=_session, scoped=True),
    "fieldwork:handover": Access(kwargs=_handover, scoped=True),
    "fieldwork:sync": Access(anonymous=401),  # GET: a fresh CSRF token; the phone is told to sign in again
    "fieldwork:offline": Access(anonymous=200),
    # Logged-in users are sent on from the login page; anonymous visitors see it.
    "accounts:login": Access(ok=302, anonymous=200),
    "accounts:logout": Access(method="post", ok=302, anonymous=302),
    "accounts:password_change": Access(),
    "accounts:password_change_done": Access(),
    "accounts:user_list": Access(allowed=ADMIN),
    "accounts:user_create": Access(allowed=ADMIN),
    "accounts:user_update": Access(allowed=ADMIN, kwargs=_user),
    "accounts:user_set_active": Access(allowed=ADMIN, kwargs=_user, method="post", ok=302, data={"aktif": "1"}),
    "accounts:user_reset_password": Access(allowed=ADMIN, kwargs=_user, method="post"),
    "accounts:user_unlock": Access(allowed=ADMIN, kwargs=_user, method="post", ok=302),
    "accounts:user_end_sessions": Access(allowed=ADMIN, kwargs=_user, method="post", ok=302),
    "regions:regency_list": Access(),
    "regions:regency_detail": Access(kwargs=_regency_code, scoped=True),
    "programs:budgetyear_list": Access(),
    "programs:budgetyear_detail": Access(kwargs=_year),
    "programs:budgetyear_create": Access(allowed=frozenset({Role.ADMIN_PROVINSI})),
    "programs:budgetyear_update": Access(allowed=frozenset({Role.ADMIN_PROVINSI}), kwargs=_year),
    "audit:event_list": Access(allowed=frozenset({Role.ADMIN_PROVINSI, Role.AUDITOR})),
    "regions:district_options": Access(),
    "regions:village_options": Access(),
    # Registry: everyone reads (scoped), Admin Provinsi and Operator Kab/Kota write.
    "beneficiaries:person_list": Access(),
    "beneficiaries:person_search": Access(),
    "beneficiaries:person_export": Access(),
    "beneficiaries:person_detail": Access(kwargs=_person, scoped=True),
    "beneficiaries:person_create": Access(allowed=REGISTRY_EDITORS),
    "beneficiaries:person_update": Access(allowed=REGISTRY_EDITORS, kwargs=_person, scoped=True),
    "beneficiaries:person_reveal_nik": Access(allowed=FULL_NIK, kwargs=_person, scoped=True, method="post"),
    # Synthetic people (training/test servers): Admin Provinsi only; absent (404) for everyone else.
    "beneficiaries:synthetic_create": Access(allowed=ADMIN, denied=404),
    "beneficiaries:duplicate_list": Access(allowed=DUPLICATE_REVIEWERS),
    "dtsen:snapshot_list": Access(),
    "dtsen:snapshot_detail": Access(kwargs=_snapshot, scoped=True),
    "dtsen:snapshot_import": Access(allowed=REGISTRY_EDITORS),
    # The re-check worklist: everyone reads (scoped); the regency's officer and Admin Provinsi record.
    "rechecks:worklist": Access(),
    "rechecks:record": Access(allowed=REGISTRY_EDITORS, kwargs=_flagged, scoped=True),
    "beneficiaries:duplicate_scan": Access(allowed=DUPLICATE_REVIEWERS, method="post", ok=302),
    # Without a valid pair the POST is refused; the merge/dismiss themselves are tested in tests/beneficiaries.
    "beneficiaries:duplicate_dismiss": Access(allowed=DUPLICATE_REVIEWERS, method="post", ok=403),
    "beneficiaries:duplicate_merge": Access(allowed=DUPLICATE_REVIEWERS, method="post", ok=403),
    "beneficiaries:group_list": Access(),
    "beneficiaries:group_export": Access(),
    "beneficiaries:group_detail": Access(kwargs=_group, scoped=True),
    "beneficiaries:group_create": Access(allowed=REGISTRY_EDITORS),
    "beneficiaries:group_update": Access(allowed=REGISTRY_EDITORS, kwargs=_group, scoped=True),
    # An empty POST: the group page comes back (302) with the reason; another regency's group is 404.
    "beneficiaries:member_add": Access(allowed=REGISTRY_EDITORS, kwargs=_group, scoped=True, method="post", ok=302),
    "beneficiaries:member_role": Access(
        allowed=REGISTRY_EDITORS, kwargs=_member, scoped=True, method="post", ok=302, data={"role": "anggota"}
    ),
    "beneficiaries:member_remove": Access(allowed=REGISTRY_EDITORS, kwargs=_member, scoped=True, method="post", ok=302),
    # Proposals: everyone reads (scoped); the regency (and Admin Provinsi) builds a draft; the province
    # verifies a submitted one. The declarations below are for a draft proposal: deciding it is refused.
    "proposals:proposal_list": Access(),
    "proposals:proposal_open": Access(allowed=PROPOSAL_EDITORS, method="post", ok=302, data=_open_data),
    "proposals:proposal_detail": Access(kwargs=_proposal, scoped=True),
    "proposals:add_from_registry": Access(allowed=PROPOSAL_EDITORS, kwargs=_proposal, scoped=True),
    "proposals:proposal_submit": Access(allowed=PROPOSAL_EDITORS, kwargs=_proposal, scoped=True, method="post", ok=302),
    "proposals:items_decide": Access(allowed=NOBODY, kwargs=_proposal, scoped=True, method="post"),
    "proposals:proposal_finish": Access(allowed=NOBODY, kwargs=_proposal, scoped=True, method="post"),
    "proposals:proposal_recheck": Access(
        allowed=PROPOSAL_EDITORS, kwargs=_proposal, scoped=True, method="post", ok=302
    ),
    "proposals:item_remove": Access(
        allowed=PROPOSAL_EDITORS, kwargs=_proposal_item, scoped=True, method="post", ok=302
    ),
    "proposals:document_upload": Access(
        allowed=PROPOSAL_EDITORS, kwargs=_proposal_document, scoped=True, method="post", ok=302
    ),
    "proposals:document_download": Access(kwargs=_proposal_document, scoped=True),
    "proposals:template_download": Access(kwargs=_proposal, scoped=True),
    "proposals:upload_create": Access(allowed=PROPOSAL_EDITORS, kwargs=_proposal, scoped=True, method="post", ok=302),
    "proposals:upload_detail": Access(kwargs=_upload, scoped=True),
    "proposals:upload_commit": Access(allowed=PROPOSAL_EDITORS, kwargs=_upload, scoped=True, method="post", ok=302),
    # The stored workbook holds whole NIKs: never for Pimpinan or Auditor (UU 27/2022).
    "proposals:upload_errors": Access(allowed=FULL_NIK, kwargs=_upload, scoped=True),
    # Budget: every role sees the year's ceilings (an operator only their regency's rows); Admin sets them.
    "disbursements:budget_overview": Access(kwargs=_year),
    "disbursements:ceiling_edit": Access(allowed=ADMIN, kwargs=_year),
    "disbursements:absorption_export": Access(kwargs=_year),
    "disbursements:goods_list": Access(),
    "disbursements:goods_create": Access(allowed=ADMIN),
    "disbursements:goods_update": Access(allowed=ADMIN, kwargs=_goods),
    "disbursements:package_list": Access(),
    "disbursements:package_create": Access(allowed=ADMIN),
    "disbursements:package_update": Access(allowed=ADMIN, kwargs=_package),
    "disbursements:allocation_list": Access(),
    "disbursements:allocation_export": Access(),
    "disbursements:allocation_new": Access(allowed=ADMIN),
    "disbursements:allocation_detail": Access(kwargs=_allocation, scoped=True),
    "disbursements:allocation_void": Access(allowed=ADMIN, kwargs=_allocation, scoped=True),
    "disbursements:handover_create": Access(allowed=FIELD_STAFF, kwargs=_allocation, scoped=True),
    "disbursements:handover_list": Access(),
    "disbursements:handover_export": Access(),
    "disbursements:handover_detail": Access(kwargs=_handover, scoped=True),
    "disbursements:handover_print": Access(kwargs=_handover, scoped=True),
    # Several BASTs at once, by ?id=: another regency's are simply not found (404 when none is left).
    "disbursements:handover_print_many": Access(kwargs=None, data=_handover_ids, scoped=True),
    "disbursements:handover_batch": Access(allowed=FIELD_STAFF, kwargs=_session, scoped=True),
    "disbursements:handover_attach": Access(
        allowed=VISITORS, kwargs=_handover_photo, scoped=True, method="post", ok=302
    ),
    "disbursements:handover_file": Access(kwargs=_handover_photo, scoped=True),
    "disbursements:handover_void": Access(allowed=FIELD_STAFF, kwargs=_handover, scoped=True),
    "complaints:complaint_list": Access(),
    "notifications:notification_list": Access(),
    "notifications:unread_count": Access(),
    "notifications:mark_all_read": Access(method="post", ok=302),
    "complaints:public_submit": Access(anonymous=200),  # anyone, no login
    "complaints:public_status": Access(anonymous=200),
    "complaints:public_thanks": Access(anonymous=200),  # the receipt of what this browser sent, or a plain thanks
    "complaints:complaint_create": Access(allowed=VISITORS),
    "complaints:complaint_detail": Access(kwargs=lambda ctx, scope: {"pk": ctx["complaint"][scope].pk}, scoped=True),
    "complaints:complaint_attach": Access(
        allowed=VISITORS,
        kwargs=lambda ctx, scope: {"pk": ctx["complaint"][scope].pk},
        scoped=True,
        method="post",
        ok=302,
    ),  # fmt: skip
    "complaints:complaint_link": Access(
        allowed=VISITORS,
        kwargs=lambda ctx, scope: {"pk": ctx["complaint"][scope].pk},
        scoped=True,
        method="post",
        ok=302,
    ),  # fmt: skip
    "complaints:attachment_file": Access(
        kwargs=lambda ctx, scope: {"pk": ctx["complaint_attachment"][scope].pk}, scoped=True
    ),
    "monitoring:worklist": Access(),
    "monitoring:visit_create": Access(allowed=VISITORS, kwargs=_handover_for_visit, scoped=True),
    "monitoring:visit_detail": Access(kwargs=_visit, scoped=True),
    "monitoring:worklist_export": Access(allowed=VISITORS, data=_year_query),
    "monitoring:worklist_upload": Access(allowed=VISITORS, method="post", data=_year_query),
    "monitoring:worklist_marked": Access(allowed=VISITORS, ok=404),  # nothing uploaded in this session
    "monitoring:visit_update": Access(allowed=VISITORS, kwargs=_visit, scoped=True),
    "monitoring:visit_void": Access(
        allowed=VISITORS, kwargs=_visit, scoped=True, method="post", ok=302, data={"reason": "Salah catat"}
    ),
    "monitoring:visit_photo": Access(kwargs=_visit_photo, scoped=True),
    "monitoring:sample_list": Access(),
    "monitoring:sample_detail": Access(kwargs=lambda ctx, scope: {"pk": ctx["sample"][scope].pk}, scoped=True),
    "monitoring:sample_supplement": Access(
        allowed=FIELD_STAFF,
        kwargs=lambda ctx, scope: {"pk": ctx["sample"][scope].pk},
        scoped=True,
        method="post",
        ok=302,
        data={"method": "semua"},
    ),  # fmt: skip
    "monitoring:result_record": Access(
        allowed=FIELD_STAFF, kwargs=lambda ctx, scope: {"pk": ctx["result"][scope].pk}, scoped=True
    ),
    "monitoring:result_photo": Access(kwargs=lambda ctx, scope: {"pk": ctx["result_photo"][scope].pk}, scoped=True),
    "monitoring:assessment_list": Access(),
    "monitoring:assessment_create": Access(allowed=VISITORS, kwargs=_handover_for_visit, scoped=True),
    "monitoring:assessment_detail": Access(kwargs=_assessment, scoped=True),
    "monitoring:criteria_edit": Access(
        allowed=ADMIN, kwargs=lambda ctx, scope: {"year": ctx["budget_year"].year, "program": "WRSE"}
    ),
    "reports:dashboard": Access(),
    # Data subjects' requests: the officer records (her regency), the Petugas Pelindungan Data answers, the Auditor
    # reads.
    "privacy:request_list": Access(allowed=PRIVACY_READERS),
    "privacy:processing_record": Access(),
    "quality:scorecard": Access(),
    "quality:export": Access(data=_year_query),
    "quality:panel": Access(),
    "quality:regency": Access(kwargs=_regency_code, scoped=True),
    "quality:thresholds": Access(allowed=frozenset({Role.ADMIN_PROVINSI}), kwargs=_year),
    "privacy:breach_list": Access(allowed=BREACH_READERS),
    "privacy:retention": Access(allowed=BREACH_READERS),
    "privacy:destruction_report": Access(allowed=BREACH_READERS, kwargs=_report),
    "privacy:destruction_approve": Access(allowed=ADMIN, kwargs=_report, method="post", ok=302),
    "privacy:breach_detail": Access(allowed=BREACH_READERS, kwargs=_breach),
    "privacy:breach_notice": Access(
        allowed=BREACH_READERS, kwargs=lambda ctx, scope: {**_breach(ctx, scope), "whom": "lembaga"}
    ),
    "privacy:breach_notified": Access(
        allowed=ADMIN, kwargs=lambda ctx, scope: {**_breach(ctx, scope), "whom": "lembaga"}, method="post", ok=302
    ),
    "privacy:request_create": Access(allowed=REGISTRY_EDITORS),
    "privacy:request_detail": Access(allowed=PRIVACY_READERS, kwargs=_subject_request, scoped=True),
    "privacy:request_file": Access(allowed=ADMIN, kwargs=_subject_request, scoped=True),
    "privacy:request_answer": Access(allowed=ADMIN, kwargs=_subject_request, scoped=True, method="post"),
    "privacy:person_restrict": Access(allowed=ADMIN, kwargs=_subject_request, scoped=True, method="post", ok=302),
    "privacy:person_erase": Access(allowed=ADMIN, kwargs=_subject_request, scoped=True, method="post", ok=302),
    "reports:register_share": Access(data=_year_query),
    "reports:report_index": Access(),
    "reports:recap_export": Access(data=_year_query),
    "reports:bnba_export": Access(kwargs=lambda ctx, scope: {"program": "WRSE"}, data=_year_query),
    "reports:exchange_export": Access(kwargs=lambda ctx, scope: {"kind": "penerima"}, data=_year_query),
    "reports:verification_export": Access(data=_year_query),
    "reports:attendance_export": Access(data=_year_query),
    "reports:monitoring_recap_export": Access(data=_year_query),
    "reports:visit_register_export": Access(data=_year_query),
    "reports:graduation_export": Access(data=_year_query),
    "reports:complaint_export": Access(data=_year_query),
    "reports:post_verification_export": Access(data=_year_query),
    "training:session_list": Access(),
    "training:rates_export": Access(),
    "training:session_create": Access(allowed=FIELD_STAFF),
    "training:session_detail": Access(kwargs=_session, scoped=True),
    "training:session_update": Access(allowed=FIELD_STAFF, kwargs=_session, scoped=True),
    "training:session_invite": Access(allowed=FIELD_STAFF, kwargs=_session, scoped=True, method="post", ok=302),
    "training:attendance_mark": Access(
        allowed=VISITORS, kwargs=_attendance, scoped=True, method="post", ok=302, data={"status": "present"}
    ),
    "training:attendance_sheet": Access(kwargs=_session, scoped=True),
    "training:attendance_export": Access(kwargs=_session, scoped=True),
    "training:attendance_upload": Access(allowed=FIELD_STAFF, kwargs=_session, scoped=True, method="post", ok=302),
}

# Whole namespaces declared at once: Django's admin site is for staff (the Admin Provinsi) only;
# everyone else is sent to the admin's own login page. Checked on its index page.
NAMESPACES: dict[str, tuple[str, Access]] = {
    "admin": ("admin:index", Access(allowed=frozenset({Role.ADMIN_PROVINSI}), denied=302, anonymous=302)),
}


def url_names(urlconf=None) -> list[str]:
    """Every URL pattern of the project as 'namespace:name' ('' for an unnamed pattern)."""
    found: list[str] = []

    def walk(patterns, prefix):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                namespace = f"{prefix}{pattern.namespace}:" if pattern.namespace else prefix
                walk(pattern.url_patterns, namespace)
            elif isinstance(pattern, URLPattern):
                found.append(f"{prefix}{pattern.name or ''}")

    walk(get_resolver(urlconf).url_patterns, "")
    return found


def undeclared_url_names(urlconf=None) -> list[str]:
    """URL patterns that neither ACCESS nor NAMESPACES declares (an unnamed one shows as '' or 'ns:')."""

    def declared(name: str) -> bool:
        return name in ACCESS or (":" in name and name.split(":", 1)[0] in NAMESPACES)

    return [name for name in url_names(urlconf) if not declared(name)]
