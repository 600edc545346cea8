"""Importing a proposal workbook: check every row against the registry and this year's proposals, then
write people / groups, the proposal items and their audit events in one transaction (all or nothing).
Uploading the same rows again changes nothing: people are matched by NIK, groups by village and name,
items by person or group."""

import hashlib
from collections import defaultdict
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from audit.services import audit_record, audit_record_many, snapshot
from beneficiaries.identity import check_nik, name_key
from beneficiaries.models import OFFICER_ROLES, KubeGroup, KubeMember, MemberRole, Person
from kubeprogram.bulk import bulk_insert, bulk_set
from programs.models import BusinessType, Program
from proposals import checks
from proposals.models import Proposal, ProposalItem, ProposedPerson, Upload
from proposals.workbook.columns import COLUMNS, normalise_header
from proposals.workbook.reader import ParsedRow, WorkbookRefused, _problem, read_workbook
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


@dataclass
class Plan:
    """What a clean workbook will do, computed by `plan_rows` and carried out by `_write`."""

    rows: list[ParsedRow]
    problems: list[dict]
    people: dict[str, Person]  # NIK -> existing or new (unsaved) person, with the file's values
    changed: dict[str, dict]  # NIK -> snapshot before, for existing people the file changes
    groups: dict[str, dict]  # KUBE: normalised name -> {"rows", "village", "business_type", "name"}


def _lookups(regency) -> dict:
    return {
        "district": {normalise_header(d.name): d for d in District.objects.filter(regency=regency)},
        "business_type": {normalise_header(b.name): b for b in BusinessType.objects.filter(is_active=True)},
    }


def _columns(program):
    return {spec.field: spec for spec in COLUMNS[program]}


def plan_rows(proposal: Proposal, parsed) -> Plan:
    """Check the rows against the registry and the year's proposals (a fixed number of queries)."""
    specs = _columns(proposal.program)
    headers = parsed.headers
    problems = list(parsed.problems)
    rows = [r for r in parsed.rows if "(contoh" not in str(r.values.get("full_name", "")).lower()]
    if parsed.rows and not rows:
        problems.append(_problem(None, None, None, "Hanya ada baris contoh; isi data calon penerima mulai baris 3."))

    def flag(row, field, message):
        entry = _problem(row.number, headers.get(field), specs.get(field), message)
        row.problems.append(entry)
        problems.append(entry)

    villages = defaultdict(dict)
    for village in Village.objects.filter(district__regency=proposal.regency_id):
        villages[village.district_id][normalise_header(village.name)] = village

    seen: dict[str, int] = {}
    for row in rows:
        values = row.values
        district = values.get("district")
        if district and "village" in parsed.headers:
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
    existing = {p.nik: p for p in Person.objects.filter(nik__in=niks).select_related("village")}
    proposed = dict(
        ProposedPerson.objects.filter(budget_year=proposal.budget_year_id, person__nik__in=niks).values_list(
            "person__nik", "item__proposal_id"
        )
    )
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
        if person is None:
            person = Person(**fields, name_key=name_key(fields["full_name"]))
        else:
            before = snapshot(person)
            for key, value in fields.items():
                if value not in (None, "") or key in ("rt", "rw"):
                    setattr(person, key, value)
            person.name_key = name_key(person.full_name)
            if snapshot(person) != before:
                changed[nik] = before
        people[nik] = person

    groups: dict[str, dict] = {}
    if proposal.program == Program.KUBE:
        groups = _plan_groups(proposal, rows, people, flag)
    return Plan(rows=rows, problems=problems, people=people, changed=changed, groups=groups)


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
        group["village"] = first.values.get("village_obj")
        size = len(group["rows"])
        if not budget_year.kube_min_members <= size <= budget_year.kube_max_members:
            flag(
                first,
                "group_name",
                f"KUBE “{group['name']}” berisi {size} orang; harus {budget_year.kube_min_members}–"
                f"{budget_year.kube_max_members} orang.",
            )
        roles = [r.values.get("role") for r in group["rows"]]
        for role in OFFICER_ROLES:
            if roles.count(role) != 1:
                flag(
                    first,
                    "role",
                    f"KUBE “{group['name']}” harus punya tepat satu {MemberRole(role).label.lower()} "
                    f"(ada {roles.count(role)}).",
                )
        for row in group["rows"]:
            person = people.get(row.values.get("nik"))
            membership = memberships.get(person.pk) if person is not None and person.pk else None
            if membership and normalise_header(membership.group.name) != key:
                flag(row, "nik", f"Sudah menjadi anggota KUBE aktif “{membership.group.name}”.")
    return groups


