from django import forms

from rechecks.models import Outcome, Recheck


class OutcomeForm(forms.ModelForm):
    outcome = forms.ChoiceField(label="Hasil verifikasi lapangan", choices=Outcome.choices, widget=forms.RadioSelect)

    class Meta:
        model = Recheck
        fields = ["outcome", "reason", "checked_on"]
        widgets = {
            "reason": forms.Textarea(attrs={"rows": 3}),
            "checked_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
        help_texts = {"reason": "Wajib bila tidak layak: apa yang ditemukan di lapangan (mis. sudah bekerja tetap, "
                                "pindah domisili, meninggal dunia)."}  # fmt: skip

    def clean(self):
        data = super().clean()
        if data.get("outcome") == Outcome.INELIGIBLE and not (data.get("reason") or "").strip():
            self.add_error("reason", "Tuliskan alasan mengapa penerima tidak layak.")
        return data
