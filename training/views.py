"""Bimtek pages: sessions with attendance rates, a session's participants with a tick-to-save checklist
(htmx), invitations, the printable attendance sheet (daftar hadir), its xlsx and the filled-in import."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render

from audit.exports import audited_export
from beneficiaries.identity import mask_nik, name_and_nik
from beneficiaries.permissions import can_see_full_nik
from core.access import require
from core.excel import Column, ReportWriter
from core.forms import add_service_errors
from core.replica import reads_from_replica
from programs.selectors import budget_year_chosen
from proposals.workbook.reader import WorkbookRefused
from training import selectors, services
from training.forms import AttendanceUploadForm, SessionForm
from training.imports import read_attendance
from training.models import TOPICS, AttendanceStatus, TrainingSession
from training.permissions import can_mark_attendance, can_run_training, can_view_training


def _session(request, pk) -> TrainingSession:
    require(can_view_training(request.user))
    return get_object_or_404(
        selectors.sessions_visible_to(request.user).select_related("regency", "budget_year"), pk=pk
    )


@login_required
def session_list(request):
    require(can_view_training(request.user))
    budget_year, years = budget_year_chosen(request.user, request.GET.get("tahun"))
    sessions = selectors.sessions_visible_to(request.user)
    if budget_year:
        sessions = sessions.filter(budget_year=budget_year)
    rows = list(selectors.with_attendance_counts(sessions))
    for row in rows:
        row.rate = selectors.attendance_rate(row.present, row.invited)
    return render(
        request,
        "training/session_list.html",
        {
            "sessions": rows,
            "per_regency": selectors.rates_per_regency(sessions),
            "budget_year": budget_year,
            "years": years.values_list("year", flat=True),
            "can_run": can_run_training(request.user),
        },
    )


@login_required
def session_form(request, pk=None):
    session = _session(request, pk) if pk else None
    require(can_run_training(request.user))
    form = SessionForm(request.POST or None, instance=session)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.session_save(session=session, data=form.cleaned_data, actor=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Sesi Bimtek disimpan.")
            return redirect(saved)
    return render(request, "training/session_form.html", {"form": form, "session": session, "topics": TOPICS})


@login_required
def session_detail(request, pk):
    session = _session(request, pk)
    participants = list(selectors.participants(session))
    present = sum(1 for p in participants if p.status == AttendanceStatus.PRESENT)
    can_run = can_run_training(request.user)
    return render(
        request,
        "training/session_detail.html",
        {
            "session": session,
            "participants": participants,
            "present": present,
            "rate": selectors.attendance_rate(present, len(participants)),
            "statuses": AttendanceStatus.choices,
            "can_run": can_run,
            "can_mark": can_mark_attendance(request.user),
            "invitable": list(selectors.invitable_items(session)[:500]) if can_run else [],
            "upload_form": AttendanceUploadForm(),
        },
    )


@login_required
def session_invite(request, pk):
    session = _session(request, pk)
    require(can_run_training(request.user) and request.method == "POST")
    if request.POST.get("semua"):
        ids = list(selectors.invitable_items(session).values_list("pk", flat=True))
    else:
        ids = [int(pk) for pk in request.POST.getlist("items") if pk.isdigit()]
    if not ids:
        messages.warning(request, "Tidak ada penerima yang dipilih.")
        return redirect(session)
    try:
        created = services.participants_invite(session=session, item_ids=ids, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"{len(created)} peserta diundang.")
    return redirect(session)


def _counter(session) -> dict:
    counts = session.attendances.aggregate(
        invited=Count("id"), present=Count("id", filter=Q(status=AttendanceStatus.PRESENT))
    )
    return {**counts, "rate": selectors.attendance_rate(counts["present"], counts["invited"])}


@login_required
def attendance_mark(request, pk, attendance_pk):
    """One tick of the checklist: saves at once and answers the row (htmx) or goes back to the page."""
    session = _session(request, pk)
    require(can_mark_attendance(request.user) and request.method == "POST")
    attendance = get_object_or_404(
        session.attendances.select_related("person__village", "item__group"), pk=attendance_pk
    )
    error = None
    try:
        attendance = services.attendance_mark(
            attendance=attendance, status=request.POST.get("status", ""), actor=request.user
        )
    except ValidationError as failure:
        error = " ".join(failure.messages)
    if request.htmx:
        attendance = selectors.participants(session).get(pk=attendance.pk)
        return render(
            request,
            "training/partials/participant_row.html",
            {
                "p": attendance,
                "session": session,
                "statuses": AttendanceStatus.choices,
                "can_mark": True,
                "error": error,
                "counter": _counter(session),
            },
        )
    if error:
        messages.error(request, error)
    return redirect(session)


@login_required
def attendance_sheet(request, pk):
    """The printable A4 daftar hadir: a signature column for each day of the session, and the closing block."""
    session = _session(request, pk)
    return render(
        request,
        "training/attendance_sheet.html",
        {"session": session, "participants": selectors.participants(session), "days": session.days},
    )


ATTENDANCE_COLUMNS = [
    Column("No", 5, "number"),
    Column("NIK", 19, "identity"),
    Column("Nama", 30),
    Column("KUBE", 22),
    Column("Desa/Kelurahan", 20),
    Column("Kehadiran", 12),
]


@login_required
def attendance_export(request, pk):
    """The session's attendance as xlsx; also the sheet to fill in and upload back (Kehadiran column)."""
    session = _session(request, pk)
    full_nik = can_see_full_nik(request.user)
    writer = ReportWriter(
        "Daftar Hadir Bimtek",
        ATTENDANCE_COLUMNS,
        filters=[("Sesi", str(session)), ("Tempat", session.venue)],
        full_numbers=full_nik,
    )
    for n, p in enumerate(selectors.participants(session), start=1):
        name, nik = name_and_nik(p.person, (lambda nik: nik) if full_nik else mask_nik)
        group = p.item.group.name if p.item.group_id else ""
        writer.append([n, nik, name, group, str(p.person.village), p.get_status_display()])
    return audited_export(
        writer,
        user=request.user,
        action="attendance.export",
        obj=session,
        filename=f"daftar-hadir-bimtek-{session.pk}",
        after={"full_nik": full_nik},
        regency_id=session.regency_id,
    )


