"""Complaint pages for officers: the list with time left (overdue ones stand out), recording, a complaint's steps."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from beneficiaries.selectors import kube_groups_visible_to, people_visible_to
from complaints import selectors, services
from complaints.forms import (
    LINK_PARAMETERS,
    AttachForm,
    ComplaintForm,
    LinkForm,
    PublicComplaintForm,
    StatusCheckForm,
    StepForm,
)
from complaints.models import Category, Complaint, ComplaintAttachment, Status
from complaints.permissions import can_handle_complaints, can_view_complaints
from core.access import require
from core.client import client_address
from core.files import upload_response
from core.forms import add_service_errors
from disbursements.selectors import allocations_visible_to, handovers_visible_to
from proposals.selectors import items_visible_to
from regions.models import Regency
from regions.selectors import regencies_visible_to


@login_required
def complaint_list(request):
    require(can_view_complaints(request.user))
    complaints = selectors.complaints_visible_to(request.user)
    status, category = request.GET.get("status", ""), request.GET.get("kategori", "")
    if status == "terlambat":
        complaints = selectors.overdue(complaints)
    elif status in Status.values:
        complaints = complaints.filter(status=status)
    elif status != "semua":
        complaints = complaints.exclude(status=Status.CLOSED)
    if category in Category.values:
        complaints = complaints.filter(category=category)
    page = Paginator(selectors.complaint_list(complaints), 50).get_page(request.GET.get("page"))
    for complaint in page:
        complaint.days_left = selectors.time_left(complaint)
        complaint.counting_to = selectors.running_deadline(complaint)[0]
    return render(
        request,
        "complaints/complaint_list.html",
        {
            "page": page,
            "status": status,
            "category": category,
            "statuses": Status.choices,
            "categories": Category.choices,
            "overdue_count": selectors.overdue(selectors.complaints_visible_to(request.user)).count(),
            "summary": selectors.status_summary(selectors.complaints_visible_to(request.user)),
            "can_handle": can_handle_complaints(request.user),
        },
    )


def _records(user) -> dict:
    return {
        "person": people_visible_to(user),
        "group": kube_groups_visible_to(user),
        "item": items_visible_to(user),
        "allocation": allocations_visible_to(user),
        "handover": handovers_visible_to(user),
    }


@login_required
def complaint_create(request):
    """Record a complaint; opened from a person's, KUBE's, proposal item's, allocation's or BAST's page it names
    that record (the query parameters of LINK_PARAMETERS)."""
    require(can_handle_complaints(request.user))
    initial = {k: v for k, v in request.GET.items() if k in LINK_PARAMETERS and v.isdigit()}
    regencies = regencies_visible_to(request.user)
    form = ComplaintForm(
        request.POST or None, request.FILES or None, initial=initial, regencies=regencies,
        records=_records(request.user),
    )  # fmt: skip
    linked = form.linked()
    if not form.is_bound and linked:  # the regency of the record named, preselected
        form.initial["regency"] = _regency_of(linked[-1][1])
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                complaint = services.complaint_record(data=form.data_for_service(), actor=request.user)
                for upload in form.cleaned_data["attachments"]:
                    services.complaint_attach(complaint=complaint, upload=upload, actor=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Pengaduan {complaint.number} dicatat.")
            return redirect(complaint)
    return render(request, "complaints/complaint_form.html", {"form": form, "linked": linked})


def _regency_of(record) -> int | None:
    if hasattr(record, "proposal"):
        return record.proposal.regency_id
    return getattr(record, "regency_id", None)


@login_required
def complaint_detail(request, pk):
    require(can_view_complaints(request.user))
    complaint = get_object_or_404(
        selectors.complaint_list(selectors.complaints_visible_to(request.user)).select_related(
            "person", "group", "item__proposal__regency", "item__proposal__budget_year", "allocation", "handover"
        ),
        pk=pk,
    )
    allowed = services.NEXT[complaint.status]
    form = StepForm(request.POST or None, allowed=allowed) if can_handle_complaints(request.user) and allowed else None
    if request.method == "POST":
        require(form is not None)
        if form.is_valid():
            try:
                services.complaint_step(
                    complaint=complaint,
                    status=form.cleaned_data["status"],
                    note=form.cleaned_data["note"],
                    public=form.cleaned_data["public"],
                    outcome=form.cleaned_data["outcome"],
                    actor=request.user,
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, "Tindak lanjut dicatat.")
                return redirect(complaint)
    return render(
        request,
        "complaints/complaint_detail.html",
        {
            "complaint": complaint,
            "steps": complaint.steps.select_related("actor"),
            "deadlines": selectors.deadlines(complaint),
            "form": form,
            "attachments": complaint.attachments.all(),
            "attach_form": AttachForm() if can_handle_complaints(request.user) else None,
            "link_form": _link_form(request, complaint),
        },
    )


def _link_form(request, complaint, data=None):
    if not can_handle_complaints(request.user) or complaint.status == Status.CLOSED:
        return None
    return LinkForm(data, records=_records(request.user), regency=complaint.regency_id)


@login_required
@require_POST
def complaint_link(request, pk):
    """The officer names what the complaint is about (person, KUBE or BAST) after it came in."""
    require(can_handle_complaints(request.user))
    complaint = get_object_or_404(selectors.complaints_visible_to(request.user), pk=pk)
    form = _link_form(request, complaint, request.POST)
    if form is None:
        messages.error(request, "Pengaduan yang sudah selesai tidak dapat ditautkan lagi.")
        return redirect(complaint)
    if form.is_valid():
        try:
            services.complaint_link(complaint=complaint, links=form.links(), actor=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, "Pengaduan ditautkan.")
        return redirect(complaint)
    messages.error(request, " ".join(m for errors in form.errors.values() for m in errors))
    return redirect(f"{complaint.get_absolute_url()}#tautkan")


@login_required
@require_POST
def complaint_attach(request, pk):
    require(can_handle_complaints(request.user))
    complaint = get_object_or_404(selectors.complaints_visible_to(request.user), pk=pk)
    form = AttachForm(request.POST, request.FILES)
    if not form.is_valid() or not form.cleaned_data["attachments"]:
        messages.error(request, "Pilih berkas yang akan dilampirkan.")
        return redirect(complaint)
    try:
        with transaction.atomic():
            for upload in form.cleaned_data["attachments"]:
                services.complaint_attach(complaint=complaint, upload=upload, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages) + " Tidak ada lampiran yang disimpan.")
    else:
        messages.success(request, "Lampiran disimpan.")
    return redirect(complaint)


@login_required
def attachment_file(request, pk):
    """An attachment, after the same scope check as its complaint (sensitive ones included)."""
    require(can_view_complaints(request.user))
    attachment = get_object_or_404(
        ComplaintAttachment.objects.filter(complaint__in=selectors.complaints_visible_to(request.user)), pk=pk
    )
    extension = attachment.file.name.rsplit(".", 1)[-1]
    return upload_response(
        attachment.file.open("rb"),
        filename=f"lampiran-{attachment.pk}.{extension}",
        content_type=attachment.content_type,
    )


# The public page: no login ------------------------------------------------------------------------------------


RECEIPT = "complaint_receipt"  # the session key of the complaint the visitor just sent (its receipt page)


def _public_context(**extra) -> dict:
    return {
        "office_phone": settings.COMPLAINT_OFFICE_PHONE,
        "office_whatsapp": settings.COMPLAINT_OFFICE_WHATSAPP,
        "max_megabytes": settings.COMPLAINT_ATTACHMENT_MAX_BYTES // (1024 * 1024),
        **extra,
    }


def public_submit(request):
    """Anyone may complain: no login, rate-limited per address, a honeypot for robots, the same complaint twice
    within minutes refused. The answer (the number and a short secret to follow it) is a page of its own the
    browser is sent to, so reloading it never files the complaint again."""
    regencies = Regency.objects.order_by("name")
    address = client_address(request)
    if request.method == "POST" and services.public_submit_throttled(address):
        # Refused before the form (and its files) is looked at: a flood costs the server nothing.
        form = PublicComplaintForm(request.POST, regencies=regencies)
        form.is_valid()
        form.add_error(None, services.THROTTLED_MESSAGE)
        return render(request, "complaints/public_form.html", _public_context(form=form), status=429)
    form = PublicComplaintForm(request.POST or None, request.FILES or None, regencies=regencies)
    if request.method == "POST" and form.is_valid():
        if form.is_robot():  # answered like a success, stored nowhere
            request.session.pop(RECEIPT, None)
            return redirect("complaints:public_thanks")
        try:
            complaint = services.complaint_submit_public(
                data=form.cleaned_data, address=address, files=form.cleaned_data["attachments"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
            services.public_submit_refused(address, "; ".join(error.messages))
        else:
            request.session[RECEIPT] = complaint.pk
            return redirect("complaints:public_thanks")
    elif request.method == "POST":
        services.public_submit_refused(address, "formulir: " + ", ".join(form.errors))
    return render(request, "complaints/public_form.html", _public_context(form=form))


def public_thanks(request):
    """The receipt of the complaint this browser just sent (kept in its session, never in the URL)."""
    complaint = Complaint.objects.filter(pk=request.session.get(RECEIPT, 0)).first()
    return render(request, "complaints/public_thanks.html", _public_context(complaint=complaint))


def public_status(request):
    """The status of one complaint, its deadlines and its public replies, by number and secret sent by POST (never
    in a URL); never personal data."""
    form = StatusCheckForm(request.POST or None)
    complaint = steps = None
    not_found = throttled = False
    if request.method == "POST" and form.is_valid():
        try:
            complaint = services.complaint_lookup(
                number=form.cleaned_data["number"], secret=form.cleaned_data["secret"], address=client_address(request)
            )
        except services.LookupThrottled:
            throttled = True
        not_found = complaint is None and not throttled
        if complaint is not None:
            steps = complaint.steps.filter(public=True)
    return render(
        request,
        "complaints/public_status.html",
        _public_context(
            form=form,
            complaint=complaint,
            steps=steps,
            not_found=not_found,
            throttled=throttled,
            deadlines=selectors.deadlines(complaint) if complaint else None,
        ),
    )
