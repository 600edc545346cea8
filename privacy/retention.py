"""Retention and destruction (UU 27/2022 Art. 43–44): what has passed its period, per rule (privacy.RetentionRule);
a berita acara proposing its destruction (counts only); carried out once the Petugas Pelindungan Data approves —
candidates who never received aid, and recipients once their financial record's period is over, anonymised (their
proposals, BASTs and counts stay), staged upload workbooks, complaint
attachments and monitoring photos deleted (the complaints and visits stay)."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, Max, OuterRef, Q, QuerySet
from django.utils import timezone

from audit.services import audit_record
from beneficiaries.models import Person
from complaints.models import ComplaintAttachment
from complaints.models import Status as ComplaintStatus
from core.media import delete_after_commit
from disbursements.models import Allocation, Handover
from monitoring.models import VisitPhoto
from privacy import erasure
from privacy.models import DestructionReport, RetentionRule
from proposals.models import ItemStatus, ProposalItem, Upload


def due() -> dict[str, QuerySet]:
    """Per rule kind, the records past their period."""
    rules = {rule.kind: rule for rule in RetentionRule.objects.all()}
    found: dict[str, QuerySet] = {}
    rule = rules.get(RetentionRule.Kind.CANDIDATES)
    if rule and rule.keep_years is not None:
        last_year = timezone.localdate().year - rule.keep_years - 1  # the budget year must be that old or older
        approved = ProposalItem.objects.filter(person=OuterRef("pk"), status=ItemStatus.APPROVED)
        allocated = Allocation.objects.filter(item__person=OuterRef("pk"))
        found[rule.kind] = (
            Person.objects.filter(erased_at__isnull=True, proposal_items__isnull=False)
            .exclude(Exists(approved))
            .exclude(Exists(allocated))
            .exclude(kube_memberships__isnull=False)
            .annotate(newest=Max("proposal_items__proposal__budget_year__year"))
            .filter(newest__lte=last_year)
        )
    rule = rules.get(RetentionRule.Kind.UPLOADS)
    if rule and rule.keep_days is not None:
        before = timezone.now() - datetime.timedelta(days=rule.keep_days)
        found[rule.kind] = Upload.objects.filter(uploaded_at__lt=before).exclude(file="")
    rule = rules.get(RetentionRule.Kind.RECIPIENTS)
    if rule and rule.keep_years is not None:
        # Recipients whose newest BAST (hers, or her KUBE's) and newest proposal are that old: the financial record's
        # period is over; their identity goes, the BASTs and every total stay ("Penerima terhapus #n").
        last_year = timezone.localdate().year - rule.keep_years - 1
        delivered = Handover.objects.filter(status=Handover.Status.DELIVERED)
        own = delivered.filter(allocation__item__person=OuterRef("pk"))
        group = delivered.filter(allocation__item__group__members__person=OuterRef("pk"))
        found[rule.kind] = (
            Person.objects.filter(Q(Exists(own)) | Q(Exists(group)), erased_at__isnull=True)
            .annotate(
                own_year=Max("proposal_items__proposal__budget_year__year"),
                group_year=Max("kube_memberships__group__proposal_items__proposal__budget_year__year"),
            )
            .filter(Q(own_year__isnull=True) | Q(own_year__lte=last_year))
            .filter(Q(group_year__isnull=True) | Q(group_year__lte=last_year))
        )
    rule = rules.get(RetentionRule.Kind.ATTACHMENTS)
    if rule and rule.keep_years is not None:
        last_year = timezone.localdate().year - rule.keep_years - 1  # closed that year or before
        found[rule.kind] = ComplaintAttachment.objects.filter(
            complaint__status=ComplaintStatus.CLOSED, complaint__closed_at__year__lte=last_year
        )
    rule = rules.get(RetentionRule.Kind.PHOTOS)
    if rule and rule.keep_years is not None:
        last_year = timezone.localdate().year - rule.keep_years - 1
        found[rule.kind] = VisitPhoto.objects.filter(visit__handover__budget_year__year__lte=last_year)
    return found


def propose() -> DestructionReport | None:
    """The monthly task: a berita acara of what is due (None when nothing is, or one still waits for approval)."""
    if DestructionReport.objects.filter(status=DestructionReport.Status.PROPOSED).exists():
        return None
    counts = {kind: records.count() for kind, records in due().items()}
    if not any(counts.values()):
        return None
    with transaction.atomic():
        report = DestructionReport.objects.create(counts=counts)
        audit_record(actor=None, action="retention.propose", obj=report, after=counts)
    return report


def destroy(*, report: DestructionReport, actor) -> DestructionReport:
    """Carry out an approved berita acara: what is due now (counted again), anonymised or deleted."""
    if report.status != DestructionReport.Status.PROPOSED:
        raise ValidationError("Berita acara ini sudah dilaksanakan.")
    done = {}
    with transaction.atomic():
        records = due()
        people = list(records.get(RetentionRule.Kind.CANDIDATES, Person.objects.none()))
        for person in people:
            erasure.anonymise(person)
        done[RetentionRule.Kind.CANDIDATES] = len(people)
        recipients = list(records.get(RetentionRule.Kind.RECIPIENTS, Person.objects.none()))
        for person in recipients:
            erasure.anonymise(person)
        done[RetentionRule.Kind.RECIPIENTS] = len(recipients)
        uploads = list(records.get(RetentionRule.Kind.UPLOADS, Upload.objects.none()))
        for upload in uploads:
            delete_after_commit(upload.file)  # once the rows no longer point at it (a rollback keeps both)
        Upload.objects.filter(pk__in=[upload.pk for upload in uploads]).update(file="")
        done[RetentionRule.Kind.UPLOADS] = len(uploads)
        for kind, model, field in ((RetentionRule.Kind.ATTACHMENTS, ComplaintAttachment, "file"),
                                   (RetentionRule.Kind.PHOTOS, VisitPhoto, "image")):  # fmt: skip
            files = list(records.get(kind, model.objects.none()))
            for record in files:
                delete_after_commit(getattr(record, field))
            model.objects.filter(pk__in=[record.pk for record in files]).delete()
            done[kind] = len(files)
        report.status, report.counts = DestructionReport.Status.DONE, done
        report.done_at, report.done_by = timezone.now(), actor
        report.save()
        audit_record(actor=actor, action="retention.destroy", obj=report, after=done)
    return report
