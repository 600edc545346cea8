"""Reads of the registry, always through `people_visible_to` / `kube_groups_visible_to`."""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When

from beneficiaries.models import (
    OFFICER_ROLES,
    DuplicateDismissal,
    DuplicateGroup,
    KubeGroup,
    KubeMember,
    MemberRole,
    Person,
)
from beneficiaries.permissions import can_review_duplicates, can_view_registry
from programs.selectors import kube_size_bounds


def people_visible_to(user) -> QuerySet[Person]:
    """Current (unmerged) people of the regencies the user may see; none for users without access."""
    if not can_view_registry(user):
        return Person.objects.none()
    return Person.objects.current().filter(user.regency_q("regency"))


def person_list(queryset: QuerySet[Person]) -> QuerySet[Person]:
    """The list's rows with their region names joined (no query per row)."""
    return queryset.select_related("village", "district", "regency").only(
        "id",
        "nik",
        "full_name",
        "sex",
        "birth_date",
        "desil",
        "last_assisted_year",
        "village__name",
        "village__kind",
        "district__name",
        "regency__name",
        "regency__kind",
    )


def person_get(*, user, pk: int) -> Person:
    """One visible person with regions; raises Person.DoesNotExist when absent or out of scope."""
    return people_visible_to(user).select_related("village", "district", "regency", "created_by").get(pk=pk)


def household(*, user, person: Person) -> QuerySet[Person]:
    """Others on the same family card (No. KK) that the user may see."""
    return people_visible_to(user).filter(kk_number=person.kk_number).exclude(pk=person.pk).order_by("birth_date")


def person_memberships(*, person: Person) -> QuerySet[KubeMember]:
    return (
        KubeMember.objects.filter(person=person)
        .select_related("group", "group__business_type")
        .order_by("-group_active")
    )


def name_or_nik_q(query: str) -> Q:
    """The registry's one search rule: digits search the NIK (whole, or its start; both served by an
    index); words must all be in the name (in any order; the trigram index serves each)."""
    query = " ".join((query or "").split())
    if not query:
        return Q()
    if query.isdigit():
        return Q(nik=query) if len(query) == 16 else Q(nik__startswith=query)
    condition = Q()
    for word in query.split():
        condition &= Q(full_name__icontains=word)
    return condition


def people_search(*, user, query: str, limit: int = 10) -> list[Person]:
    """Quick search for pickers (the list's rule): at most `limit` people, from 3 characters on."""
    query = " ".join((query or "").split())
    if len(query) < 3:
        return []
    people = people_visible_to(user).filter(name_or_nik_q(query))
    return list(person_list(people).order_by("full_name", "id")[:limit])


# KUBE groups ---------------------------------------------------------------------------------------

ROLE_ORDER = Case(
    *[When(role=role, then=Value(i)) for i, role in enumerate([*OFFICER_ROLES, MemberRole.MEMBER])],
    output_field=IntegerField(),
)


def kube_groups_visible_to(user) -> QuerySet[KubeGroup]:
    if not can_view_registry(user):
        return KubeGroup.objects.none()
    return KubeGroup.objects.filter(user.regency_q("regency"))


def group_list(queryset: QuerySet[KubeGroup]) -> QuerySet[KubeGroup]:
    """Groups with region names, business type and member counts (one query)."""
    return queryset.select_related("village", "district", "regency", "business_type").annotate(
        member_count=Count("members"),
        officer_count=Count("members", filter=Q(members__role__in=OFFICER_ROLES)),
    )


def group_get(*, user, pk: int) -> KubeGroup:
    return group_list(kube_groups_visible_to(user)).get(pk=pk)


def group_members(*, group: KubeGroup) -> QuerySet[KubeMember]:
    """Members, officers first (ketua, sekretaris, bendahara, then anggota by name)."""
    return (
        group.members.select_related("person", "person__village")
        .annotate(role_order=ROLE_ORDER)
        .order_by("role_order", "person__full_name")
    )


