"""Importing a proposal workbook: check every row against the registry and this year's proposals, then
write people / groups, the proposal items and their audit events in one transaction (all or nothing).
Uploading the same rows again changes nothing: people are matched by NIK, groups by village and name,
items by person or group."""

import hashlib
from collections import defaultdict
from dataclasses import dataclass
from types import SimpleNamespace

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from audit.services import audit_record, audit_record_many, audit_record_rows, snapshot
from beneficiaries.identity import check_nik, name_key
from beneficiaries.models import OFFICER_ROLES, KubeGroup, KubeMember, MemberRole, Person
from kubeprogram.bulk import background_copies, bulk_insert_rows, bulk_set, next_ids
from programs.models import BusinessType, Program
from proposals import checks
from proposals.models import Proposal, ProposalItem, ProposedPerson, Upload
from proposals.workbook.columns import COLUMNS, normalise_header
from proposals.workbook.reader import ParsedRow, WorkbookRefused, _problem, open_workbook
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
    last_assisted_year = None
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


def _lookups(regency) -> dict:
    return {
        "district": {normalise_header(d.name): d for d in District.objects.filter(regency=regency)},
        "business_type": {normalise_header(b.name): b for b in BusinessType.objects.filter(is_active=True)},
    }


def _columns(program):
    return {spec.field: spec for spec in COLUMNS[program]}


@dataclass
class PlanContext:
    """What planning keeps across the chunks of one file."""

    villages: dict  # district id -> {normalised village name: Village}
    seen: dict  # NIK -> the row it first appeared in
    rows: int = 0  # data rows seen, the template's example row excepted
    example_rows: int = 0


def plan_context(proposal: Proposal) -> PlanContext:
    villages = defaultdict(dict)
    for village in Village.objects.filter(district__regency=proposal.regency_id):
        villages[village.district_id][normalise_header(village.name)] = village
    return PlanContext(villages=villages, seen={})


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

    villages, seen = context.villages, context.seen
    for row in rows:
        values = row.values
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
            person = NewPerson(**fields, name_key=name_key(fields["full_name"]))
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


CHUNK_ROWS = 2000


def _chunks(rows, size=CHUNK_ROWS):
    chunk = []
    for row in rows:
        chunk.append(row)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _file_problems(context: PlanContext, opened_problems: list[dict]) -> list[dict]:
    """Problems of the file as a whole, known once every row was read."""
    problems = list(opened_problems)
    if not context.rows and not problems:
        message = (
            "Hanya ada baris contoh; isi data calon penerima mulai baris 3."
            if context.example_rows
            else "Tidak ada baris data di bawah judul kolom."
        )
        problems.append(_problem(None, None, None, message))
    return problems


def _walk(proposal: Proposal, data: bytes, on_chunk) -> tuple[PlanContext, list[dict]]:
    """Plan the file chunk by chunk (memory stays flat in the row count), calling `on_chunk(plan,
    clean_so_far)` for each; returns the context and every problem. KUBE files are planned whole, as a
    group's rows may lie anywhere in the file."""
    context = plan_context(proposal)
    opened = open_workbook(data, program=proposal.program, lookups=_lookups(proposal.regency))
    problems: list[dict] = []
    chunks = [list(opened.rows)] if proposal.program == Program.KUBE else _chunks(opened.rows, CHUNK_ROWS)
    for chunk in chunks:
        plan = plan_rows(proposal, chunk, opened.headers, context)
        problems.extend(plan.problems)
        on_chunk(plan, not problems and not opened.problems)
    return context, _file_problems(context, opened.problems) + problems


@transaction.atomic
def upload_check(*, proposal: Proposal, data: bytes, filename: str, actor) -> Upload:
    """Store an uploaded workbook and its problems (nothing else is written). Raises WorkbookRefused."""
    summary = {"new_people": 0, "updated_people": 0, "groups": 0, "already_in_proposal": 0}
    present = set(ProposalItem.objects.filter(proposal=proposal).values_list("person__nik", flat=True))

    def count(plan, clean):
        summary["new_people"] += sum(1 for p in plan.people.values() if p.pk is None)
        summary["updated_people"] += len(plan.changed)
        summary["groups"] += len(plan.groups)
        summary["already_in_proposal"] += sum(1 for nik in plan.people if nik in present)

    context, problems = _walk(proposal, data, count)
    summary["rows"] = context.rows
    upload = Upload(
        proposal=proposal,
        filename=filename[:255],
        sha256=_sha256(data),
        row_count=context.rows,
        problems=problems,
        summary=summary,
        uploaded_by=actor,
    )
    upload.file.save(f"{proposal.pk}-{upload.sha256[:12]}.xlsx", ContentFile(data), save=False)
    upload.save()
    audit_record(
        actor=actor,
        action="proposal.upload",
        obj=upload,
        regency_id=proposal.regency_id,
        after={"proposal": proposal.pk, "file": upload.filename, "rows": context.rows, "problems": len(problems)},
    )
    return upload