def settings_limit() -> int:
    from django.conf import settings

    return settings.PROPOSAL_WORKBOOK_MAX_BYTES


def too_large_message(size: int) -> str:
    return f"Berkas terlalu besar ({size / 1048576:.1f} MB); maksimal {settings_limit() / 1048576:.0f} MB."


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@transaction.atomic
def upload_check(*, proposal: Proposal, data: bytes, filename: str, actor) -> Upload:
    """Store an uploaded workbook and its problems (nothing else is written). Raises WorkbookRefused."""
    parsed = read_workbook(data, program=proposal.program, lookups=_lookups(proposal.regency))
    plan = plan_rows(proposal, parsed)
    upload = Upload(
        proposal=proposal,
        filename=filename[:255],
        sha256=_sha256(data),
        row_count=len(plan.rows),
        problems=plan.problems,
        summary=_summary(proposal, plan),
        uploaded_by=actor,
    )
    upload.file.save(f"{proposal.pk}-{upload.sha256[:12]}.xlsx", ContentFile(data), save=False)
    upload.save()
    return upload


def _summary(proposal, plan: Plan) -> dict:
    new_people = sum(1 for p in plan.people.values() if p.pk is None)
    already = set(
        ProposalItem.objects.filter(proposal=proposal, person__nik__in=list(plan.people)).values_list(
            "person__nik", flat=True
        )
    )
    return {
        "rows": len(plan.rows),
        "new_people": new_people,
        "updated_people": len(plan.changed),
        "groups": len(plan.groups),
        "already_in_proposal": len(already),
    }


@transaction.atomic
def upload_commit(*, upload: Upload, actor) -> dict:
    """Write a checked upload: all rows or none. Re-reads the stored file so what is written is exactly
    what was checked now (the registry may have changed since the preview)."""
    upload = (
        Upload.objects.select_for_update()
        .select_related("proposal__budget_year", "proposal__regency")
        .get(pk=upload.pk)
    )
    proposal = Proposal.objects.select_for_update().select_related("budget_year", "regency").get(pk=upload.proposal_id)
    if proposal.status != Proposal.Status.DRAFT:
        raise WorkbookRefused(f"Usulan berstatus {proposal.get_status_display()}: daftarnya tidak dapat diubah lagi.")
    upload.file.open("rb")
    data = upload.file.read()
    upload.file.close()
    return import_workbook(proposal=proposal, data=data, actor=actor, upload=upload)


def import_workbook(*, proposal: Proposal, data: bytes, actor, upload: Upload | None = None) -> dict:
    """Parse, check and write in one go (what upload_commit does; also the benchmark's entry point).
    Raises WorkbookRefused, or ImportProblems when a row is wrong (nothing written)."""
    parsed = read_workbook(data, program=proposal.program, lookups=_lookups(proposal.regency))
    plan = plan_rows(proposal, parsed)
    if plan.problems:
        raise ImportProblems(plan.problems)
    with transaction.atomic():
        result = _write(proposal, plan, actor)
        if upload is not None:
            upload.status, upload.committed_at, upload.summary = Upload.Status.COMMITTED, timezone.now(), result
            upload.save(update_fields=["status", "committed_at", "summary"])
    return result


class ImportProblems(WorkbookRefused):
    def __init__(self, problems: list[dict]):
        self.problems = problems
        super().__init__(f"{len(problems)} kesalahan dalam berkas.")


