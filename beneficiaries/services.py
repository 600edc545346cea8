"""Writes of the registry: people, KUBE groups and their members. Each writes its audit events in
the same transaction. Every write checks that the acting user may touch the regency concerned."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.dispatch import Signal

from audit.services import audit_record, audit_record_many, snapshot
from beneficiaries.identity import check_kk, check_nik, name_key, normalize_phone
from beneficiaries.models import (
    OFFICER_ROLES,
    PERSON_IDENTITY,
    DuplicateDismissal,
    KubeGroup,
    KubeMember,
    MemberRole,
    Person,
)
from programs.selectors import kube_size_bounds
from regions.models import Village

# Sent after two person records were merged, inside the transaction: later apps (proposals,
# disbursements) move their own references from `duplicate` to `keep`.
person_merged = Signal()  # kwargs: keep, duplicate, actor

# What a user may set on a person, in the order the form shows it.
PERSON_FIELDS = [
    *PERSON_IDENTITY,
    "village",
    "phone",
    "occupation",
    "dtks_id",
    "desil",
    "last_assisted_year",
]


def _check_village_in_scope(village: Village, actor) -> None:
    if actor is None:
        return  # system jobs (demo and synthetic data)
    if not Village.objects.filter(actor.regency_q("district__regency"), pk=village.pk).exists():
        raise ValidationError({"village": "Desa/kelurahan ini di luar wilayah kerja Anda."})


def person_warnings(person: Person) -> list[str]:
    """Things a user should know but that do not block saving (shown after the save)."""
    warnings = check_nik(person.nik).warnings
    if person.last_assisted_year:
        warnings.append(f"Pernah menerima bantuan pada tahun {person.last_assisted_year}.")
    return warnings


def _prepare_person(person: Person) -> dict[str, list[str]]:
    """Normalise what the user typed and copy the region levels from the village; returns the errors
    found while normalising (reported together with the others)."""
    errors: dict[str, list[str]] = {}
    for field in ("nik", "kk_number", "full_name", "birth_place", "address", "rt", "rw", "dtks_id", "occupation"):
        setattr(person, field, " ".join(str(getattr(person, field) or "").split()))
    person.full_name = person.full_name.upper() if person.full_name.islower() else person.full_name
    try:
        person.phone = normalize_phone(person.phone)
    except ValueError as error:
        errors["phone"] = [str(error)]
    if person.village_id:
        village = Village.objects.select_related("district").get(pk=person.village_id)
        person.district_id, person.regency_id = village.district_id, village.district.regency_id
    person.name_key = name_key(person.full_name)
    return errors


def _validate_person(person: Person, actor, errors: dict[str, list[str]]) -> None:
    nik = check_nik(person.nik, sex=person.sex, birth_date=person.birth_date)
    if nik.errors:
        sex_or_date = [e for e in nik.errors if e.startswith(("Jenis kelamin", "Tanggal lahir"))]
        other = [e for e in nik.errors if e not in sex_or_date]
        if other:
            errors["nik"] = other
        for message in sex_or_date:
            errors.setdefault("sex" if message.startswith("Jenis") else "birth_date", []).append(message)
    if kk_errors := check_kk(person.kk_number):
        errors["kk_number"] = kk_errors
    try:
        person.full_clean(exclude=["nik", "kk_number", "district", "regency", "name_key"] + list(errors))
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    if "nik" not in errors and Person.objects.exclude(pk=person.pk).filter(nik=person.nik).exists():
        # Uniqueness is province-wide, so this says only "registered", never where (the officer may not see it).
        errors["nik"] = ["NIK ini sudah terdaftar. Bila penduduk ini pindah, hubungi Verifikator Provinsi."]
    if errors:
        raise ValidationError(errors)
    if person.village_id:
        _check_village_in_scope(person.village, actor)


@transaction.atomic
def person_create(*, data: dict[str, Any], actor) -> Person:
    """Register a person. Raises ValidationError (per field, in Indonesian) when the data is invalid,
    the NIK disagrees with sex or birth date, the NIK is taken, or the village is out of scope."""
    person = Person(**{field: data.get(field) for field in PERSON_FIELDS if field in data})
    _validate_person(person, actor, _prepare_person(person))
    person.created_by = actor if actor is not None and actor.is_authenticated else None
    try:
        with transaction.atomic():
            person.save()
    except IntegrityError:  # a concurrent registration of the same NIK won the race
        raise ValidationError({"nik": ["NIK ini sudah terdaftar."]}) from None
    audit_record(actor=actor, action="person.create", obj=person, after=snapshot(person))
    return person


@transaction.atomic
def person_update(*, person: Person, data: dict[str, Any], actor) -> Person:
    """Change a person's data with the same checks as registration; audits only a real change."""
    person = Person.objects.select_for_update().get(pk=person.pk)
    before = snapshot(person)
    for field in PERSON_FIELDS:
        if field in data:
            setattr(person, field, data[field])
    _validate_person(person, actor, _prepare_person(person))
    after = snapshot(person)
    if after != before:
        person.save()
        audit_record(actor=actor, action="person.update", obj=person, before=before, after=after)
    return person


