"""Planning an import: each row of a chunk becomes a person to create or update, a proposal item, a KUBE group
to create, or a problem with its row, column and reason. Nothing is written here (see `writing`)."""

import dataclasses
import hashlib
from collections import defaultdict
from dataclasses import dataclass
from types import SimpleNamespace

from audit.services import snapshot
from beneficiaries.identity import check_nik, name_key
from beneficiaries.models import KubeMember, Person
from beneficiaries.selectors import group_problems
from dtsen.selectors import register_version, registers_for
from programs import business_types
from programs.models import BudgetYear, BusinessType, Program
from proposals import checks
from proposals.models import Proposal, ProposedPerson
from proposals.workbook.columns import COLUMNS, normalise_header
from proposals.workbook.reader import ParsedRow, _problem, is_error
from regions.models import District, Village

PERSON_FROM_ROW = [
    "nik",
    "kk_number",
    "full_name",
    "birth_place",
    "birth_date",
    "address",
    "rt",
    "rw",
    "phone",
    "dtks_id",
    "desil",
]
UPDATABLE = [f for f in PERSON_FROM_ROW if f != "nik"] + ["marital_status", "sex", "village", "district", "regency"]


class NewPerson(SimpleNamespace):
    """A person the file adds to the registry: the attributes the checks read, without a model instance
    (an import of 10,000 rows should not build 10,000 of them); `pk` is set when it is written."""

    pk = None
    merged_into_id = None
    restricted_at = None
    erased_at = None
    last_assisted_year = None
    graduated_year = None
    occupation = ""

    @property
    def village_id(self):
        return self.village.pk


@dataclass
class Plan:
    """What a clean workbook will do, computed by `plan_rows` and carried out by `_write`."""

    rows: list[ParsedRow]
    problems: list[dict]
    people: dict[str, Person]  # NIK -> existing or new (unsaved) person, with the file's values
    changed: dict[str, dict]  # NIK -> snapshot before, for existing people the file changes
    groups: dict[str, dict]  # KUBE: normalised name -> {"rows", "village", "business_type", "name"}
    # What the plan was decided on: the chunk's NIKs and a digest of the registry rows read for them (see
    # registry_rows); the save reuses the plan only while the registry still gives the same digest.
    niks: list[str] = dataclasses.field(default_factory=list)
    fingerprint: str = ""

    def valid(self) -> "Plan":
        """The part of the plan that "Simpan baris yang benar" writes: rows without an error, and for KUBE only
        the groups all of whose rows are right (a group is saved whole or not at all)."""
        if self.groups:
            groups = {k: g for k, g in self.groups.items() if not any(r.problems for r in g["rows"])}
            rows = [r for g in groups.values() for r in g["rows"]]
        else:
            groups, rows = {}, [r for r in self.rows if not r.problems and r.values.get("nik") in self.people]
        niks = {r.values["nik"] for r in rows}
        return Plan(
            rows=rows,
            problems=self.problems,
            people={nik: p for nik, p in self.people.items() if nik in niks},
            changed={nik: before for nik, before in self.changed.items() if nik in niks},
            groups=groups,
            niks=self.niks,
            fingerprint=self.fingerprint,
        )

    @property
    def errors(self) -> int:
        return sum(1 for p in self.problems if is_error(p))


def lookups(regency) -> dict:
    return {
        "district": {normalise_header(d.name): d for d in District.objects.filter(regency=regency)},
        "business_type": business_types.catalogue(list(BusinessType.objects.filter(is_active=True))),
    }


def _columns(program):
    return {spec.field: spec for spec in COLUMNS[program]}


@dataclass
class PlanContext:
    """What planning keeps across the chunks of one file."""

    villages: dict  # district id -> {normalised village name: Village}
    seen: dict  # NIK -> the row it first appeared in
    other_business_type: BusinessType | None = None  # "Lainnya", for a jenis usaha the catalogue does not know
    rows: int = 0  # data rows seen, the template's example row excepted
    example_rows: int = 0
    fingerprint: str = ""  # context_fingerprint: what else the plans were decided on


def plan_context(proposal: Proposal) -> PlanContext:
    villages = defaultdict(dict)
    for village in Village.objects.filter(district__regency=proposal.regency_id):
        villages[village.district_id][normalise_header(village.name)] = village
    other = BusinessType.objects.filter(name=business_types.OTHER).first()
    return PlanContext(villages=villages, seen={}, other_business_type=other)