@login_required
def attendance_upload(request, pk):
    """Import the filled-in sheet: every row checked first, then all statuses at once (or none)."""
    session = _session(request, pk)
    require(can_run_training(request.user) and request.method == "POST")
    form = AttendanceUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "Pilih berkas daftar hadir (.xlsx).")
        return redirect(session)
    participants = {a.person.nik: a.pk for a in session.attendances.select_related("person")}
    try:
        statuses, problems = read_attendance(form.cleaned_data["workbook"].read(), participants)
    except WorkbookRefused as refused:
        messages.error(request, str(refused))
        return redirect(session)
    if problems:
        for problem in problems[:20]:
            messages.error(request, f"Baris {problem['row']}, kolom {problem['column']}: {problem['message']}")
        messages.error(request, f"{len(problems)} kesalahan; tidak ada yang disimpan. Perbaiki lalu unggah lagi.")
        return redirect(session)
    changed = services.attendance_apply(session=session, statuses=statuses, actor=request.user)
    messages.success(request, f"Daftar hadir diunggah: {changed} kehadiran tercatat atau diubah.")
    return redirect(session)


RATE_COLUMNS = [
    Column("Kabupaten/Kota", 24),
    Column("Program", 8),
    Column("Materi", 30),
    Column("Tanggal", 12, "date"),
    Column("Tempat", 26),
    Column("Peserta", 9, "number"),
    Column("Hadir", 8, "number"),
    Column("Izin", 8, "number"),
    Column("Tidak Hadir", 9, "number"),
    Column("% Kehadiran", 11, "number"),
]


@login_required
@reads_from_replica
def rates_export(request):
    """Attendance per session and per regency of a budget year (in the user's scope) as xlsx."""
    require(can_view_training(request.user))
    budget_year, _ = budget_year_chosen(request.user, request.GET.get("tahun"))
    sessions = selectors.sessions_visible_to(request.user)
    if budget_year:
        sessions = sessions.filter(budget_year=budget_year)
    writer = ReportWriter(
        "Kehadiran Bimtek per Sesi dan per Kabupaten/Kota",
        RATE_COLUMNS,
        filters=[("Tahun Anggaran", str(budget_year.year))] if budget_year else [],
    )
    for s in selectors.with_attendance_counts(sessions).order_by("regency", "start_date", "id"):
        rate = selectors.attendance_rate(s.present, s.invited)
        writer.append([str(s.regency), s.program, s.topic, s.start_date, s.venue, s.invited, s.present, s.excused,
                       s.absent, rate])  # fmt: skip
    for row in selectors.rates_per_regency(sessions):
        name = f"{row['regency__kind'].title()} {row['regency__name']}"
        writer.total([f"JUMLAH {name}", "", f"{row['sessions']} sesi", None, "", row["invited"], row["present"],
                      None, None, row["rate"]])  # fmt: skip
    return audited_export(
        writer,
        user=request.user,
        action="attendance.export_rates",
        obj=TrainingSession,
        filename="kehadiran-bimtek",
        after={"budget_year": budget_year.year if budget_year else None},
    )
