from django import forms
from django.forms.models import fields_for_model, model_to_dict
from django.urls import reverse

from beneficiaries.models import KubeGroup, MemberRole, Person
from beneficiaries.services import GROUP_FIELDS, PERSON_FIELDS
from core.forms import DateInput
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
        instance = self.instance
        chosen = self.data.get(self.add_prefix("district")) or (
            instance.village.district_id if instance is not None and instance.village_id else None
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


class _ServiceForm(forms.Form):
    """A form over a model's fields that validates input only: the model rules (NIK, uniqueness,
    constraints) are the service's, which reports them per field with messages that say what is wrong."""

    def __init__(self, *args, instance=None, **kwargs):
        self.instance = instance
        if instance is not None:
            kwargs.setdefault("initial", model_to_dict(instance, fields=list(self.base_fields)))
        super().__init__(*args, **kwargs)


def _date_field(label, required=True):
    return forms.DateField(
        label=label,
        required=required,
        input_formats=DATE_FORMATS,
        widget=DateInput(),
        help_text="Contoh: 17/08/1985" if required else "",
    )


class PersonForm(_RegionFieldsMixin, _ServiceForm):
    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self._setup_regions(user)


class KubeGroupForm(_RegionFieldsMixin, _ServiceForm):
    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["business_type"].queryset = BusinessType.objects.filter(is_active=True)
        self._setup_regions(user)


# The fields come from the models (labels, choices, lengths); set after the classes, as the form
# metaclass would otherwise replace them with the (no) declared fields.
PersonForm.base_fields = {
    **fields_for_model(
        Person,
        fields=PERSON_FIELDS,
        widgets={
            "nik": forms.TextInput(attrs={"inputmode": "numeric", "maxlength": 16, "autocomplete": "off"}),
            "kk_number": forms.TextInput(attrs={"inputmode": "numeric", "maxlength": 16, "autocomplete": "off"}),
            "phone": forms.TextInput(attrs={"inputmode": "tel", "placeholder": "08…"}),
        },
    ),
    "birth_date": _date_field("Tanggal lahir"),
}
KubeGroupForm.base_fields = {
    **fields_for_model(KubeGroup, fields=GROUP_FIELDS),
    "founded": _date_field("Tanggal berdiri", required=False),
}


class MemberAddForm(forms.Form):
    person = forms.IntegerField(widget=forms.HiddenInput)
    role = forms.ChoiceField(label="Jabatan", choices=MemberRole.choices, initial=MemberRole.MEMBER)


class MemberRoleForm(forms.Form):
    role = forms.ChoiceField(label="Jabatan", choices=MemberRole.choices)


class MergeForm(forms.Form):
    keep = forms.IntegerField()
    duplicate = forms.IntegerField()
