import io
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import Sum
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from audit.models import AuditEvent
from disbursements.models import Allocation, Handover
from disbursements.services import allocation_void, allocations_create, handover_void, package_lines
from tests.factories import (
    ApprovedItemFactory,
    CeilingFactory,
    OperatorFactory,
    PackageFactory,
    PersonFactory,
    PimpinanFactory,
    ProposalItemFactory,
    TrainingSessionFactory,
)
from tests.factories.disbursements import _handover
from training.services import attendance_mark, participants_invite

pytestmark = pytest.mark.django_db


def _sheet(response):
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(book.active.iter_rows(values_only=True))
    return book.active, rows[6:]  # after the title block and the header


@pytest.fixture
def year_with_activity(samarinda, balikpapan):
    """Two regencies running: allocations (one voided), Bimtek, handovers (one voided)."""
    package = PackageFactory()  # Rp4.000.000
    for regency, amount in ((samarinda, "60000000"), (balikpapan, "40000000")):
        CeilingFactory(regency=regency, amount=Decimal(amount), target_count=10)
        items = ApprovedItemFactory.create_batch(4, proposal__regency=regency)
        ProposalItemFactory(proposal=items[0].proposal)  # still pending
        allocations = allocations_create(item_ids=[i.pk for i in items], lines=package_lines(package), actor=None)
        allocation_void(allocation=allocations[3], reason="salah data", actor=None)
        session = TrainingSessionFactory(regency=regency)
        for attendance in participants_invite(session=session, item_ids=[i.pk for i in items[:3]], actor=None):
            attendance_mark(attendance=attendance, status="present", actor=None)
        first = _handover(allocations[0])
        _handover(allocations[1])
        if regency == balikpapan:
            handover_void(handover=first, reason="tertukar", actor=None)


def test_dashboard_workbooks_and_records_reconcile(client, year_with_activity):
    client.force_login(PimpinanFactory())
    context = client.get(reverse("reports:dashboard"), {"tahun": 2024}).context
    total = context["total"]
    committed = Allocation.objects.filter(status="active").aggregate(v=Sum("total"))["v"]
    realised = Handover.objects.filter(status="delivered").aggregate(v=Sum("value"))["v"]
    assert (total.committed, total.realised) == (committed, realised) == (Decimal("24000000"), Decimal("12000000"))
    assert total.amount == Decimal("100000000") and total.remaining == Decimal("76000000")
    assert total.counts == {"proposed": 10, "approved": 8, "allocated": 6, "trained": 6, "delivered": 3}

    _, recap = _sheet(client.get(reverse("reports:recap_export"), {"tahun": 2024}))
    sums = recap[-1]
    assert sums[0] == "JUMLAH" and sums[2] == 100000000 and sums[4:9] == (10, 8, 6, 6, 3)
    assert sums[9:12] == (24000000, 12000000, 76000000) and sums[12] == 12.0
    data = recap[:-1]
    assert sum(r[9] for r in data) == sums[9] and sum(r[10] for r in data) == sums[10]

    _, absorption = _sheet(client.get(reverse("disbursements:absorption_export", args=[2024])))
    assert absorption[-1][5] == sums[9] and absorption[-1][6] == sums[10] and absorption[-1][2] == sums[2]

    overview = client.get(reverse("disbursements:budget_overview", args=[2024])).context["overview"]
    assert overview.totals["committed"] == total.committed and overview.totals["realised"] == total.realised
    for line in context["per_regency"]:
        ours = [r for r in data if r[0] == str(line.regency)]
        assert sum(r[9] for r in ours) == line.committed and sum(r[10] for r in ours) == line.realised

    _, register = _sheet(client.get(reverse("disbursements:handover_export"), {"tahun": 2024}))
    assert register[-1][8] == sums[10]
    _, allocation_detail = _sheet(client.get(reverse("disbursements:allocation_export"), {"tahun": 2024}))
    assert allocation_detail[-1][12] == sums[9]
    assert {r.name for r in context["not_started"]} >= {"Mahakam Ulu", "Berau"}


