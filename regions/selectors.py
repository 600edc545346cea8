"""Reads of regions, always through `regencies_visible_to` (the one door for regencies)."""

from django.db.models import Count, Q, QuerySet

from regions.models import District, Regency, Village, VillageKind


def regencies_visible_to(user) -> QuerySet[Regency]:
    """All regencies for provincial roles; only their own for an Operator Kab/Kota; none otherwise."""
    if not user.is_authenticated:
        return Regency.objects.none()
    return Regency.objects.filter(user.regency_q("code"))


def _with_counts(queryset: QuerySet[Regency]) -> QuerySet[Regency]:
    return queryset.annotate(
        district_count=Count("districts", distinct=True),
        desa_count=Count("districts__villages", filter=Q(districts__villages__kind=VillageKind.DESA)),
        kelurahan_count=Count("districts__villages", filter=Q(districts__villages__kind=VillageKind.KELURAHAN)),
    )


def regency_list(*, user) -> QuerySet[Regency]:
    """The regencies the user may see, each with its counts of kecamatan, desa and kelurahan (one query)."""
    return _with_counts(regencies_visible_to(user)).order_by("code")


def regency_get(*, user, code: str) -> Regency:
    """One visible regency with its counts; raises Regency.DoesNotExist when absent or out of scope."""
    return _with_counts(regencies_visible_to(user)).get(code=code)


def district_list(*, regency: Regency) -> QuerySet[District]:
    """The kecamatan of a regency with their desa and kelurahan counts (one query)."""
    return (
        District.objects.filter(regency=regency)
        .annotate(
            desa_count=Count("villages", filter=Q(villages__kind=VillageKind.DESA)),
            kelurahan_count=Count("villages", filter=Q(villages__kind=VillageKind.KELURAHAN)),
        )
        .order_by("name")
    )


def villages_visible_to(user) -> QuerySet[Village]:
    """Desa/kelurahan of the regencies the user may see."""
    if not user.is_authenticated:
        return Village.objects.none()
    return Village.objects.filter(user.regency_q("district__regency")).order_by("name")


def districts_visible_to(user) -> QuerySet[District]:
    """Kecamatan of the regencies the user may see."""
    if not user.is_authenticated:
        return District.objects.none()
    return District.objects.filter(user.regency_q("regency")).order_by("name")