def plan_rows(proposal: Proposal, rows: list[ParsedRow], headers: dict, context: PlanContext) -> Plan:
    """Check (a chunk of) rows against the registry and the year's proposals (a fixed number of queries
    per chunk). New people are plain attribute objects (pk None) until they are written."""
    specs = _columns(proposal.program)
    problems = [problem for row in rows for problem in row.problems]
    kept = [r for r in rows if "(contoh" not in str(r.values.get("full_name", "")).lower()]
    context.example_rows += len(rows) - len(kept)
    context.rows += len(kept)
    rows = kept

    def flag(row, field, message):
        entry = _problem(row.number, headers.get(field), specs.get(field), message)
        row.problems.append(entry)
        problems.append(entry)

    def warn(row, field, message):
        problems.append(_problem(row.number, headers.get(field), specs.get(field), message, level="warning"))

    villages, seen = context.villages, context.seen
    for row in rows:
        values = row.values
        business_type = values.get("business_type")
        if isinstance(business_type, business_types.UnlistedBusinessType):
            if context.other_business_type is None:
                flag(row, "business_type", f"Jenis Usaha “{business_type}” tidak ada dalam daftar.")
            values["business_type"], values["business_type_other"] = context.other_business_type, str(business_type)
        district = values.get("district")
        if district and "village" in headers:
            raw_village = values.get("village")
            village = villages[district.pk].get(normalise_header(raw_village)) if raw_village else None
            if raw_village and village is None:
                flag(row, "village", f"Desa/Kelurahan “{raw_village}” tidak ada di Kecamatan {district.name}.")
            values["village_obj"] = village
        nik = values.get("nik")
        if nik:
            if nik in seen:
                flag(row, "nik", f"NIK ini sudah ada di baris {seen[nik]} berkas ini.")
            seen.setdefault(nik, row.number)
            result = check_nik(nik, sex=values.get("sex"), birth_date=values.get("birth_date"))
            for message in result.errors:
                field = "sex" if message.startswith("Jenis") and "sex" in specs else "birth_date"
                flag(row, field if not message.startswith("NIK") else "nik", message)
            values["sex"] = values.get("sex") or result.encoded_sex

    niks = [r.values["nik"] for r in rows if r.values.get("nik")]
    existing, proposed, fingerprint = registry_rows(proposal, niks)
    register = registers_for({proposal.regency_id: set(niks)})[proposal.regency_id]
    people: dict[str, Person] = {}
    changed: dict[str, dict] = {}
    for row in rows:
        values = row.values
        nik = values.get("nik")
        if not nik or row.problems:
            continue
        person = existing.get(nik)
        if person is not None and person.merged_into_id:
            flag(
                row, "nik", "Data penduduk dengan NIK ini sudah digabungkan ke data lain; hubungi Verifikator Provinsi."
            )
            continue
        if person is not None and person.regency_id != proposal.regency_id:
            flag(
                row,
                "nik",
                "NIK ini terdaftar di kabupaten/kota lain. Bila penduduk pindah, hubungi Verifikator Provinsi.",
            )
            continue
        where = proposed.get(nik)
        if where is not None and where != proposal.pk:
            flag(row, "nik", "NIK ini sudah diusulkan tahun ini (program lain atau kabupaten/kota lain).")
            continue
        village = values.get("village_obj")
        # An empty optional cell is "" for text fields (the registry never stores NULL text).
        fields = {f: ("" if values[f] is None and f != "desil" else values[f]) for f in PERSON_FROM_ROW if f in values}
        fields.update(
            sex=values["sex"],
            marital_status=values.get("marital_status") or (person.marital_status if person else "kawin"),
            village=village,
            district_id=village.district_id,
            regency_id=proposal.regency_id,
        )
        before = None
        if person is None:
            person = NewPerson(**fields, name_key=name_key(fields["full_name"]))
        else:
            before = snapshot(person)
            for key, value in fields.items():
                if value not in (None, "") or key in ("rt", "rw"):
                    setattr(person, key, value)
            person.name_key = name_key(person.full_name)
        # The rules a saved item gets (proposals.checks), with the file's values: one rule set for both paths.
        found = checks.person_checks(
            person, proposal.budget_year, wrse=proposal.program == Program.WRSE, register=register
        )
        row.checks = found  # the writer stores these on the item: decided once, for the preview and the save
        for check in found:
            report = flag if check["level"] == checks.ERROR else warn
            report(row, _check_field(check["code"], specs), check["message"])
        if row.problems:
            continue
        if before is not None and snapshot(person) != before:
            changed[nik] = before
        people[nik] = person

    groups: dict[str, dict] = {}
    if proposal.program == Program.KUBE:
        groups = _plan_groups(proposal, rows, people, flag)
    for row in rows:
        other = row.values.get("business_type_other")
        if other:
            warn(row, "business_type", f"Jenis Usaha “{other}” belum ada di katalog; dicatat sebagai Lainnya: {other}.")
    return Plan(
        rows=rows, problems=problems, people=people, changed=changed, groups=groups, niks=niks, fingerprint=fingerprint
    )


