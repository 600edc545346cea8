from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.urls import reverse

from audit.exports import audited_export
from beneficiaries.exports import GROUP_COLUMNS, group_rows, person_writer
from beneficiaries.models import OFFICER_ROLES, KubeGroup, KubeMember, Person
from beneficiaries.permissions import can_see_full_nik, can_view_registry
from beneficiaries.views.groups import group_filterset
from beneficiaries.views.people import person_filterset
from core.access import require
from core.excel import ReportWriter
from core.replica import reads_from_replica
from jobs.shortcuts import start_job


@login_required
@reads_from_replica
def person_export(request):
    """The filtered people list as xlsx (streamed). Whole NIKs only for roles that may see them; audited. A large
    one (the registry is a million people) is prepared in the background, with a progress bar: the same code,
    beneficiaries.jobs.person_workbook."""
    require(can_view_registry(request.user))
    filterset = person_filterset(request)
    rows = filterset.qs.count()
    if rows > settings.BACKGROUND_EXPORT_ROWS:
        query = request.GET.urlencode()
        return start_job(
            request,
            title=f"Daftar penduduk ({rows:,} baris)".replace(",", "."),
            function="beneficiaries.jobs.person_workbook",
            params={"query": query},
            back_url=reverse("beneficiaries:person_list") + (f"?{query}" if query else ""),
            rows=rows,
        )
    writer, rows, after = person_writer(request.user, filterset)
    return audited_export(writer, rows, user=request.user, action="person.export", obj=Person, filename="penduduk",
                          after=after)  # fmt: skip


@login_required
@reads_from_replica
def group_export(request):
    require(can_view_registry(request.user))
    filterset = group_filterset(request)
    writer = ReportWriter(
        "Daftar Kelompok Usaha Bersama (KUBE)",
        GROUP_COLUMNS,
        filters=filterset.applied(),
        full_numbers=can_see_full_nik(request.user),
    )
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
