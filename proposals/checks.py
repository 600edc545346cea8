"""The automatic checks of proposed recipients, computed in bulk (a fixed number of queries for any
number of items). Each check is {"code", "level": "error"|"warning", "message"}; an error blocks approval."""

import datetime
from collections import defaultdict
from collections.abc import Iterable

from beneficiaries.identity import age_on, check_nik
from beneficiaries.models import KubeMember, Person, Sex
from beneficiaries.selectors import group_problems
from core.bulk import bulk_set
from dtsen.selectors import Register, registers_for
from programs.models import BudgetYear, Program
from proposals.models import Proposal, ProposalItem, ProposedPerson

ERROR, WARNING = "error", "warning"


def _check(code: str, level: str, message: str) -> dict:
    return {"code": code, "level": level, "message": message}


def person_checks(person: Person, budget_year: BudgetYear, *, wrse: bool, register: Register | None = None):
    """The checks that concern one person on their own, with what the register says of them (no database access:
    `register` is read before, for many people at once — dtsen.selectors.registers_for)."""
    checks = []
    # UU 27/2022 Art. 41 / 43: never proposed while restricted, nor once erased (a plain record may not carry them).
    erased = getattr(person, "erased_at", None)
    if getattr(person, "restricted_at", None) or erased:
        why = "datanya telah dihapus" if erased else "pemrosesan datanya dibatasi atas permintaannya"
        checks.append(_check("privacy", ERROR, f"{person.full_name}: {why} (UU 27/2022); tidak dapat diusulkan."))
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
    checks.extend(register_checks(person, budget_year, wrse=wrse, register=register))
    if person.graduated_year:
        checks.append(graduated_check(person.full_name, person.graduated_year, budget_year))
    if person.last_assisted_year and person.last_assisted_year < budget_year.year:
        checks.append(
            _check(
                "assisted", WARNING, f"{person.full_name} pernah menerima bantuan tahun {person.last_assisted_year}."
            )
        )
    return checks


def register_checks(person: Person, budget_year: BudgetYear, *, wrse: bool, register: Register | None) -> list[dict]:
    """DTSEN's word (Inpres 4/2025): the desil of the newest period covering the regency against the program's
    ceiling (the budget year's setting, Kepmensos 79/HUK/2025), the person absent from that period, a period older
    than the year allows, and a typed desil that is not the register's (the register's counts). Before any snapshot
    covers the regency, only the typed ID is looked at."""
    name = person.full_name
    if register is None or register.current is None:
        return [] if person.dtks_id else [_check("dtks", WARNING, f"{name}: belum ada ID DTKS/DTSEN.")]
    checks = []
    label, age = register.current_label, register.age_quarters()
    if age > budget_year.dtsen_max_age_quarters:
        checks.append(_check("dtsen_old", WARNING, f"Data DTSEN terbaru ({label}) sudah {age} triwulan; batasnya "
                             f"{budget_year.dtsen_max_age_quarters} triwulan. Minta data DTSEN terbaru."))  # fmt: skip
    fact = register.latest.get(person.nik)
    if fact is None:
        message = f"{name}: belum terdaftar di DTSEN {label} — usulkan melalui Musdes/SIKS-NG."
        checks.append(_check("dtsen_missing", WARNING, message))
        return checks
    ceiling = budget_year.wrse_max_desil if wrse else budget_year.kube_max_desil
    if fact.desil > ceiling:
        level = ERROR if budget_year.desil_level == ERROR else WARNING
        program = Program.WRSE if wrse else Program.KUBE
        checks.append(_check("desil", level, f"{name}: {fact.label} di atas batas {program} (desil 1–{ceiling})."))
    if person.desil and person.desil != fact.desil:
        message = f"{name}: desil di berkas {person.desil}, {fact.label}; yang berlaku desil DTSEN."
        checks.append(_check("desil_differs", WARNING, message))
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

    # The register's word on all of them: per regency of their proposals (two or three queries).
    regency_of = dict(Proposal.objects.filter(pk__in={i.proposal_id for i in items}).values_list("pk", "regency_id"))
    asked: dict[str | None, set[str]] = defaultdict(set)
    for index, item in enumerate(items):
        asked[regency_of.get(item.proposal_id)].update(p.nik for p in people_of[index])
    registers = registers_for(asked)

    result = []
    for index, item in enumerate(items):
        checks = []
        people = people_of[index]
        register = registers.get(regency_of.get(item.proposal_id))
        if item.group_id:
            minimum, maximum = budget_year.kube_min_members, budget_year.kube_max_members
            members = members_by_group[item.group_id]
            problems = group_problems(group=item.group, members=members, bounds=(minimum, maximum))
            for problem in problems:
                checks.append(_check("kube_composition", ERROR, problem))
            if item.group.graduated_year:
                checks.append(graduated_check(item.group.name, item.group.graduated_year, budget_year))
        for person in people:
            checks.extend(person_checks(person, budget_year, wrse=item.person_id is not None, register=register))
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