def _write(proposal: Proposal, plan: Plan, actor) -> dict:
    user = actor if actor is not None and actor.is_authenticated else None
    new_people = [p for p in plan.people.values() if p.pk is None]
    for person in new_people:
        person.created_by = user
    bulk_insert(Person, new_people)
    updated = [plan.people[nik] for nik in plan.changed]
    for person in updated:
        person.updated_at = timezone.now()
    bulk_set(Person, updated, [*UPDATABLE, "name_key", "updated_at"])
    audit_record_many(actor=actor, action="person.create", objects=new_people, regency_id=lambda p: proposal.regency_id)
    if updated:
        audit_record_many(
            actor=actor,
            action="person.update",
            objects=updated,
            before=lambda p: plan.changed[p.nik],
            regency_id=lambda p: proposal.regency_id,
        )

    if proposal.program == Program.WRSE:
        items = _write_wrse_items(proposal, plan)
    else:
        items = checks.apply(_write_kube_items(proposal, plan, actor), proposal.budget_year)
    audit_record_many(
        actor=actor,
        action="proposal_item.create",
        objects=items,
        after=lambda item: {"proposal": proposal.pk, "person": item.person_id, "group": item.group_id},
        regency_id=lambda item: proposal.regency_id,
    )
    return {
        "rows": len(plan.rows),
        "new_people": len(new_people),
        "updated_people": len(updated),
        "new_items": len(items),
        "groups": len(plan.groups),
    }


def _write_wrse_items(proposal, plan) -> list[ProposalItem]:
    present = set(ProposalItem.objects.filter(proposal=proposal).values_list("person_id", flat=True))
    items = []
    for row in plan.rows:
        person = plan.people[row.values["nik"]]
        if person.pk in present:
            continue
        present.add(person.pk)
        items.append(
            ProposalItem(
                proposal=proposal,
                person=person,
                business_type=row.values.get("business_type"),
                note=row.values.get("note") or "",
                source_row=row.number,
            )
        )
    bulk_insert(ProposalItem, checks.assign(items, proposal.budget_year))
    bulk_insert(
        ProposedPerson,
        [ProposedPerson(budget_year_id=proposal.budget_year_id, person_id=i.person_id, item=i) for i in items],
    )
    return items


def _write_kube_items(proposal, plan, actor) -> list[ProposalItem]:
    existing = {
        (g.village_id, normalise_header(g.name)): g
        for g in KubeGroup.objects.filter(regency=proposal.regency_id, is_active=True)
    }
    present = set(ProposalItem.objects.filter(proposal=proposal).values_list("group_id", flat=True))
    items = []
    for key, spec in plan.groups.items():
        village = spec["village"]
        group = existing.get((village.pk, key))
        if group is None:
            group = KubeGroup.objects.create(
                name=spec["name"],
                business_type=spec["business_type"],
                village=village,
                district_id=village.district_id,
                regency_id=proposal.regency_id,
                created_by=actor if actor is not None and actor.is_authenticated else None,
            )
            audit_record(actor=actor, action="kube_group.create", obj=group, after=snapshot(group))
        wanted = {plan.people[row.values["nik"]].pk: row.values["role"] for row in spec["rows"]}
        current = {m.person_id: m for m in group.members.all()}
        for person_id, member in current.items():
            if person_id not in wanted:
                audit_record(
                    actor=actor,
                    action="kube_member.remove",
                    obj=member,
                    regency_id=group.regency_id,
                    before={"group": group.pk, "person": person_id, "role": member.role},
                )
                member.delete()
        # Officer roles move in two steps so the one-holder constraint never sees two chairs.
        for person_id, member in current.items():
            if person_id in wanted and member.role != wanted[person_id] and member.role in OFFICER_ROLES:
                KubeMember.objects.filter(pk=member.pk).update(role=MemberRole.MEMBER)
        for person_id, role in wanted.items():
            member = current.get(person_id)
            if member is None:
                member = KubeMember.objects.create(group=group, person_id=person_id, role=role)
                audit_record(
                    actor=actor,
                    action="kube_member.add",
                    obj=member,
                    regency_id=group.regency_id,
                    after={"group": group.pk, "person": person_id, "role": role},
                )
            elif member.role != role:
                KubeMember.objects.filter(pk=member.pk).update(role=role)
                audit_record(
                    actor=actor,
                    action="kube_member.change_role",
                    obj=member,
                    regency_id=group.regency_id,
                    before={"role": member.role},
                    after={"role": role},
                )
        if group.pk in present:
            continue
        item = ProposalItem.objects.create(
            proposal=proposal, group=group, business_type=spec["business_type"], source_row=spec["rows"][0].number
        )
        ProposedPerson.objects.bulk_create(
            [ProposedPerson(budget_year_id=proposal.budget_year_id, person_id=pid, item=item) for pid in wanted]
        )
        items.append(item)
    return items


__all__ = ["WorkbookRefused", "ImportProblems", "upload_check", "upload_commit", "import_workbook"]
