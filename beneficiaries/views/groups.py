from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from audit.selectors import object_history
from beneficiaries import selectors, services
from beneficiaries.filters import KubeGroupFilter
from beneficiaries.forms import KubeGroupForm, MemberAddForm, MemberRoleForm
from beneficiaries.models import KubeGroup, KubeMember, MemberRole
from beneficiaries.permissions import can_edit_registry, can_view_registry
from core.access import require
from core.forms import add_service_errors
from core.pagination import bounded_count, keyset_page


def group_filterset(request) -> KubeGroupFilter:
    return KubeGroupFilter(
        request.GET or None, queryset=selectors.kube_groups_visible_to(request.user), user=request.user
    )


@login_required
def group_list(request):
    require(can_view_registry(request.user))
    filterset = group_filterset(request)
    page = keyset_page(
        selectors.group_list(filterset.qs),
        order=("name", "id"),
        after=request.GET.get("setelah"),
        before=request.GET.get("sebelum"),
    )
    params = request.GET.copy()
    for key in ("setelah", "sebelum"):
        params.pop(key, None)
    context = {
        "filter": filterset,
        "page": page,
        "total": bounded_count(filterset.qs),
        "applied": filterset.applied(),
        "query_string": params.urlencode(),
        "can_edit": can_edit_registry(request.user),
    }
    template = "beneficiaries/partials/group_table.html" if request.htmx else "beneficiaries/kubegroup_list.html"
    return render(request, template, context)


def _get_group(request, pk) -> KubeGroup:
    try:
        return selectors.group_get(user=request.user, pk=pk)
    except KubeGroup.DoesNotExist:
        raise Http404 from None


def _members_context(request, group, **extra):
    members = list(selectors.group_members(group=group))
    return {
        "group": group,
        "members": members,
        "problems": selectors.group_problems(group=group, members=members),
        "roles": MemberRole.choices,
        "can_edit": can_edit_registry(request.user) and group.is_active,
        **extra,
    }


@login_required
def group_detail(request, pk):
    require(can_view_registry(request.user))
    group = _get_group(request, pk)
    # The proposal history and journey come from the template's {% journey_history %} (reports, above us).
    context = _members_context(request, group, history=object_history(obj=group))
    return render(request, "beneficiaries/kubegroup_detail.html", context)


@login_required
def group_create(request):
    require(can_edit_registry(request.user))
    form = KubeGroupForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            group = services.kube_group_create(data=form.cleaned_data, actor=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{group.label} dibentuk. Tambahkan anggotanya di bawah ini.")
            return redirect(group)
    return render(request, "beneficiaries/kubegroup_form.html", {"form": form, "group": None})


@login_required
def group_update(request, pk):
    require(can_edit_registry(request.user))
    group = _get_group(request, pk)
    form = KubeGroupForm(request.POST or None, instance=group, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            group = services.kube_group_update(group=group, data=form.cleaned_data, actor=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Data {group.label} disimpan.")
            return redirect(group)
    return render(request, "beneficiaries/kubegroup_form.html", {"form": form, "group": group})


def _members_response(request, group, error: ValidationError | None = None):
    """htmx: the refreshed members block (with the error, if any); otherwise back to the group page."""
    group = _get_group(request, group.pk)  # fresh counts
    if request.htmx:
        errors = error.messages if error else []
        return render(
            request, "beneficiaries/partials/member_table.html", _members_context(request, group, errors=errors)
        )
    if error:
        for message in error.messages:
            messages.error(request, message)
    return redirect(group)


@login_required
@require_POST
def member_add(request, pk):
    require(can_edit_registry(request.user))
    group = _get_group(request, pk)
    form = MemberAddForm(request.POST)
    if not form.is_valid():
        return _members_response(request, group, ValidationError("Pilih penduduk dan jabatannya."))
    person = get_object_or_404(selectors.people_visible_to(request.user), pk=form.cleaned_data["person"])
    try:
        services.kube_member_add(group=group, person=person, role=form.cleaned_data["role"], actor=request.user)
    except ValidationError as error:
        return _members_response(request, group, error)
    return _members_response(request, group)


def _get_member(request, group, member_pk) -> KubeMember:
    return get_object_or_404(KubeMember.objects.select_related("person"), group=group, pk=member_pk)


@login_required
@require_POST
def member_remove(request, pk, member_pk):
    require(can_edit_registry(request.user))
    group = _get_group(request, pk)
    try:
        services.kube_member_remove(member=_get_member(request, group, member_pk), actor=request.user)
    except ValidationError as error:
        return _members_response(request, group, error)
    return _members_response(request, group)


@login_required
@require_POST
def member_role(request, pk, member_pk):
    require(can_edit_registry(request.user))
    group = _get_group(request, pk)
    member = _get_member(request, group, member_pk)
    form = MemberRoleForm(request.POST)
    if not form.is_valid():
        return _members_response(request, group, ValidationError("Jabatan tidak dikenal."))
    try:
        services.kube_member_change_role(member=member, role=form.cleaned_data["role"], actor=request.user)
    except ValidationError as error:
        return _members_response(request, group, error)
    return _members_response(request, group)
