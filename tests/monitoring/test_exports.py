"""The monitoring workbooks: the same figures as the pages, scoped, NIKs masked for leadership, audited."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from monitoring import services
from monitoring.models import TurnoverThreshold
from regions.models import Regency
from tests.factories import ApprovedItemFactory, OperatorFactory, PimpinanFactory, VerifikatorFactory
from tests.monitoring.conftest import deliver
from tests.monitoring.test_graduation import _visited
from tests.monitoring.test_services import _goods
from tests.reports.test_reports import _sheet

pytestmark = pytest.mark.django_db


@pytest.fixture
def season(balikpapan):
    """Samarinda: one graduate (visited 3, 6, 12), one recipient with a sold machine; Balikpapan: one recipient."""
    graduate = deliver(ApprovedItemFactory(), handed_over_on=datetime.date(2025, 1, 10))
    TurnoverThreshold.objects.create(budget_year=graduate.budget_year, regency_id="64.72", amount=Decimal(1))
    _visited(graduate, 3, 6, 12)
    assessment = services.assessment_save(
        handover=graduate, assessor_scores={}, decision="lulus", submit=True, actor=None
    )
    services.assessment_review(assessment=assessment, approve=True, actor=None)
    seller = deliver(ApprovedItemFactory(), handed_over_on=datetime.date(2025, 1, 10))
    goods = _goods(seller)
    goods[next(iter(goods))] = "dijual"
    services.visit_record(
        handover=seller,
        data={"due_month": 3, "visited_on": datetime.date(2025, 4, 15), "visitor_name": "Rina", "mode": "telepon",
              "business_status": "berhenti", "turnover": 0, "net_income": 0, "workers": 1},
        goods=goods,
        actor=None,
    )  # fmt: skip
    deliver(ApprovedItemFactory(proposal__regency=balikpapan), regency=balikpapan, handed_over_on=timezone.localdate())
    sample = services.sample_draw(
        budget_year=graduate.budget_year, regency=Regency.objects.get(code="64.72"), method="semua", confidence=None,
        margin=None, actor=None,
    )  # fmt: skip
    first = sample.results.order_by("position").first()
    services.verification_record(
        result=first, data={"outcome": "tidak_diterima", "checked_on": datetime.date(2025, 3, 1), "note": "Tidak ada"},
        actor=None,
    )  # fmt: skip
    return graduate, seller


def test_the_four_workbooks(client, season):
    graduate, seller = season
    client.force_login(PimpinanFactory())
    _, recap = _sheet(client.get(reverse("reports:monitoring_recap_export"), {"tahun": 2024}))
    names = [str(Regency.objects.get(code=code)) for code in ("64.71", "64.72")]
    assert [r[:3] for r in recap[:-1]] == [(names[0], 1, 0), (names[1], 2, 0)]
    assert recap[-1][0] == "JUMLAH" and recap[-1][6] == 1 and recap[-1][8] == 33  # 1 graduate of 3 recipients

    _, visits = _sheet(client.get(reverse("reports:visit_register_export"), {"tahun": 2024}))
    assert len(visits) == 4 + 1  # three of the graduate, one of the seller, the total
    sold = [r for r in visits if r[3] == seller.allocation.item.person.full_name][0]
    assert "DIJUAL" in sold[17] and sold[11] == "Berhenti"
    assert sold[4].startswith(seller.allocation.item.person.nik[:6]) and "*" in sold[4]  # masked for leadership

    _, graduates = _sheet(client.get(reverse("reports:graduation_export"), {"tahun": 2024}))
    person = graduate.allocation.item.person
    assert graduates[0][6] == person.full_name and graduates[0][-3] == 100 and graduates[0][-2] == graduate.number
    assert graduates[-1][1] == "JUMLAH"

    _, checked = _sheet(client.get(reverse("reports:post_verification_export"), {"tahun": 2024}))
    assert [r[6] for r in checked[:-1]].count("Tidak diterima") == 1
    assert "Belum diperiksa 1" in checked[-1][6] and "Tidak diterima 1" in checked[-1][6]

    actions = set(AuditEvent.objects.filter(action__startswith="report.").values_list("action", flat=True))
    assert actions == {
        "report.monitoring_recap.export",
        "report.visits.export",
        "report.graduation.export",
        "report.post_verification.export",
    }


def test_an_operator_gets_their_regency_only(client, season, balikpapan):
    client.force_login(OperatorFactory(regency=balikpapan))
    _, visits = _sheet(client.get(reverse("reports:visit_register_export"), {"tahun": 2024}))
    assert len(visits) == 1  # the total line only
    _, recap = _sheet(client.get(reverse("reports:monitoring_recap_export"), {"tahun": 2024}))
    assert [r[1] for r in recap] == [1, 1]


def test_the_verifier_sees_whole_niks(client, season):
    client.force_login(VerifikatorFactory())
    _, graduates = _sheet(client.get(reverse("reports:graduation_export"), {"tahun": 2024}))
    assert graduates[0][4] == season[0].allocation.item.person.nik
