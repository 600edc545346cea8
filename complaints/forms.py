from django import forms
from django.utils import timezone

from complaints.models import Complaint, Outcome, Status


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
