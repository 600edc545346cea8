"""Allocations: choose approved recipients and a package (or one kind of goods), preview the cost against
each remaining ceiling, confirm; the list, the detail, voiding and the workbook."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from audit.exports import audited_export
from audit.permissions import can_view_audit_log
from audit.selectors import events_for_object
from beneficiaries.identity import mask_nik
from beneficiaries.permissions import can_see_full_nik
from core.access import require
from core.excel import ReportWriter
from core.formatting import rupiah
from core.replica import reads_from_replica
from disbursements import selectors, services
from disbursements.exports import ALLOCATION_COLUMNS, allocation_rows
from disbursements.forms import AllocationForm, VoidForm
from disbursements.models import Allocation, GoodsItem, Package
from disbursements.permissions import can_allocate, can_hand_over, can_view_allocations
from programs.models import Ceiling, Program
from programs.selectors import budget_year_chosen, budget_years_visible_to
from regions.models import Regency

MAX_CHOICES = 1000  # recipients one allocation page offers at once; narrow with the filters for more


def _filters(request) -> dict:
    return {key: request.GET.get(key, "") for key in selectors.FILTER_KEYS}


def list_context(request, queryset, statuses) -> dict:
    """What the allocation and BAST lists show around their rows: a page of 50, the filter form's choices."""
    return {
        "page": Paginator(queryset, 50).get_page(request.GET.get("page")),
        "filters": _filters(request),
        "regencies": Regency.objects.filter(request.user.regency_q("pk")).order_by("code"),
        "years": budget_years_visible_to(request.user).values_list("year", flat=True),
        "programs": Program.choices,
        "statuses": statuses,
        "query_string": request.GET.urlencode(),
    }


@login_required
def allocation_list(request):
    require(can_view_allocations(request.user))
    queryset = selectors.allocation_filters(selectors.allocations_visible_to(request.user), request.GET)
    context = list_context(request, selectors.allocation_list(queryset), Allocation.Status.choices)
    return render(
        request, "disbursements/allocation_list.html", {**context, "can_allocate": can_allocate(request.user)}
    )


@login_required
@reads_from_replica
def allocation_export(request):
    """The filtered allocations as xlsx, one row per goods line (streamed in chunks); audited."""
    require(can_view_allocations(request.user))
    queryset = selectors.allocation_list(
        selectors.allocation_filters(selectors.allocations_visible_to(request.user), request.GET)
    ).order_by("regency", "program", "id")
    applied = [(label, value) for label, value in _filters(request).items() if value]
    writer = ReportWriter(
        "Rincian Alokasi Barang Bantuan",
        ALLOCATION_COLUMNS,
        filters=applied,
        full_numbers=can_see_full_nik(request.user),
    )
    mask = (lambda nik: nik) if can_see_full_nik(request.user) else mask_nik
    return audited_export(
        writer,
        allocation_rows(queryset, mask=mask),
        user=request.user,
        action="allocation.export",
        obj=Allocation,
        filename="alokasi",
        after={"filters": dict(applied)},
    )


@login_required
def allocation_detail(request, pk):
    require(can_view_allocations(request.user))
    try:
        allocation = selectors.allocation_detail(user=request.user, pk=pk)
    except Allocation.DoesNotExist:
        raise Http404 from None
    history = events_for_object(user=request.user, obj=allocation)[:20] if can_view_audit_log(request.user) else []
    handover = selectors.delivered_handover(allocation)
    return render(
        request,
        "disbursements/allocation_detail.html",
        {
            "allocation": allocation,
            "history": history,
            # Goods handed over: the BAST is voided first (disbursements.services.allocation_void).
            "can_void": can_allocate(request.user) and allocation.status == Allocation.Status.ACTIVE and not handover,
            "void_form": VoidForm(),
            "handover": handover,
            "blockers": selectors.handover_blockers(allocation),
            "can_hand_over": can_hand_over(request.user),
        },
    )


@login_required
def allocation_void(request, pk):
    allocation = get_object_or_404(selectors.allocations_visible_to(request.user), pk=pk)  # 404 before 403
    require(can_allocate(request.user))
    form = VoidForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.allocation_void(allocation=allocation, reason=form.cleaned_data["reason"], actor=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"Alokasi #{allocation.pk} dibatalkan; nilainya kembali ke sisa pagu.")
        return redirect(allocation)
    return render(request, "disbursements/allocation_void.html", {"allocation": allocation, "form": form})


