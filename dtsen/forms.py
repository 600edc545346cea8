import datetime

from django import forms
from django.conf import settings
from django.utils import timezone

from regions.models import Regency

EXTENSIONS = (".csv", ".xlsx", ".txt")


class SnapshotForm(forms.Form):
    extract = forms.FileField(
        label="Berkas DTSEN (CSV atau .xlsx)",
        help_text="Kolom yang dibaca: NIK, No. KK, Nama, Desil, ID DTSEN/ID keluarga, Kab/Kota; "
        "kolom lain disimpan apa adanya.",
    )
    period = forms.DateField(
        label="Periode data",
        help_text="Tanggal data DTSEN dalam berkas (menentukan triwulannya), mis. 01-07-2026 untuk Triwulan III 2026.",
        input_formats=["%d-%m-%Y", "%Y-%m-%d", "%d/%m/%Y"],
        widget=forms.DateInput(attrs={"placeholder": "HH-BB-TTTT"}),
    )
    source = forms.CharField(
        label="Sumber", max_length=200, initial="Pusdatin Kemensos melalui SIKS-NG",
        help_text="Dari mana berkas ini diterima (instansi, nomor surat bila ada).",
    )  # fmt: skip
    regency = forms.ModelChoiceField(
        label="Cakupan", queryset=Regency.objects.all(), required=False, empty_label="Seluruh Kalimantan Timur"
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if not user.is_provincial:  # an officer imports their own regency's extract
            self.fields["regency"].queryset = Regency.objects.filter(pk=user.regency_id)
            self.fields["regency"].empty_label = None
            self.fields["regency"].initial = user.regency_id

    def clean_extract(self):
        upload = self.cleaned_data["extract"]
        if not upload.name.lower().endswith(EXTENSIONS):
            raise forms.ValidationError("Pilih berkas .csv atau .xlsx.")
        if upload.size > settings.DTSEN_EXTRACT_MAX_BYTES:
            limit = settings.DTSEN_EXTRACT_MAX_BYTES / 1048576
            raise forms.ValidationError(
                f"Berkas terlalu besar ({upload.size / 1048576:.1f} MB); maksimal {limit:.0f} MB."
            )
        return upload

    def clean_period(self):
        period = self.cleaned_data["period"]
        if period < datetime.date(2025, 1, 1):
            raise forms.ValidationError("DTSEN ada sejak 2025 (Inpres 4/2025); data sebelumnya adalah DTKS.")
        if period > timezone.localdate():
            raise forms.ValidationError("Periode data tidak boleh di masa depan.")
        return period