def person_nik_viewed(*, person: Person, actor) -> None:
    """Record that `actor` saw the whole NIK and KK of `person` (UU 27/2022: access to personal data is logged)."""
    with transaction.atomic():
        audit_record(actor=actor, action="person.view_nik", obj=person)


@transaction.atomic
def people_nik_viewed(*, people: list[Person], actor) -> None:
    """The same for a page that shows many whole NIKs at once: one event per person, one INSERT."""
    if people:
        audit_record_many(actor=actor, action="person.view_nik", objects=people, after=None)


@transaction.atomic
def person_merge(*, keep: Person, duplicate: Person, actor) -> Person:
    """Merge `duplicate` into `keep`: its KUBE memberships move over, blanks of `keep` are filled from it,
    and it stays in the database marked as merged (never shown in lists again). Both are audited."""
    if keep.pk == duplicate.pk:
        raise ValidationError("Tidak dapat menggabungkan data dengan dirinya sendiri.")
    keep, duplicate = (
        Person.objects.select_for_update().get(pk=keep.pk),
        Person.objects.select_for_update().get(pk=duplicate.pk),
    )
    if keep.merged_into_id or duplicate.merged_into_id:
        raise ValidationError("Salah satu data sudah digabungkan sebelumnya.")
    before_keep, before_duplicate = snapshot(keep), snapshot(duplicate)

    for membership in KubeMember.objects.select_for_update().filter(person=duplicate):
        mine = KubeMember.objects.filter(person=keep)
        if mine.filter(group=membership.group_id).exists():
            membership.delete()
        elif membership.group_active and mine.filter(group_active=True).exists():
            raise ValidationError(
                "Kedua data menjadi anggota KUBE aktif yang berbeda. Keluarkan salah satunya dari kelompok dulu."
            )
        else:
            membership.person = keep
            membership.save(update_fields=["person"])

    for field in ("phone", "dtks_id", "desil", "occupation", "rt", "rw"):
        if not getattr(keep, field) and getattr(duplicate, field):
            setattr(keep, field, getattr(duplicate, field))
    years = [y for y in (keep.last_assisted_year, duplicate.last_assisted_year) if y]
    keep.last_assisted_year = max(years) if years else None
    keep.save()
    duplicate.merged_into = keep
    duplicate.save(update_fields=["merged_into", "updated_at"])

    person_merged.send(sender=Person, keep=keep, duplicate=duplicate, actor=actor)
    audit_record(actor=actor, action="person.merge", obj=keep, before=before_keep, after=snapshot(keep))
    audit_record(
        actor=actor, action="person.merged_into", obj=duplicate, before=before_duplicate, after=snapshot(duplicate)
    )
    return keep


