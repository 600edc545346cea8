"""The monitoring pages of visits: the worklist, recording, editing and voiding a visit, its photos."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from core.access import require
from core.files import upload_response
from core.forms import add_service_errors
from core.offline import taken_along
from disbursements.models import Handover
from monitoring import schedule, selectors, services
from monitoring.forms import (
    VisitForm,
    VoidForm,
)
from monitoring.models import Visit, VisitPhoto
from monitoring.permissions import (
    can_record_visits,
    can_view_visits,
)
from programs.models import Program
from programs.selectors import budget_year_chosen
from regions.selectors import regencies_visible_to

STATE_FILTERS = {
    "": ("Perlu dikunjungi", selectors.OPEN_STATES),
    schedule.OVERDUE: ("Terlambat", (schedule.OVERDUE,)),
    schedule.DUE: ("Jatuh tempo", (schedule.DUE,)),
    schedule.DONE: ("Selesai", (schedule.DONE,)),
    schedule.UPCOMING: ("Akan datang", (schedule.UPCOMING,)),
    "semua": ("Semua", ()),
}


def regency_chosen(request, regencies) -> str:
    """The regency code asked for by `?kabupaten=`, when it is one of `regencies` (the user's); else ""."""
    regency = request.GET.get("kabupaten", "")
    return regency if regency and regencies.filter(code=regency).exists() else ""


@login_required
def worklist(request):
    require(can_view_visits(request.user))
    budget_year, years = budget_year_chosen(request.user, request.GET.get("tahun"))
    regencies = regencies_visible_to(request.user)
    regency = regency_chosen(request, regencies)
    program = request.GET.get("program", "")
    program = program if program in Program.values else ""
    state = request.GET.get("status", "")
    state = state if state in STATE_FILTERS else ""
    order = "tanggal" if request.GET.get("urut") == "tanggal" else "desa"
    rows, counts, summary = [], dict.fromkeys(schedule.STATE_LABELS, 0), None
    if budget_year and not regency and regencies.count() > 1:
        # The whole province is too long a list to plan a trip with: its regencies, then one regency's visits. Only
        # the schedule's counts per regency (the tallies' two grouped queries), not the dashboard's whole outcomes.
        counted = selectors.schedule_counts(user=request.user, budget_year=budget_year, today=timezone.localdate())
        summary = list(counted.values())  # in the order of the regencies' codes
    elif budget_year:
        # Counted by one grouped query; the page read by one more (and two for what it shows).
        rows = selectors.worklist(
            user=request.user,
            budget_year=budget_year,
            regency_id=regency or None,
            program=program or None,
            states=STATE_FILTERS[state][1],
            order=order,
        )
        counts = selectors.state_counts(rows)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "monitoring/worklist.html",
        {
            "page": page,
            "counts": counts,
            "summary": summary,
            "labels": schedule.STATE_LABELS,
            "budget_year": budget_year,
            "years": years.values_list("year", flat=True),
            "regencies": regencies,
            "regency": regency,
            "program": program,
            "programs": Program.values,
            "state": state,
            "state_filters": {key: label for key, (label, _) in STATE_FILTERS.items()},
            "order": order,
            "can_record": can_record_visits(request.user),
        },
    )


def _handover(request, pk) -> Handover:
    require(can_record_visits(request.user))
    try:
        return selectors.handover_for_visit(user=request.user, pk=pk)
    except Handover.DoesNotExist:
        raise Http404 from None


def _visit(request, pk) -> Visit:
    require(can_view_visits(request.user))
    try:
        return selectors.visit_detail(user=request.user, pk=pk)
    except Visit.DoesNotExist:
        raise Http404 from None


def _saved(request, form, visit, message: str):
    """After the visit is saved: attach the form's photos (a refused photo does not undo the visit, it is
    reported), say so, and go to the visit."""
    messages.success(request, message)
    for upload in form.cleaned_data.get("photos") or []:
        try:
            services.visit_photo_add(visit=visit, upload=upload, actor=request.user)
        except ValidationError as error:
            messages.warning(request, f"Foto tidak disimpan — {upload.name}: {' '.join(error.messages)}")
    return redirect(visit)


@login_required
@taken_along
def visit_create(request, handover_pk):
    handover = _handover(request, handover_pk)
    month = request.GET.get("bulan", "")
    initial = {"due_month": int(month)} if month.isdigit() else {}
    if not initial:
        open_months = [r.month for r in selectors.handover_schedule(handover) if r.state != schedule.DONE]
        initial = {"due_month": open_months[0]} if open_months else {"due_month": ""}
    initial["visitor_name"] = request.user.get_full_name() or request.user.get_username()
    form = VisitForm(request.POST or None, request.FILES or None, handover=handover, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                visit = services.visit_record(
                    handover=handover, data=form.answers(), goods=form.goods(), actor=request.user
                )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return _saved(request, form, visit, "Kunjungan dicatat.")
    return render(
        request,
        "monitoring/visit_form.html",
        {
            "form": form,
            "handover": handover,
            "recipient": selectors.recipient_name(handover),
            "visit": None,
            "from_field": request.GET.get("lapangan") == "1",  # opened from "Kerja Lapangan" (taken along)
        },
    )


@login_required
def visit_update(request, pk):
    visit = _visit(request, pk)
    require(can_record_visits(request.user))
    if visit.is_void:
        raise Http404
    handover = _handover(request, visit.handover_id)
    form = VisitForm(request.POST or None, request.FILES or None, instance=visit, handover=handover)
    if request.method == "POST" and form.is_valid():
        try:
            services.visit_update(visit=visit, data=form.answers(), goods=form.goods(), actor=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return _saved(request, form, visit, "Perubahan kunjungan disimpan.")
    return render(
        request,
        "monitoring/visit_form.html",
        {"form": form, "handover": handover, "recipient": selectors.recipient_name(handover), "visit": visit},
    )


@login_required
def visit_detail(request, pk):
    visit = _visit(request, pk)
    return render(
        request,
        "monitoring/visit_detail.html",
        {
            "visit": visit,
            "recipient": selectors.recipient_name(visit.handover),
            "village": selectors.recipient_village(visit.handover),
            "can_record": can_record_visits(request.user),
        },
    )


@login_required
@require_POST
def visit_void(request, pk):
    visit = _visit(request, pk)
    require(can_record_visits(request.user))
    form = VoidForm(request.POST)
    if form.is_valid():
        try:
            services.visit_void(visit=visit, reason=form.cleaned_data["reason"], actor=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, "Kunjungan dibatalkan; jadwal bulan itu terbuka lagi.")
    else:
        messages.error(request, "Alasan pembatalan wajib diisi.")
    return redirect(visit)


@login_required
def visit_photo(request, pk):
    require(can_view_visits(request.user))
    try:
        photo = selectors.photo_visible(user=request.user, pk=pk)
    except VisitPhoto.DoesNotExist:
        raise Http404 from None
    return upload_response(
        photo.image.open("rb"), filename=f"foto-kunjungan-{photo.pk}.jpg", cache="private, max-age=3600"
    )
