import datetime

import django_filters
from django import forms
from django.urls import reverse
from django.utils import timezone

from beneficiaries.models import KubeGroup, Person, Sex
from beneficiaries.selectors import name_or_nik_q, people_visible_to
from programs.models import BusinessType
from regions.models import District, Village
from regions.selectors import regencies_visible_to

AGE_BANDS = [
    ("<18", "di bawah 18 tahun"),
    ("18-29", "18–29 tahun"),
    ("30-39", "30–39 tahun"),
    ("40-49", "40–49 tahun"),
    ("50-59", "50–59 tahun"),
    ("60+", "60 tahun ke atas"),
]


def _years_ago(today: datetime.date, years: int) -> datetime.date:
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


def age_band_range(band: str, today: datetime.date) -> tuple[datetime.date | None, datetime.date | None]:
    """(born after, born on or before) for an age band: '30-39' = 30 ≤ age ≤ 39 today."""
    if band == "<18":
        return _years_ago(today, 18), None
    if band == "60+":
        return None, _years_ago(today, 60)
    low, high = (int(part) for part in band.split("-"))
    return _years_ago(today, high + 1), _years_ago(today, low)


class _ScopedRegionFilters(django_filters.FilterSet):
    """Regency / kecamatan / desa choices limited to what the user may see (and to the chosen parent)."""

    regency = django_filters.ModelChoiceFilter(label="Kabupaten/Kota", queryset=None, empty_label="Semua")
    district = django_filters.ModelChoiceFilter(label="Kecamatan", queryset=None, empty_label="Semua")
    village = django_filters.ModelChoiceFilter(label="Desa/Kelurahan", queryset=None, empty_label="Semua")

    def __init__(self, data=None, *args, user, **kwargs):
        super().__init__(data, *args, **kwargs)
        regencies = regencies_visible_to(user)
        self.filters["regency"].queryset = regencies
        districts = District.objects.filter(regency__in=regencies)
        chosen_regency = (data or {}).get("regency")
        if not user.is_provincial:
            self.filters["regency"].field.widget = forms.HiddenInput()  # an operator has one regency
        elif chosen_regency:
            districts = districts.filter(regency=chosen_regency)
        chosen_district = (data or {}).get("district")
        if user.is_provincial and not chosen_regency:
            # Over 100 kecamatan province-wide: they are offered once a regency is chosen (htmx);
            # a link that names a kecamatan alone still works.
            districts = districts.filter(pk=chosen_district) if chosen_district else districts.none()
        self.filters["district"].queryset = districts.order_by("name")
        villages = Village.objects.filter(district=chosen_district) if chosen_district else Village.objects.none()
        self.filters["village"].queryset = villages.filter(district__in=districts).order_by("name")
        # htmx: picking a regency reloads the kecamatan options, picking a kecamatan the desa options.
        self.filters["regency"].field.widget.attrs.update(
            {"hx-get": reverse("regions:district_options"), "hx-target": "#id_district", "hx-swap": "innerHTML"}
        )
        self.filters["district"].field.widget.attrs.update(
            {"hx-get": reverse("regions:village_options"), "hx-target": "#id_village", "hx-swap": "innerHTML"}
        )


class PersonFilter(_ScopedRegionFilters):
    q = django_filters.CharFilter(label="Cari nama atau NIK", method="search")
    sex = django_filters.ChoiceFilter(label="Jenis kelamin", choices=Sex.choices, empty_label="Semua")
    age = django_filters.ChoiceFilter(label="Usia", choices=AGE_BANDS, method="filter_age", empty_label="Semua")
    desil = django_filters.ChoiceFilter(
        label="Desil", choices=[(str(i), f"Desil {i}") for i in range(1, 11)], empty_label="Semua"
    )
    assisted = django_filters.ChoiceFilter(
        label="Pernah dibantu",
        choices=[("ya", "Pernah"), ("tidak", "Belum pernah")],
        method="filter_assisted",
        empty_label="Semua",
    )

    class Meta:
        model = Person
        fields = ["q", "regency", "district", "village", "sex", "age", "desil", "assisted"]

    def search(self, queryset, name, value):
        return queryset.filter(name_or_nik_q(value))

    def filter_age(self, queryset, name, value):
        born_after, born_by = age_band_range(value, timezone.localdate())
        if born_after:
            queryset = queryset.filter(birth_date__gt=born_after)
        if born_by:
            queryset = queryset.filter(birth_date__lte=born_by)
        return queryset

    def filter_assisted(self, queryset, name, value):
        return queryset.filter(last_assisted_year__isnull=(value != "ya"))

    def applied(self) -> list[tuple[str, str]]:
        """(label, value) of each filter in use, for the page and the export's title block."""
        if not self.is_bound or not self.form.is_valid():
            return []
        shown = []
        for name, value in self.form.cleaned_data.items():
            if value in (None, "", []):
                continue
            field = self.form.fields[name]
            if hasattr(field, "choices") and not hasattr(value, "pk"):
                value = dict(field.choices).get(value, dict(field.choices).get(str(value), value))
            shown.append((str(field.label), str(value)))
        return shown


class KubeGroupFilter(_ScopedRegionFilters):
    q = django_filters.CharFilter(label="Cari nama KUBE", field_name="name", lookup_expr="icontains")
    business_type = django_filters.ModelChoiceFilter(
        label="Jenis usaha", queryset=BusinessType.objects.all(), empty_label="Semua"
    )
    is_active = django_filters.BooleanFilter(
        label="Status",
        widget=forms.Select(choices=[("", "Semua"), ("true", "Aktif"), ("false", "Tidak aktif")]),
    )

    class Meta:
        model = KubeGroup
        fields = ["q", "regency", "district", "village", "business_type", "is_active"]

    applied = PersonFilter.applied


def people_filterset(user, data) -> PersonFilter:
    """The people list's filters over what `user` may see (the page's, and a background export's)."""
    return PersonFilter(data or None, queryset=people_visible_to(user), user=user)
