from django import forms
from django.utils import timezone

from complaints.models import Category, Complaint, Outcome, Status
from core.forms import DateInput, FilesField, MultipleFileInput

ATTACHMENT_ACCEPT = "application/pdf,image/jpeg,image/png,image/heic,image/heif"


def attachments_field(help_text: str) -> FilesField:
    return FilesField(
        label="Lampiran (foto atau surat)",
        required=False,
        help_text=help_text,
        widget=MultipleFileInput(attrs={"accept": ATTACHMENT_ACCEPT}),
    )


# The records a complaint may name, as the query parameters of the "Catat pengaduan" buttons on their pages.
LINK_PARAMETERS = {"penduduk": "person", "kube": "group", "usulan": "item", "alokasi": "allocation", "bast": "handover"}


class RecordLookup:
    """A resident typed by NIK and a BAST by its number, each looked up in `self.people` / `self.handovers` (the
    records the officer may name); `where` says where they were looked for."""

    where = "wilayah Anda"

    def clean_nik(self):
        nik = self.cleaned_data["nik"].strip()
        if not nik:
            return None
        person = self.people.filter(nik=nik).first()
        if person is None:
            raise forms.ValidationError(f"NIK ini tidak ditemukan di data penduduk {self.where}.")
        return person

    def clean_bast_number(self):
        number = self.cleaned_data["bast_number"].strip().upper()
        if not number:
            return None
        handover = self.handovers.filter(number=number).first()
        if handover is None:
            raise forms.ValidationError(f"Nomor BAST ini tidak ditemukan di {self.where}.")
        return handover


class ComplaintForm(RecordLookup, forms.ModelForm):
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
            "received_on": DateInput(),
            "description": forms.Textarea(attrs={"rows": 5}),
        }

    nik = forms.CharField(
        label="NIK penerima yang diadukan (bila ada)", max_length=16, required=False,
        help_text="Menautkan pengaduan ke data penduduk; bila terbukti, usulannya ditandai perlu ditinjau.",
    )  # fmt: skip
    bast_number = forms.CharField(
        label="Nomor BAST (bila ada)", max_length=40, required=False,
        help_text="Mis. BAST/WRSE/64.72/2024/0001; bila terbukti, BAST diberi catatan pengaduan.",
    )  # fmt: skip

    attachments = attachments_field("Foto (JPEG, PNG, HEIC) atau surat PDF; boleh lebih dari satu.")

    def __init__(self, *args, regencies, records, **kwargs):
        """`records`: the querysets the user may link to, by service name (person, group, item, allocation,
        handover); a linked record outside them is refused like a missing one."""
        super().__init__(*args, **kwargs)
        self.fields["regency"].queryset = regencies
        self.fields["regency"].empty_label = None if regencies.count() == 1 else "— pilih —"
        self.fields["received_on"].initial = timezone.localdate()
        self.people, self.handovers = records["person"], records["handover"]
        for parameter, name in LINK_PARAMETERS.items():
            self.fields[parameter] = forms.ModelChoiceField(
                queryset=records[name], required=False, widget=forms.HiddenInput,
                error_messages={"invalid_choice": "Data yang ditautkan tidak ditemukan di wilayah Anda."},
            )  # fmt: skip

    def linked(self) -> list:
        """The records this complaint names through the buttons of their pages (shown above the form)."""
        found = []
        for parameter in LINK_PARAMETERS:
            value = self[parameter].value()
            if value and str(value).isdigit():
                record = self.fields[parameter].queryset.filter(pk=value).first()
                if record is not None:
                    found.append((self.fields[parameter].queryset.model._meta.verbose_name, record))
        return found

    def clean(self):
        cleaned = super().clean()
        for parameter in LINK_PARAMETERS:  # a hidden field's error belongs on top of the form
            if parameter in self.errors:
                self.add_error(None, self.errors.pop(parameter))
        for typed, parameter in (("nik", "penduduk"), ("bast_number", "bast")):
            given, linked = cleaned.get(typed), cleaned.get(parameter)
            if given is not None and linked is not None and given != linked:
                self.add_error(typed, "Berbeda dengan data yang ditautkan di atas; kosongkan isian ini.")
        return cleaned

    def data_for_service(self) -> dict:
        skip = {"nik", "bast_number", "attachments", *LINK_PARAMETERS}
        data = {k: v for k, v in self.cleaned_data.items() if k not in skip}
        for parameter, name in LINK_PARAMETERS.items():
            data[name] = self.cleaned_data.get(parameter)
        data["person"] = data["person"] or self.cleaned_data.get("nik")
        data["handover"] = data["handover"] or self.cleaned_data.get("bast_number")
        return data


