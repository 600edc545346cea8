"""The save writes the preview's checked plan instead of reading and checking the file again — but only while the
registry still holds what the plan was decided on: any change to the people of the file, to where they are
proposed, to the year's rules, or a plan the cache lost, and the file is checked afresh (as before)."""

import datetime
import threading

import pytest
from django.core.cache import cache
from django.db import connection

from audit.models import AuditEvent
from beneficiaries import services as registry
from beneficiaries.models import Person
from programs.models import BudgetYear
from proposals import imports
from proposals.models import ProposalItem
from tests.factories import BudgetYearFactory, OperatorFactory, PersonFactory, ProposalFactory
from tests.proposals.workbooks import build, wrse_row

pytestmark = pytest.mark.django_db


def _check(proposal, rows):
    return imports.upload_check(proposal=proposal, data=build(rows), filename="usulan.xlsx", actor=OperatorFactory())


@pytest.fixture
def reads(monkeypatch):
    """How often the file was opened (the preview opens it once; a save that checks afresh, once more)."""
    opened = []
    original = imports.open_workbook

    def counting(*args, **kwargs):
        opened.append(1)
        return original(*args, **kwargs)

    monkeypatch.setattr(imports, "open_workbook", counting)
    return opened


def test_an_unchanged_registry_saves_the_previews_plan_without_reading_the_file_again(reads):
    proposal = ProposalFactory()
    known = PersonFactory(nik=wrse_row(2)["NIK"], full_name="Nama Lama", birth_date=wrse_row(2)["Tanggal Lahir"])
    upload = _check(proposal, [wrse_row(n) for n in range(1, 5)])
    assert upload.problems == [] and reads == [1]

    heard = []
    result = imports.upload_commit(upload=upload, actor=None, progress=lambda done, total: heard.append((done, total)))

    assert reads == [1]  # the save wrote the kept plan
    assert heard == [(4, 4)]  # a background save's progress bar counts rows, as when it checks afresh
    assert result == {"rows": 4, "new_people": 3, "updated_people": 1, "new_items": 4, "groups": 0, "skipped": 0}
    known.refresh_from_db()
    assert known.full_name == "Warga Perempuan 2"
    assert ProposalItem.objects.filter(proposal=proposal).count() == 4
    assert AuditEvent.objects.filter(action="person.create").count() == 3
    assert AuditEvent.objects.get(action="person.update").before["full_name"] == "Nama Lama"
    assert cache.get(imports._plan_key(upload)) is None  # a saved plan is not kept


def test_a_person_registered_elsewhere_since_the_preview_is_refused_not_written_twice(reads, balikpapan):
    proposal = ProposalFactory()
    upload = _check(proposal, [wrse_row(1), wrse_row(2)])
    assert upload.problems == []
    PersonFactory(nik=wrse_row(2)["NIK"], regency=balikpapan)  # meanwhile, by hand, in another regency

    with pytest.raises(imports.ImportProblems) as refused:
        imports.upload_commit(upload=upload, actor=None)

    assert reads == [1, 1]  # checked afresh
    assert [p["message"] for p in refused.value.problems] == [
        "NIK ini terdaftar di kabupaten/kota lain. Bila penduduk pindah, hubungi Verifikator Provinsi."
    ]
    assert not ProposalItem.objects.exists() and Person.objects.count() == 1


def test_a_change_to_a_person_of_the_file_since_the_preview_is_seen_by_the_save(reads):
    proposal = ProposalFactory()
    person = PersonFactory(nik=wrse_row(1)["NIK"], birth_date=wrse_row(1)["Tanggal Lahir"], address="Jl. Lama")
    upload = _check(proposal, [wrse_row(1)])
    registry.person_update(person=person, data={"address": "Jl. Sementara"}, actor=None)

    imports.upload_commit(upload=upload, actor=None)

    assert reads == [1, 1]
    event = AuditEvent.objects.filter(action="person.update").latest("pk")
    assert event.before["address"] == "Jl. Sementara"  # what the save replaced, not what the preview saw


def test_a_change_of_the_years_rules_since_the_preview_is_applied_by_the_save(reads):
    proposal = ProposalFactory()
    upload = _check(proposal, [wrse_row(1, born=datetime.date(1970, 6, 1))])  # 53 on 1 January 2024
    BudgetYear.objects.filter(pk=proposal.budget_year_id).update(wrse_max_age=50)

    with pytest.raises(imports.ImportProblems) as refused:
        imports.upload_commit(upload=upload, actor=None)

    assert reads == [1, 1]
    assert "WRSE untuk usia" in refused.value.problems[0]["message"]


def test_a_plan_the_cache_lost_is_checked_afresh(reads):
    proposal = ProposalFactory()
    upload = _check(proposal, [wrse_row(1), wrse_row(2)])
    cache.clear()

    assert imports.upload_commit(upload=upload, actor=None)["new_items"] == 2
    assert reads == [1, 1]


def test_a_chunk_lost_between_the_check_and_its_write_is_rolled_back_and_checked_afresh(reads, monkeypatch):
    monkeypatch.setattr(imports, "CHUNK_ROWS", 2)
    proposal = ProposalFactory()
    upload = _check(proposal, [wrse_row(n) for n in range(1, 6)])  # three chunks
    token = cache.get(imports._plan_key(upload))["token"]
    cache.delete(imports._chunk_key(token, 2))  # the first two are written before the third is missed

    assert imports.upload_commit(upload=upload, actor=None)["new_items"] == 5
    assert reads == [1, 1]
    assert Person.objects.count() == 5 and AuditEvent.objects.filter(action="person.create").count() == 5


def test_a_refused_save_keeps_its_new_problems_and_forgets_the_plan():
    proposal = ProposalFactory()
    upload = _check(proposal, [wrse_row(1)])
    assert cache.get(imports._plan_key(upload)) is not None
    problem = {
        "row": 2,
        "column": "A",
        "header": "NIK",
        "message": "NIK ini sudah diusulkan tahun ini.",
        "level": "error",
    }

    imports.record_new_problems(upload, [problem])

    upload.refresh_from_db()
    assert upload.problems == [problem] and cache.get(imports._plan_key(upload)) is None


# Two imports at once (PostgreSQL, real threads) ------------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("reference_data")
def test_two_imports_of_the_same_new_people_saved_at_once_both_land_each_person_once():
    """Two years' proposals name the same five new women; both previews were clean (nobody was registered yet).
    Saved at the same moment, the second waits for the first (the import lock), finds its kept plan out of date
    (the people now exist), checks afresh and proposes the registered people — no duplicate NIK, no crash."""
    rows = [wrse_row(n) for n in range(1, 6)]
    first = ProposalFactory(budget_year=BudgetYearFactory(year=2024))
    second = ProposalFactory(budget_year=BudgetYearFactory(year=2025))
    uploads = [_check(first, rows), _check(second, rows)]
    assert all(u.problems == [] or all(p["level"] == "warning" for p in u.problems) for u in uploads)
    start = threading.Barrier(2)
    results, crashed = [], []

    def save(upload):
        try:
            start.wait()
            results.append(imports.upload_commit(upload=upload, actor=None))
        except Exception as error:  # noqa: BLE001 — a duplicate NIK would land here
            crashed.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=(upload,)) for upload in uploads]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert crashed == []
    assert sorted((r["new_people"], r["new_items"]) for r in results) == [(0, 5), (5, 5)]
    assert Person.objects.count() == 5 and AuditEvent.objects.filter(action="person.create").count() == 5
    assert ProposalItem.objects.filter(proposal=first).count() == ProposalItem.objects.filter(proposal=second).count()
