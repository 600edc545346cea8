from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from audit.selectors import object_history
from core.access import require
from core.files import upload_response
from core.pagination import keyset_page
from dtsen.selectors import registers_for
from programs.models import BudgetYear, Ceiling, Program
from programs.selectors import budget_year_current
from proposals import permissions, selectors, services
from proposals.models import ItemStatus, Proposal
from proposals.views.common import get_proposal
from regions.selectors import regencies_visible_to


@login_required
def proposal_list(request):
    require(permissions.can_view_proposals(request.user))
    proposals = selectors.proposals_visible_to(request.user).order_by("-budget_year__year", "regency__code", "program")
    year = request.GET.get("tahun")
    if year and year.isdigit():
        proposals = proposals.filter(budget_year__year=int(year))
    status = request.GET.get("status")
    if status in Proposal.Status.values:
        proposals = proposals.filter(status=status)
    context = {
        "proposals": selectors.counted(proposals),
        "inbox": selectors.inbox(user=request.user) if permissions.can_verify(request.user) else None,
        "budget_year": budget_year_current(),
        "budget_years": BudgetYear.objects.order_by("-year"),
        "statuses": Proposal.Status.choices,
        "programs": Program.choices,
        "regencies": regencies_visible_to(request.user),
        "can_prepare": permissions.can_prepare_proposals(request.user),
    }
    return render(request, "proposals/proposal_list.html", context)


