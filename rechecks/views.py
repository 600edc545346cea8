"""The re-check worklist ("Perlu verifikasi lapangan") of one regency against its newest DTSEN period, and the
form for the field outcome of one recipient on it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from core.access import require
from rechecks import selectors
from rechecks.forms import OutcomeForm
from rechecks.models import Recheck
from rechecks.permissions import can_record_rechecks, can_view_rechecks
from rechecks.services import record_outcome
from regions.selectors import regencies_visible_to

PAGE = 50


@login_required
def worklist(request):
    require(can_view_rechecks(request.user))
    regencies = regencies_visible_to(request.user)
    # An officer's own regency whatever is asked; a provincial user's choice among the ten.
    own = regencies.first() if regencies.count() == 1 else None
    regency = own or regencies.filter(code=request.GET.get("kabupaten", "")).first()
    state = request.GET.get("status", "")
    state = state if state in selectors.STATES else selectors.PENDING
    work = selectors.worklist(regency.code) if regency else None
    page = Paginator(work.people(state) if work else [], PAGE).get_page(request.GET.get("page"))
    if work:
        page.object_list = work.annotate_page(page.object_list)
    return render(request, "rechecks/worklist.html", {
        "regencies": regencies, "regency": regency, "work": work, "page": page, "state": state,
        "states": selectors.STATES, "reasons": selectors.REASONS, "can_record": can_record_rechecks(request.user),
    })  # fmt: skip


@login_required
def record(request, regency, person):
    require(can_record_rechecks(request.user))
    regency = get_object_or_404(regencies_visible_to(request.user), code=regency)
    flagged = selectors.flagged_person(regency.code, person)
    if flagged is None:
        raise Http404("Penerima ini tidak ada pada daftar verifikasi lapangan kabupaten/kota ini.")
    period = selectors.current_period(regency.code)
    kept = Recheck.objects.filter(person=flagged, period=period).first()
    form = OutcomeForm(request.POST or None, instance=kept)
    if request.method == "POST" and form.is_valid():
        record_outcome(user=request.user, person=flagged, regency=regency, **form.cleaned_data)
        messages.success(request, f"Hasil verifikasi lapangan {flagged.full_name} dicatat.")
        return redirect(f"{reverse('rechecks:worklist')}?kabupaten={regency.code}")
    return render(request, "rechecks/record.html", {
        "regency": regency, "person": flagged, "form": form, "kept": kept, "reasons": selectors.REASONS,
        "period_label": selectors.Worklist(regency.code, period).period_label,
    })  # fmt: skip
