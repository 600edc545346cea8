"""Each role's home page lists what waits for that person, counted and linked; nothing waiting, nothing listed."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from complaints import services as complaints
from regions.models import Regency
from tests.factories import (
    AdminProvinsiFactory,
    ApprovedItemFactory,
    CeilingFactory,
    OperatorFactory,
    PimpinanFactory,
    ProposalFactory,
    ProposalItemFactory,
    VerifikatorFactory,
)
from tests.monitoring.conftest import deliver

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("reference_data")]


def _tasks(client, user):
    client.force_login(user)
    return {t.label: t.count for t in client.get(reverse("home")).context["tasks"]}


def _complaint(received_on):
    return complaints.complaint_record(
        data={"received_on": received_on, "channel": "telepon", "complainant_name": "Warga", "category": "barang",
              "description": "Rusak", "regency": Regency.objects.get(code="64.72")},
        actor=None,
    )  # fmt: skip


def test_the_operators_list(client):
    deliver(ApprovedItemFactory(), handed_over_on=timezone.localdate() - datetime.timedelta(days=100))
    ProposalItemFactory(proposal=ProposalFactory(program="KUBE"), status="returned")
    _complaint(timezone.localdate())
    tasks = _tasks(client, OperatorFactory())
    assert tasks["Kunjungan monev jatuh tempo atau terlambat"] == 1
    assert tasks["Usulan dikembalikan untuk diperbaiki"] == 1
    assert tasks["Pengaduan menunggu tanggapan"] == 1
    assert "BAST belum ada pindaian bertanda tangan" not in tasks  # the factory's BAST has its scan


def test_the_verifiers_and_the_heads_lists(client):
    _complaint(datetime.date(2026, 1, 5))  # long overdue
    proposal = ProposalFactory()
    ProposalItemFactory(proposal=proposal)
    type(proposal).objects.filter(pk=proposal.pk).update(status="submitted")
    tasks = _tasks(client, VerifikatorFactory())
    assert tasks == {"Usulan menunggu verifikasi": 1, "Pengaduan terlambat": 1}
    assert _tasks(client, PimpinanFactory()) == {"Pengaduan terlambat": 1}


def test_the_admins_list(client):
    CeilingFactory()  # Samarinda has a ceiling and no proposal; nine regencies have none
    tasks = _tasks(client, AdminProvinsiFactory())
    assert tasks["Kabupaten/kota dengan pagu tanpa usulan"] == 1
    assert tasks["Kabupaten/kota belum ada pagu"] == 9


def test_nothing_waiting_nothing_listed(client):
    from tests.factories import BudgetYearFactory

    BudgetYearFactory()
    assert _tasks(client, VerifikatorFactory()) == {}


def test_todays_bimtek_is_on_the_list_of_those_who_take_attendance(client, balikpapan):
    from tests.factories import TrainingSessionFactory

    today = timezone.localdate()
    TrainingSessionFactory(start_date=today, end_date=today)  # Samarinda's, today
    TrainingSessionFactory(start_date=today - datetime.timedelta(days=9), end_date=today - datetime.timedelta(days=8))
    assert _tasks(client, OperatorFactory())["Bimtek hari ini"] == 1
    assert _tasks(client, VerifikatorFactory())["Bimtek hari ini"] == 1
    assert "Bimtek hari ini" not in _tasks(client, OperatorFactory(regency=balikpapan))  # another regency's
    assert "Bimtek hari ini" not in _tasks(client, PimpinanFactory())