@login_required
@require_POST
def proposal_open(request):
    """Open (creating on first use) the regency's proposal for a program in a budget year."""
    require(permissions.can_prepare_proposals(request.user))
    budget_year = get_object_or_404(BudgetYear, pk=request.POST.get("budget_year"))
    program = request.POST.get("program")
    if program not in Program.values:
        raise Http404
    regency = get_object_or_404(
        regencies_visible_to(request.user), pk=request.POST.get("regency") or request.user.regency_id
    )
    try:
        proposal = services.proposal_open(regency=regency, budget_year=budget_year, program=program, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("proposals:proposal_list")
    return redirect(proposal)


@login_required
def proposal_detail(request, pk):
    require(permissions.can_view_proposals(request.user))
    proposal = get_proposal(request, pk)
    items = selectors.filter_items(selectors.items_of(proposal), request.GET)
    page = keyset_page(
        items, order=("id",), after=request.GET.get("setelah"), before=request.GET.get("sebelum"), size=100
    )
    # The register's desil and period for the page's women (two queries), shown instead of the typed desil.
    register = None
    if proposal.program == Program.WRSE:
        niks = {item.person.nik for item in page if item.person_id}
        register = registers_for({proposal.regency_id: niks})[proposal.regency_id]
        for item in page:
            item.register_fact = register.latest.get(item.person.nik) if item.person_id else None
    params = request.GET.copy()
    for key in ("setelah", "sebelum"):
        params.pop(key, None)
    context = {
        "proposal": proposal,
        "page": page,
        "register": register,
        "query_string": params.urlencode(),
        "item_statuses": ItemStatus.choices,
        "can_edit": permissions.can_edit_proposal(request.user, proposal),
        "can_decide": permissions.can_decide(request.user, proposal),
        # Once for the page, not per row: where a complaint about a row's recipient is recorded, for who may.
        "complaint_url": reverse("complaints:complaint_create")
        if request.user.has_perm("complaints.change_complaint") and proposal.status != Proposal.Status.DRAFT
        else None,
        "uploads": selectors.uploads_latest(proposal),
        "history": object_history(obj=proposal, limit=20),
        # The regency's Kuota/Target and Pagu for this program and year, as set by the province.
        "ceiling": Ceiling.objects.filter(
            budget_year=proposal.budget_year_id, regency=proposal.regency_id, program=proposal.program
        ).first(),
    }
    return render(request, "proposals/proposal_detail.html", context)


def _done(request, proposal, message=None, error: ValidationError | None = None):
    if error is not None:
        for text in error.messages:
            messages.error(request, text)
    elif message:
        messages.success(request, message)
    return redirect(proposal)


@login_required
@require_POST
def proposal_submit(request, pk):
    proposal = get_proposal(request, pk)
    require(permissions.can_edit_proposal(request.user, proposal))
    try:
        services.proposal_submit(proposal=proposal, actor=request.user)
    except ValidationError as error:
        return _done(request, proposal, error=error)
    return _done(request, proposal, "Usulan diajukan ke Dinas Sosial Provinsi.")


@login_required
@require_POST
def items_decide(request, pk):
    proposal = get_proposal(request, pk)
    require(permissions.can_decide(request.user, proposal))
    ids = [int(i) for i in request.POST.getlist("item") if i.isdigit()]
    decision = request.POST.get("decision", "")
    chosen = list(proposal.items.filter(pk__in=ids).select_related("person", "group"))
    try:
        items = services.items_decide(
            proposal=proposal,
            items=chosen,
            decision=decision,
            reason=request.POST.get("reason", ""),
            actor=request.user,
        )
    except ValidationError as error:
        return _done(request, proposal, error=error)
    if decision == ItemStatus.APPROVED:
        # Those it passed over, by name and why, so the verifier can return them with that reason.
        for item, why in services.approval_blockers(chosen):
            name = item.group.name if item.group_id else item.person.full_name
            messages.warning(request, f"Tidak disetujui — {name}: {why}")
    return _done(request, proposal, f"{len(items)} calon penerima: {ItemStatus(decision).label.lower()}.")


@login_required
@require_POST
def proposal_finish(request, pk):
    proposal = get_proposal(request, pk)
    require(permissions.can_decide(request.user, proposal))
    try:
        proposal = services.proposal_finish_review(proposal=proposal, actor=request.user)
    except ValidationError as error:
        return _done(request, proposal, error=error)
    if proposal.status == Proposal.Status.DRAFT:
        return _done(request, proposal, "Verifikasi selesai; usulan dikembalikan ke kabupaten/kota untuk perbaikan.")
    return _done(request, proposal, "Verifikasi selesai; usulan final.")


@login_required
@require_POST
def item_remove(request, pk, item_pk):
    proposal = get_proposal(request, pk)
    require(permissions.can_edit_proposal(request.user, proposal))
    item = get_object_or_404(proposal.items, pk=item_pk)
    try:
        services.proposal_remove_item(item=item, actor=request.user)
    except ValidationError as error:
        return _done(request, proposal, error=error)
    return _done(request, proposal, f"{item} dihapus dari usulan.")


@login_required
@require_POST
def proposal_recheck(request, pk):
    proposal = get_proposal(request, pk)
    require(permissions.can_edit_proposal(request.user, proposal) or permissions.can_decide(request.user, proposal))
    services.items_recheck(proposal=proposal)
    return _done(request, proposal, "Pemeriksaan otomatis dijalankan ulang.")


DOCUMENTS = {"surat-pengantar": "cover_letter", "berita-acara": "minutes"}


@login_required
@require_POST
def document_upload(request, pk, kind):
    proposal = get_proposal(request, pk)
    require(permissions.can_edit_proposal(request.user, proposal))
    if kind not in DOCUMENTS or "file" not in request.FILES:
        return _done(request, proposal, error=ValidationError("Pilih berkasnya dulu."))
    try:
        services.proposal_attach_document(
            proposal=proposal, field=DOCUMENTS[kind], upload=request.FILES["file"], actor=request.user
        )
    except ValidationError as error:
        return _done(request, proposal, error=error)
    return _done(request, proposal, "Dokumen tersimpan.")


@login_required
def document_download(request, pk, kind):
    proposal = get_proposal(request, pk)
    if kind not in DOCUMENTS:
        raise Http404
    document = getattr(proposal, DOCUMENTS[kind])
    if not document:
        raise Http404
    return upload_response(document.open("rb"), filename=document.name.rsplit("/", 1)[-1])
