from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from beneficiaries import duplicates, selectors, services
from beneficiaries.forms import MergeForm
from beneficiaries.permissions import can_review_duplicates
from core.access import require
from jobs.shortcuts import start_job


@login_required
def duplicate_list(request):
    require(can_review_duplicates(request.user))
    pairs = selectors.possible_duplicates(user=request.user)
    # The pairs are compared on their whole NIKs: record who saw which (one INSERT).
    shown = {person.pk: person for pair in pairs for person in (pair.first, pair.second)}
    services.people_nik_viewed(people=list(shown.values()), actor=request.user)
    return render(request, "beneficiaries/duplicate_list.html", {"pairs": pairs, "scan": duplicates.last_scan()})


@login_required
@require_POST
def duplicate_scan(request):
    """Find the possible duplicates again now (a background job; a few seconds at a million people)."""
    require(can_review_duplicates(request.user))
    return start_job(request, title="Pemeriksaan data ganda", function="beneficiaries.jobs.duplicate_scan",
                     params={}, back_url=reverse("beneficiaries:duplicate_list"))  # fmt: skip


def _pair(request):
    form = MergeForm(request.POST)
    if not form.is_valid():
        raise PermissionDenied
    people = selectors.people_visible_to(request.user)
    return (
        get_object_or_404(people, pk=form.cleaned_data["keep"]),
        get_object_or_404(people, pk=form.cleaned_data["duplicate"]),
    )


@login_required
@require_POST
def duplicate_dismiss(request):
    require(can_review_duplicates(request.user))
    first, second = _pair(request)
    services.duplicate_dismiss(person_a=first, person_b=second, actor=request.user)
    messages.success(request, f"{first.full_name} dan {second.full_name} ditandai bukan duplikat.")
    return redirect("beneficiaries:duplicate_list")


@login_required
@require_POST
def duplicate_merge(request):
    require(can_review_duplicates(request.user))
    keep, duplicate = _pair(request)
    try:
        services.person_merge(keep=keep, duplicate=duplicate, actor=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, f"Data NIK {duplicate.nik} digabungkan ke {keep.full_name} (NIK {keep.nik}).")
    return redirect("beneficiaries:duplicate_list")