def test_dashboard_queries_do_not_grow_with_the_data(client, year_with_activity):
    client.force_login(PimpinanFactory())
    client.get(reverse("home"))
    with CaptureQueriesContext(connection) as before:
        client.get(reverse("reports:dashboard"), {"tahun": 2024})
    ApprovedItemFactory.create_batch(10)
    with CaptureQueriesContext(connection) as after:
        client.get(reverse("reports:dashboard"), {"tahun": 2024})
    # 22: the session and the user (3), the year, the BASTs by day, the recap's five (one for the trained among those
    # still waiting, from the mark the database keeps, as some WRSE recipients still wait for their goods), the
    # attendance rate, the monitoring section's five
    # (the visits tallied, those of BASTs voided since, and the medians when a month has visits), the complaints'
    # four, the activity, the years to choose from (the DTSEN share is loaded after the page: reports:register_share)
    assert len(after) == len(before) == 22


@pytest.mark.parametrize(
    ("url", "kwargs", "regency_column"),
    [
        ("reports:recap_export", {}, 0),
        ("reports:bnba_export", {"program": "WRSE"}, 11),
        ("reports:verification_export", {}, 1),
        ("reports:attendance_export", {}, 1),
        ("disbursements:allocation_export", {}, 3),
        ("disbursements:handover_export", {}, 3),
    ],
)
def test_every_report_stays_in_the_operators_regency(client, year_with_activity, url, kwargs, regency_column):
    client.force_login(OperatorFactory())
    _, rows = _sheet(client.get(reverse(url, kwargs=kwargs), {"tahun": 2024}))
    regencies = {row[regency_column] for row in rows if row[0] not in (None, "JUMLAH")}
    assert regencies == {"Kota Samarinda"}


def test_bnba_is_formula_safe_and_has_one_row_per_recipient(client):
    dangerous = PersonFactory(full_name='=HYPERLINK("http://x","klik")', address="+62 jalan\x07 rusak")
    ApprovedItemFactory(person=dangerous)
    ApprovedItemFactory.create_batch(4)
    client.force_login(PimpinanFactory())
    sheet, rows = _sheet(client.get(reverse("reports:bnba_export", args=["WRSE"]), {"tahun": 2024}))
    *rows, total = rows
    assert total[3] == "JUMLAH: 5 penerima"
    names = [row[3] for row in rows]
    assert '\'=HYPERLINK("http://x","klik")' in names
    assert "'+62 jalan rusak" in [row[7] for row in rows]
    assert len(rows) == 5  # rows written = the query's count
    assert AuditEvent.objects.get(action="report.bnba.export").after["rows"] == 5
    assert sheet.freeze_panes == "A7" and sheet.auto_filter.ref.startswith("A6:")
    assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.fitToWidth == 1
    assert all(isinstance(row[1], str) and "******" in row[1] for row in rows)  # NIK as text, masked for Pimpinan


def test_kube_bnba_lists_every_member_with_the_groups_allocation(client):
    from beneficiaries.models import MemberRole
    from tests.factories import KubeMemberFactory

    chair = KubeMemberFactory(role=MemberRole.CHAIR)
    for role in (MemberRole.SECRETARY, MemberRole.TREASURER, MemberRole.MEMBER, MemberRole.MEMBER):
        KubeMemberFactory(group=chair.group, role=role)
    item = ApprovedItemFactory(proposal__program="KUBE", person=None, group=chair.group)
    CeilingFactory(program="KUBE")
    allocations_create(item_ids=[item.pk], lines=package_lines(PackageFactory(program="KUBE")), actor=None)
    client.force_login(OperatorFactory())
    _, rows = _sheet(client.get(reverse("reports:bnba_export", args=["KUBE"]), {"tahun": 2024}))
    *rows, total = rows
    assert total[1] == "JUMLAH: 1 KUBE" and total[2] == "5 anggota" and total[-2] == 4000000  # the group once
    assert len(rows) == 5 and {row[1] for row in rows} == {chair.group.name}
    assert {row[2] for row in rows} == {"Ketua", "Sekretaris", "Bendahara", "Anggota"}
    assert {row[-2] for row in rows} == {4000000}
    assert all(len(row[3]) == 16 and row[3].isdigit() for row in rows)  # an operator sees whole NIKs