@transaction.atomic
def duplicate_dismiss(*, person_a: Person, person_b: Person, actor) -> DuplicateDismissal:
    """Mark two records as two different people; idempotent."""
    low, high = sorted([person_a, person_b], key=lambda p: p.pk)
    dismissal, created = DuplicateDismissal.objects.get_or_create(
        person_low=low, person_high=high, defaults={"dismissed_by": actor}
    )
    if created:
        audit_record(
            actor=actor,
            action="person.not_duplicate",
            obj=low,
            after={"not_duplicate_of": high.pk, "nik": high.nik},
        )
    return dismissal


# KUBE groups -------------------------------------------------------------------------------------

GROUP_FIELDS = ["name", "business_type", "village", "founded", "address"]


def _prepare_group(group: KubeGroup) -> None:
    group.name = " ".join((group.name or "").split())
    group.address = " ".join((group.address or "").split())
    if group.village_id:
        village = Village.objects.select_related("district").get(pk=group.village_id)
        group.district_id, group.regency_id = village.district_id, village.district.regency_id


def _validate_group(group: KubeGroup, actor) -> None:
    try:
        group.full_clean(exclude=["district", "regency"])
    except ValidationError as error:
        raise ValidationError(error.message_dict) from None
    duplicate_name = KubeGroup.objects.filter(village=group.village_id, name__iexact=group.name, is_active=True)
    if duplicate_name.exclude(pk=group.pk).exists():
        raise ValidationError({"name": ["Sudah ada KUBE aktif dengan nama ini di desa/kelurahan yang sama."]})
    _check_village_in_scope(group.village, actor)


@transaction.atomic
def kube_group_create(*, data: dict[str, Any], actor) -> KubeGroup:
    """Form a KUBE group (without members yet; they are added one by one with their roles)."""
    group = KubeGroup(**{field: data.get(field) for field in GROUP_FIELDS if field in data})
    _prepare_group(group)
    _validate_group(group, actor)
    group.created_by = actor if actor is not None and actor.is_authenticated else None
    group.save()
    audit_record(actor=actor, action="kube_group.create", obj=group, after=snapshot(group))
    return group


@transaction.atomic
def kube_group_update(*, group: KubeGroup, data: dict[str, Any], actor) -> KubeGroup:
    group = KubeGroup.objects.select_for_update().get(pk=group.pk)
    before = snapshot(group)
    if "village" in data and data["village"].district.regency_id != group.regency_id and group.members.exists():
        raise ValidationError({"village": "Anggota kelompok terdaftar di kabupaten/kota ini; pindahkan mereka dulu."})
    for field in GROUP_FIELDS:
        if field in data:
            setattr(group, field, data[field])
    _prepare_group(group)
    _validate_group(group, actor)
    after = snapshot(group)
    if after != before:
        group.save()
        audit_record(actor=actor, action="kube_group.update", obj=group, before=before, after=after)
    return group


def _member_snapshot(member: KubeMember) -> dict:
    return {"group": member.group_id, "person": member.person_id, "nik": member.person.nik, "role": member.role}


