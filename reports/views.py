"""The leadership dashboard and the reports page with its workbooks (each in the user's scope, audited)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from audit.exports import audited_export, export_record
from beneficiaries.permissions import can_see_full_nik
from complaints.selectors import complaints_visible_to
from core.access import require
from core.csvfile import DELIMITERS
from core.excel import ReportWriter
from core.replica import reads_from_replica
from dtsen.selectors import register_exists
from jobs.shortcuts import start_job
from monitoring.selectors import assessments_visible_to, results_visible_to, visits_visible_to
from monitoring.selectors import outcomes as monitoring_outcomes
from programs.models import Program
from programs.selectors import budget_year_chosen
from proposals.models import ProposalItem
from reports import dashboard as dashboard_figures
from reports import exports, selectors
from reports.jobs import (
    EXCHANGES,
    bnba_items,
    bnba_writer,
    exchange_count,
    exchange_filename,
    exchange_writer,
    items_of,
    nik_mask,
    scope_filters,
)
from reports.permissions import can_view_dashboard, can_view_reports
from training.models import Attendance
from training.selectors import sessions_visible_to


def _budget_year(request):
    budget_year, years = budget_year_chosen(request.user, request.GET.get("tahun"))
    if budget_year is None and request.GET.get("tahun"):
        raise Http404
    return budget_year, years.values_list("year", flat=True)


@login_required
@reads_from_replica
def dashboard(request):
    require(can_view_dashboard(request.user))
    budget_year, years = _budget_year(request)
    context = {"budget_year": budget_year, "years": years, "stages": selectors.STAGE_LABELS}
    if budget_year and request.GET.get("perbarui"):
        # "Perbarui" recounts now, then shows the page at its plain address: reloading it does not count again.
        if not dashboard_figures.recount(request.user, budget_year):
            messages.info(request, "Angka sedang dihitung ulang. Muat ulang halaman ini sebentar lagi.")
        return redirect(f"{request.path}?{urlencode({'tahun': budget_year.year})}")
    if budget_year:
        # Counted at most once a minute per scope, in the background when a worker runs (the page says as of when).
        figures = dashboard_figures.figures(request.user, budget_year)
        context.update(
            figures,
            activity=selectors.recent_activity(user=request.user),
            figures_key=dashboard_figures.cache_key(request.user, budget_year),
            # the rendered figures are kept as long as the figures are, per copy (its as_of is in the key)
            figures_seconds=settings.DASHBOARD_CACHE_SECONDS,
        )
    return render(request, "reports/dashboard.html", context)


@login_required
def register_share(request):
    """The dashboard's DTSEN section, loaded after the page (reports.dashboard.register_share)."""
    require(can_view_dashboard(request.user))
    budget_year, _ = _budget_year(request)
    register = dashboard_figures.register_share(request.user, budget_year) if budget_year else {}
    return render(request, "reports/partials/register_share.html", {"register": register})


@login_required
def report_index(request):
    require(can_view_reports(request.user))
    budget_year, years = _budget_year(request)
    return render(request, "reports/report_index.html", {"budget_year": budget_year, "years": years})


def _items(request, budget_year):
    return items_of(request.user, budget_year)


def _scope_filters(request, budget_year, **more) -> list[tuple[str, str]]:
    return scope_filters(request.user, budget_year, **more)


def _respond(request, writer: ReportWriter, *, report: str, filename: str, budget_year, **details):
    """Audit the export (who took which data, UU 27/2022), then stream the workbook."""
    return audited_export(
        writer,
        user=request.user,
        action=f"report.{report}.export",
        obj=ProposalItem,
        filename=f"{filename}-{budget_year.year}",
        after={"budget_year": budget_year.year, **details},
    )


def _mask(request):
    return nik_mask(request.user)


def _full(request) -> bool:
    """Whether NIKs written inside the workbook's free text stay whole (core.excel.ReportWriter)."""
    return can_see_full_nik(request.user)


def _report_year(request):
    require(can_view_reports(request.user))
    budget_year, _ = _budget_year(request)
    if budget_year is None:
        raise Http404
    return budget_year


