"""Synthetic people for a training or load-test server (Admin Provinsi; never under the production settings):
a form, then the background job's progress page."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from beneficiaries.jobs import MAX_PEOPLE
from beneficiaries.permissions import can_seed_synthetic
from jobs.shortcuts import start_job


class SyntheticForm(forms.Form):
    people = forms.IntegerField(
        label="Jumlah penduduk sintetis", min_value=1, max_value=MAX_PEOPLE, initial=10_000,
        help_text="Nama Indonesia dan NIK yang sah, tersebar di 10 kabupaten/kota. 1.000.000 ± 2 menit.",
    )  # fmt: skip
    seed = forms.IntegerField(
        label="Benih acak", min_value=0, initial=2024, help_text="Benih yang sama memberi data yang sama."
    )


@login_required
def synthetic_create(request):
    if not can_seed_synthetic(request.user):
        raise Http404  # absent on a production server, and for everyone but Admin Provinsi
    form = SyntheticForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        people = form.cleaned_data["people"]
        return start_job(
            request,
            title=f"Penduduk sintetis ({people:,})".replace(",", "."),
            function="beneficiaries.jobs.synthetic_people",
            params={"people": people, "seed": form.cleaned_data["seed"]},
            back_url=request.path,
        )
    return render(request, "beneficiaries/synthetic_form.html", {"form": form})
