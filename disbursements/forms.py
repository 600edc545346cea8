from decimal import Decimal

from django import forms

from core.forms import DateInput, RupiahField
from disbursements.models import GoodsItem, Package
from programs.models import Program


class GoodsItemForm(forms.ModelForm):
    class Meta:
        model = GoodsItem
        fields = ["name", "unit", "unit_price", "specification", "is_active"]
        widgets = {"specification": forms.Textarea(attrs={"rows": 3})}
        field_classes = {"unit_price": RupiahField}
        help_texts = {"unit_price": "Rupiah, mis. 2.500.000. Perubahan harga hanya berlaku untuk alokasi berikutnya."}


class PackageForm(forms.ModelForm):
    class Meta:
        model = Package
        fields = ["name", "program", "business_type", "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["business_type"].queryset = self.fields["business_type"].queryset.filter(is_active=True)


class PackageLineForm(forms.Form):
    goods = forms.ModelChoiceField(
        label="Barang", queryset=GoodsItem.objects.filter(is_active=True), required=False, empty_label="— pilih —"
    )
    quantity = forms.IntegerField(label="Jumlah", min_value=1, required=False)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("goods") and not cleaned.get("quantity"):
            self.add_error("quantity", "Isi jumlahnya.")
        if cleaned.get("quantity") and not cleaned.get("goods"):
            self.add_error("goods", "Pilih barangnya.")
        return cleaned


PackageLineFormSet = forms.formset_factory(PackageLineForm, extra=0, min_num=6, max_num=30)


def formset_lines(formset) -> list[tuple[GoodsItem, int]]:
    return [(f.cleaned_data["goods"], f.cleaned_data["quantity"]) for f in formset if f.cleaned_data.get("goods")]


class CeilingEditorForm(forms.Form):
    """One target and one amount field per regency × program of the year."""

    def __init__(self, *args, regencies, initial_values, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = []
        for regency in regencies:
            row = {"regency": regency, "cells": []}
            for program in Program.values:
                target, amount = initial_values.get((regency.pk, program), (0, 0))
                t_name, a_name = f"t_{regency.pk}_{program}", f"a_{regency.pk}_{program}"
                self.fields[t_name] = forms.IntegerField(min_value=0, initial=target, label=f"Target {program}")
                self.fields[a_name] = RupiahField(initial=amount, label=f"Pagu {program}")
                self.fields[a_name].widget.attrs.update(
                    {"class": "form-control form-control-sm text-end mw-12",
                     "aria-label": f"Pagu {program} {regency}", "data-pagu": "1"}
                )  # fmt: skip
                row["cells"].append((program, t_name, a_name))
            self.rows.append(row)

    def bound_rows(self):
        for name in self.errors:
            if name in self.fields:
                self.fields[name].widget.attrs["class"] = (
                    self.fields[name].widget.attrs.get("class", "") + " is-invalid"
                )
        return [
            {"regency": row["regency"], "cells": [(p, self[t], self[a]) for p, t, a in row["cells"]]}
            for row in self.rows
        ]

    def totals(self) -> dict:
        """The target and amount per program and overall as the form holds them (for the totals line)."""
        totals = {program: [0, Decimal(0)] for program in Program.values}
        for row in self.rows:
            for program, t, a in row["cells"]:
                target, amount = self[t].value(), self[a].value()
                try:
                    totals[program][0] += int(target or 0)
                    totals[program][1] += self.fields[a].clean(amount) if self.is_bound else Decimal(amount or 0)
                except (ValueError, forms.ValidationError):
                    pass
        overall = sum((amount for _, amount in totals.values()), Decimal(0))
        return {"programs": totals, "amount": overall}

    def values(self) -> dict:
        return {
            (row["regency"].pk, program): (self.cleaned_data[t], self.cleaned_data[a])
            for row in self.rows
            for program, t, a in row["cells"]
        }


class AllocationForm(forms.Form):
    """Recipients (approved items shown on the page) and either a package or one kind of goods."""

    items = forms.TypedMultipleChoiceField(coerce=int, label="Penerima", error_messages={
        "required": "Pilih paling sedikit satu penerima."})  # fmt: skip
    package = forms.ModelChoiceField(
        label="Paket bantuan",
        queryset=Package.objects.filter(is_active=True),
        required=False,
        empty_label="— tanpa paket —",
    )
    goods = forms.ModelChoiceField(
        label="atau satu barang", queryset=GoodsItem.objects.filter(is_active=True), required=False, empty_label="—"
    )
    quantity = forms.IntegerField(label="Jumlah", min_value=1, required=False, initial=1)
    matching = forms.BooleanField(label="Paket sesuai jenis usaha masing-masing penerima", required=False)

    def __init__(self, *args, item_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["items"].choices = [(pk, pk) for pk in item_choices]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("matching"):
            cleaned["package"] = cleaned["goods"] = None
            return cleaned
        if bool(cleaned.get("package")) == bool(cleaned.get("goods")):
            raise forms.ValidationError(
                "Pilih sebuah paket bantuan, satu barang dengan jumlahnya, atau paket sesuai jenis usaha."
            )
        if cleaned.get("goods") and not cleaned.get("quantity"):
            self.add_error("quantity", "Isi jumlah barang.")
        return cleaned

    def lines(self) -> list:
        from disbursements.services import package_lines

        if self.cleaned_data.get("package"):
            return package_lines(self.cleaned_data["package"])
        return [(self.cleaned_data["goods"], self.cleaned_data["quantity"])]


class VoidForm(forms.Form):
    reason = forms.CharField(label="Alasan pembatalan", widget=forms.Textarea(attrs={"rows": 3}), max_length=1000)


class HandoverForm(forms.Form):
    """The BAST's own fields; the goods, their value and the second party come from the allocation."""

    handed_over_on = forms.DateField(label="Tanggal serah terima", widget=DateInput())
    place = forms.CharField(label="Tempat", max_length=200)
    first_party_name = forms.CharField(label="Nama pihak pertama (petugas)", max_length=150)
    first_party_nip = forms.CharField(label="NIP pihak pertama", max_length=18, required=False)
    first_party_position = forms.CharField(label="Jabatan pihak pertama", max_length=150)
    witness_name = forms.CharField(label="Nama yang mengetahui", max_length=150)
    witness_nip = forms.CharField(label="NIP yang mengetahui", max_length=18, required=False)
    witness_position = forms.CharField(label="Jabatan yang mengetahui", max_length=150)

    def __init__(self, *args, lines=(), **kwargs):
        super().__init__(*args, **kwargs)
        from disbursements.models import Condition

        self.line_fields = []
        for line in lines:
            name = f"kondisi_{line.pk}"
            self.fields[name] = forms.ChoiceField(
                label=f"Kondisi {line.goods.name}",
                choices=Condition.choices,
                initial=Condition.GOOD,
                widget=forms.Select(
                    attrs={"class": "form-select form-select-sm", "aria-label": f"Kondisi {line.goods.name}"}
                ),
            )
            self.line_fields.append((line, name))

    def bound_lines(self):
        return [(line, self[name]) for line, name in self.line_fields]

    def conditions(self) -> dict[int, str]:
        return {line.pk: self.cleaned_data[name] for line, name in self.line_fields}

    def handover_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.fields if not name.startswith("kondisi_")}


class HandoverBatchForm(HandoverForm):
    """The fields the BASTs of one Bimtek session share (every line is handed over in good condition)."""


class AttachmentForm(forms.Form):
    file = forms.FileField(label="Berkas")
