"""The requests of data subjects: the list with the time left (the Petugas Pelindungan Data's to-do), recording one,
one request with the person's file (access) and its answer."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from audit.exports import export_filename
from beneficiaries.selectors import people_visible_to
from complaints.models import Category
from complaints.selectors import complaints_visible_to
from core.access import require
from privacy import breaches, erasure, selectors, services
from privacy import retention as retention_service
from privacy.access import person_file
from privacy.forms import AnswerForm, BreachForm, BreachPeopleForm, RequestForm
from privacy.models import Breach, DestructionReport, ProcessingActivity, RetentionRule, Status
from privacy.permissions import (
    can_handle_breaches,
    can_handle_requests,
    can_record_requests,
    can_view_breaches,
    can_view_requests,
)


@login_required
def processing_record(request):
    """The record of processing (Art. 31), printable: what the system does with personal data."""
    return render(request, "privacy/processing_record.html", {"activities": ProcessingActivity.objects.all()})


@login_required
def request_list(request):
    require(can_view_requests(request.user))
    state = request.GET.get("status", Status.OPEN)
    rows = selectors.requests_visible_to(request.user)
    rows = rows.filter(status=state).order_by("received_at", "pk") if state in Status.values else rows
    now = timezone.now()
    page = [(row, selectors.hours_left(row, now)) for row in rows[:200]]
    return render(request, "privacy/request_list.html", {
        "rows": page, "state": state, "statuses": Status.choices, "can_record": can_record_requests(request.user),
    })  # fmt: skip


@login_required
def request_create(request):
    require(can_record_requests(request.user))
    complaint = None
    if "pengaduan" in request.GET:  # a request that came in through the public complaint page
        number = request.GET["pengaduan"]
        complaint = get_object_or_404(
            complaints_visible_to(request.user), pk=int(number) if number.isdigit() else 0,
            category=Category.PERSONAL_DATA,
        )  # fmt: skip
    form = RequestForm(request.POST or None, people=people_visible_to(request.user), complaint=complaint)
    if request.method == "POST" and form.is_valid():
        created = services.request_record(
            person=form.person, data=form.cleaned_data, actor=request.user, complaint=complaint
        )
        messages.success(request, f"{created} dicatat. Batas jawaban: 3×24 jam.")
        return redirect(created)
    return render(request, "privacy/request_form.html", {"form": form, "complaint": complaint})


@login_required
def request_detail(request, pk):
    require(can_view_requests(request.user))
    subject_request = get_object_or_404(selectors.requests_visible_to(request.user), pk=pk)
    return render(request, "privacy/request_detail.html", {
        "subject_request": subject_request, "hours_left": selectors.hours_left(subject_request),
        "can_handle": can_handle_requests(request.user), "form": AnswerForm(),
        "keep_until": erasure.keep_until(subject_request.person) if subject_request.kind == "penghapusan" else None,
    })  # fmt: skip


@login_required
def request_file(request, pk):
    """The person's whole file as a workbook (Art. 32), for the Petugas Pelindungan Data to hand over; audited."""
    require(can_view_requests(request.user))
    subject_request = get_object_or_404(selectors.requests_visible_to(request.user), pk=pk)
    require(can_handle_requests(request.user))
    writer = person_file(subject_request.person)
    services.file_taken(request=subject_request, actor=request.user)
    return writer.response(export_filename(f"data-pribadi-{subject_request.pk}"))


def _handled(request, pk):
    require(can_view_requests(request.user))
    subject_request = get_object_or_404(selectors.requests_visible_to(request.user), pk=pk)
    require(can_handle_requests(request.user))
    return subject_request


@login_required
@require_POST
def person_restrict(request, pk):
    """Restrict (or lift the restriction of) the processing of the request's person (Art. 41)."""
    subject_request = _handled(request, pk)
    lift = request.POST.get("cabut") == "1"
    erasure.restrict(person=subject_request.person, request=subject_request, actor=request.user, lift=lift)
    messages.success(request, "Pembatasan dicabut." if lift else "Pemrosesan data penduduk ini dibatasi.")
    return redirect(subject_request)


