from django import forms
from django.utils import timezone

from complaints.models import Category, Complaint, Outcome, Status


class ComplaintForm(forms.ModelForm):
    class Meta:
        model = Complaint
        fields = [
            "received_on",
            "channel",
            "lapor_ticket",
            "anonymous",
            "complainant_name",
            "complainant_contact",
            "regency",
            "category",
            "complexity",
            "description",
            "sensitive",
        ]
        widgets = {
            "received_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "description": forms.Textarea(attrs={"rows": 5}),
        }

    def __init__(self, *args, regencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["regency"].queryset = regencies
        self.fields["regency"].empty_label = None if regencies.count() == 1 else "— pilih —"
        self.fields["received_on"].initial = timezone.localdate()


class StepForm(forms.Form):
    status = forms.ChoiceField(label="Status berikutnya", choices=Status.choices)
    outcome = forms.ChoiceField(label="Hasil (bila selesai)", choices=[("", "—"), *Outcome.choices], required=False)
    note = forms.CharField(label="Catatan tindak lanjut", widget=forms.Textarea(attrs={"rows": 3}))
    public = forms.BooleanField(label="Tampilkan catatan ini kepada pelapor (halaman publik)", required=False)

    def __init__(self, *args, allowed, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [(v, label) for v, label in Status.choices if v in allowed]


class PublicComplaintForm(forms.Form):
    """The public page's form. `website` is a honeypot: people never see it, robots fill it."""

    regency = forms.ModelChoiceField(label="Kabupaten/Kota", queryset=None, empty_label="— pilih —")
    category = forms.ChoiceField(label="Jenis pengaduan", choices=[("", "— pilih —"), *Category.choices])
    description = forms.CharField(
        label="Uraian pengaduan", max_length=5000, widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Ceritakan apa yang terjadi, di mana dan kapan. Jangan menuliskan NIK.",
    )  # fmt: skip
    complainant_name = forms.CharField(label="Nama (boleh dikosongkan)", max_length=150, required=False)
    complainant_contact = forms.CharField(
        label="Nomor HP atau e-mail (boleh dikosongkan)", max_length=150, required=False
    )
    website = forms.CharField(
        required=False,
        label="Jangan diisi",
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def __init__(self, *args, regencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["regency"].queryset = regencies

    def is_robot(self) -> bool:
        return bool(self.data.get("website"))


class StatusCheckForm(forms.Form):
    number = forms.CharField(label="Nomor pengaduan", max_length=20)
    secret = forms.CharField(label="Kode rahasia", max_length=12)