@transaction.atomic
def upload_commit(*, upload: Upload, actor) -> dict:
    """Write a checked upload: all rows or none. Re-reads the stored file so what is written is exactly
    what was checked now (the registry may have changed since the preview)."""
    upload = Upload.objects.select_for_update().get(pk=upload.pk)
    proposal = Proposal.objects.select_for_update().select_related("budget_year", "regency").get(pk=upload.proposal_id)
    if proposal.status != Proposal.Status.DRAFT:
        raise WorkbookRefused(f"Usulan berstatus {proposal.get_status_display()}: daftarnya tidak dapat diubah lagi.")
    upload.file.open("rb")
    data = upload.file.read()
    upload.file.close()
    return import_workbook(proposal=proposal, data=data, actor=actor, upload=upload)


class ImportProblems(WorkbookRefused):
    def __init__(self, problems: list[dict]):
        self.problems = problems
        super().__init__(f"{len(problems)} kesalahan dalam berkas.")


def import_workbook(*, proposal: Proposal, data: bytes, actor, upload: Upload | None = None) -> dict:
    """Parse, check and write in one transaction (what upload_commit does; also the benchmark's entry
    point), chunk by chunk. Raises WorkbookRefused, or ImportProblems when a row is wrong: then nothing
    is written, not even the chunks before the bad row."""
    totals = {"rows": 0, "new_people": 0, "updated_people": 0, "new_items": 0, "groups": 0}
    with transaction.atomic(), background_copies():
        writer = _Writer(proposal, actor, totals)
        context, problems = _walk(proposal, data, lambda plan, clean: writer.write(plan) if clean else None)
        if problems:
            raise ImportProblems(problems)  # rolls back whatever the clean chunks before it wrote
        writer.finish()
        totals["rows"] = context.rows
        if upload is not None:
            upload.status, upload.committed_at, upload.summary = Upload.Status.COMMITTED, timezone.now(), totals
            upload.save(update_fields=["status", "committed_at", "summary"])
    return totals


PERSON_COLUMNS = [
    "id",
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
    "district",
    "regency",
    "phone",
    "dtks_id",
    "desil",
    "occupation",
    "last_assisted_year",
    "name_key",
    "merged_into",
    "created_at",
    "updated_at",
    "created_by",
]
# What audit.services.snapshot records of a person (its editable fields), in the same form.
SNAPSHOT_FIELDS = [f for f in PERSON_COLUMNS if f not in ("name_key", "created_at", "updated_at")]
ITEM_COLUMNS = [
    "id",
    "proposal",
    "person",
    "business_type",
    "note",
    "status",
    "checks",
    "has_errors",
    "has_warnings",
    "reason",
    "source_row",
    "created_at",
    "updated_at",
]


