from django import forms
from django.urls import reverse

from beneficiaries.models import KubeGroup, MemberRole, Person
from programs.models import BusinessType
from regions.models import District, Village
from regions.selectors import regencies_visible_to

DATE_FORMATS = ["%d-%m-%Y", "%d/%m/%Y", "%Y-%m-%d"]


class _RegionFieldsMixin:
    """A kecamatan select that drives the desa/kelurahan select (htmx), both limited to the user's scope."""

    def _setup_regions(self, user):
        districts = District.objects.filter(regency__in=regencies_visible_to(user)).select_related("regency")
        self.fields["district"] = forms.ModelChoiceField(
            label="Kecamatan", queryset=districts.order_by("regency", "name"), required=True
        )
        self.fields["district"].label_from_instance = lambda d: (
            f"{d.name} — {d.regency.name}" if districts.values("regency").distinct().count() > 1 else d.name
        )
        chosen = self.data.get(self.add_prefix("district")) or (
            self.instance.village.district_id if self.instance.pk and self.instance.village_id else None
        )
        self.initial.setdefault("district", chosen)
        self.fields["village"].queryset = (
            Village.objects.filter(district=chosen, district__in=districts).order_by("name")
            if chosen
            else Village.objects.none()
        )
        self.fields["district"].widget.attrs.update(
            {"hx-get": reverse("regions:village_options"), "hx-target": "#id_village", "hx-trigger": "change"}
        )
        # The field order puts kecamatan before desa/kelurahan.
        order = list(self.fields)
        order.remove("district")
        order.insert(order.index("village"), "district")
        self.order_fields(order)


class PersonForm(_RegionFieldsMixin, forms.ModelForm):
    birth_date = forms.DateField(
        label="Tanggal lahir",
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(format="%d-%m-%Y", attrs={"placeholder": "HH-BB-TTTT"}),
        help_text="Contoh: 17-08-1985",
    )

    class Meta:
        model = Person
        fields = [
            "nik",
            "kk_number",
            "full_name",
            "sex",
            "birth_place",
            "birth_date",
            "marital_status",
            "address",
            "rt",
            "rw",
            "village",
            "phone",
            "occupation",
            "dtks_id",
            "desil",
            "last_assisted_year",
        ]
        widgets = {
            "nik": forms.TextInput(attrs={"inputmode": "numeric", "maxlength": 16, "autocomplete": "off"}),
            "kk_number": forms.TextInput(attrs={"inputmode": "numeric", "maxlength": 16, "autocomplete": "off"}),
            "phone": forms.TextInput(attrs={"inputmode": "tel", "placeholder": "08…"}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self._setup_regions(user)
        # Uniqueness is checked by the service (with a message that does not reveal another regency's data).
        self.fields["nik"].validators = [v for v in self.fields["nik"].validators if "unique" not in str(v)]

    def validate_unique(self):
        pass  # the service checks the NIK and says so per field


class KubeGroupForm(_RegionFieldsMixin, forms.ModelForm):
    founded = forms.DateField(
        label="Tanggal berdiri",
        required=False,
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(format="%d-%m-%Y", attrs={"placeholder": "HH-BB-TTTT"}),
    )

    class Meta:
        model = KubeGroup
        fields = ["name", "business_type", "village", "address", "founded"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["business_type"].queryset = BusinessType.objects.filter(is_active=True)
        self._setup_regions(user)

    def validate_unique(self):
        pass  # the service checks one active name per village


class MemberAddForm(forms.Form):
    person = forms.IntegerField(widget=forms.HiddenInput)
    role = forms.ChoiceField(label="Jabatan", choices=MemberRole.choices, initial=MemberRole.MEMBER)


class MemberRoleForm(forms.Form):
    role = forms.ChoiceField(label="Jabatan", choices=MemberRole.choices)


class MergeForm(forms.Form):
    keep = forms.IntegerField()
    duplicate = forms.IntegerField()
