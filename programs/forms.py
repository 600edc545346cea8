from django import forms

from core.forms import RupiahField
from programs.models import BudgetYear


class BudgetYearForm(forms.ModelForm):
    class Meta:
        model = BudgetYear
        fields = [
            "year",
            "total_ceiling",
            "funding_source",
            "status",
            "wrse_package_value",
            "kube_package_value",
            "wrse_min_age",
            "wrse_max_age",
            "kube_min_members",
            "kube_max_members",
            "visit_months",
            "visit_window_days",
            "graduation_min_score",
            "graduated_proposal_level",
            "wrse_max_desil",
            "kube_max_desil",
            "desil_level",
            "dtsen_max_age_quarters",
            "proposal_deadline",
            "scorecard_min_count",
            "package_band_percent",
        ]
        widgets = {"proposal_deadline": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}
        field_classes = {
            "total_ceiling": RupiahField,
            "wrse_package_value": RupiahField,
            "kube_package_value": RupiahField,
        }

    def clean(self):
        cleaned = super().clean()
        low, high = cleaned.get("wrse_min_age"), cleaned.get("wrse_max_age")
        if low is not None and high is not None and low > high:
            self.add_error("wrse_max_age", "Usia maksimum tidak boleh lebih kecil dari usia minimum.")
        low, high = cleaned.get("kube_min_members"), cleaned.get("kube_max_members")
        if low is not None and low < 3:
            self.add_error("kube_min_members", "KUBE minimal beranggotakan 3 orang (ketua, sekretaris, bendahara).")
        if low is not None and high is not None and low > high:
            self.add_error("kube_max_members", "Anggota maksimum tidak boleh lebih kecil dari anggota minimum.")
        return cleaned

    def clean_visit_months(self):
        from programs.models import parse_months

        try:
            months = parse_months(self.cleaned_data["visit_months"])
        except ValueError as error:
            raise forms.ValidationError(str(error)) from None
        return ", ".join(str(m) for m in months)
