"""The quarterly re-check: a new DTSEN period puts on the regency's worklist exactly the recipients of the years still
open whose desil rose above their programme's ceiling or who left the register, with both periods' desil; the
regency records the field outcome (a reason when not eligible), audited, shown on the person's page; nothing is
removed; another regency's officer never sees or touches it."""

import datetime
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audit.models import AuditEvent
from beneficiaries.models import MemberRole
from disbursements.services import allocations_create, package_lines
from dtsen.services import import_snapshot
from programs.models import BudgetYear
from rechecks.models import Outcome, Recheck
from rechecks.selectors import checked_share, worklist
from tests.factories import (
    AdminProvinsiFactory,
    ApprovedItemFactory,
    BudgetYearFactory,
    CeilingFactory,
    KubeMemberFactory,
    OperatorFactory,
    PackageFactory,
    PersonFactory,
)

pytestmark = pytest.mark.django_db
Q2, Q3 = datetime.date(2026, 4, 1), datetime.date(2026, 7, 1)


def _snapshot(period, rows, regency=None):
    text = "NIK;Nama;Desil\n" + "".join(f"{person.nik};{person.full_name};{desil}\n" for person, desil in rows)
    return import_snapshot(user=AdminProvinsiFactory(), data=text.encode(), file_name=f"{period}.csv", period=period,
                           source="Kemensos", regency=regency)  # fmt: skip


def _allocated(item):
    CeilingFactory(regency=item.proposal.regency, program=item.proposal.program, budget_year=item.proposal.budget_year,
                   amount=Decimal("900000000"))  # fmt: skip
    package = PackageFactory(program=item.proposal.program)
    allocations_create(item_ids=[item.pk], lines=package_lines(package), actor=None)
    return item


@pytest.fixture
def season(balikpapan):
    """Samarinda's recipients of 2024 (open) and one of 2023 (closed), a Balikpapan woman, and two periods."""
    woman = {key: _allocated(ApprovedItemFactory()).person for key in ("rose", "left", "same", "never")}
    closed = BudgetYearFactory(year=2023)
    woman["closed"] = _allocated(ApprovedItemFactory(proposal__budget_year=closed)).person
    BudgetYear.objects.filter(pk=closed.pk).update(status=BudgetYear.Status.CLOSED)
    woman["elsewhere"] = _allocated(ApprovedItemFactory(proposal__regency=balikpapan)).person
    chair = KubeMemberFactory(role=MemberRole.CHAIR)
    member = KubeMemberFactory(group=chair.group)
    _allocated(ApprovedItemFactory(proposal__program="KUBE", person=None, group=chair.group))
    woman["member"], woman["chair"] = member.person, chair.person
    before = [(woman[k], 3) for k in ("rose", "left", "same", "closed", "elsewhere", "member", "chair")]
    _snapshot(Q2, before)
    now = [(woman["rose"], 7), (woman["same"], 3), (woman["closed"], 8), (woman["elsewhere"], 9), (woman["member"], 6),
           (woman["chair"], 5)]  # fmt: skip
    _snapshot(Q3, now)
    return woman


def test_a_new_period_puts_the_right_recipients_on_the_regency_worklist_with_both_periods(season):
    work = worklist("64.72")
    rows = {pk: (flag.desil_before, flag.period_before, flag.desil_now) for pk, flag in work.flags.items()}
    assert rows == {
        season["rose"].pk: (3, Q2, 7),
        season["left"].pk: (3, Q2, None),
        season["member"].pk: (3, Q2, 6),
    }
    assert work.period == Q3 and work.counts == {"total": 3, "recorded": 0}
    assert set(worklist("64.71").flags) == {season["elsewhere"].pk}


