"""Complaint pages for officers: the list with time left (overdue ones stand out), recording, a complaint's steps."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render

from complaints import selectors, services
from complaints.forms import ComplaintForm, StepForm
from complaints.models import Category, Status
from complaints.permissions import can_handle_complaints, can_view_complaints
from core.access import require
from core.forms import add_service_errors
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
    form = ComplaintForm(request.POST or None, regencies=regencies_visible_to(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            complaint = services.complaint_record(data=form.cleaned_data, actor=request.user)
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
