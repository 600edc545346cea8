"""Complaint pages for officers: the list with time left (overdue ones stand out), recording, a complaint's steps."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render

from beneficiaries.selectors import people_visible_to
from complaints import selectors, services
from complaints.forms import ComplaintForm, PublicComplaintForm, StatusCheckForm, StepForm
from complaints.models import Category, Status
from complaints.permissions import can_handle_complaints, can_view_complaints
from core.access import require
from core.forms import add_service_errors
from disbursements.selectors import handovers_visible_to
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
    page = Paginator(selectors.complaint_list(complaints).order_by("resolve_by", "id"), 50).get_page(
        request.GET.get("page")
    )
    for complaint in page:
        complaint.days_left = selectors.time_left(complaint)
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
            "can_handle": can_handle_complaints(request.user),
        },
    )


@login_required
def complaint_create(request):
    require(can_handle_complaints(request.user))
    form = ComplaintForm(
        request.POST or None,
        regencies=regencies_visible_to(request.user),
        people=people_visible_to(request.user),
        handovers=handovers_visible_to(request.user),
    )
    if request.method == "POST" and form.is_valid():
        try:
            complaint = services.complaint_record(data=form.data_for_service(), actor=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Pengaduan {complaint.number} dicatat.")
            return redirect(complaint)
    return render(request, "complaints/complaint_form.html", {"form": form})


@login_required
def complaint_detail(request, pk):
    require(can_view_complaints(request.user))
    complaint = get_object_or_404(selectors.complaint_list(selectors.complaints_visible_to(request.user)), pk=pk)
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
            "days_left": selectors.time_left(complaint),
            "form": form,
        },
    )


# The public page: no login ------------------------------------------------------------------------------------


def _client_address(request) -> str:
    from django.conf import settings
    from ipware import get_client_ip

    address, _ = get_client_ip(request, proxy_count=settings.AXES_IPWARE_PROXY_COUNT)
    return address or ""


def public_submit(request):
    """Anyone may complain: no login, rate-limited per address, a honeypot for robots; the answer is the number
    and a short secret to follow it."""
    form = PublicComplaintForm(request.POST or None, regencies=Regency.objects.order_by("name"))
    if request.method == "POST" and form.is_valid():
        if form.is_robot():  # answered like a success, stored nowhere
            return render(request, "complaints/public_thanks.html", {"complaint": None})
        try:
            complaint = services.complaint_submit_public(data=form.cleaned_data, address=_client_address(request))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return render(request, "complaints/public_thanks.html", {"complaint": complaint})
    return render(request, "complaints/public_form.html", {"form": form})


def public_status(request):
    """The status of one complaint and its public replies, by number and secret; never personal data."""
    form = StatusCheckForm(request.GET or None)
    complaint = steps = None
    not_found = False
    if form.is_bound and form.is_valid():
        complaint = services.complaint_lookup(number=form.cleaned_data["number"], secret=form.cleaned_data["secret"])
        not_found = complaint is None
        if complaint is not None:
            steps = complaint.steps.filter(public=True)
    return render(
        request,
        "complaints/public_status.html",
        {"form": form, "complaint": complaint, "steps": steps, "not_found": not_found},
    )
