"""The automatic checks of proposed recipients, computed in bulk (a fixed number of queries for any
number of items). Each check is {"code", "level": "error"|"warning", "message"}; an error blocks approval."""

import datetime
from collections import defaultdict
from collections.abc import Iterable

from beneficiaries.identity import age_on, check_nik
from beneficiaries.models import KubeMember, Person, Sex
from beneficiaries.selectors import group_problems
from core.bulk import bulk_set
from programs.models import BudgetYear, Program
from proposals.models import ProposalItem, ProposedPerson

ERROR, WARNING = "error", "warning"


def _check(code: str, level: str, message: str) -> dict:
    return {"code": code, "level": level, "message": message}


def person_checks(person: Person, budget_year: BudgetYear, *, wrse: bool) -> list[dict]:
    """The checks that concern one person on their own (no database access)."""
    checks = []
    nik = check_nik(person.nik, sex=person.sex, birth_date=person.birth_date)
    for message in nik.errors:
        checks.append(_check("nik", ERROR, f"{person.full_name}: {message}"))
    for message in nik.warnings:
        checks.append(_check("nik_outside", WARNING, f"{person.full_name}: {message}"))
    if wrse:
        if person.sex != Sex.FEMALE:
            checks.append(_check("wrse_woman", ERROR, "WRSE hanya untuk perempuan."))
        reference = datetime.date(budget_year.year, 1, 1)
        age = age_on(person.birth_date, reference)
        if not budget_year.wrse_min_age <= age <= budget_year.wrse_max_age:
            checks.append(
                _check(
                    "wrse_age",
                    ERROR,
                    f"Usia {age} tahun pada 1 Januari {budget_year.year}; WRSE untuk usia "
                    f"{budget_year.wrse_min_age}–{budget_year.wrse_max_age} tahun.",
                )
            )
    if not person.dtks_id:
        checks.append(_check("dtks", WARNING, f"{person.full_name}: belum ada ID DTKS/DTSEN."))
    if person.graduated_year:
        checks.append(graduated_check(person.full_name, person.graduated_year, budget_year))
    if person.last_assisted_year and person.last_assisted_year < budget_year.year:
        checks.append(
            _check(
                "assisted", WARNING, f"{person.full_name} pernah menerima bantuan tahun {person.last_assisted_year}."
            )
        )
    return checks


def graduated_check(name: str, year: int, budget_year: BudgetYear) -> dict:
    """Proposing again someone who graduated: a warning or an error, as the budget year sets."""
    level = ERROR if budget_year.graduated_proposal_level == ERROR else WARNING
    return _check("graduated", level, f"{name} sudah lulus (graduasi) tahun {year}: tidak lagi memerlukan bantuan.")


def shared_kk_check(person) -> dict:
    return _check("shared_kk", WARNING, f"{person.full_name}: satu KK dengan penerima lain yang diusulkan tahun ini.")


def compute(items: Iterable[ProposalItem], budget_year: BudgetYear) -> list[list[dict]]:
    """Checks of each item, in the items' order. Works on new (unsaved) items too, so a bulk insert
    carries its checks. Items need `person` / `group` set; groups' members are read here. People of
    these items count as proposed this year (a shared family card among them is flagged too)."""
    items = list(items)
    people_of: dict[int, list[Person]] = {}
    group_ids = [item.group_id for item in items if item.group_id]
    members_by_group: dict[int, list[KubeMember]] = defaultdict(list)
    if group_ids:
        for member in KubeMember.objects.filter(group_id__in=group_ids).select_related("person"):
            members_by_group[member.group_id].append(member)
    for index, item in enumerate(items):
        people_of[index] = [item.person] if item.person_id else [m.person for m in members_by_group[item.group_id]]

    person_ids = {p.pk for people in people_of.values() for p in people}
    # Proposed elsewhere this year: another item names the same person.
    elsewhere: dict[int, list[tuple[int, str, str]]] = defaultdict(list)
    for person_id, item_id, program, regency in ProposedPerson.objects.filter(
        budget_year=budget_year, person_id__in=person_ids
    ).values_list("person_id", "item_id", "item__proposal__program", "item__proposal__regency__name"):
        elsewhere[person_id].append((item_id, program, regency))
    # Family cards shared with other people proposed this year.
    kks = {p.kk_number for people in people_of.values() for p in people}
    proposed_kk = defaultdict(set)
    for kk, person_id in ProposedPerson.objects.filter(budget_year=budget_year, person__kk_number__any=kks).values_list(
        "person__kk_number", "person_id"
    ):
        proposed_kk[kk].add(person_id)
    for people in people_of.values():
        for person in people:
            proposed_kk[person.kk_number].add(person.pk)

    result = []
    for index, item in enumerate(items):
        checks = []
        people = people_of[index]
        if item.group_id:
            minimum, maximum = budget_year.kube_min_members, budget_year.kube_max_members
            members = members_by_group[item.group_id]
            problems = group_problems(group=item.group, members=members, bounds=(minimum, maximum))
            for problem in problems:
                checks.append(_check("kube_composition", ERROR, problem))
            if item.group.graduated_year:
                checks.append(graduated_check(item.group.name, item.group.graduated_year, budget_year))
        for person in people:
            checks.extend(person_checks(person, budget_year, wrse=item.person_id is not None))
            other = [(program, regency) for iid, program, regency in elsewhere[person.pk] if iid != item.pk]
            if other:
                program, regency = other[0]
                where = "program lain" if program != (Program.WRSE if item.person_id else Program.KUBE) else regency
                checks.append(
                    _check("proposed_elsewhere", ERROR, f"{person.full_name} sudah diusulkan tahun ini ({where}).")
                )
            if proposed_kk[person.kk_number] - {p.pk for p in people}:
                checks.append(shared_kk_check(person))
        result.append(checks)
    return result


def assign(items: list[ProposalItem], budget_year: BudgetYear) -> list[ProposalItem]:
    """Set the checks of `items` in memory (for items about to be inserted)."""
    for item, found in zip(items, compute(items, budget_year), strict=True):
        item.checks = found
        item.has_errors = any(c["level"] == ERROR for c in found)
        item.has_warnings = any(c["level"] == WARNING for c in found)
    return items


def apply(items: list[ProposalItem], budget_year: BudgetYear) -> list[ProposalItem]:
    """Recompute and store the checks of saved `items` (one UPDATE per 5,000 items)."""
    assign(items, budget_year)
    bulk_set(ProposalItem, items, ["checks", "has_errors", "has_warnings"])
    return items
