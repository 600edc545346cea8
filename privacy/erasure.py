"""Restriction (Art. 41) and deletion (Art. 43–44) of a person's data, at their request.

Restricted: no new proposal takes them (proposals.checks says why) until the restriction is lifted; their records
stay, and count.

Erased: the person becomes "Penerima terhapus #123" — name, NIK and No. KK (replaced by numbers that no real NIK has:
province 00), address, RT/RW, phone, birth place, occupation, the typed register id, the day and month of birth,
the monitoring photos — while every record that counts stays (proposals, allocations, BASTs, visits, attendance):
every total on the dashboard and in the reports is unchanged, and a BAST stays a BAST of "Penerima terhapus #123".
The audit trail keeps who did what and when, without the person's values. Refused, with until when, while the law
still requires the record: a recipient's BAST is a financial record (ERASE_AFTER_YEARS after its budget year)."""

import datetime
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, TextField
from django.db.models.functions import Cast, Concat
from django.utils import timezone

from audit.models import AuditEvent
from audit.services import audit_record
from beneficiaries.models import Person
from complaints.models import Complaint, ComplaintStep
from core.media import delete_after_commit
from disbursements.models import Handover
from monitoring.models import VisitPhoto
from privacy.models import SubjectRequest

ERASED_NAME = "Penerima terhapus #{pk}"


def erased_number(pk: int) -> str:
    """A 16-digit number no NIK or No. KK can be (province code 00), unique per person."""
    return f"00{pk:014d}"


def _bast_of(person) -> Q:
    """The BASTs that concern a person: hers (WRSE), and her KUBE groups' (each member is a recipient)."""
    return Q(allocation__item__person=person) | Q(allocation__item__group__members__person=person)


def keep_until(person: Person) -> int | None:
    """The last year the law requires the person's record (their newest BAST's budget year + ERASE_AFTER_YEARS), or
    None when nothing holds it."""
    years = Handover.objects.filter(_bast_of(person)).values_list("budget_year__year", flat=True)
    newest = max(years, default=None)
    return newest + settings.ERASE_AFTER_YEARS if newest is not None else None


def restrict(*, person: Person, request: SubjectRequest, actor, lift: bool = False) -> Person:
    with transaction.atomic():
        locked = Person.objects.select_for_update().get(pk=person.pk)
        locked.restricted_at = None if lift else timezone.now()
        locked.save(update_fields=["restricted_at", "updated_at"])
        audit_record(actor=actor, action="person.unrestrict" if lift else "person.restrict", obj=locked,
                     after={"request": request.pk})  # fmt: skip
    return locked


def erase(*, person: Person, request: SubjectRequest, actor) -> Person:
    until = keep_until(person)
    if until is not None and timezone.localdate().year <= until:
        raise ValidationError(
            f"Tidak dapat dihapus sebelum akhir {until}: penerima bantuan dengan BAST adalah arsip keuangan yang wajib "
            f"disimpan {settings.ERASE_AFTER_YEARS} tahun setelah tahun anggarannya. Batasi pemrosesannya sampai itu."
        )
    with transaction.atomic():
        locked, photos = anonymise(person)
        audit_record(actor=actor, action="person.erase", obj=locked, after={"request": request.pk, "photos": photos})
    return locked


