from decimal import Decimal

from django import forms

from quality.measures import MEASURES


class ThresholdsForm(forms.Form):
    """good / poor / source of every measure of one budget year (good_<code>, poor_<code>, source_<code>), decimals
    written the Indonesian way (92,5)."""

    def __init__(self, *args, thresholds: dict, **kwargs):
        super().__init__(*args, **kwargs)
        for measure in MEASURES:
            threshold = thresholds[measure.code]
            unit = f" ({measure.unit})"
            self.fields[f"good_{measure.code}"] = forms.DecimalField(
                label=f"{measure.label}: batas baik{unit}", initial=threshold.good, max_digits=7, decimal_places=1,
                min_value=Decimal(0), localize=True,
            )  # fmt: skip
            self.fields[f"poor_{measure.code}"] = forms.DecimalField(
                label=f"{measure.label}: batas buruk{unit}", initial=threshold.poor, max_digits=7, decimal_places=1,
                min_value=Decimal(0), localize=True,
            )  # fmt: skip
            self.fields[f"source_{measure.code}"] = forms.CharField(
                label=f"{measure.label}: sumber ambang", initial=threshold.source, max_length=255
            )

    def values(self) -> dict:
        data = self.cleaned_data
        return {m.code: (data[f"good_{m.code}"], data[f"poor_{m.code}"], data[f"source_{m.code}"]) for m in MEASURES}

    def rows(self):
        """(measure, good field, poor field, source field) for the template's table."""
        return [(m, self[f"good_{m.code}"], self[f"poor_{m.code}"], self[f"source_{m.code}"]) for m in MEASURES]
