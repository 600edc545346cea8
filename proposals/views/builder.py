from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render

from beneficiaries import selectors as registry
from beneficiaries.filters import KubeGroupFilter, PersonFilter
from core.access import require
from core.pagination import bounded_count, keyset_page
from programs.models import BusinessType, Program
from proposals import permissions, services
from proposals.views.common import get_proposal


@login_required
def add_from_registry(request, pk):
    """Pick people (WRSE) or groups (KUBE) of the proposal's regency with the registry's list filters."""
    proposal = get_proposal(request, pk)
    require(permissions.can_edit_proposal(request.user, proposal))
    if request.method == "POST":
        return _add(request, proposal)
    wrse = proposal.program == Program.WRSE
    if wrse:
        base = (
            registry.people_visible_to(request.user)
            .filter(regency=proposal.regency_id)
            .exclude(proposed_in__budget_year=proposal.budget_year_id)
        )
        filterset = PersonFilter(request.GET or None, queryset=base, user=request.user)
        page = keyset_page(
            filterset.qs, order=("full_name", "id"), after=request.GET.get("setelah"), rows=registry.person_list
        )
    else:
        base = (
            registry.kube_groups_visible_to(request.user)
            .filter(regency=proposal.regency_id, is_active=True)
            .exclude(proposal_items__proposal__budget_year=proposal.budget_year_id)
        )
        filterset = KubeGroupFilter(request.GET or None, queryset=base, user=request.user)
        page = keyset_page(registry.group_list(filterset.qs), order=("name", "id"), after=request.GET.get("setelah"))
    params = request.GET.copy()
    params.pop("setelah", None)
    return render(
        request,
        "proposals/add_from_registry.html",
        {
            "proposal": proposal,
            "filter": filterset,
            "page": page,
            "total": bounded_count(filterset.qs),
            "query_string": params.urlencode(),
            "wrse": wrse,
            "business_types": BusinessType.objects.filter(is_active=True),
        },
    )


def _add(request, proposal):
    ids = [int(i) for i in request.POST.getlist("pilih") if i.isdigit()]
    if not ids:
        messages.error(request, "Pilih minimal satu.")
        return redirect("proposals:add_from_registry", pk=proposal.pk)
    try:
        if proposal.program == Program.WRSE:
            people = list(registry.people_visible_to(request.user).filter(pk__in=ids))
            business_type = BusinessType.objects.filter(pk=request.POST.get("business_type") or 0).first()
            items = services.proposal_add_people(
                proposal=proposal, people=people, business_type=business_type, actor=request.user
            )
        else:
            groups = list(registry.kube_groups_visible_to(request.user).filter(pk__in=ids))
            items = services.proposal_add_groups(proposal=proposal, groups=groups, actor=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("proposals:add_from_registry", pk=proposal.pk)
    with_errors = sum(1 for item in items if item.has_errors)
    messages.success(request, f"{len(items)} ditambahkan ke usulan.")
    if with_errors:
        messages.warning(
            request, f"{with_errors} di antaranya memiliki kesalahan pemeriksaan; lihat kolom Pemeriksaan."
        )
    return redirect(proposal)