def registry_rows(proposal: Proposal, niks: list[str]) -> tuple[dict, dict, str]:
    """What the registry holds for these NIKs: the people (NIK -> Person), where each is proposed this year
    (NIK -> proposal id), and a digest of both — every column of every row read — so that a later read can
    tell whether anything a plan was decided on has changed since."""
    existing = {p.nik: p for p in Person.objects.filter(nik__any=niks).select_related("village")}
    proposed = dict(
        ProposedPerson.objects.filter(budget_year=proposal.budget_year_id, person__nik__any=niks).values_list(
            "person__nik", "item__proposal_id"
        )
    )
    digest = hashlib.blake2b(digest_size=16)
    columns = [f.attname for f in Person._meta.concrete_fields]
    for nik in sorted(existing):
        person = existing[nik]
        digest.update(repr([getattr(person, name) for name in columns]).encode())
    digest.update(repr(sorted(proposed.items())).encode())
    return existing, proposed, digest.hexdigest()


def context_fingerprint(proposal: Proposal, context: PlanContext, lookup: dict) -> str:
    """A digest of the rest a plan was decided on: the budget year's rules, the regency's kecamatan and villages
    and the business type catalogue with its synonyms (see registry_rows for the people)."""
    parts = [
        proposal.program,
        proposal.regency_id,
        # As stored (an instance in hand may hold a Decimal of another scale than the database gives back).
        list(BudgetYear.objects.filter(pk=proposal.budget_year_id).values_list()),
        sorted((v.pk, v.district_id, v.name) for names in context.villages.values() for v in names.values()),
        sorted((d.pk, key) for key, d in lookup["district"].items()),
        getattr(context.other_business_type, "pk", None),
        sorted((key, t.pk) for key, t in lookup["business_type"].items()),
        register_version(proposal.regency_id),  # a new DTSEN snapshot changes the desil checks
    ]
    return hashlib.blake2b(repr(parts).encode(), digest_size=16).hexdigest()


# Where in the file a check's finding belongs (the WRSE template has no sex column: the sex comes from the NIK).
CHECK_FIELDS = {"wrse_age": "birth_date", "dtks": "dtks_id", "desil": "desil", "desil_differs": "desil",
                "dtsen_missing": "dtks_id", "dtsen_old": "dtks_id", "shared_kk": "kk_number"}  # fmt: skip


def _check_field(code: str, specs: dict) -> str:
    if code == "wrse_woman":
        return "sex" if "sex" in specs else "nik"
    return CHECK_FIELDS.get(code, "nik")


def _plan_groups(proposal, rows, people, flag) -> dict[str, dict]:
    budget_year = proposal.budget_year
    groups: dict[str, dict] = {}
    for row in rows:
        name = row.values.get("group_name")
        if not name:
            continue
        group = groups.setdefault(normalise_header(name), {"name": name, "rows": []})
        group["rows"].append(row)
    person_ids = [p.pk for p in people.values() if p.pk]
    memberships = {
        m.person_id: m
        for m in KubeMember.objects.filter(person_id__in=person_ids, group_active=True).select_related("group")
    }
    for key, group in groups.items():
        first = group["rows"][0]
        for field in ("business_type", "village_obj"):
            values = {r.values.get(field) for r in group["rows"]} - {None}
            if len(values) > 1:
                label = "Jenis Usaha" if field == "business_type" else "Desa/Kelurahan"
                flag(first, field.replace("_obj", ""), f"Anggota KUBE “{group['name']}” berbeda {label}; harus sama.")
        group["business_type"] = first.values.get("business_type")
        group["business_type_other"] = first.values.get("business_type_other") or ""
        group["village"] = first.values.get("village_obj")
        # The composition rule a saved KUBE item gets (size bounds of the year, one of each officer).
        members = [SimpleNamespace(role=r.values.get("role")) for r in group["rows"]]
        bounds = (budget_year.kube_min_members, budget_year.kube_max_members)
        for problem in group_problems(group=None, members=members, bounds=bounds):
            flag(first, "role" if "Anggota" not in problem else "group_name", f"KUBE “{group['name']}”: {problem}")
        for row in group["rows"]:
            person = people.get(row.values.get("nik"))
            membership = memberships.get(person.pk) if person is not None and person.pk else None
            if membership and normalise_header(membership.group.name) != key:
                flag(row, "nik", f"Sudah menjadi anggota KUBE aktif “{membership.group.name}”.")
    return groups
