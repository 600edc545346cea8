"""The monitoring rules at their edges, as an officer meets them: today and the BAST day are allowed days, nothing
is not negative, a finding needs its note, criteria names are compared as people read them, and saving the same
criteria again is no change."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError

from audit.models import AuditEvent
from monitoring import services
from monitoring.models import Assessment, GraduationCriterion, Measure, Visit
from regions.models import Regency
from tests.factories import AdminProvinsiFactory, ApprovedItemFactory, BudgetYearFactory
from tests.monitoring.conftest import deliver
from tests.monitoring.test_services import ANSWERS, _goods, _refusal

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()


def test_a_visit_today_with_no_turnover_is_allowed(delivered):
    visit = services.visit_record(
        handover=delivered, data=ANSWERS | {"visited_on": TODAY, "turnover": Decimal(0)}, goods=_goods(delivered),
        actor=None,
    )  # fmt: skip
    assert (visit.visited_on, visit.turnover) == (TODAY, 0)


def test_a_visit_edited_keeps_its_own_month(delivered):
    visit = services.visit_record(handover=delivered, data=ANSWERS, goods=_goods(delivered), actor=None)
    services.visit_update(visit=visit, data=ANSWERS | {"problems": "Pasar sepi"}, goods=_goods(delivered), actor=None)
    assert Visit.objects.get().problems == "Pasar sepi"


def test_goods_of_another_bast_are_named_before_missing_ones(delivered):
    goods = _goods(delivered)
    first = next(iter(goods))
    wrong = {k: v for k, v in goods.items() if k != first} | {999999: "dipakai"}
    assert _refusal(delivered, goods=wrong) == {"goods": ["Barang yang dinilai bukan barang BAST ini."]}
    lines = {line.pk: str(line.goods) for line in delivered.lines.all()}
    others = ", ".join(name for pk, name in lines.items() if pk != first)
    assert _refusal(delivered, goods={first: "dimakan"}) == {
        "goods": [f"Kondisi setiap barang wajib diisi: {others}.", f"{lines[first]}: kondisi “dimakan” tidak dikenal."]
    }


def test_several_wrong_answers_are_all_named_at_once(delivered):
    tomorrow = TODAY + datetime.timedelta(days=1)
    assert _refusal(delivered, visited_on=tomorrow, due_month=4, turnover=Decimal(-1), stage="mandiri") == {
        "visited_on": ["Tanggal kunjungan tidak boleh di masa depan."],
        "due_month": ["Kunjungan terjadwal Tahun Anggaran 2024 hanya bulan ke-3, 6, 12."],
        "stage": ["Tahap KUBE hanya untuk KUBE."],
        "turnover": ["Omzet tidak boleh negatif."],
    }


@pytest.fixture
def result():
    handover = deliver(ApprovedItemFactory(), handed_over_on=datetime.date(2025, 1, 10))
    sample = services.sample_draw(
        budget_year=handover.budget_year, regency=Regency.objects.get(code="64.72"), method="semua", confidence=None,
        margin=None, actor=None,
    )  # fmt: skip
    return sample.results.get()


def _problems(result, **data):
    return services.verification_problems(result, {"outcome": "sesuai", "checked_on": TODAY} | data)


def test_a_check_on_the_bast_day_or_today_is_allowed(result):
    assert _problems(result) == {}
    assert _problems(result, checked_on=datetime.date(2025, 1, 10)) == {}


def test_a_check_needs_an_outcome_and_a_finding_needs_a_note(result):
    assert _problems(result, outcome="") == {"outcome": ["Pilih hasil pemeriksaan."]}
    for outcome in ("tidak_diterima", "tidak_ditemui"):
        assert _problems(result, outcome=outcome) == {"note": ["Tulis catatan: apa yang ditemukan."]}
        assert _problems(result, outcome=outcome, note="   ") == {"note": ["Tulis catatan: apa yang ditemukan."]}
        assert _problems(result, outcome=outcome, note="Pindah ke Balikpapan") == {}


def test_an_incomplete_delivery_counts_every_unit_of_each_line_with_a_known_finding(result):
    found = list(result.handover.lines.select_related("goods"))
    lines = [str(line.pk) for line in found]
    every = {pk: {"baik": line.quantity} for pk, line in zip(lines, found, strict=True)} | {lines[0]: "rusak"}
    base = {"outcome": "tidak_lengkap", "note": "Kompor penyok"}
    assert _problems(result, **base, lines=every) == {}
    name, unit, quantity = str(found[1].goods), found[1].goods.get_unit_display(), found[1].quantity
    empty = {"lines": [f"{name}: isi berapa {unit} yang ada dan baik, rusak atau tidak ada."]}
    assert _problems(result, **base, lines=every | {lines[1]: ""}) == empty  # an empty answer is no answer
    assert _problems(result, **base, lines=every | {lines[1]: {}}) == empty
    assert _problems(result, **base, lines=every | {lines[1]: "hilang-entah"}) == {
        "lines": [f"{name}: kondisi “hilang-entah” tidak dikenal."]
    }
    short = {"baik": quantity, "tidak_ada": 1}
    assert _problems(result, **base, lines=every | {lines[1]: short}) == {
        "lines": [
            f"{name}: jumlah per kondisi {quantity + 1}, padahal diserahkan {quantity} {unit} — bagi setiap {unit} "
            "ke salah satu kondisi."
        ]
    }
    assert _problems(result, **base, lines=every | {lines[1]: {"baik": "dua"}}) == {
        "lines": [f"{name}: jumlah “dua” bukan bilangan bulat 0 atau lebih."]
    }
    assert _problems(result, **base, lines=every | {"999999": "rusak"}) == {
        "lines": ["Barang yang diperiksa bukan barang BAST ini."]
    }


def test_criteria_names_are_compared_as_people_read_them(graduating):
    year = graduating.budget_year
    row = {"name": "  Usaha   berjalan ", "measure": Measure.RUNNING, "month": 6, "weight": 2, "required": True}
    [saved] = services.criteria_save(budget_year=year, program="WRSE", rows=[row], actor=None)
    assert (saved.name, saved.month, saved.weight, saved.required) == ("Usaha berjalan", 6, 2, True)
    twins = [row, row | {"name": "USAHA BERJALAN"}]
    blank = [row | {"name": "   "}]
    no_weight = [row | {"weight": None}]
    for rows, message in [(twins, "nama tidak boleh kembar"), (blank, "Setiap kriteria perlu nama"),
                          (no_weight, "Bobot setiap kriteria minimal 1.")]:  # fmt: skip
        with pytest.raises(ValidationError, match=message):
            services.criteria_save(budget_year=year, program="WRSE", rows=rows, actor=None)
    anytime = row | {"month": None, "required": None}
    [saved] = services.criteria_save(budget_year=year, program="WRSE", rows=[anytime], actor=None)
    assert (saved.month, saved.required) == (None, False)


def test_saving_the_same_criteria_again_is_no_change_and_a_returned_assessment_does_not_freeze_them(graduating):
    year = graduating.budget_year
    rows = [
        {"name": "Usaha berjalan", "measure": Measure.RUNNING, "month": 6, "weight": 1, "required": True},
        {"name": "Omzet", "measure": Measure.TURNOVER, "month": 12, "weight": 3, "required": False},
    ]
    services.criteria_save(budget_year=year, program="WRSE", rows=rows, actor=None)
    services.criteria_save(budget_year=year, program="WRSE", rows=rows, actor=None)
    [event] = AuditEvent.objects.filter(action="graduation_criteria.set")
    assert [c["name"] for c in event.after["criteria"]] == ["Usaha berjalan", "Omzet"]
    assert event.after["program"] == "WRSE" and event.before == {"program": "WRSE", "criteria": []}
    assert list(GraduationCriterion.objects.filter(budget_year=year).values_list("name", "order")) == [
        ("Usaha berjalan", 0),
        ("Omzet", 1),
    ]
    assessment = services.assessment_save(
        handover=graduating, assessor_scores={}, decision="perpanjang", submit=True, actor=None
    )
    Assessment.objects.filter(pk=assessment.pk).update(status="returned")
    services.criteria_save(budget_year=year, program="WRSE", rows=rows[:1], actor=None)  # returned: may change
    assert GraduationCriterion.objects.filter(budget_year=year).count() == 1
    services.criteria_save(budget_year=year, program="KUBE", rows=rows, actor=None)  # another program: free
    later = BudgetYearFactory(year=2025)
    services.criteria_save(budget_year=later, program="WRSE", rows=rows, actor=None)
    services.criteria_save(budget_year=year, program="WRSE", rows=rows, actor=None)  # replaces only its own
    assert GraduationCriterion.objects.filter(program="KUBE").count() == 2
    assert GraduationCriterion.objects.filter(budget_year=later).count() == 2
    Assessment.objects.filter(pk=assessment.pk).update(status="submitted")
    with pytest.raises(ValidationError) as frozen:
        services.criteria_save(budget_year=year, program="WRSE", rows=rows, actor=None)
    assert frozen.value.messages == [
        "Kriteria tidak dapat diubah: sudah ada penilaian graduasi tahun ini untuk program ini."
    ]
    services.criteria_save(budget_year=later, program="WRSE", rows=rows[:1], actor=None)  # another year: free


def test_each_refused_criteria_set_reads_exactly(graduating):
    year = graduating.budget_year
    row = {"name": "Usaha berjalan", "measure": Measure.RUNNING, "month": 6, "weight": 1, "required": True}
    for rows, message in [
        ([], "Isi setidaknya satu kriteria."),
        ([row, row], "Setiap kriteria perlu nama, dan nama tidak boleh kembar."),
        ([row | {"name": None}], "Setiap kriteria perlu nama, dan nama tidak boleh kembar."),
        ([row | {"weight": 0}], "Bobot setiap kriteria minimal 1."),
        ([row | {"month": 9}], "Bulan kunjungan kriteria harus salah satu dari 3, 6, 12."),
    ]:
        with pytest.raises(ValidationError) as refused:
            services.criteria_save(budget_year=year, program="WRSE", rows=rows, actor=None)
        assert refused.value.messages == [message]
    actor = AdminProvinsiFactory()
    services.criteria_save(budget_year=year, program="WRSE", rows=[row], actor=actor)
    assert AuditEvent.objects.get(action="graduation_criteria.set").actor == actor


def test_an_assessment_keeps_each_criterions_score_as_shown_and_only_the_assessors_real_answers(delivered):
    from tests.monitoring.test_graduation import _visited

    _visited(delivered, 3, 6, 12)
    line = delivered.lines.first()
    extra = services.visit_record(  # a visit outside the schedule: named by its date
        handover=delivered,
        data=ANSWERS | {"due_month": None, "visited_on": datetime.date(2025, 5, 2)},
        goods=_goods(delivered) | {line.pk: "rusak"},
        actor=None,
    )
    assessor = AdminProvinsiFactory()
    assessment = services.assessment_save(
        handover=delivered, assessor_scores={"999999": "1", "": "1"}, decision="perpanjang", actor=assessor
    )
    # the defaults, written now by the system (no user is credited with them), noting whose work needed them
    default = AuditEvent.objects.get(action="graduation_criteria.default")
    assert default.actor is None and default.after["during_work_of"] == assessor.username
    assert not AuditEvent.objects.filter(action="graduation_criteria.set")
    assert assessment.assessor_scores == {} and assessment.note == "" and assessment.exit_reason == ""
    kept = next(s for s in assessment.scores if s["name"] == "Barang bantuan dipakai dan terjaga")
    criterion = GraduationCriterion.objects.get(name=kept["name"], budget_year=delivered.budget_year)
    assert kept == {
        "criterion": criterion.pk,
        "name": "Barang bantuan dipakai dan terjaga",
        "weight": 2,
        "required": True,
        "score": "0.5",
        "detail": f"Terjaga tetapi rusak — {line.goods.name}: rusak ({extra.visited_on:%d/%m/%Y})",
    }


def test_an_assessor_criterion_left_blank_is_not_judged_yet(graduating):
    year = graduating.budget_year
    rows = [{"name": "Pembukuan", "measure": Measure.ASSESSOR, "month": None, "weight": 1, "required": False}]
    [criterion] = services.criteria_save(budget_year=year, program="WRSE", rows=rows, actor=None)
    assessment = services.assessment_save(
        handover=graduating, assessor_scores={str(criterion.pk): ""}, decision="perpanjang", actor=None
    )
    assert assessment.assessor_scores == {}
    assert assessment.scores == [{"criterion": criterion.pk, "name": "Pembukuan", "weight": 1, "required": False,
                                  "score": None, "detail": "Belum dinilai."}]  # fmt: skip
    assessment = services.assessment_save(
        handover=graduating, assessor_scores={str(criterion.pk): "1"}, decision="lulus", note="Rapi", actor=None
    )
    assert (assessment.scores[0]["score"], assessment.note) == ("1", "Rapi")


def test_an_assessment_refused_names_what_is_missing_exactly(graduating):
    year = graduating.budget_year
    rows = [
        {"name": "Pembukuan", "measure": Measure.ASSESSOR, "month": None, "weight": 1, "required": False},
        {"name": "Tabungan", "measure": Measure.ASSESSOR, "month": None, "weight": 1, "required": False},
        {"name": "Usaha berjalan", "measure": Measure.RUNNING, "month": 6, "weight": 1, "required": True},
    ]
    services.criteria_save(budget_year=year, program="WRSE", rows=rows, actor=None)
    with pytest.raises(ValidationError) as refused:
        services.assessment_save(handover=graduating, assessor_scores={}, decision="lulus", submit=True, actor=None)
    assert refused.value.message_dict == {
        "decision": ["Belum dapat lulus — belum dinilai: Pembukuan, Tabungan."],
        "__all__": ["Nilai dulu kriteria: Pembukuan, Tabungan."],
    }


def test_an_assessment_is_created_updated_and_submitted_with_its_author_and_audit(graduating):
    from tests.factories import OperatorFactory

    operator = OperatorFactory()
    first = services.assessment_save(handover=graduating, assessor_scores={}, decision="keluar",
                                     exit_reason="  Usaha   tutup ", actor=operator)  # fmt: skip
    assert (first.created_by, first.exit_reason, first.status, first.submitted_at) == (
        operator, "Usaha tutup", "draft", None
    )  # fmt: skip
    second = services.assessment_save(handover=graduating, assessor_scores={}, decision="perpanjang",
                                      exit_reason="lupa dihapus", submit=True, actor=operator)  # fmt: skip
    assert second.pk == first.pk and second.exit_reason == "" and second.submitted_at is not None
    events = list(AuditEvent.objects.filter(object_id=str(first.pk), action__startswith="assessment.").order_by("id"))
    assert [(e.action, e.actor) for e in events] == [("assessment.create", operator), ("assessment.submit", operator)]
    assert events[0].before is None and events[1].before["decision"] == "keluar"
    assert events[1].after["decision"] == "perpanjang"
    with pytest.raises(ValidationError) as refused:
        services.assessment_save(handover=graduating, assessor_scores={}, decision="perpanjang", actor=operator)
    assert refused.value.messages == ["Penilaian ini sudah diajukan dan sedang diperiksa provinsi."]
    other = deliver(ApprovedItemFactory(), handed_over_on=datetime.date(2025, 1, 10))
    theirs = services.assessment_save(handover=other, assessor_scores={}, decision="perpanjang", actor=AnonymousUser())
    assert theirs.pk != first.pk and theirs.created_by is None  # each recipient has their own


def test_a_draft_saved_again_is_an_update_with_before_and_after(graduating):
    draft = services.assessment_save(handover=graduating, assessor_scores={}, decision="perpanjang", actor=None)
    services.assessment_save(handover=graduating, assessor_scores={}, decision="keluar", exit_reason="Pindah",
                             note="Pindah ke Jawa", actor=None)  # fmt: skip
    event = AuditEvent.objects.get(action="assessment.update", object_id=str(draft.pk))
    assert (event.before["decision"], event.after["decision"], event.after["note"]) == (
        "perpanjang", "keluar", "Pindah ke Jawa"
    )  # fmt: skip


def _score(result, name):
    return next((s.score, s.detail) for s in result.scores if s.name == name)


def test_each_criterion_explains_its_score_in_words(delivered):
    from monitoring import graduation

    rows = [
        {"name": "Pembukuan", "measure": Measure.ASSESSOR, "month": None, "weight": 1, "required": True},
        {"name": "Barang", "measure": Measure.GOODS_KEPT, "month": None, "weight": 1, "required": False},
    ]
    criteria = services.criteria_save(budget_year=delivered.budget_year, program="WRSE", rows=rows, actor=None)
    pk = str(criteria[0].pk)
    result = services.assessment_compute(delivered, {pk: ""}, criteria)
    assert _score(result, "Pembukuan") == (None, "Belum dinilai.")
    assert _score(result, "Barang") == (0, "Belum ada kunjungan.")
    assert _score(services.assessment_compute(delivered, {pk: "0.5"}, criteria), "Pembukuan") == (
        Decimal("0.5"), "Sebagian"
    )  # fmt: skip
    assert _score(services.assessment_compute(delivered, {pk: "0.75"}, criteria), "Pembukuan")[1] == "0.75"
    first, second = delivered.lines.order_by("id")
    for month, goods in ((3, {first.pk: "dijual", second.pk: "hilang"}), (6, {first.pk: "rusak", second.pk: "rusak"})):
        services.visit_record(handover=delivered, data=ANSWERS | {"due_month": month, "visited_on": TODAY},
                              goods=goods, actor=None)  # fmt: skip
    score, detail = _score(services.assessment_compute(delivered, {pk: "0"}, criteria), "Barang")
    assert score == 0 and detail.count("; ") == 1 and "(bulan ke-3)" in detail  # the two findings of month 3
    result = services.assessment_compute(delivered, {}, criteria)
    assert graduation.decision_problems(result, "keluar", None) == {"exit_reason": ["Alasan keluar wajib diisi."]}
    assert graduation.decision_problems(result, "lulus", "")["decision"] == [
        "Belum dapat lulus — kriteria wajib belum terpenuhi: Pembukuan; belum dinilai: Pembukuan."
    ]
    fresh = deliver(ApprovedItemFactory(), handed_over_on=datetime.date(2025, 1, 10))
    services.visit_record(handover=fresh, data=ANSWERS, goods=_goods(fresh, "rusak"), actor=None)
    score, detail = _score(services.assessment_compute(fresh, {}, criteria), "Barang")
    assert score == Decimal("0.5") and detail.startswith("Terjaga tetapi rusak — ") and detail.count("; ") == 1


def test_an_incomplete_delivery_needs_at_least_one_line_not_complete(result):
    lines = [str(pk) for pk in result.handover.lines.values_list("pk", flat=True)]
    all_complete = dict.fromkeys(lines, "baik")
    assert _problems(result, outcome="tidak_lengkap", note="Dicek", lines=all_complete) == {
        "lines": ["Tandai berapa barang yang rusak atau tidak ada."]
    }


def test_keluar_without_a_reason_is_refused_when_none_is_given(graduating):
    with pytest.raises(ValidationError) as refused:
        services.assessment_save(handover=graduating, assessor_scores={}, decision="keluar", actor=None)
    assert refused.value.message_dict == {"exit_reason": ["Alasan keluar wajib diisi."]}
    assert not Assessment.objects.exists()


def test_an_approved_assessment_stands_and_a_new_one_follows_it(graduating):
    first = services.assessment_save(handover=graduating, assessor_scores={}, decision="perpanjang", actor=None)
    Assessment.objects.filter(pk=first.pk).update(status="approved")
    second = services.assessment_save(handover=graduating, assessor_scores={}, decision="keluar", exit_reason="Pindah",
                                      actor=None)  # fmt: skip
    assert second.pk != first.pk
    first.refresh_from_db()
    assert (first.status, first.decision) == ("approved", "perpanjang")


def test_an_assessment_made_meanwhile_by_another_officer_is_refused_with_a_reason(graduating, monkeypatch):
    """Two officers assess the same recipient at once: the other's draft lands between this one's lookup and its
    insert (here in the same transaction, so it is rolled back with the refusal; in life it was committed by the
    other request); the one-open-assessment constraint refuses the second, in words, and records nothing."""
    real_save = Assessment.save

    def other_officer_first(self, *args, **kwargs):
        if self.pk is None:
            Assessment.objects.bulk_create([Assessment(
                handover=self.handover, budget_year_id=self.budget_year_id, program=self.program,
                regency_id=self.regency_id, scores=[], assessor_scores={}, readiness_score=0, failed_required=[],
                recommendation="perpanjang", decision="perpanjang", status="draft",
            )])  # fmt: skip
        return real_save(self, *args, **kwargs)

    monkeypatch.setattr(Assessment, "save", other_officer_first)
    with pytest.raises(ValidationError) as refused:
        services.assessment_save(handover=graduating, assessor_scores={}, decision="keluar", exit_reason="Pindah",
                                 actor=None)  # fmt: skip
    assert refused.value.messages == ["Penilaian penerima ini baru saja dibuat petugas lain; muat ulang halaman."]
    assert not AuditEvent.objects.filter(action__startswith="assessment.").exists()


def test_a_submitted_assessment_of_one_program_leaves_the_other_programs_criteria_free(graduating):
    year = graduating.budget_year
    services.assessment_save(handover=graduating, assessor_scores={}, decision="perpanjang", submit=True, actor=None)
    row = {"name": "Usaha kelompok berjalan", "measure": Measure.RUNNING, "month": 6, "weight": 1, "required": True}
    [saved] = services.criteria_save(budget_year=year, program="KUBE", rows=[row], actor=None)
    assert saved.program == "KUBE"
    with pytest.raises(ValidationError):
        services.criteria_save(budget_year=year, program="WRSE", rows=[row], actor=None)
