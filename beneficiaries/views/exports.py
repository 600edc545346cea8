from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone

from audit.services import audit_record
from beneficiaries.exports import GROUP_COLUMNS, PERSON_COLUMNS, group_rows, person_rows
from beneficiaries.models import OFFICER_ROLES, KubeMember, Person
from beneficiaries.permissions import can_see_full_nik, can_view_registry
from beneficiaries.views.groups import group_filterset
from beneficiaries.views.people import person_filterset
from kubeprogram.access import require
from kubeprogram.excel import ReportWriter


@login_required
def person_export(request):
    """The filtered people list as xlsx (streamed). Whole NIKs only for roles that may see them; audited."""
    require(can_view_registry(request.user))
    filterset = person_filterset(request)
    writer = ReportWriter("Daftar Penduduk", PERSON_COLUMNS, filters=filterset.applied())
    full_nik = can_see_full_nik(request.user)
    for row in person_rows(filterset.qs, full_nik=full_nik):
        writer.append(row)
    with transaction.atomic():
        audit_record(
            actor=request.user,
            action="person.export",
            obj=Person,
            regency_id=request.user.regency_id if not request.user.is_provincial else None,
            after={"filters": dict(filterset.applied()), "rows": writer.rows, "full_nik": full_nik},
        )
    return writer.response(f"penduduk-{timezone.localdate():%Y%m%d}.xlsx")


@login_required
def group_export(request):
    require(can_view_registry(request.user))
    filterset = group_filterset(request)
    writer = ReportWriter("Daftar Kelompok Usaha Bersama (KUBE)", GROUP_COLUMNS, filters=filterset.applied())
    officers = Prefetch(
        "members",
        queryset=KubeMember.objects.filter(role__in=OFFICER_ROLES).select_related("person"),
        to_attr="officers",
    )
    groups = filterset.qs.prefetch_related(officers)
    for row in group_rows(groups):
        writer.append(row)
    return writer.response(f"kube-{timezone.localdate():%Y%m%d}.xlsx")