@login_required
@require_POST
def person_erase(request, pk):
    """Erase (anonymise) the request's person (Art. 43-44), or say why the law does not yet allow it."""
    subject_request = _handled(request, pk)
    try:
        erasure.erase(person=subject_request.person, request=subject_request, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Data penduduk dihapus (dianonimkan); semua jumlah tetap.")
    return redirect(subject_request)


@login_required
@require_POST
def request_answer(request, pk):
    require(can_view_requests(request.user))
    subject_request = get_object_or_404(selectors.requests_visible_to(request.user), pk=pk)
    require(can_handle_requests(request.user))
    form = AnswerForm(request.POST)
    if form.is_valid():
        try:
            services.request_answer(request=subject_request, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, "Permintaan dijawab.")
        return redirect(subject_request)
    return render(request, "privacy/request_detail.html", {
        "subject_request": subject_request, "hours_left": selectors.hours_left(subject_request),
        "can_handle": True, "form": form,
    })  # fmt: skip


WHOM = {"subjek": "subjek data yang terdampak", "lembaga": "lembaga pelindungan data pribadi"}


@login_required
def breach_list(request):
    """The breach register, with the form to record one (the Petugas Pelindungan Data)."""
    require(can_view_breaches(request.user))
    form = BreachForm(request.POST or None) if can_handle_breaches(request.user) else None
    if request.method == "POST":
        require(form is not None)
        if form.is_valid():
            breach = breaches.breach_record(data=form.cleaned_data, actor=request.user)
            messages.success(request, f"{breach} dicatat. Pemberitahuan tertulis paling lambat 3×24 jam.")
            return redirect(breach)
    return render(request, "privacy/breach_list.html", {"breaches": Breach.objects.all()[:100], "form": form,
                                                        "now": timezone.now()})  # fmt: skip


@login_required
def breach_detail(request, pk):
    require(can_view_breaches(request.user))
    breach = get_object_or_404(Breach, pk=pk)
    can_handle = can_handle_breaches(request.user)
    people_form = BreachPeopleForm(request.POST or None, people=people_visible_to(request.user)) if can_handle else None
    if request.method == "POST":
        require(can_handle)
        if people_form.is_valid():
            added = breaches.breach_people_add(breach=breach, people=people_form.found, actor=request.user)
            messages.success(
                request, f"{added} orang terdampak ditambahkan; satu surat pemberitahuan untuk masing-masing."
            )
            return redirect(breach)
    return render(request, "privacy/breach_detail.html", {
        "breach": breach, "exposures": breaches.exposures(breach), "can_handle": can_handle,
        "people_form": people_form, "people": breach.people.select_related("village", "regency").order_by("full_name"),
        "notices": [("subjek", WHOM["subjek"], breach.people_notified_at),
                    ("lembaga", WHOM["lembaga"], breach.authority_notified_at)],
    })  # fmt: skip


@login_required
def breach_notice(request, pk, whom):
    """The written notice (printable) to the people affected or to the supervisory body, from the record."""
    require(can_view_breaches(request.user))
    if whom not in WHOM:
        raise Http404
    breach = get_object_or_404(Breach, pk=pk)
    people = breach.people.select_related("village", "district", "regency").order_by("regency", "full_name", "pk")
    letters = list(people) if whom == "subjek" else []
    return render(request, "privacy/breach_notice.html", {
        "breach": breach, "whom": whom, "addressee": WHOM[whom], "letters": letters or [None],
    })  # fmt: skip


@login_required
@require_POST
def breach_mark_notified(request, pk, whom):
    require(can_handle_breaches(request.user))
    if whom not in WHOM:
        raise Http404
    breach = breaches.breach_notified(breach=get_object_or_404(Breach, pk=pk), whom=whom, actor=request.user)
    messages.success(request, f"Pemberitahuan kepada {WHOM[whom]} dicatat terkirim.")
    return redirect(breach)


@login_required
def retention(request):
    """The retention periods, what is due now, and the berita acara (proposed monthly, or now by the officer)."""
    require(can_view_breaches(request.user))
    if request.method == "POST":
        require(can_handle_breaches(request.user))
        report = retention_service.propose()
        if report is None:
            messages.info(
                request, "Tidak ada data yang melewati masa retensi, atau masih ada berita acara yang menunggu."
            )
        return redirect(report or "privacy:retention")
    due = {kind: records.count() for kind, records in retention_service.due().items()}
    return render(request, "privacy/retention.html", {
        "rules": [(rule, due.get(rule.kind, 0)) for rule in RetentionRule.objects.all()],
        "reports": DestructionReport.objects.all()[:50], "can_handle": can_handle_breaches(request.user),
    })  # fmt: skip


@login_required
def destruction_report(request, pk):
    """A berita acara pemusnahan, printable: counts per kind, never the data."""
    require(can_view_breaches(request.user))
    report = get_object_or_404(DestructionReport, pk=pk)
    labels = dict(RetentionRule.Kind.choices)
    rows = [(labels.get(kind, kind), count) for kind, count in report.counts.items()]
    return render(request, "privacy/destruction_report.html", {
        "report": report, "rows": rows, "can_handle": can_handle_breaches(request.user),
    })  # fmt: skip


@login_required
@require_POST
def destruction_approve(request, pk):
    require(can_handle_breaches(request.user))
    report = get_object_or_404(DestructionReport, pk=pk)
    try:
        retention_service.destroy(report=report, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Pemusnahan dilaksanakan; berita acara siap dicetak.")
    return redirect("privacy:destruction_report", pk=report.pk)