@login_required
def allocation_new(request):
    """Step 1 (GET): approved recipients without an allocation, filtered; step 2 (POST "pratinjau"): the cost
    per ceiling against what remains; step 3 (POST "simpan"): allocate, all or nothing."""
    require(can_allocate(request.user))
    params = request.POST if request.method == "POST" else request.GET
    budget_year, years = budget_year_chosen(request.user, params.get("tahun"))
    # An operator has one regency: it is chosen for them.
    regency = params.get("kabkota") or (request.user.regency_id if not request.user.is_provincial else None)
    program = params.get("program") if params.get("program") in Program.values else None
    query = params.get("q", "").strip()
    candidates = (
        selectors.recipients_to_allocate(
            user=request.user, budget_year=budget_year, regency=regency, program=program, query=query
        )
        if budget_year
        else []
    )
    shown = list(candidates[: MAX_CHOICES + 1]) if budget_year else []
    more = len(shown) > MAX_CHOICES
    shown = shown[:MAX_CHOICES]
    form = AllocationForm(request.POST or None, item_choices=[item.pk for item in shown])
    context = {
        "budget_year": budget_year,
        "years": years.values_list("year", flat=True),
        "regencies": Regency.objects.order_by("code"),
        "programs": Program.choices,
        "filters": {
            "tahun": budget_year.year if budget_year else "",
            "kabkota": regency or "",
            "program": program or "",
            "q": query,
        },
        "candidates": shown,
        "more": more,
        "form": form,
        "packages": Package.objects.with_total().filter(is_active=True).order_by("program", "name"),
        "goods": GoodsItem.objects.filter(is_active=True),
    }
    if request.method == "POST" and form.is_valid() and request.POST.get("langkah") != "ubah":
        chosen = [item for item in shown if item.pk in set(form.cleaned_data["items"])]
        matching = form.cleaned_data.get("matching")
        lines = [] if matching else form.lines()
        if request.POST.get("langkah") == "simpan":
            try:
                if matching:
                    allocations = services.allocations_create_matching(
                        item_ids=[item.pk for item in chosen], actor=request.user
                    )
                else:
                    allocations = services.allocations_create(
                        item_ids=[item.pk for item in chosen],
                        lines=lines,
                        package=form.cleaned_data.get("package"),
                        actor=request.user,
                    )
            except ValidationError as error:
                form.add_error(None, error.messages)
            else:
                total = sum(a.total for a in allocations)
                messages.success(request, f"{len(allocations)} penerima dialokasikan, senilai {rupiah(total)}.")
                # Back to the list with the filters the officer worked with.
                kept = {"tahun": budget_year.year, "kabkota": regency or "", "program": program or ""}
                return redirect(f"{reverse('disbursements:allocation_list')}?{urlencode(kept)}")
        keys = {(item.proposal.regency_id, item.proposal.program) for item in chosen}
        ceilings = {
            (c.regency_id, c.program): c
            for c in Ceiling.objects.filter(budget_year=budget_year, regency__in={k[0] for k in keys})
        }
        if matching:
            groups, unmatched = selectors.matching_packages(chosen)
            context.update(
                preview=selectors.costs_per_ceiling_by_package(groups, ceilings),
                chosen=chosen,
                groups=[(package, items, package.total) for package, items in groups.items()],
                unmatched=unmatched,
                matching=True,
                lines=[],
                each=None,
            )
        else:
            context.update(
                preview=selectors.costs_per_ceiling(chosen, lines, ceilings),
                chosen=chosen,
                lines=[(goods, quantity, goods.unit_price * quantity) for goods, quantity in lines],
                each=sum(goods.unit_price * quantity for goods, quantity in lines),
            )
        context["preview_ok"] = not any(cost.problem for cost in context["preview"]) and not context.get("unmatched")
        context["mismatches"] = selectors.business_type_mismatches(chosen, form.cleaned_data.get("package"))
        context["preview_total"] = sum(cost.cost for cost in context["preview"])
        return render(request, "disbursements/allocation_preview.html", context)
    return render(request, "disbursements/allocation_form.html", context)
