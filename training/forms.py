from django import forms

from core.forms import DateInput
from programs.models import BudgetYear
from regions.models import Regency
from training.models import TOPICS, TrainingSession


class SessionForm(forms.ModelForm):
    class Meta:
        model = TrainingSession
        fields = ["budget_year", "program", "regency", "topic", "start_date", "end_date", "venue", "facilitators",
                  "capacity"]  # fmt: skip
        widgets = {
            "start_date": DateInput(),
            "end_date": DateInput(),
            "facilitators": forms.Textarea(attrs={"rows": 2}),
            "topic": forms.TextInput(attrs={"list": "topics"}),
        }
        help_texts = {"topic": "Misalnya: " + "; ".join(TOPICS)}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["budget_year"].queryset = BudgetYear.objects.exclude(status=BudgetYear.Status.CLOSED)
        self.fields["regency"].queryset = Regency.objects.order_by("code")
        open_years = list(self.fields["budget_year"].queryset[:2])
        if len(open_years) == 1 and not self.initial.get("budget_year"):
            self.initial["budget_year"] = open_years[0].pk  # the only year that can be chosen

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", "Tanggal selesai tidak boleh sebelum tanggal mulai.")
        return cleaned


class AttendanceUploadForm(forms.Form):
    workbook = forms.FileField(label="Daftar hadir terisi (.xlsx)")
