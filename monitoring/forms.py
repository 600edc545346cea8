from django import forms
from django.utils import timezone

from core.formatting import date_short
from core.forms import DateInput, FilesField, MultipleFileInput, RupiahField
from monitoring import sampling, schedule
from monitoring.graduation import ASSESSOR_CHOICES
from monitoring.models import (
    KUBE_STAGE_HELP,
    BusinessStatus,
    GoodsCondition,
    KubeStage,
    LineOutcome,
    Measure,
    Outcome,
    Recommendation,
    SampleMethod,
    Visit,
)


class VisitForm(forms.ModelForm):
    """A monitoring visit's answers; one condition field per goods line of the BAST (`goods_<line id>`)."""

    turnover = RupiahField(label="Omzet rata-rata per bulan (Rp)")
    net_income = RupiahField(label="Pendapatan bersih per bulan (Rp)", min_value=None)
    iks_balance = RupiahField(label="Saldo dana IKS (Rp)", required=False)
    photos = FilesField(
        label="Foto kunjungan",
        required=False,
        help_text="JPEG, PNG atau HEIC; boleh lebih dari satu. Foto diperkecil otomatis.",
        widget=MultipleFileInput(
            attrs={"accept": "image/jpeg,image/png,image/heic,image/heif", "capture": "environment", "data-shrink": ""}
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
            "visited_on": DateInput(),
            "problems": forms.Textarea(attrs={"rows": 2}),
            "follow_up": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, handover, **kwargs):
        super().__init__(*args, **kwargs)
        self.handover = handover
        months = handover.budget_year.months

        def scheduled(month):  # each scheduled visit with its date and the day its window opens
            due, opens = schedule.window(handover.handed_over_on, month, handover.budget_year.visit_window_days)
            return f"Bulan ke-{month} setelah BAST — jadwal {date_short(due)}, dapat dicatat sejak {date_short(opens)}"

        self.fields["due_month"] = forms.TypedChoiceField(
            label="Kunjungan",
            help_text="Di luar jendela jadwal: catat sebagai kunjungan tambahan (tidak dihitung untuk graduasi).",
            choices=[(m, scheduled(m)) for m in months] + [("", "Kunjungan tambahan (di luar jadwal)")],
            coerce=int,
            empty_value=None,
            required=False,
        )
        self.fields["visited_on"].initial = timezone.localdate()
        self.fields["business_status"].choices = [("", "— pilih —"), *BusinessStatus.choices]
        self.fields["workers"].help_text = ""
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


class AssessmentForm(forms.Form):
    """The assessor's part of a graduation assessment: their criteria (`score_<criterion id>`), the decision."""

    decision = forms.ChoiceField(label="Keputusan", choices=Recommendation.choices, widget=forms.RadioSelect)
    exit_reason = forms.CharField(
        label="Alasan keluar", required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=500
    )
    note = forms.CharField(label="Catatan penilai", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, criteria, **kwargs):
        super().__init__(*args, **kwargs)
        self.assessor_criteria = [c for c in criteria if c.measure == Measure.ASSESSOR]
        for criterion in self.assessor_criteria:
            self.fields[f"score_{criterion.pk}"] = forms.ChoiceField(
                label=criterion.name,
                choices=[("", "— belum dinilai —"), *ASSESSOR_CHOICES],
                required=False,
            )

    @property
    def score_fields(self):
        return [self[f"score_{c.pk}"] for c in self.assessor_criteria]

    def assessor_scores(self) -> dict[str, str]:
        return {str(c.pk): self.cleaned_data.get(f"score_{c.pk}") or "" for c in self.assessor_criteria}


class ReviewForm(forms.Form):
    approve = forms.TypedChoiceField(
        label="Hasil pemeriksaan",
        choices=[("1", "Setujui"), ("0", "Kembalikan ke kabupaten/kota")],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    review_note = forms.CharField(
        label="Catatan (wajib bila dikembalikan)", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class CriterionForm(forms.Form):
    name = forms.CharField(label="Kriteria", max_length=150)
    measure = forms.ChoiceField(label="Cara menilai", choices=Measure.choices)
    month = forms.TypedChoiceField(label="Kunjungan bulan ke", coerce=int, empty_value=None, required=False)
    weight = forms.IntegerField(label="Bobot", min_value=1, max_value=100, initial=1)
    required = forms.BooleanField(label="Wajib", required=False)

    def __init__(self, *args, months, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["month"].choices = [("", "Terakhir"), *[(m, str(m)) for m in months]]
        for name, field in self.fields.items():  # shown in a table row: the column heads are the labels
            css = (
                "form-check-input"
                if name == "required"
                else ("form-select" if isinstance(field, forms.ChoiceField) else "form-control")
            )
            field.widget.attrs.update({"class": css, "aria-label": field.label})


class _CriteriaFormSet(forms.BaseFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        form.fields["DELETE"].widget.attrs.update({"class": "form-check-input", "aria-label": "Hapus kriteria ini"})


CriteriaFormSet = forms.formset_factory(CriterionForm, formset=_CriteriaFormSet, extra=2, can_delete=True)


class ThresholdForm(forms.Form):
    """One monthly turnover threshold per regency (`amount_<code>`), blank for none."""

    def __init__(self, *args, regencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.regencies = list(regencies)
        for regency in self.regencies:
            self.fields[f"amount_{regency.code}"] = RupiahField(label=str(regency), required=False)

    def values(self) -> dict:
        return {r.code: self.cleaned_data.get(f"amount_{r.code}") for r in self.regencies}


class SampleForm(forms.Form):
    regency = forms.ModelChoiceField(label="Kabupaten/Kota", queryset=None, empty_label=None)
    method = forms.ChoiceField(label="Cara", choices=SampleMethod.choices, initial=SampleMethod.RANDOM)
    confidence = forms.TypedChoiceField(
        label="Tingkat kepercayaan",
        choices=[(c, f"{c}%") for c in sampling.CONFIDENCE_LEVELS],
        coerce=int,
        initial=95,
    )
    margin = forms.TypedChoiceField(
        label="Batas kesalahan", choices=[(m, f"{m}%") for m in sampling.MARGINS], coerce=int, initial=10
    )

    def __init__(self, *args, regencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["regency"].queryset = regencies


class VerificationForm(forms.Form):
    """What the verifier found; one outcome per goods line (`line_<id>`) when the goods came incomplete or damaged."""

    outcome = forms.ChoiceField(label="Hasil", choices=Outcome.choices, widget=forms.RadioSelect)
    checked_on = forms.DateField(label="Tanggal pemeriksaan", widget=DateInput())
    note = forms.CharField(label="Catatan", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    photo = forms.FileField(
        label="Foto",
        required=False,
        widget=forms.ClearableFileInput(
            attrs={"accept": "image/jpeg,image/png,image/heic,image/heif", "capture": "environment", "data-shrink": ""}
        ),
    )

    def __init__(self, *args, handover, **kwargs):
        super().__init__(*args, **kwargs)
        self.goods_lines = list(handover.lines.all())
        for line in self.goods_lines:
            self.fields[f"line_{line.pk}"] = forms.ChoiceField(
                label=f"{line.goods} ({line.quantity} {line.goods.get_unit_display()})",
                choices=[("", "—"), *LineOutcome.choices],
                required=False,
            )

    @property
    def line_fields(self):
        return [self[f"line_{line.pk}"] for line in self.goods_lines]

    service_keys = ("lines",)

    def add_error(self, field, error):
        """The service's "lines" problem is shown on top and on the goods it is about: each line left empty, or
        every line when none is (all marked complete), so the officer sees where to choose."""
        if field != "lines":
            return super().add_error(field, error)
        super().add_error(None, error)
        data = self.cleaned_data if hasattr(self, "cleaned_data") else {}
        names = [f"line_{line.pk}" for line in self.goods_lines]
        empty = [name for name in names if not data.get(name)]
        for name in empty or names:
            if name not in self._errors:
                self._errors[name] = self.error_class(["Pilih hasil barang ini."])
        return None

    def data_for_service(self) -> dict:
        data = {k: self.cleaned_data.get(k) for k in ("outcome", "checked_on", "note")}
        data["lines"] = {str(line.pk): self.cleaned_data.get(f"line_{line.pk}") or "" for line in self.goods_lines}
        return data


class WorklistUploadForm(forms.Form):
    file = forms.FileField(
        label="Lembar kerja kunjungan yang sudah diisi (.xlsx)",
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )

    def clean_file(self):
        from django.conf import settings

        upload = self.cleaned_data["file"]
        limit = settings.PROPOSAL_WORKBOOK_MAX_BYTES
        if upload.size > limit:
            raise forms.ValidationError(f"Berkas terlalu besar; maksimal {limit // 1048576} MB.")
        return upload
