"""Writing a planned import inside its transaction: people and items as COPY rows built straight from the file's
values, updated people with one UPDATE per chunk, KUBE groups and members, and one audit event per changed row."""

from collections import defaultdict
from operator import attrgetter

from django.db.models import Exists, OuterRef
from django.utils import timezone

from audit.services import audit_record, audit_record_many, audit_record_rows, snapshot
from beneficiaries.models import OFFICER_ROLES, PERSON_IDENTITY, KubeGroup, KubeMember, MemberRole, Person
from core.bulk import bulk_insert_rows, bulk_set, hold_copies, next_ids, release_copies
from programs.models import Program
from proposals import checks
from proposals.imports.planning import UPDATABLE, Plan
from proposals.models import Proposal, ProposalItem, ProposedPerson
from proposals.workbook.columns import normalise_header

PERSON_COLUMNS = [
    "id",
    *PERSON_IDENTITY,
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
SNAPSHOT_INDEXES = [(name, PERSON_COLUMNS.index(name)) for name in SNAPSHOT_FIELDS]
# A row is the person's plain attributes with its keyed ones put in at their places (in ascending order).
_KEYED = ("village", "district", "regency", "merged_into")
_KEYED_INDEXES = [PERSON_COLUMNS.index(name) for name in _KEYED]
_PLAIN_ATTRIBUTES = attrgetter(*[name for name in PERSON_COLUMNS if name not in _KEYED])
ITEM_COLUMNS = [
    "id",
    "proposal",
    "person",
    "business_type",
    "business_type_other",
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


class Writer:
    """Writes the planned chunks of one import inside its transaction: people and items as COPY rows
    built straight from the file's values, with their audit events."""

    def __init__(self, proposal: Proposal, actor, totals: dict):
        self.proposal, self.actor, self.totals = proposal, actor, totals
        self.user_id = actor.pk if actor is not None and actor.is_authenticated else None
        self.budget_year = proposal.budget_year
        self.present = set(ProposalItem.objects.filter(proposal=proposal).values_list("person_id", flat=True))
        self.kube_items: list[ProposalItem] = []
        self.proposed_kk: set[str] = set()  # family cards of the people this import proposed so far

    def write(self, plan: Plan) -> None:
        """A chunk's queries come first, then only COPYs (see background_copies): each COPY's rows are
        built while the server writes the previous ones. A WRSE chunk's COPYs are held back until the next
        chunk's queries have run (none of which needs them), so the server writes them while Python builds the
        next chunk's rows; the last are sent by `finish`."""
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
        if wrse is not None:
            hold_copies()  # sends the previous chunk's COPYs, keeps this chunk's back

        person_rows = [self._person_row(p) for p in new]
        bulk_insert_rows(Person, PERSON_COLUMNS, person_rows)
        audit_record_rows(
            actor=self.actor,
            action="person.create",
            model=Person,
            rows=[
                (p.pk, p.full_name, self.proposal.regency_id, None, self._snapshot(row))
                for p, row in zip(new, person_rows, strict=True)
            ],
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
            self.kube_items += write_kube_items(self.proposal, plan, self.actor)
            self.totals["groups"] += len(plan.groups)

    def _person_row(self, p) -> list:
        """A new person's COPY row: its attributes in PERSON_COLUMNS order, the regions by key, no merge."""
        row = list(_PLAIN_ATTRIBUTES(p))
        for index, value in zip(_KEYED_INDEXES, (p.village.pk, p.district_id, p.regency_id, None), strict=True):
            row.insert(index, value)
        return row

    def _snapshot(self, row: tuple) -> dict:
        """What audit.services.snapshot records of a person, from its COPY row."""
        data = {name: row[index] for name, index in SNAPSHOT_INDEXES}
        data["birth_date"] = data["birth_date"].isoformat()
        return data

    def _wrse_plan(self, plan: Plan) -> tuple:
        """The chunk's new items, what the shared-family-card check needs and their ids (the queries)."""
        rows = [row for row in plan.rows if plan.people[row.values["nik"]].pk not in self.present]
        people = [plan.people[row.values["nik"]] for row in rows]
        self.present.update(p.pk for p in people)
        chunk_kk = {p.kk_number for p in people}
        proposed_kk = set(
            ProposedPerson.objects.filter(budget_year=self.budget_year, person__kk_number__any=chunk_kk).values_list(
                "person__kk_number", flat=True
            )
        )
        proposed_kk |= chunk_kk & self.proposed_kk  # the previous chunk's are held back (see write), not yet read
        self.proposed_kk |= chunk_kk
        return rows, people, proposed_kk, next_ids(ProposalItem, len(rows))

    def _wrse_items(self, rows, people, proposed_kk, ids, now) -> None:
        in_file = defaultdict(int)
        for person in people:
            in_file[person.kk_number] += 1
        item_rows, proposed_rows, audit_rows = [], [], []
        for pk, row, person in zip(ids, rows, people, strict=True):
            found = list(row.checks)  # planning's verdict (proposals.checks.person_checks), not decided twice
            if person.kk_number in proposed_kk or in_file[person.kk_number] > 1:
                found.append(checks.shared_kk_check(person))
            errors = any(c["level"] == checks.ERROR for c in found)
            warnings = any(c["level"] == checks.WARNING for c in found)
            business_type = row.values.get("business_type")
            item_rows.append(
                (pk, self.proposal.pk, person.pk, business_type.pk if business_type else None,
                 row.values.get("business_type_other") or "", row.values.get("note") or "", "pending", found, errors,
                 warnings, "", row.number, now, now)
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
        release_copies()  # the last chunk's, before the queries that read them
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


def write_kube_items(proposal, plan, actor) -> list[ProposalItem]:
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
            proposal=proposal,
            group=group,
            business_type=spec["business_type"],
            business_type_other=spec["business_type_other"],
            source_row=spec["rows"][0].number,
        )
        ProposedPerson.objects.bulk_create(
            [ProposedPerson(budget_year_id=proposal.budget_year_id, person_id=pid, item=item) for pid in wanted]
        )
        items.append(item)
    return items
