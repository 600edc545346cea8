from django import forms
from django.utils import timezone

from core.forms import RupiahField
from monitoring.models import KUBE_STAGE_HELP, GoodsCondition, KubeStage, Visit


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Several photos in one input; each is checked by content in the service."""

    widget = MultipleFileInput

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class VisitForm(forms.ModelForm):
    """A monitoring visit's answers; one condition field per goods line of the BAST (`goods_<line id>`)."""

    turnover = RupiahField(label="Omzet rata-rata per bulan (Rp)")
    net_income = RupiahField(label="Pendapatan bersih per bulan (Rp)", min_value=None)
    iks_balance = RupiahField(label="Saldo dana IKS (Rp)", required=False)
    photos = PhotosField(
        label="Foto kunjungan",
        required=False,
        help_text="JPEG, PNG atau HEIC; boleh lebih dari satu. Foto diperkecil otomatis.",
        widget=MultipleFileInput(
            attrs={"accept": "image/jpeg,image/png,image/heic,image/heif", "capture": "environment"}
        ),
    )

    class Meta:
        model = Visit
        fields = [
            "due_month",
            "visited_on",
            "visitor_name",
            "mode",
            "business_status",
            "turnover",
            "net_income",
            "workers",
            "stage",
            "iks_balance",
            "problems",
            "follow_up",
        ]
        widgets = {
            "visited_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "problems": forms.Textarea(attrs={"rows": 2}),
            "follow_up": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, handover, **kwargs):
        super().__init__(*args, **kwargs)
        self.handover = handover
        months = handover.budget_year.months
        self.fields["due_month"] = forms.TypedChoiceField(
            label="Kunjungan",
            choices=[(m, f"Bulan ke-{m} setelah BAST") for m in months] + [("", "Kunjungan tambahan (di luar jadwal)")],
            coerce=int,
            empty_value=None,
            required=False,
        )
        self.fields["visited_on"].initial = timezone.localdate()
        if handover.program == "KUBE":
            self.fields["stage"].required = True
            self.fields["stage"].choices = [("", "—")] + list(KubeStage.choices)
            self.fields["stage"].help_text = " ".join(f"{KubeStage(k).label}: {v}" for k, v in KUBE_STAGE_HELP.items())
            self.fields["iks_balance"].required = True
            self.fields["workers"].label = "Anggota aktif"
        else:
            del self.fields["stage"]
            del self.fields["iks_balance"]
            self.fields["workers"].label = "Tenaga kerja (termasuk penerima)"
        self.goods_lines = list(handover.lines.all())
        current = {}
        if self.instance.pk:
            current = {g.line_id: g.condition for g in self.instance.goods.all()}
        for line in self.goods_lines:
            self.fields[f"goods_{line.pk}"] = forms.ChoiceField(
                label=f"{line.goods} ({line.quantity} {line.goods.get_unit_display()})",
                choices=[("", "— pilih —"), *GoodsCondition.choices],
                initial=current.get(line.pk),
            )

    @property
    def goods_fields(self):
        return [self[f"goods_{line.pk}"] for line in self.goods_lines]

    @property
    def answer_fields(self):
        skip = {f"goods_{line.pk}" for line in self.goods_lines} | {"photos"}
        return [field for field in self if field.name not in skip]

    def goods(self) -> dict[int, str]:
        return {line.pk: self.cleaned_data[f"goods_{line.pk}"] for line in self.goods_lines}

    def answers(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in self.Meta.fields if name in self.fields}


class VoidForm(forms.Form):
    reason = forms.CharField(label="Alasan pembatalan", widget=forms.Textarea(attrs={"rows": 3}), max_length=500)