@login_required
@reads_from_replica
def recap_export(request):
    """Rekapitulasi per Kab/Kota: the dashboard's figures, the same numbers."""
    budget_year = _report_year(request)
    program = request.GET.get("program") if request.GET.get("program") in Program.values else None
    recap = selectors.recap(user=request.user, budget_year=budget_year)
    writer = ReportWriter(
        "Rekapitulasi per Kabupaten/Kota",
        exports.RECAP_COLUMNS,
        filters=_scope_filters(request, budget_year, Program=program),
        full_numbers=_full(request),
    )
    for row in exports.recap_rows(recap, program):
        writer.append(row)
    return _respond(request, writer, report="recap", filename="rekapitulasi", budget_year=budget_year)


@login_required
@reads_from_replica
def bnba_export(request, program):
    """BNBA (by name by address) of the approved recipients of one program; a large one is prepared in the
    background (reports.jobs.bnba_workbook, the same code), with a progress bar."""
    if program not in Program.values:
        raise Http404
    budget_year = _report_year(request)
    rows = bnba_items(request.user, budget_year, program).count()
    if rows > settings.BACKGROUND_EXPORT_ROWS:
        return start_job(
            request,
            title=f"BNBA {program} {budget_year.year} ({rows:,} baris)".replace(",", "."),
            function="reports.jobs.bnba_workbook",
            params={"year": budget_year.year, "program": program},
            back_url=reverse("reports:report_index") + f"?tahun={budget_year.year}",
            rows=rows,
        )
    writer, details = bnba_writer(request.user, budget_year, program)
    return _respond(request, writer, report="bnba", filename=f"bnba-{program.lower()}", budget_year=budget_year,
                    **details)  # fmt: skip


@login_required
@reads_from_replica
def exchange_export(request, kind):
    """By name by address for BPS/Kemensos (`penerima`), or the candidates DTSEN does not list (`belum-dtsen`): .xlsx,
    or CSV with `?format=csv` (`&pemisah=titik-koma` for an Indonesian Excel). A large one is prepared in the
    background (reports.jobs.exchange_file, the same code), with a progress bar."""
    if kind not in EXCHANGES:
        raise Http404
    budget_year = _report_year(request)
    if kind == "belum-dtsen" and not register_exists():
        messages.error(request, "Belum ada data DTSEN: impor berkas DTSEN terlebih dahulu (menu Data DTSEN).")
        return redirect(reverse("reports:report_index") + f"?tahun={budget_year.year}")
    delimiter = DELIMITERS.get(request.GET.get("pemisah"), ",") if request.GET.get("format") == "csv" else None
    rows = exchange_count(request.user, budget_year, kind)
    if rows > settings.BACKGROUND_EXPORT_ROWS:
        return start_job(
            request,
            title=f"{EXCHANGES[kind][0]} {budget_year.year} ({rows:,} baris)".replace(",", "."),
            function="reports.jobs.exchange_file",
            params={"year": budget_year.year, "kind": kind, "delimiter": delimiter},
            back_url=reverse("reports:report_index") + f"?tahun={budget_year.year}",
            rows=rows,
        )
    writer, details = exchange_writer(request.user, budget_year, kind, delimiter=delimiter)
    export_record(writer, user=request.user, action=EXCHANGES[kind][2], obj=ProposalItem,
                  after={"budget_year": budget_year.year, **details})  # fmt: skip
    return writer.response(exchange_filename(kind, budget_year.year, delimiter))


@login_required
@reads_from_replica
def verification_export(request):
    """Hasil verifikasi: every proposed item with its status, reason and check results."""
    budget_year = _report_year(request)
    mask = _mask(request)
    writer = ReportWriter(
        "Hasil Verifikasi dan Validasi",
        exports.VERIFICATION_COLUMNS,
        filters=_scope_filters(request, budget_year),
        full_numbers=_full(request),
    )
    for row in exports.verification_rows(_items(request, budget_year), mask=mask):
        writer.append(row)
    return _respond(request, writer, report="verification", filename="hasil-verifikasi", budget_year=budget_year)