@transaction.atomic
def kube_member_add(*, group: KubeGroup, person: Person, role: str, actor) -> KubeMember:
    """Add a person to a group in a role. Refuses: a person of another regency, a person already in an
    active group, an officer role already held, a group already at the year's maximum size."""
    group = KubeGroup.objects.select_for_update().get(pk=group.pk)
    _check_village_in_scope(group.village, actor)
    if not group.is_active:
        raise ValidationError("Kelompok ini tidak aktif.")
    if person.merged_into_id:
        raise ValidationError("Data penduduk ini sudah digabungkan ke data lain.")
    if person.regency_id != group.regency_id:
        raise ValidationError(f"{person.full_name} terdaftar di kabupaten/kota lain; anggota KUBE harus sewilayah.")
    existing = KubeMember.objects.filter(person=person, group_active=True).select_related("group").first()
    if existing:
        raise ValidationError(f"{person.full_name} sudah menjadi anggota KUBE aktif “{existing.group.name}”.")
    _, maximum = kube_size_bounds()
    if group.members.count() >= maximum:
        raise ValidationError(f"Kelompok sudah berisi {maximum} anggota (batas maksimum).")
    if role in OFFICER_ROLES:
        holder = group.members.filter(role=role).select_related("person").first()
        if holder:
            raise ValidationError(
                f"Jabatan {MemberRole(role).label.lower()} sudah dipegang {holder.person.full_name}. "
                "Tambahkan sebagai anggota, lalu ubah jabatannya."
            )
    try:
        with transaction.atomic():
            member = KubeMember.objects.create(group=group, person=person, role=role, group_active=group.is_active)
    except IntegrityError:  # a concurrent request added the same person or role first
        raise ValidationError(
            f"{person.full_name} tidak dapat ditambahkan: data berubah, muat ulang halaman."
        ) from None
    audit_record(
        actor=actor, action="kube_member.add", obj=member, regency_id=group.regency_id, after=_member_snapshot(member)
    )
    return member


@transaction.atomic
def kube_member_remove(*, member: KubeMember, actor) -> None:
    """Take a person out of a group (the group may then be incomplete until someone is added)."""
    member = (
        KubeMember.objects.select_for_update(of=("self", "group")).select_related("group", "person").get(pk=member.pk)
    )
    _check_village_in_scope(member.group.village, actor)
    before = _member_snapshot(member)
    audit_record(
        actor=actor, action="kube_member.remove", obj=member, regency_id=member.group.regency_id, before=before
    )
    member.delete()


@transaction.atomic
def kube_member_change_role(*, member: KubeMember, role: str, actor) -> KubeMember:
    """Give a member another role. An officer role held by someone else is swapped: that person takes
    this member's former role, so the group never has two chairs (nor loses one)."""
    member = (
        KubeMember.objects.select_for_update(of=("self", "group")).select_related("group", "person").get(pk=member.pk)
    )
    _check_village_in_scope(member.group.village, actor)
    if role == member.role:
        return member
    if role not in MemberRole.values:
        raise ValidationError("Jabatan tidak dikenal.")
    holder = None
    if role in OFFICER_ROLES:
        holder = member.group.members.select_for_update(of=("self",)).select_related("person").filter(role=role).first()
    old_role = member.role
    if holder:
        holder_before = _member_snapshot(holder)
        # Free the officer role first: the database allows one holder at a time.
        holder.role = MemberRole.MEMBER
        holder.save(update_fields=["role"])
    before = _member_snapshot(member)
    member.role = role
    member.save(update_fields=["role"])
    regency_id = member.group.regency_id
    audit_record(
        actor=actor,
        action="kube_member.change_role",
        obj=member,
        regency_id=regency_id,
        before=before,
        after=_member_snapshot(member),
    )
    if holder:
        holder.role = old_role
        holder.save(update_fields=["role"])
        audit_record(
            actor=actor,
            action="kube_member.change_role",
            obj=holder,
            regency_id=regency_id,
            before=holder_before,
            after=_member_snapshot(holder),
        )
    return member


@transaction.atomic
def graduation_mark(*, person: Person | None = None, group: KubeGroup | None = None, year: int, actor) -> None:
    """Mark a person (WRSE) or a KUBE group as graduated (lulus) in `year`: they no longer need assistance, and
    proposing them again is flagged by the proposal checks. Called by monitoring when the province approves."""
    if (person is None) == (group is None):
        raise ValueError("graduation_mark: a person or a group")
    target = person if person is not None else group
    model = type(target)
    target = model.objects.select_for_update().get(pk=target.pk)
    before = target.graduated_year
    if before == year:
        return
    model.objects.filter(pk=target.pk).update(graduated_year=year)
    audit_record(
        actor=actor,
        action="person.graduate" if person is not None else "kube_group.graduate",
        obj=target,
        before={"graduated_year": before},
        after={"graduated_year": year},
    )
