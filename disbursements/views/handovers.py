"""Handovers (BAST): made from an allocation once the Bimtek rule holds; the register, the detail with its
photo and signed scan, the printable A4 BAST, voiding and the register workbook."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from audit.exports import audited_export
from audit.permissions import can_view_audit_log
from audit.selectors import events_for_object
from beneficiaries.permissions import can_see_full_nik
from core.access import require
from core.excel import ReportWriter
from core.files import upload_response
from core.formatting import terbilang
from core.forms import add_service_errors
from core.replica import reads_from_replica
from disbursements import selectors, services
from disbursements.exports import HANDOVER_COLUMNS, handover_rows
from disbursements.forms import AttachmentForm, HandoverBatchForm, HandoverForm, VoidForm
from disbursements.models import Handover
from disbursements.permissions import can_attach_handover, can_hand_over, can_view_handovers
from disbursements.views.allocations import list_context
from training.selectors import sessions_visible_to

ATTACHMENTS = {"foto": "photo", "pindaian": "signed_scan"}


def _handover(request, pk) -> Handover:
    require(can_view_handovers(request.user))
    return get_object_or_404(selectors.handover_list(selectors.handovers_visible_to(request.user)), pk=pk)


@login_required
def handover_create(request, pk):
    require(can_view_handovers(request.user))
    allocation = get_object_or_404(selectors.allocation_list(selectors.allocations_visible_to(request.user)), pk=pk)
    require(can_hand_over(request.user))
    lines = list(allocation.lines.select_related("goods"))
    user = request.user
    initial = {
        "handed_over_on": timezone.localdate(),
        "first_party_name": user.get_full_name() or user.username,
        "first_party_nip": user.nip,
        "first_party_position": user.position,
        "place": f"Kantor Dinas Sosial {allocation.regency}",
    }
    form = HandoverForm(request.POST or None, initial=initial, lines=lines)
    gate = selectors.handover_blockers(allocation)
    if request.method == "POST" and form.is_valid():
        try:
            handover = services.handover_create(
                allocation=allocation, data=form.handover_data(), conditions=form.conditions(), actor=request.user
            )
        except ValidationError as error:
            add_service_errors(form, error)  # a refused date shows on the date field, with why
        else:
            messages.success(request, f"BAST {handover.number} dibuat. Cetak, tandatangani, lalu unggah pindaiannya.")
            return redirect(handover)
    return render(
        request,
        "disbursements/handover_form.html",
        {"allocation": allocation, "form": form, "gate": gate, "lines": lines},
    )


@login_required
def handover_list(request):
    require(can_view_handovers(request.user))
    queryset = selectors.handover_filters(selectors.handovers_visible_to(request.user), request.GET)
    context = list_context(request, selectors.handover_list(queryset), Handover.Status.choices)
    return render(request, "disbursements/handover_list.html", context)


@login_required
@reads_from_replica
def handover_export(request):
    """The BAST register as xlsx (number, date, recipient, goods, value, photo and scan present)."""
    require(can_view_handovers(request.user))
    queryset = selectors.handover_list(
        selectors.handover_filters(selectors.handovers_visible_to(request.user), request.GET)
    ).order_by("regency", "program", "sequence")
    applied = [(label, request.GET[label]) for label in selectors.FILTER_KEYS if request.GET.get(label)]
    writer = ReportWriter(
        "Register Berita Acara Serah Terima (BAST)",
        HANDOVER_COLUMNS,
        filters=applied,
        full_numbers=can_see_full_nik(request.user),
    )
    return audited_export(
        writer,
        handover_rows(queryset),
        user=request.user,
        action="handover.export",
        obj=Handover,
        filename="register-bast",
        after={"filters": dict(applied)},
    )


@login_required
def handover_detail(request, pk):
    handover = _handover(request, pk)
    history = events_for_object(user=request.user, obj=handover)[:20] if can_view_audit_log(request.user) else []
    delivered = handover.status == Handover.Status.DELIVERED
    can_edit = can_hand_over(request.user) and delivered
    return render(
        request,
        "disbursements/handover_detail.html",
        {
            "handover": handover,
            "history": history,
            "can_edit": can_edit,
            "can_attach": can_attach_handover(request.user) and delivered,
            "void_form": VoidForm(),
            "attachment_form": AttachmentForm(),
            "terbilang": terbilang(handover.value),
        },  # fmt: skip
    )


@login_required
def handover_print(request, pk):
    handover = _handover(request, pk)
    return render(
        request,
        "disbursements/handover_print.html",
        {"handover": handover},
    )


@login_required
def handover_batch(request, pk):
    """One form for the BASTs of every recipient present at a Bimtek session whose goods are allocated: the same
    date, place, first party and witness (remembered from the regency's latest BAST); then one print of all."""
    require(can_view_handovers(request.user))
    sessions = sessions_visible_to(request.user).select_related("regency", "budget_year")
    session = get_object_or_404(sessions, pk=pk)  # another regency's session: 404, as everywhere
    require(can_hand_over(request.user))
    allocations = selectors.session_allocations(session)
    user = request.user
    initial = {
        "handed_over_on": timezone.localdate(),
        "place": session.venue,
        "first_party_name": user.get_full_name() or user.username,
        "first_party_nip": user.nip,
        "first_party_position": user.position,
        **selectors.remembered_parties(session.regency),
    }
    form = HandoverBatchForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            handovers = services.handovers_create_for_session(session=session, data=form.handover_data(), actor=user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            numbers = f"{handovers[0].number} s.d. {handovers[-1].number}"
            messages.success(
                request,
                f"{len(handovers)} BAST dibuat ({numbers}). Cetak semua, tandatangani, lalu unggah pindaiannya.",
            )
            query = "&".join(f"id={h.pk}" for h in handovers)
            return redirect(f"{reverse('disbursements:handover_print_many')}?{query}")
    return render(
        request,
        "disbursements/handover_batch.html",
        {"session": session, "allocations": allocations, "form": form},
    )


@login_required
def handover_print_many(request):
    """Several BASTs in one print, one per A4 page (`?id=1&id=2…`, in number order; only those in scope)."""
    require(can_view_handovers(request.user))
    ids = [int(pk) for pk in request.GET.getlist("id") if pk.isdigit()][:500]
    handovers = list(
        selectors.handover_list(selectors.handovers_visible_to(request.user)).filter(pk__in=ids).order_by("number")
    )
    if not handovers:
        raise Http404
    return render(request, "disbursements/handover_print_many.html", {"handovers": handovers})


@login_required
def handover_attach(request, pk, kind):
    handover = _handover(request, pk)
    require(can_attach_handover(request.user) and request.method == "POST")
    if kind not in ATTACHMENTS:
        raise Http404
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "Pilih berkas untuk diunggah.")
        return redirect(handover)
    try:
        services.handover_attach(
            handover=handover, field=ATTACHMENTS[kind], upload=form.cleaned_data["file"], actor=request.user
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Lampiran disimpan.")
    return redirect(handover)


@login_required
def handover_file(request, pk, kind):
    """A handover's photo or signed scan, only to users who may see that recipient (else 404)."""
    handover = _handover(request, pk)
    if kind not in ATTACHMENTS or not getattr(handover, ATTACHMENTS[kind]):
        raise Http404
    stored = getattr(handover, ATTACHMENTS[kind])
    extension = stored.name.rsplit(".", 1)[-1]
    return upload_response(stored.open("rb"), filename=f"{handover.number.replace('/', '-')}-{kind}.{extension}")


@login_required
def handover_void(request, pk):
    handover = _handover(request, pk)
    require(can_hand_over(request.user))
    form = VoidForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.handover_void(handover=handover, reason=form.cleaned_data["reason"], actor=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request, f"BAST {handover.number} dibatalkan; nilainya tidak lagi dihitung sebagai realisasi."
            )
        return redirect(handover)
    return render(request, "disbursements/handover_void.html", {"handover": handover, "form": form})
