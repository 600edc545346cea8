"""The objects the access checks ask about, built lazily per URL (see Objects)."""

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

from disbursements.services import allocations_create, handover_attach, package_lines
from tests.factories import (
    ApprovedItemFactory,
    BudgetYearFactory,
    CeilingFactory,
    HandoverFactory,
    KubeMemberFactory,
    OperatorFactory,
    PackageFactory,
    PersonFactory,
    ProposalFactory,
    ProposalItemFactory,
    TrainingSessionFactory,
    UploadFactory,
)
from training.services import attendance_mark, participants_invite

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
VISIT = {
    "due_month": 3,
    "visitor_name": "Rina Pendamping",
    "mode": "kunjungan",
    "business_status": "berjalan",
    "turnover": 1_500_000,
    "net_income": 400_000,
    "workers": 1,
}


def jpeg(size=(40, 30)) -> bytes:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", size, (200, 120, 40)).save(out, "JPEG")
    return out.getvalue()


def _template_bytes():
    import io

    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.append(["NIK"])
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


TEMPLATE = _template_bytes()


class Objects:
    """The objects a URL is asked about, built the first time its kwargs or data ask for them (a URL needs
    one kind or none, so most of the matrix's cases build nearly nothing). ctx["person"][OWN] is a person
    of the operator's regency, ctx["person"][OTHER] one of another; ctx["budget_year"] has no scope."""

    UNSCOPED = {"budget_year", "package", "goods", "account", "breach", "destruction_report"}

    def __init__(self, regency: dict):
        self.regency, self.built = regency, {}

    def __getitem__(self, key):
        if key == "regency":
            return self.regency
        if key in self.UNSCOPED:
            return self._get(key, None)
        return _PerScope(self, key)

    def _get(self, key, scope):
        if (key, scope) not in self.built:
            self.built[(key, scope)] = getattr(self, f"_{key}")(scope)
        return self.built[(key, scope)]

    def _account(self, _):
        return OperatorFactory(regency=self.regency["own"])

    def _budget_year(self, _):
        return BudgetYearFactory()

    def _package(self, _):
        return PackageFactory()

    def _goods(self, _):
        return self["package"].lines.first().goods

    def _person(self, scope):
        return PersonFactory(regency=self.regency[scope])

    def _snapshot(self, scope):
        from dtsen.models import Snapshot

        return Snapshot.objects.create(period="2026-07-01", source="Kemensos", regency=self.regency[scope],
                                       file_name="dtsen.csv", imported_by=self["account"])  # fmt: skip

    def _flagged(self, scope):
        """A recipient whose desil rose above the ceiling in the register's newest period (on the re-check list)."""
        from dtsen.models import Entry, Snapshot

        person = self["allocation"][scope].item.person
        for period, desil in (("2026-04-01", 3), ("2026-07-01", 8)):
            snapshot = Snapshot.objects.create(
                period=period, source="Kemensos", regency=self.regency[scope], file_name=f"{period}.csv",
                imported_by=self["account"], status="ready",
            )  # fmt: skip
            Entry.objects.create(snapshot=snapshot, nik=person.nik, full_name=person.full_name, desil=desil)
        return person

    def _destruction_report(self, _):
        from privacy.models import DestructionReport

        return DestructionReport.objects.create(counts={"unggahan": 0})

    def _breach(self, _):
        from django.utils import timezone

        from privacy.models import Breach

        now = timezone.now()
        return Breach.objects.create(
            title="Laptop hilang", found_at=now, exposed_from=now, description="Hilang",
            data_exposed="NIK", recorded_by=self["account"],
        )  # fmt: skip

    def _subject_request(self, scope):
        from django.utils import timezone

        from privacy.models import SubjectRequest

        person = self["person"][scope]
        return SubjectRequest.objects.create(
            person=person, regency=person.regency, kind="akses", received_at=timezone.now(), requester_name="Pemohon",
            identity_check="KTP", description="Salinan data", recorded_by=self["account"],
        )  # fmt: skip

    def _member(self, scope):
        return KubeMemberFactory(group__regency=self.regency[scope])

    def _group(self, scope):
        return self["member"][scope].group

    def _proposal(self, scope):
        return ProposalFactory(regency=self.regency[scope], with_documents=True)

    def _item(self, scope):
        return ProposalItemFactory(proposal=self["proposal"][scope])

    def _upload(self, scope):
        return UploadFactory(proposal=self["proposal"][scope], file=ContentFile(TEMPLATE, name="u.xlsx"))

    def _allocation(self, scope):
        CeilingFactory(regency=self.regency[scope], budget_year=self["budget_year"])
        item = ApprovedItemFactory(proposal__regency=self.regency[scope])
        return allocations_create(item_ids=[item.pk], lines=package_lines(self["package"]), actor=None)[0]

    def _session(self, scope):
        return TrainingSessionFactory(regency=self.regency[scope])

    def _attendance(self, scope):
        item_id = self["allocation"][scope].item_id
        [attendance] = participants_invite(session=self["session"][scope], item_ids=[item_id], actor=None)
        return attendance_mark(attendance=attendance, status="present", actor=None)

    def _visit(self, scope):
        from django.utils import timezone

        from monitoring.services import visit_record

        handover = self["handover"][scope]
        return visit_record(
            handover=handover,
            # The BAST is today's: a visit today is one outside the schedule (month 3's window opens later).
            data=VISIT | {"visited_on": timezone.localdate(), "due_month": None},
            goods={line.pk: "dipakai" for line in handover.lines.all()},
            actor=None,
        )

    def _assessment(self, scope):
        from monitoring.services import assessment_save

        self["visit"][scope]
        return assessment_save(
            handover=self["handover"][scope], assessor_scores={}, decision="perpanjang", submit=True, actor=None
        )

    def _complaint(self, scope):
        import datetime

        from complaints.services import complaint_record

        return complaint_record(
            data={"received_on": datetime.date(2026, 11, 27), "channel": "telepon", "complainant_name": "Pelapor",
                  "category": "barang", "description": "Barang rusak", "regency": self.regency[scope]},
            actor=None,
        )  # fmt: skip

    def _job(self, scope):
        from jobs.models import Job

        return Job.objects.create(user=OperatorFactory(regency=self.regency[scope]), title="BNBA", function="x")

    def _complaint_attachment(self, scope):
        from complaints.services import complaint_attach

        upload = SimpleUploadedFile("foto.jpg", jpeg())
        return complaint_attach(complaint=self["complaint"][scope], upload=upload, actor=None)

    def _sample(self, scope):
        from monitoring.services import sample_draw

        handover = self["handover"][scope]
        return sample_draw(
            budget_year=handover.budget_year, regency=handover.regency, method="semua", confidence=None, margin=None,
            actor=None,
        )  # fmt: skip

    def _result(self, scope):
        return self["sample"][scope].results.get()

    def _result_photo(self, scope):
        from django.utils import timezone

        from monitoring.services import verification_record

        return verification_record(
            result=self["result"][scope],
            data={"outcome": "sesuai", "checked_on": timezone.localdate()},
            photo=SimpleUploadedFile("v.jpg", jpeg()),
            actor=None,
        )

    def _visit_photo(self, scope):
        from monitoring.services import visit_photo_add

        return visit_photo_add(visit=self["visit"][scope], upload=SimpleUploadedFile("v.jpg", jpeg()), actor=None)

    def _handover(self, scope):
        self["attendance"][scope]  # the Bimtek rule: attended first
        handover = HandoverFactory(allocation=self["allocation"][scope])
        return handover_attach(handover=handover, field="photo", upload=SimpleUploadedFile("f.png", PNG), actor=None)


class _PerScope:
    def __init__(self, objects: Objects, key: str):
        self.objects, self.key = objects, key

    def __getitem__(self, scope):
        return self.objects._get(self.key, scope)