def test_the_officer_records_the_outcome_with_a_reason_audited_and_shown_on_the_persons_page(season, client):
    officer = OperatorFactory()
    client.force_login(officer)
    page = client.get(reverse("rechecks:worklist"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Triwulan III 2026" in text and season["rose"].full_name in text and season["same"].full_name not in text
    url = reverse("rechecks:record", args=["64.72", season["rose"].pk])
    refused = client.post(url, {"outcome": Outcome.INELIGIBLE, "reason": " ", "checked_on": "2026-11-02"})
    assert refused.status_code == 200 and "Tuliskan alasan" in refused.content.decode()
    assert not Recheck.objects.exists()
    data = {"outcome": Outcome.INELIGIBLE, "reason": "Sudah bekerja tetap di pabrik", "checked_on": "2026-11-02"}
    assert client.post(url, data).status_code == 302
    assert client.post(url, {**data, "outcome": Outcome.ELIGIBLE, "reason": ""}).status_code == 302  # a correction
    recheck = Recheck.objects.get()
    assert (recheck.outcome, recheck.desil, recheck.previous_desil, recheck.period) == ("eligible", 7, 3, Q3)
    events = AuditEvent.objects.filter(action="recheck.record").order_by("pk")
    assert [event.after["outcome"] for event in events] == ["ineligible", "eligible"]
    assert events[1].before["outcome"] == "ineligible" and events[1].regency_id == "64.72"
    assert worklist("64.72").counts == {"total": 3, "recorded": 1}
    assert season["rose"].pk not in {person.pk for person in worklist("64.72").people("")}  # pending, by default
    person_page = client.get(season["rose"].get_absolute_url()).content.decode()
    assert "Verifikasi lapangan DTSEN Triwulan III 2026" in person_page and "Tetap layak" in person_page
    assert season["rose"].proposal_items.get().allocations.get().status == "active"  # nothing removed


def test_another_regencys_officer_gets_404_and_a_person_not_on_the_list_cannot_be_recorded(season, client, balikpapan):
    client.force_login(OperatorFactory(regency=balikpapan))
    data = {"outcome": Outcome.ELIGIBLE, "reason": "", "checked_on": "2026-11-02"}
    assert client.post(reverse("rechecks:record", args=["64.72", season["rose"].pk]), data).status_code == 404
    assert client.post(reverse("rechecks:record", args=["64.71", season["rose"].pk]), data).status_code == 404
    page = client.get(reverse("rechecks:worklist") + "?kabupaten=64.72").content.decode()
    assert season["rose"].full_name not in page and season["elsewhere"].full_name in page
    client.force_login(OperatorFactory())
    assert client.post(reverse("rechecks:record", args=["64.72", season["same"].pk]), data).status_code == 404
    assert not Recheck.objects.exists()


def test_the_worklist_page_reads_a_constant_number_of_queries(season, client):
    client.force_login(OperatorFactory())
    url = reverse("rechecks:worklist") + "?status=semua"
    client.get(url)
    cache.clear()  # the verdicts counted afresh (a kept copy reads fewer: below)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for n in range(6):
        person = PersonFactory()
        _allocated(ApprovedItemFactory(person=person))
        Recheck.objects.create(person=season["rose"], regency_id="64.72", period=datetime.date(2026, 1, n + 1),
                               outcome=Outcome.ELIGIBLE, recorded_by=AdminProvinsiFactory())  # fmt: skip
    recipients = PersonFactory._meta.model.objects.filter(proposal_items__isnull=False, regency="64.72")
    _snapshot(datetime.date(2026, 9, 1), [(person, 9) for person in recipients])
    cache.clear()
    with CaptureQueriesContext(connection) as many:
        page = client.get(url)
    assert len(page.context["page"].object_list) > 3
    assert len(many) == len(few)
    with CaptureQueriesContext(connection) as kept:
        again = client.get(url)
    assert len(kept) < len(many) and again.context["page"].object_list == page.context["page"].object_list


def test_kept_verdicts_follow_a_new_allocation_and_a_new_snapshot(season, settings):
    newcomer = PersonFactory()
    _snapshot(datetime.date(2026, 5, 1), [(newcomer, 2)])  # listed in an earlier period only: she left the register
    assert set(worklist("64.72").flags) == {season["rose"].pk, season["left"].pk, season["member"].pk}
    _allocated(ApprovedItemFactory(person=newcomer))  # allocated after the verdicts were kept
    assert newcomer.pk in worklist("64.72").flags
    _snapshot(datetime.date(2026, 9, 1), [(newcomer, 2), (season["rose"], 2)])  # a newer period: both back in it
    assert not {newcomer.pk, season["rose"].pk} & set(worklist("64.72").flags)


def test_the_dashboard_share_counts_recipients_listed_within_the_ceiling_or_rechecked(season):
    year = BudgetYear.objects.get(year=2024)
    with CaptureQueriesContext(connection) as queries:
        share = checked_share(budget_year=year, regency_codes=["64.72", "64.71"])
    assert len(queries) == 5  # the snapshots; per programme, the recipients and those unchecked
    assert share["label"] == "DTSEN Triwulan III 2026"
    # Samarinda: six recipients (four women, two KUBE members); "same" and the chair are within the ceiling.
    assert share["regencies"]["64.72"] == {"recipients": 6, "checked": 2, "percent": 33.3}
    assert share["regencies"]["64.71"] == {"recipients": 1, "checked": 0, "percent": 0.0}
    Recheck.objects.create(person=season["left"], regency_id="64.72", period=Q3, outcome=Outcome.INELIGIBLE,
                           reason="Pindah", recorded_by=AdminProvinsiFactory())  # fmt: skip
    assert checked_share(budget_year=year, regency_codes=["64.72"])["regencies"]["64.72"]["checked"] == 3


def test_the_dashboard_shows_each_regencys_share_checked_against_the_current_period(season, client, settings):
    """Loaded after the page (a pass over the year's recipients), kept until the register or the re-checks change."""
    settings.DASHBOARD_CACHE_SECONDS = 60
    client.force_login(AdminProvinsiFactory())
    dashboard = client.get(reverse("reports:dashboard") + "?tahun=2024").content.decode()
    assert reverse("reports:register_share") + "?tahun=2024" in dashboard
    url = reverse("reports:register_share") + "?tahun=2024"
    share = client.get(url).context["register"]
    assert share["label"] == "DTSEN Triwulan III 2026" and (share["checked"], share["recipients"]) == (2, 7)
    assert dict((regency.code, row) for regency, row in share["rows"])["64.71"]["recipients"] == 1
    assert "Penerima yang sudah dicek terhadap DTSEN Triwulan III 2026" in client.get(url).content.decode()
    Recheck.objects.create(person=season["left"], regency_id="64.72", period=Q3, outcome=Outcome.INELIGIBLE,
                           reason="Pindah", recorded_by=AdminProvinsiFactory())  # fmt: skip
    assert client.get(url).context["register"]["checked"] == 3  # counted again: a re-check was recorded
    client.force_login(OperatorFactory())
    rows = client.get(url).context["register"]["rows"]
    assert [regency.code for regency, _ in rows] == ["64.72"]  # an officer's own regency only