def anonymise(person: Person) -> tuple[Person, int]:
    """The erasure itself (inside the caller's transaction): the person anonymised, their photos deleted, the trail
    without their values. Returns the person and the photos deleted."""
    with transaction.atomic():
        locked = Person.objects.select_for_update().get(pk=person.pk)
        if locked.erased_at:
            raise ValidationError("Data penduduk ini sudah dihapus.")
        name, old_name = ERASED_NAME.format(pk=locked.pk), locked.full_name
        old_nik, old_kk = locked.nik, locked.kk_number
        locked.full_name, locked.name_key = name, name.lower()
        locked.nik = locked.kk_number = erased_number(locked.pk)
        locked.address = locked.rt = locked.rw = locked.phone = locked.birth_place = ""
        locked.occupation = locked.dtks_id = ""
        locked.birth_date = datetime.date(locked.birth_date.year, 1, 1)  # the year stays: age bands still count
        locked.erased_at = locked.restricted_at = timezone.now()
        locked.save()
        # Her BASTs name her as the second party (a KUBE's, its chair): "Penerima terhapus #n" from now on; the
        # handover photo (her face) goes, the signed scan stays while the retention schedule holds it.
        # The files go once the rows stop pointing at them have committed (a rollback keeps both).
        handovers = Handover.objects.filter(_bast_of(locked), second_party_name=old_name).distinct()
        photos = 0
        for handover in handovers:
            if handover.photo:
                delete_after_commit(handover.photo)
                photos += 1
        Handover.objects.filter(pk__in=[h.pk for h in handovers]).update(second_party_name=name, photo="")
        visit_photos = list(VisitPhoto.objects.filter(visit__handover__allocation__item__person=locked))
        for photo in visit_photos:
            delete_after_commit(photo.image)
        VisitPhoto.objects.filter(pk__in=[photo.pk for photo in visit_photos]).delete()
        photos += len(visit_photos)
        # The trail keeps who did what and when; the person's values leave it (her own events, and any other that
        # copied her name, NIK or No. KK: a BAST, an attendance, an item). A pass over the audit log: erasures are rare.
        AuditEvent.objects.filter(object_type="beneficiaries.person", object_id=str(locked.pk)).update(
            before=None, after=None, object_repr=name
        )
        _scrub_trail({old_name: name, old_nik: locked.nik, old_kk: locked.kk_number})
        _scrub_complaints(locked, {old_name: name, old_nik: locked.nik, old_kk: locked.kk_number})
        SubjectRequest.objects.filter(person=locked, on_behalf=False).update(requester_name=name)
    return locked, photos


def _replaced(value, values: dict[str, str]):
    if isinstance(value, str):
        for old, new in values.items():
            value = value.replace(old, new)
        return value
    if isinstance(value, dict):
        return {key: _replaced(item, values) for key, item in value.items()}
    if isinstance(value, list):
        return [_replaced(item, values) for item in value]
    return value


def _scrub_complaints(person: Person, values: dict[str, str]) -> None:
    """Complaints about her, or that name her, keep their facts and lose who she is: her name, NIK and No. KK in the
    text and the handling notes (any case), and her name and contact where she was the complainant."""
    values = {old: new for old, new in values.items() if old}
    pattern = re.compile("|".join(re.escape(old) for old in values), re.IGNORECASE)
    lowered = {old.lower(): new for old, new in values.items()}

    def scrub(text: str) -> str:
        return pattern.sub(lambda match: lowered[match.group(0).lower()], text)

    named = Q()
    for old in values:
        named |= Q(description__icontains=old) | Q(steps__note__icontains=old)
    old_name = next(iter(values))
    for complaint in (
        Complaint.objects.filter(Q(person=person) | named | Q(complainant_name__iexact=old_name))
        .distinct()
        .prefetch_related("steps")
    ):
        complaint.description = scrub(complaint.description)
        if complaint.complainant_name.lower() == old_name.lower():
            complaint.complainant_name, complaint.complainant_contact = values[old_name], ""
        complaint.save(update_fields=["description", "complainant_name", "complainant_contact"])
        for step in complaint.steps.all():
            if pattern.search(step.note):
                ComplaintStep.objects.filter(pk=step.pk).update(note=scrub(step.note))


def _scrub_trail(values: dict[str, str]) -> None:
    values = {old: new for old, new in values.items() if old}
    text = Concat(Cast("before", TextField()), Cast("after", TextField()), "object_repr", output_field=TextField())
    found = Q()
    for old in values:
        found |= Q(text__contains=old)
    for event in AuditEvent.objects.annotate(text=text).filter(found).iterator(chunk_size=500):
        AuditEvent.objects.filter(pk=event.pk).update(
            before=_replaced(event.before, values), after=_replaced(event.after, values),
            object_repr=_replaced(event.object_repr, values),
        )  # fmt: skip