class _Writer:
    """Writes the planned chunks of one import inside its transaction: people and items as COPY rows
    built straight from the file's values, with their audit events."""

    def __init__(self, proposal: Proposal, actor, totals: dict):
        self.proposal, self.actor, self.totals = proposal, actor, totals
        self.user_id = actor.pk if actor is not None and actor.is_authenticated else None
        self.budget_year = proposal.budget_year
        self.present = set(ProposalItem.objects.filter(proposal=proposal).values_list("person_id", flat=True))
        self.kube_items: list[ProposalItem] = []

    def write(self, plan: Plan) -> None:
        """A chunk's queries come first, then only COPYs (see background_copies): each COPY's rows are
        built while the server writes the previous ones."""
        now = timezone.now()
        new = [p for p in plan.people.values() if p.pk is None]
        for person, pk in zip(new, next_ids(Person, len(new)), strict=True):
            person.pk = person.id = pk
            person.created_at = person.updated_at = now
            person.created_by = self.user_id
        updated = [plan.people[nik] for nik in plan.changed]
        for person in updated:
            person.updated_at = now
        bulk_set(Person, updated, [*UPDATABLE, "name_key", "updated_at"])
        wrse = self._wrse_plan(plan) if self.proposal.program == Program.WRSE else None

        bulk_insert_rows(Person, PERSON_COLUMNS, [self._person_row(p) for p in new])
        audit_record_rows(
            actor=self.actor,
            action="person.create",
            model=Person,
            rows=[(p.pk, p.full_name, self.proposal.regency_id, None, self._snapshot(p)) for p in new],
        )
        if updated:
            audit_record_many(
                actor=self.actor,
                action="person.update",
                objects=updated,
                before=lambda p: plan.changed[p.nik],
                regency_id=lambda p: self.proposal.regency_id,
            )
        self.totals["new_people"] += len(new)
        self.totals["updated_people"] += len(updated)
        if wrse is not None:
            self._wrse_items(*wrse, now)
        else:
            self.kube_items += _write_kube_items(self.proposal, plan, self.actor)
            self.totals["groups"] += len(plan.groups)

    def _person_row(self, p) -> tuple:
        keys = {"village": p.village.pk, "district": p.district_id, "regency": p.regency_id, "merged_into": None}
        return tuple(keys[name] if name in keys else getattr(p, name) for name in PERSON_COLUMNS)

    def _snapshot(self, p) -> dict:
        values = dict(zip(PERSON_COLUMNS, self._person_row(p), strict=True))
        data = {name: values[name] for name in SNAPSHOT_FIELDS}
        data["birth_date"] = p.birth_date.isoformat()
        return data

    def _wrse_plan(self, plan: Plan) -> tuple:
        """The chunk's new items, what the shared-family-card check needs and their ids (the queries)."""
        rows = [row for row in plan.rows if plan.people[row.values["nik"]].pk not in self.present]
        people = [plan.people[row.values["nik"]] for row in rows]
        self.present.update(p.pk for p in people)
        proposed_kk = set(
            ProposedPerson.objects.filter(
                budget_year=self.budget_year, person__kk_number__in={p.kk_number for p in people}
            ).values_list("person__kk_number", flat=True)
        )
        return rows, people, proposed_kk, next_ids(ProposalItem, len(rows))

    def _wrse_items(self, rows, people, proposed_kk, ids, now) -> None:
        in_file = defaultdict(int)
        for person in people:
            in_file[person.kk_number] += 1
        item_rows, proposed_rows, audit_rows = [], [], []
        for pk, row, person in zip(ids, rows, people, strict=True):
            found = checks.person_checks(person, self.budget_year, wrse=True)
            if person.kk_number in proposed_kk or in_file[person.kk_number] > 1:
                found.append(checks.shared_kk_check(person))
            errors = any(c["level"] == checks.ERROR for c in found)
            warnings = any(c["level"] == checks.WARNING for c in found)
            business_type = row.values.get("business_type")
            item_rows.append(
                (pk, self.proposal.pk, person.pk, business_type.pk if business_type else None,
                 row.values.get("note") or "", "pending", found, errors, warnings, "", row.number, now, now)
            )  # fmt: skip
            proposed_rows.append((self.budget_year.pk, person.pk, pk))
            audit_rows.append(
                (pk, person.full_name, self.proposal.regency_id, None,
                 {"proposal": self.proposal.pk, "person": person.pk, "group": None})
            )  # fmt: skip
        bulk_insert_rows(ProposalItem, ITEM_COLUMNS, item_rows)
        bulk_insert_rows(ProposedPerson, ["budget_year", "person", "item"], proposed_rows)
        audit_record_rows(actor=self.actor, action="proposal_item.create", model=ProposalItem, rows=audit_rows)
        self.totals["new_items"] += len(item_rows)

    def finish(self) -> None:
        """Checks that span chunks: a family card shared with a person in a later chunk."""
        if self.kube_items:
            checks.apply(self.kube_items, self.budget_year)
            self.totals["new_items"] += len(self.kube_items)
            audit_record_many(
                actor=self.actor,
                action="proposal_item.create",
                objects=self.kube_items,
                after=lambda item: {"proposal": self.proposal.pk, "person": None, "group": item.group_id},
                regency_id=lambda item: self.proposal.regency_id,
            )
            return
        # Only this proposal's items without a warning yet whose family card another proposed person shares
        # (an index lookup per item, not an aggregate over the whole year).
        shares = ProposedPerson.objects.filter(
            budget_year=self.budget_year, person__kk_number=OuterRef("person__kk_number")
        ).exclude(person=OuterRef("person"))
        stale = list(
            ProposalItem.objects.filter(proposal=self.proposal, person__isnull=False, has_warnings=False)
            .filter(Exists(shares))
            .select_related("person")
        )
        if stale:
            checks.apply(stale, self.budget_year)


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
