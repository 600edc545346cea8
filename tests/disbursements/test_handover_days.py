"""The BASTs counted by day come from HandoverDay, which database triggers keep (migration 0010, core.tally): after
every kind of write to the BASTs — made, the signed scan attached, voided, redated, saved whole, several changed
by one statement, a write rolled back, deleted — they equal a fresh count of the BASTs. On SQLite (`make run`,
row-level triggers) and PostgreSQL (statement-level triggers over transition tables) alike."""

import datetime
import importlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.db.models import BooleanField, Count, ExpressionWrapper, Q, Sum

from disbursements.models import Handover, HandoverDay
from disbursements.selectors import delivered_by_day
from disbursements.services import handover_attach, handover_void
from tests.factories import ApprovedItemFactory, OperatorFactory, PimpinanFactory
from tests.monitoring.conftest import deliver, kube_item

pytestmark = pytest.mark.django_db
DAY = datetime.date(2025, 1, 10)


def _kept() -> dict:
    return {(d.budget_year_id, d.regency_id, d.program, d.handed_over_on, d.realised): (d.n, d.value, d.complete)
            for d in HandoverDay.objects.all()}  # fmt: skip


def _fresh() -> dict:
    realised = ExpressionWrapper(~Q(signed_scan=""), output_field=BooleanField())
    rows = (
        Handover.objects.delivered()
        .annotate(realised=realised)
        .values_list("budget_year", "regency", "program", "handed_over_on", "realised")
        .annotate(n=Count("id"), value=Sum("value"), complete=Count("id", filter=~Q(signed_scan="") & ~Q(photo="")))
        .order_by()
    )
    return {tuple(row[:5]): (row[5], row[6], row[7]) for row in rows}


def test_the_kept_counts_follow_every_kind_of_write(balikpapan):
    first = deliver(ApprovedItemFactory(), handed_over_on=DAY)
    second = deliver(ApprovedItemFactory(), handed_over_on=DAY)
    group = deliver(kube_item(), program="KUBE", handed_over_on=DAY)
    other = deliver(ApprovedItemFactory(proposal__regency=balikpapan), regency=balikpapan, handed_over_on=DAY)
    assert _kept() == _fresh()
    assert _kept()[(first.budget_year_id, "64.72", "WRSE", DAY, True)][0] == 2
    Handover.objects.filter(pk__in=[first.pk, second.pk]).update(signed_scan="")  # waiting for their scans
    assert _kept() == _fresh()
    assert _kept()[(first.budget_year_id, "64.72", "WRSE", DAY, False)][0] == 2

    handover_attach(handover=first, field="signed_scan", upload=SimpleUploadedFile("b.pdf", b"%PDF-1.4\n%%EOF\n"),
                    actor=None)  # fmt: skip
    assert _kept() == _fresh()
    assert _kept()[(first.budget_year_id, "64.72", "WRSE", DAY, True)][0] == 1

    handover_void(handover=group, reason="Salah penerima, diganti BAST baru", actor=None)
    assert _kept() == _fresh()
    assert not any(key[2] == "KUBE" for key in _kept())  # a combination that falls to 0 is removed

    Handover.objects.filter(pk=second.pk).update(handed_over_on=DAY + datetime.timedelta(days=1))  # redated
    assert _kept() == _fresh()
    whole = Handover.objects.get(pk=other.pk)
    whole.value += 1000
    whole.save()  # Django writes every column
    assert _kept() == _fresh()

    Handover.objects.filter(budget_year=first.budget_year).update(signed_scan="bast/pindaian/semua.pdf")  # one UPDATE
    assert _kept() == _fresh()
    Handover.objects.filter(pk=first.pk).update(photo="bast/foto/a.jpg")  # its photo: complete (scan and photo)
    assert _kept() == _fresh()
    assert _kept()[(first.budget_year_id, "64.72", "WRSE", DAY, True)][2] == 1

    before = _kept()
    with pytest.raises(RuntimeError), transaction.atomic():
        Handover.objects.filter(pk=other.pk).update(status=Handover.Status.VOID, void_reason="uji")
        assert _kept() == _fresh()
        raise RuntimeError
    assert _kept() == _fresh() == before

    Handover.objects.filter(pk=second.pk).delete()  # only ever in tests: a BAST is voided, never deleted
    assert _kept() == _fresh()


def test_the_dashboard_reads_the_days_in_the_users_sight(balikpapan):
    mine = deliver(ApprovedItemFactory(), handed_over_on=DAY)
    deliver(ApprovedItemFactory(proposal__regency=balikpapan), regency=balikpapan, handed_over_on=DAY)
    budget_year = mine.budget_year
    assert delivered_by_day(user=OperatorFactory(), budget_year=budget_year) == [
        ("64.72", "WRSE", DAY, True, 1, mine.value)
    ]
    assert len(delivered_by_day(user=PimpinanFactory(), budget_year=budget_year)) == 2


def test_the_migration_counts_the_basts_already_there():
    deliver(ApprovedItemFactory(), handed_over_on=DAY)
    expected = _fresh()
    HandoverDay.objects.all().delete()
    migration = importlib.import_module("disbursements.migrations.0012_handover_day_complete")
    with connection.cursor() as cursor:
        cursor.execute(migration.tally_fill(**migration.TALLY))
    assert _kept() == expected
