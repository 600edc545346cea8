from django import forms
from django.utils import timezone

from core.formatting import date_short
from core.forms import DateInput, FilesField, MultipleFileInput, RupiahField
from monitoring import sampling, schedule, units
from monitoring.graduation import ASSESSOR_CHOICES
from monitoring.models import (
    KUBE_STAGE_HELP,
    BusinessStatus,
    GoodsCondition,
    KubeStage,
    Measure,
    Outcome,
    Recommendation,
    SampleMethod,
    UnitFinding,
    Visit,
)
from monitoring.services.visits import FIELDS as VISIT_FIELDS


class LineCounts:
    """One goods line of a BAST on a form: a number box per condition (`<prefix>_<line id>_<condition>`) for how
    many of its units were found so, and the line's problem when they do not add up to its quantity."""

    def __init__(self, form, line, prefix, choices):
        self.line = line
        self.label = f"{line.goods} ({line.quantity} {line.goods.get_unit_display()})"
        self.conditions = {f"{prefix}_{line.pk}_{value}": value for value, _label in choices}
        self.names = list(self.conditions)
        self.form = form

    @property
    def fields(self):
        return [self.form[name] for name in self.names]

    @property
    def errors(self):
        return [e for name in self.names for e in self.form.errors.get(name, [])]

    def counts(self) -> dict:
        data = getattr(self.form, "cleaned_data", {})
        return {condition: data[name] for name, condition in self.conditions.items() if data.get(name)}


def add_count_fields(form, lines, *, prefix, choices, current=None) -> list[LineCounts]:
    """Put a number box per condition for each goods line on the form (current: {line id: {condition: units}})."""
    groups = []
    for line in lines:
        group = LineCounts(form, line, prefix, choices)
        for name, (value, label) in zip(group.names, choices, strict=True):
            form.fields[name] = forms.IntegerField(
                label=label,
                required=False,
                min_value=0,
                max_value=line.quantity,
                initial=(current or {}).get(line.pk, {}).get(value),
                widget=forms.NumberInput(
                    attrs={"class": "form-control", "inputmode": "numeric", "min": 0, "max": line.quantity}
                ),
            )
        groups.append(group)
    return groups


def check_counts(form, groups, known) -> None:
    """Each line's units must add up to its quantity: the problem is shown under the line, its boxes marked."""
    for group in groups:
        if any(name in form.errors for name in group.names):
            continue
        line = group.line
        message = units.problem(None, line.quantity, line.goods.get_unit_display(), group.counts(), known)
        if message:
            form.add_error(group.names[0], message)
    for group in groups:
        if group.errors:
            for name in group.names:
                form.fields[name].widget.attrs["class"] = "form-control is-invalid"


class VisitForm(forms.ModelForm):
    """A monitoring visit's answers; for each goods line of the BAST a number box per condition
    (`goods_<line id>_<condition>`): how many of its units are used, broken, sold, …"""

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
        fields = VISIT_FIELDS
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
        current = {}
        if self.instance.pk:
            for g in self.instance.goods.all():
                current.setdefault(g.line_id, {})[g.condition] = g.quantity
        self.goods_groups = add_count_fields(
            self, handover.lines.all(), prefix="goods", choices=GoodsCondition.choices, current=current
        )

    def clean(self):
        cleaned = super().clean()
        check_counts(self, self.goods_groups, GoodsCondition.values)
        return cleaned

    @property
    def answer_fields(self):
        skip = {name for group in self.goods_groups for name in group.names} | {"photos"}
        return [field for field in self if field.name not in skip]

    def goods(self) -> dict[int, dict[str, int]]:
        return {group.line.pk: group.counts() for group in self.goods_groups}

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


class SupplementForm(forms.Form):
    """How to draw: every recipient, or a random sample at a confidence and margin (a supplementary draw's form)."""

    method = forms.ChoiceField(label="Cara", choices=SampleMethod.choices, initial=SampleMethod.RANDOM)
    confidence = forms.TypedChoiceField(
        label="Tingkat kepercayaan",
        choices=[(c, f"{c}%") for c in sampling.CONFIDENCE_LEVELS],
        coerce=int,
        initial=95,
        required=False,  # for a random sample only (the service says so)
        empty_value=None,
    )
    margin = forms.TypedChoiceField(
        label="Batas kesalahan",
        choices=[(m, f"{m}%") for m in sampling.MARGINS],
        coerce=int,
        initial=10,
        required=False,
        empty_value=None,
    )


class SampleForm(SupplementForm):
    regency = forms.ModelChoiceField(label="Kabupaten/Kota", queryset=None, empty_label=None)
    field_order = ["regency", "method", "confidence", "margin"]

    def __init__(self, *args, regencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["regency"].queryset = regencies


class VerificationForm(forms.Form):
    """What the verifier found; when the goods came incomplete or damaged, for each goods line a number box per
    finding (`line_<id>_<finding>`): how many units are there and good, damaged, missing."""

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

    def __init__(self, *args, handover, current=None, **kwargs):
        super().__init__(*args, **kwargs)
        current = {int(pk): counts for pk, counts in (current or {}).items()}
        self.line_groups = add_count_fields(
            self, handover.lines.all(), prefix="line", choices=UnitFinding.choices, current=current
        )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("outcome") == Outcome.INCOMPLETE:
            check_counts(self, [g for g in self.line_groups if g.counts()], UnitFinding.values)
        return cleaned

    service_keys = ("lines",)

    def add_error(self, field, error):
        """The service's "lines" problem is shown on top, and the boxes of each line left empty are marked (every
        line's when none is, all marked good), so the officer sees where to count."""
        if field != "lines":
            return super().add_error(field, error)
        super().add_error(None, error)
        groups = [g for g in self.line_groups if not g.counts()] or self.line_groups
        for group in groups:
            for name in group.names:
                self.fields[name].widget.attrs["class"] = "form-control is-invalid"
        return None

    def data_for_service(self) -> dict:
        data = {k: self.cleaned_data.get(k) for k in ("outcome", "checked_on", "note")}
        data["lines"] = {str(g.line.pk): g.counts() for g in self.line_groups}
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