class LinkForm(RecordLookup, forms.Form):
    """What a complaint is about, found by the officer after it came in: a resident by NIK, a KUBE group, or a BAST
    by its number — each looked up among the records the officer may see, in the complaint's regency."""

    where = "kabupaten/kota pengaduan ini"

    nik = forms.CharField(label="NIK penduduk yang diadukan", max_length=16, required=False)
    group = forms.ModelChoiceField(label="KUBE yang diadukan", queryset=None, required=False, empty_label="—")
    bast_number = forms.CharField(
        label="Nomor BAST", max_length=40, required=False, help_text="Mis. BAST/WRSE/64.72/2024/0001"
    )

    def __init__(self, *args, records, regency, **kwargs):
        super().__init__(*args, **kwargs)
        self.people = records["person"].filter(regency=regency)
        self.handovers = records["handover"].filter(regency=regency)
        self.fields["group"].queryset = records["group"].filter(regency=regency).order_by("name")

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not any(cleaned.get(k) for k in ("nik", "group", "bast_number")):
            raise forms.ValidationError("Isi NIK, KUBE atau nomor BAST yang diadukan.")
        return cleaned

    def links(self) -> dict:
        data = self.cleaned_data
        return {"person": data.get("nik"), "group": data.get("group"), "handover": data.get("bast_number")}


class StepForm(forms.Form):
    status = forms.ChoiceField(label="Status berikutnya", choices=Status.choices)
    outcome = forms.ChoiceField(label="Hasil (bila selesai)", choices=[("", "—"), *Outcome.choices], required=False)
    note = forms.CharField(label="Catatan tindak lanjut", widget=forms.Textarea(attrs={"rows": 3}))
    public = forms.BooleanField(label="Tampilkan catatan ini kepada pelapor (halaman publik)", required=False)

    def __init__(self, *args, allowed, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [(v, label) for v, label in Status.choices if v in allowed]


PERSONAL_DATA_NEEDS_CONTACT = (
    "Permintaan atas data pribadi perlu nama dan kontak (tidak anonim) agar petugas dapat memeriksa identitas Anda "
    "sebelum memberikan atau mengubah data."
)


class PublicComplaintForm(forms.Form):
    """The public page's form. `website` is a honeypot: people never see it, robots fill it."""

    regency = forms.ModelChoiceField(label="Kabupaten/Kota", queryset=None, empty_label="— pilih —")
    category = forms.ChoiceField(
        label="Jenis pengaduan", choices=[("", "— pilih —"), *Category.choices],
        help_text="Untuk meminta salinan, perbaikan, pembatasan atau penghapusan data pribadi Anda, pilih "
        "“Permintaan atas data pribadi (UU PDP)”: dijawab dalam 3×24 jam setelah identitas Anda diperiksa.",
    )  # fmt: skip
    description = forms.CharField(
        label="Uraian pengaduan", max_length=5000, widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Ceritakan apa yang terjadi, di mana dan kapan. Jangan menuliskan NIK.",
    )  # fmt: skip
    complainant_name = forms.CharField(label="Nama (boleh dikosongkan)", max_length=150, required=False)
    complainant_contact = forms.CharField(
        label="Nomor HP/WhatsApp atau e-mail (boleh dikosongkan)",
        max_length=150,
        required=False,
        help_text="Agar petugas dapat menghubungi Anda bila perlu keterangan tambahan.",
    )
    anonymous = forms.BooleanField(
        label="Rahasiakan identitas saya (anonim)",
        required=False,
        help_text="Nama dan kontak yang Anda isi tidak disimpan; pantau pengaduan dengan nomor dan kode rahasia.",
    )
    attachments = attachments_field("Foto atau surat PDF, paling banyak 3 berkas (boleh dikosongkan).")
    website = forms.CharField(
        required=False,
        label="Jangan diisi",
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def __init__(self, *args, regencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["regency"].queryset = regencies

    def clean(self):
        data = super().clean()
        if data.get("category") == Category.PERSONAL_DATA and (
            data.get("anonymous") or not data.get("complainant_contact")
        ):
            self.add_error("complainant_contact", PERSONAL_DATA_NEEDS_CONTACT)
        return data

    def is_robot(self) -> bool:
        return bool(self.data.get("website"))


class StatusCheckForm(forms.Form):
    """Sent by POST: the number and the secret never stand in a URL (browser history, server logs)."""

    number = forms.CharField(label="Nomor pengaduan", max_length=20, help_text="Contoh: PGD/2026/0007")
    secret = forms.CharField(
        label="Kode rahasia",
        max_length=20,  # 11 characters, perhaps typed in groups with spaces or dashes
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}),
    )


class AttachForm(forms.Form):
    attachments = attachments_field("Foto atau surat PDF; boleh lebih dari satu.")
