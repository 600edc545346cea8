from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch

from audit.exports import audited_export
from beneficiaries.exports import GROUP_COLUMNS, PERSON_COLUMNS, group_rows, person_rows
from beneficiaries.models import OFFICER_ROLES, KubeGroup, KubeMember, Person
from beneficiaries.permissions import can_see_full_nik, can_view_registry
from beneficiaries.views.groups import group_filterset
from beneficiaries.views.people import person_filterset
from core.access import require
from core.excel import ReportWriter
from core.replica import reads_from_replica


@login_required
@reads_from_replica
def person_export(request):
    """The filtered people list as xlsx (streamed). Whole NIKs only for roles that may see them; audited."""
    require(can_view_registry(request.user))
    filterset = person_filterset(request)
    writer = ReportWriter("Daftar Penduduk", PERSON_COLUMNS, filters=filterset.applied())
    full_nik = can_see_full_nik(request.user)
    return audited_export(
        writer,
        person_rows(filterset.qs, full_nik=full_nik),
        user=request.user,
        action="person.export",
        obj=Person,
        filename="penduduk",
        after={"filters": dict(filterset.applied()), "full_nik": full_nik},
    )


@login_required
@reads_from_replica
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
    return audited_export(
        writer,
        group_rows(groups),
        user=request.user,
        action="kube_group.export",
        obj=KubeGroup,
        filename="kube",
        after={"filters": dict(filterset.applied())},
    )
