import django_filters
from django.utils.translation import gettext_lazy as _

from audit.models import AuditEvent
from core.forms import DateInput
from regions.models import Regency


class AuditEventFilter(django_filters.FilterSet):
    action = django_filters.CharFilter(label=_("Aksi"), lookup_expr="startswith")
    object_type = django_filters.CharFilter(label=_("Jenis objek"))
    object_id = django_filters.CharFilter(label=_("ID objek"))
    actor = django_filters.CharFilter(label=_("Pelaku (nama pengguna)"), field_name="actor__username")
    regency = django_filters.ModelChoiceFilter(label=_("Kabupaten/Kota"), queryset=Regency.objects.all())
    date_from = django_filters.DateFilter(
        label=_("Dari tanggal"),
        field_name="created_at",
        lookup_expr="date__gte",
        widget=DateInput(),
    )
    date_to = django_filters.DateFilter(
        label=_("Sampai tanggal"),
        field_name="created_at",
        lookup_expr="date__lte",
        widget=DateInput(),
    )

    class Meta:
        model = AuditEvent
        fields = ["action", "object_type", "object_id", "actor", "regency", "date_from", "date_to"]