@login_required
@reads_from_replica
def attendance_export(request):
    """Kehadiran Bimtek: every participant of the year's sessions with their attendance."""
    budget_year = _report_year(request)
    mask = _mask(request)
    attendances = Attendance.objects.filter(
        session__in=sessions_visible_to(request.user).filter(budget_year=budget_year)
    )
    writer = ReportWriter(
        "Kehadiran Bimtek",
        exports.ATTENDANCE_COLUMNS,
        filters=_scope_filters(request, budget_year),
        full_numbers=_full(request),
    )
    for row in exports.attendance_rows(attendances, mask=mask):
        writer.append(row)
    return _respond(request, writer, report="attendance", filename="kehadiran-bimtek", budget_year=budget_year)


@login_required
@reads_from_replica
def monitoring_recap_export(request):
    """Rekap monev per Kab/Kota: recipients, visits done / due / overdue, graduates (the dashboard's figures)."""
    budget_year = _report_year(request)
    writer = ReportWriter(
        "Rekapitulasi Monitoring dan Graduasi",
        exports.MONITORING_RECAP_COLUMNS,
        filters=_scope_filters(request, budget_year),
        full_numbers=_full(request),
    )
    for row in exports.monitoring_recap_rows(monitoring_outcomes(user=request.user, budget_year=budget_year)):
        writer.append(row)
    return _respond(request, writer, report="monitoring_recap", filename="rekap-monev", budget_year=budget_year)


@login_required
@reads_from_replica
def visit_register_export(request):
    """Register kunjungan monev: every valid visit of the year's recipients."""
    budget_year = _report_year(request)
    visits = visits_visible_to(request.user).valid().filter(budget_year=budget_year)
    writer = ReportWriter(
        "Register Kunjungan Monev",
        exports.VISIT_COLUMNS,
        filters=_scope_filters(request, budget_year),
        full_numbers=_full(request),
    )
    for row in exports.visit_rows(visits, mask=_mask(request)):
        writer.append(row)
    return _respond(
        request, writer, report="visits", filename="kunjungan-monev", budget_year=budget_year,
        full_nik=can_see_full_nik(request.user),
    )  # fmt: skip


@login_required
@reads_from_replica
def graduation_export(request):
    """Daftar penerima lulus (graduasi), BNBA style."""
    budget_year = _report_year(request)
    graduates = assessments_visible_to(request.user).filter(
        budget_year=budget_year, status="approved", decision="lulus"
    )
    writer = ReportWriter(
        "Daftar Penerima Lulus (Graduasi)",
        exports.GRADUATION_COLUMNS,
        filters=_scope_filters(request, budget_year),
        full_numbers=_full(request),
    )
    for row in exports.graduation_rows(graduates, mask=_mask(request)):
        writer.append(row)
    return _respond(
        request, writer, report="graduation", filename="graduasi", budget_year=budget_year,
        full_nik=can_see_full_nik(request.user),
    )  # fmt: skip


@login_required
@reads_from_replica
def post_verification_export(request):
    """Hasil verifikasi pasca-penyaluran: every sampled recipient and what was found."""
    budget_year = _report_year(request)
    results = results_visible_to(request.user).filter(sample__budget_year=budget_year)
    writer = ReportWriter(
        "Hasil Verifikasi Pasca-Penyaluran",
        exports.POST_VERIFICATION_COLUMNS,
        filters=_scope_filters(request, budget_year),
        full_numbers=_full(request),
    )
    for row in exports.post_verification_rows(results, mask=_mask(request)):
        writer.append(row)
    return _respond(
        request, writer, report="post_verification", filename="verifikasi-pasca-penyaluran", budget_year=budget_year
    )


@login_required
@reads_from_replica
def complaint_export(request):
    """Rekap pengaduan: every complaint of the year the user may see (sensitive ones only for those who may)."""

    budget_year = _report_year(request)
    complaints = complaints_visible_to(request.user).filter(year=budget_year.year)
    writer = ReportWriter(
        "Rekap Pengaduan",
        exports.COMPLAINT_COLUMNS,
        filters=_scope_filters(request, budget_year),
        full_numbers=_full(request),
    )
    for row in exports.complaint_rows(complaints, today=timezone.localdate()):
        writer.append(row)
    return _respond(request, writer, report="complaints", filename="pengaduan", budget_year=budget_year)
