"""Eligibility from the register: the proposal checks (upload preview, saved items, verification — one rule set) read
DTSEN's desil of the newest period against the year's ceiling, and say when a person is missing from it, when the
period is older than the year allows, and when the typed desil is not the register's."""

import datetime

import pytest
from django.utils import timezone

from dtsen.services import import_snapshot
from proposals import imports
from proposals.checks import ERROR, WARNING, compute
from tests.factories import AdminProvinsiFactory, OperatorFactory, ProposalFactory, ProposalItemFactory
from tests.proposals.workbooks import build, wrse_row

pytestmark = pytest.mark.django_db


def _quarter_start(day: datetime.date) -> datetime.date:
    return datetime.date(day.year, (day.month - 1) // 3 * 3 + 1, 1)


def _snapshot(rows: list[tuple[str, int]], period=None, regency=None):
    text = "NIK,Nama,Desil\n" + "".join(f"{nik},Warga,{desil}\n" for nik, desil in rows)
    period = period or _quarter_start(timezone.localdate())
    return import_snapshot(user=AdminProvinsiFactory(), data=text.encode(), file_name=f"{period}.csv", period=period,
                           source="Kemensos", regency=regency)  # fmt: skip


def _codes(item_checks) -> set[tuple[str, str]]:
    return {(check["code"], check["level"]) for check in item_checks}


def test_a_desil_7_woman_is_flagged_at_upload_with_row_and_column():
    rows = [wrse_row(1), wrse_row(2, Desil=3), wrse_row(3)]
    snapshot = _snapshot([(rows[0]["NIK"], 7), (rows[1]["NIK"], 1)])
    upload = imports.upload_check(proposal=ProposalFactory(), data=build(rows), filename="u.xlsx",
                                  actor=OperatorFactory())  # fmt: skip
    label = snapshot.period_label
    assert [(p["row"], p["header"], p["message"]) for p in upload.errors] == [
        (2, "Desil", f"Warga Perempuan 1: Desil 7 (DTSEN {label}) di atas batas WRSE (desil 1–5).")
    ]
    warnings = {(p["row"], p["header"], p["message"]) for p in upload.warnings}
    assert (
        2,
        "Desil",
        f"Warga Perempuan 1: desil di berkas 1, Desil 7 (DTSEN {label}); yang berlaku desil DTSEN.",
    ) in warnings
    assert (
        3,
        "Desil",
        f"Warga Perempuan 2: desil di berkas 3, Desil 1 (DTSEN {label}); yang berlaku desil DTSEN.",
    ) in warnings
    assert (
        4,
        "ID DTKS/DTSEN",
        f"Warga Perempuan 3: belum terdaftar di DTSEN {label} — usulkan melalui Musdes/SIKS-NG.",
    ) in warnings


def test_a_saved_item_is_judged_as_the_preview_judged_it_and_the_year_sets_the_level():
    item = ProposalItemFactory()
    person = item.person
    person.desil = 6
    person.save()
    _snapshot([(person.nik, 6)])
    year = item.proposal.budget_year
    assert ("desil", ERROR) in _codes(compute([item], year)[0])
    year.desil_level, year.wrse_max_desil = "warning", 5
    assert ("desil", WARNING) in _codes(compute([item], year)[0])
    year.wrse_max_desil = 6
    assert not {code for code, _ in _codes(compute([item], year)[0])} & {"desil", "desil_differs", "dtsen_missing"}


def test_a_period_older_than_the_year_allows_is_said_and_before_any_snapshot_only_the_typed_id_counts():
    item = ProposalItemFactory()
    year = item.proposal.budget_year
    item.person.dtks_id = ""
    assert _codes(compute([item], year)[0]) >= {("dtks", WARNING)}  # no snapshot yet: the old rule
    old = _quarter_start(timezone.localdate()) - datetime.timedelta(days=3 * 92)  # three quarters back
    _snapshot([(item.person.nik, 2)], period=old)
    found = _codes(compute([item], year)[0])
    assert ("dtsen_old", WARNING) in found and ("dtks", WARNING) not in found
    year.dtsen_max_age_quarters = 4
    assert ("dtsen_old", WARNING) not in _codes(compute([item], year)[0])


def test_another_regencys_snapshot_does_not_speak_for_this_one():
    from regions.models import Regency

    item = ProposalItemFactory()  # Kota Samarinda
    _snapshot([(item.person.nik, 9)], regency=Regency.objects.get(code="64.71"))
    found = {code for code, _ in _codes(compute([item], item.proposal.budget_year)[0])}
    assert "desil" not in found and "dtsen_missing" not in found
