from django import forms
from django.utils import timezone

from beneficiaries.identity import nik_error
from privacy.models import Breach, Channel, Status, SubjectRequest


class RequestForm(forms.ModelForm):
    nik = forms.CharField(label="NIK penduduk yang bersangkutan", max_length=16, min_length=16)

    class Meta:
        model = SubjectRequest
        fields = ["kind", "channel", "received_at", "requester_name", "on_behalf", "identity_check", "description"]
        widgets = {
            "received_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, people, complaint=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.people = people
        self.fields["received_at"].initial = timezone.localtime().strftime("%Y-%m-%dT%H:%M")
        if complaint is not None:  # sent from the public complaint page: its clock runs from the moment it came in
            self.fields["channel"].initial = Channel.COMPLAINT
            self.fields["received_at"].initial = timezone.localtime(complaint.created_at).strftime("%Y-%m-%dT%H:%M")
            self.fields["requester_name"].initial = "" if complaint.anonymous else complaint.complainant_name
            self.fields["description"].initial = complaint.description
        self.fields["received_at"].help_text = "Batas jawaban 3×24 jam sejak saat ini (UU 27/2022)."
        self.order_fields(["nik"])

    def clean_nik(self):
        nik = self.cleaned_data["nik"].strip()
        error = nik_error(nik)
        if error:
            raise forms.ValidationError(error)
        person = self.people.filter(nik=nik).first()
        if person is None:
            raise forms.ValidationError("NIK ini tidak ada di data penduduk yang dapat Anda lihat.")
        self.person = person
        return nik

    def clean_received_at(self):
        received = self.cleaned_data["received_at"]
        if received > timezone.now():
            raise forms.ValidationError("Waktu diterima tidak boleh di masa depan.")
        return received


class AnswerForm(forms.Form):
    status = forms.ChoiceField(
        label="Hasil", choices=[(Status.DONE, Status.DONE.label), (Status.REFUSED, Status.REFUSED.label)],
        widget=forms.RadioSelect,
    )  # fmt: skip
    answer = forms.CharField(
        label="Jawaban / alasan", widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Apa yang dilakukan (mis. salinan data diserahkan, data diperbaiki), atau mengapa ditolak dan sampai "
        "kapan data wajib disimpan (mis. arsip keuangan).",
    )  # fmt: skip


class BreachForm(forms.ModelForm):
    class Meta:
        model = Breach
        fields = ["title", "found_at", "exposed_from", "description", "data_exposed", "people_count", "cause",
                  "measures"]  # fmt: skip
        widgets = {
            "found_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            "exposed_from": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            **{
                name: forms.Textarea(attrs={"rows": 3}) for name in ("description", "data_exposed", "cause", "measures")
            },
        }

    def clean(self):
        data = super().clean()
        found, since = data.get("found_at"), data.get("exposed_from")
        if found and found > timezone.now():
            self.add_error("found_at", "Waktu diketahui tidak boleh di masa depan.")
        if found and since and since > found:
            self.add_error("exposed_from", "Awal periode harus sebelum waktu insiden diketahui.")
        return data


class BreachPeopleForm(forms.Form):
    """The NIKs of the people known to be affected, one per line (pasted from an export or typed)."""

    niks = forms.CharField(
        label="NIK orang terdampak (satu per baris)", widget=forms.Textarea(attrs={"rows": 4}), max_length=170_000
    )

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.people = people

    def clean_niks(self):
        lines = [(n, line.strip()) for n, line in enumerate(self.cleaned_data["niks"].splitlines(), start=1)]
        wanted = {nik for _, nik in lines if nik}
        found = {person.nik: person for person in self.people.filter(nik__in=wanted)}
        errors = [
            f"Baris {n}: {nik_error(nik) or 'NIK ini tidak ada di data penduduk.'} ({nik})"
            for n, nik in lines
            if nik and (nik_error(nik) or nik not in found)
        ]
        if errors:
            raise forms.ValidationError(
                errors[:20] + ([f"… dan {len(errors) - 20} baris lain."] if len(errors) > 20 else [])
            )
        self.found = list(found.values())
        return self.cleaned_data["niks"]