def group_problems(
    *, group: KubeGroup, members: list[KubeMember] | None = None, bounds: tuple[int, int] | None = None
) -> list[str]:
    """Why a group is not (yet) complete under a year's size bounds (default: the current year's): too few or
    too many members, an officer missing or held twice; empty when it is. The one KUBE composition rule, for a
    saved group and for a group in an uploaded workbook (members then need only a `role`)."""
    members = list(group_members(group=group)) if members is None else members
    minimum, maximum = bounds or kube_size_bounds()
    problems = []
    if len(members) < minimum:
        problems.append(f"Anggota baru {len(members)} orang; minimal {minimum}.")
    if len(members) > maximum:
        problems.append(f"Anggota {len(members)} orang; maksimal {maximum}.")
    held = [m.role for m in members]
    for role in OFFICER_ROLES:
        label = MemberRole(role).label.lower()
        if role not in held:
            problems.append(f"Belum ada {label}.")
        elif held.count(role) > 1:  # a saved group cannot (one holder per role, by constraint); a workbook can
            problems.append(f"Ada {held.count(role)} {label}; harus tepat satu.")
    return problems


# Possible duplicates -------------------------------------------------------------------------------


@dataclass
class DuplicatePair:
    reason: str
    first: Person
    second: Person

    @property
    def people(self) -> tuple[Person, Person]:
        return self.first, self.second


def possible_duplicates(*, user, limit: int = 100) -> list[DuplicatePair]:
    """Pairs of current people that may be one person, for provincial review (at most `limit` pairs), from the
    groups of the last scan (beneficiaries.duplicates):

    - same No. KK, same name (spelling-tolerant) and same birth date under different NIKs;
    - near-identical names (same spelling-tolerant name key) in one desa/kelurahan.
    The people are read afresh by the groups' keys (one merged or corrected since the scan drops out); pairs marked
    "bukan duplikat" are left out. A fixed number of queries, whatever the registry size.
    """
    if not can_review_duplicates(user):
        return []
    people = people_visible_to(user)
    groups = DuplicateGroup.objects.order_by()
    kk_keys = list(
        groups.filter(rule=DuplicateGroup.Rule.KK)
        .order_by("kk_number", "id")
        .values_list("kk_number", "name_key", "birth_date")[:limit]
    )
    village_keys = list(
        groups.filter(rule=DuplicateGroup.Rule.VILLAGE)
        .order_by("village", "id")
        .values_list("village", "name_key")[:limit]
    )
    if not kk_keys and not village_keys:
        return []
    # Two IN lists per rule (served by the (kk) and (village, name_key) indexes) rather than an OR of a condition per
    # group, which Django takes longer to build than the database to run; the loop below keeps the exact groups.
    condition = Q(pk__in=[])
    if kk_keys:
        condition |= Q(kk_number__in={k[0] for k in kk_keys}, name_key__in={k[1] for k in kk_keys})
    if village_keys:
        condition |= Q(village__in={k[0] for k in village_keys}, name_key__in={k[1] for k in village_keys})
    candidates = list(people.filter(condition).select_related("village", "district", "regency").order_by("id"))
    dismissed = set(
        DuplicateDismissal.objects.filter(person_low__in=candidates).values_list("person_low", "person_high")
    )

    found: dict[tuple, list[Person]] = defaultdict(list)
    kk_set, village_set = set(kk_keys), set(village_keys)
    for person in candidates:
        if (person.kk_number, person.name_key, person.birth_date) in kk_set:
            found[("kk", person.kk_number, person.name_key, person.birth_date)].append(person)
        if (person.village_id, person.name_key) in village_set:
            found[("village", person.village_id, person.name_key)].append(person)
    pairs, seen = [], set()
    for key, members in found.items():
        reason = (
            "No. KK, nama, dan tanggal lahir sama; NIK berbeda"
            if key[0] == "kk"
            else "Nama hampir sama di desa/kelurahan yang sama"
        )
        for i, first in enumerate(members):
            for second in members[i + 1 :]:
                pair = (first.pk, second.pk)
                if pair in seen or pair in dismissed:
                    continue
                seen.add(pair)
                pairs.append(DuplicatePair(reason=reason, first=first, second=second))
                if len(pairs) >= limit:
                    return pairs
    return pairs
