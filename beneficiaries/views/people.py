from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from audit.selectors import object_history
from beneficiaries import selectors, services
from beneficiaries.filters import PersonFilter, people_filterset
from beneficiaries.forms import PersonForm
from beneficiaries.models import Person
from beneficiaries.permissions import can_edit_registry, can_see_full_nik, can_view_registry
from core.access import require
from core.forms import add_service_errors
from core.pagination import bounded_count, keyset_page, table_estimate

PAGE_SIZE = 50


def person_filterset(request) -> PersonFilter:
    return people_filterset(request.user, request.GET)


@login_required
def person_list(request):
    require(can_view_registry(request.user))
    filterset = person_filterset(request)
    people = filterset.qs
    page = keyset_page(
        people,
        order=("full_name", "id"),
        after=request.GET.get("setelah"),
        before=request.GET.get("sebelum"),
        size=PAGE_SIZE,
        rows=selectors.person_list,
    )
    applied = filterset.applied()
    # A whole province unfiltered: the database's own estimate (no scan). Otherwise count up to a bound.
    total = (table_estimate(Person) if not applied and request.user.is_provincial else None) or bounded_count(people)
    context = {
        "filter": filterset,
        "page": page,
        "total": total,
        "applied": applied,
        "query_string": _without_cursor(request),
        "can_edit": can_edit_registry(request.user),
    }
    template = "beneficiaries/partials/person_table.html" if request.htmx else "beneficiaries/person_list.html"
    return render(request, template, context)


def _without_cursor(request) -> str:
    params = request.GET.copy()
    for key in ("setelah", "sebelum"):
        params.pop(key, None)
    return params.urlencode()


def _get_person(request, pk) -> Person:
    try:
        return selectors.person_get(user=request.user, pk=pk)
    except Person.DoesNotExist:
        raise Http404 from None


@login_required
def person_detail(request, pk):
    require(can_view_registry(request.user))
    person = _get_person(request, pk)
    return render(
        request,
        "beneficiaries/person_detail.html",
        {
            "person": person,
            "household": selectors.household(user=request.user, person=person).select_related("village"),
            "memberships": selectors.person_memberships(person=person),
            "history": object_history(obj=person),
            "warnings": services.person_warnings(person),
            "can_edit": can_edit_registry(request.user),
            "can_see_full_nik": can_see_full_nik(request.user),
        },
    )


@login_required
@require_POST
def person_reveal_nik(request, pk):
    """Show the whole NIK (htmx swaps it in) and record that this user saw it."""
    person = _get_person(request, pk)
    require(can_see_full_nik(request.user))
    services.person_nik_viewed(person=person, actor=request.user)
    return render(request, "beneficiaries/partials/full_nik.html", {"person": person})


@login_required
def person_create(request):
    require(can_edit_registry(request.user))
    form = PersonForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            person = services.person_create(data=form.cleaned_data, actor=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{person.full_name} terdaftar.")
            for warning in services.person_warnings(person):
                messages.warning(request, warning)
            return redirect(person)
    return render(request, "beneficiaries/person_form.html", {"form": form, "person": None})


@login_required
def person_update(request, pk):
    require(can_edit_registry(request.user))
    person = _get_person(request, pk)
    form = PersonForm(request.POST or None, instance=person, user=request.user)
    if request.method == "GET":
        services.person_nik_viewed(person=person, actor=request.user)  # the form shows the whole NIK and KK
    if request.method == "POST" and form.is_valid():
        try:
            person = services.person_update(person=person, data=form.cleaned_data, actor=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Data {person.full_name} disimpan.")
            return redirect(person)
    return render(request, "beneficiaries/person_form.html", {"form": form, "person": person})


@login_required
def person_search(request):
    """htmx: people matching a NIK or name, for picking a KUBE member."""
    require(can_view_registry(request.user))
    people = selectors.people_search(user=request.user, query=request.GET.get("q", ""))
    return render(
        request,
        "beneficiaries/partials/person_search_results.html",
        {"people": people, "group_pk": request.GET.get("kube"), "query": request.GET.get("q", "")},
    )
