"""The graduation rule: criteria scored from visits or by the assessor, the weighted readiness score, required
criteria, the recommendation; then the review by the province and the mark in the registry."""

import datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError

from audit.models import AuditEvent
from monitoring import graduation, services
from monitoring.models import Assessment, GraduationCriterion, Measure, TurnoverThreshold
from proposals.checks import compute
from tests.factories import ApprovedItemFactory, OperatorFactory, ProposalFactory, VerifikatorFactory
from tests.monitoring.conftest import deliver, kube_item
from tests.monitoring.test_services import ANSWERS, _goods

D = Decimal


def _criterion(pk, measure, *, weight=1, required=False, month=None, name=None):
    return SimpleNamespace(pk=pk, name=name or measure, measure=measure, weight=weight, required=required, month=month)


class _Goods:
    def __init__(self, name, condition, quantity=1):
        goods = SimpleNamespace(name=name, get_unit_display=lambda: "unit")
        self.line = SimpleNamespace(goods=goods, quantity=quantity)
        self.condition = condition
        self.quantity = quantity

    def get_condition_display(self):
        return {"dipakai": "Dipakai", "rusak": "Rusak", "dijual": "Dijual", "hilang": "Hilang"}[self.condition]


def _visit(month, *, status="berjalan", turnover=2_000_000, stage="", iks=None, goods=("dipakai",)):
    labels = {"berjalan": "Berjalan", "berkembang": "Berjalan dan berkembang", "berhenti": "Berhenti",
              "berhenti_sementara": "Berhenti sementara"}  # fmt: skip
    visit = SimpleNamespace(
        due_month=month,
        visited_on=datetime.date(2025, month, 1) if month <= 12 else datetime.date(2026, 1, 1),
        business_status=status,
        turnover=D(turnover),
        stage=stage,
        iks_balance=None if iks is None else D(iks),
        get_business_status_display=lambda: labels[status],
        get_stage_display=lambda: {"": "", "tumbuh": "Tumbuh", "mandiri": "Mandiri"}[stage],
    )
    visit.goods = SimpleNamespace(all=lambda: [_Goods(f"Barang {i}", c) for i, c in enumerate(goods)])
    return visit


WRSE = [
    _criterion(1, Measure.RUNNING, weight=3, required=True, name="Usaha berjalan"),
    _criterion(2, Measure.TURNOVER, weight=3, name="Omzet"),
    _criterion(3, Measure.GOODS_KEPT, weight=2, required=True, name="Barang terjaga"),
]


THRESHOLD = D(1_500_000)


def _assess(visits, criteria=WRSE, *, threshold=THRESHOLD, assessor=None, min_score=75):
    return graduation.assess(
        criteria,
        visits=visits,
        months=[3, 6, 12],
        threshold=threshold,
        assessor_scores=assessor or {},
        min_score=min_score,
    )


def test_all_criteria_met_graduates():
    result = _assess([_visit(3), _visit(6), _visit(12, status="berkembang")])
    assert [(s.score, s.detail) for s in result.scores] == [
        (1, "Bulan ke-12: Berjalan dan berkembang."),
        (1, "Omzet bulan ke-12 Rp2.000.000; ambang Rp1.500.000."),
        (1, "Semua barang dipakai pada 3 kunjungan."),
    ]
    assert (result.readiness, result.failed_required, result.recommendation) == (D("1.0000"), [], "lulus")


def test_the_score_is_the_weighted_mean_and_the_minimum_is_inclusive():
    low_turnover = [_visit(12, turnover=1_000_000)]  # running (3) and goods (2) met, turnover (3) not: 5/8
    result = _assess(low_turnover)
    assert result.readiness == D("0.6250") and result.recommendation == "perpanjang"
    assert _assess(low_turnover, min_score=62).recommendation == "lulus"  # 62.5% ≥ 62
    assert _assess(low_turnover, min_score=63).recommendation == "perpanjang"
    assert _assess([_visit(12, turnover=1_500_000)]).scores[1].score == 1  # exactly the threshold counts


def test_a_required_criterion_blocks_graduation_whatever_the_score():
    heavy = [
        _criterion(1, Measure.RUNNING, weight=10, name="Usaha berjalan"),
        _criterion(2, Measure.GOODS_KEPT, weight=1, required=True, name="Barang terjaga"),
    ]
    result = _assess([_visit(12, goods=("dipakai", "dijual"))], heavy, min_score=50)
    assert result.readiness == D("0.9091") and result.failed_required == ["Barang terjaga"]
    assert result.recommendation == "perpanjang"
    assert result.scores[1].detail == "Barang 1: dijual (bulan ke-12)"


def test_broken_goods_are_kept_but_only_half_met():
    result = _assess([_visit(6, goods=("rusak",)), _visit(12)])
    assert result.scores[2].score == D("0.5") and not result.scores[2].met
    assert result.scores[2].detail == "Terjaga tetapi rusak — Barang 0: rusak (bulan ke-6)"
    assert result.failed_required == ["Barang terjaga"]


def test_without_the_last_visit_the_visit_criteria_score_nothing():
    result = _assess([_visit(3), _visit(6)])
    assert [s.detail for s in result.scores[:2]] == ["Belum ada kunjungan bulan ke-12."] * 2
    assert result.failed_required == ["Usaha berjalan"] and result.recommendation == "perpanjang"
    assert _assess([]).scores[2].detail == "Belum ada kunjungan."


def test_a_criterion_may_look_at_another_month():
    six = [_criterion(1, Measure.RUNNING, month=6, required=True)]
    assert _assess([_visit(6), _visit(12, status="berhenti_sementara")], six).scores[0].score == 1


def test_a_stopped_business_is_recommended_to_exit():
    assert _assess([_visit(12, status="berhenti")]).recommendation == "keluar"
    # paused is not stopped
    assert _assess([_visit(12, status="berhenti_sementara")]).recommendation == "perpanjang"


def test_without_a_threshold_turnover_cannot_be_met():
    result = _assess([_visit(12)], threshold=None)
    assert (result.scores[1].score, result.scores[1].detail) == (0, "Ambang omzet kabupaten/kota ini belum ditetapkan.")


def test_kube_stage_and_iks_fund():
    kube = [_criterion(1, Measure.KUBE_INDEPENDENT, required=True), _criterion(2, Measure.IKS_FUND)]
    result = _assess([_visit(12, stage="mandiri", iks=1)], kube)
    assert [(s.score, s.detail) for s in result.scores] == [
        (1, "Tahap bulan ke-12: Mandiri."),
        (1, "Saldo IKS bulan ke-12 Rp1."),
    ]
    result = _assess([_visit(12, stage="tumbuh", iks=0)], kube)
    assert [s.score for s in result.scores] == [0, 0] and result.failed_required == [Measure.KUBE_INDEPENDENT]


def test_the_assessor_judges_their_criteria_before_a_decision():
    criteria = [*WRSE, _criterion(9, Measure.ASSESSOR, weight=2, name="Pembukuan sederhana")]
    visits = [_visit(12)]
    pending = _assess(visits, criteria)
    assert pending.unjudged == ["Pembukuan sederhana"] and pending.recommendation == "perpanjang"
    assert pending.scores[3].score is None and pending.scores[3].detail == "Belum dinilai."
    half = _assess(visits, criteria, assessor={"9": "0.5"})
    assert half.readiness == D("0.9000") and half.scores[3].detail == "Sebagian"
    assert half.recommendation == "lulus"


def test_the_decision_follows_the_rule():
    extend = _assess([_visit(12, turnover=0)], min_score=90)
    assert graduation.decision_problems(extend, "lulus", "") == {
        "decision": ["Belum dapat lulus — skor kesiapan 63% di bawah batas."]
    }
    assert graduation.decision_problems(extend, "perpanjang", "") == {}
    assert graduation.decision_problems(extend, "keluar", " ") == {"exit_reason": ["Alasan keluar wajib diisi."]}
    assert graduation.decision_problems(extend, "keluar", "Pindah ke luar provinsi") == {}
    assert graduation.decision_problems(extend, "pensiun", "") == {
        "decision": ["Pilih keputusan: lulus, perpanjang pendampingan, atau keluar."]
    }
    failing = _assess([_visit(3)])
    assert graduation.decision_problems(failing, "lulus", "")["decision"] == [
        "Belum dapat lulus — kriteria wajib belum terpenuhi: Usaha berjalan."
    ]


def test_no_criteria_is_no_readiness_and_no_graduation():
    result = _assess([_visit(12)], [])
    assert (result.readiness, result.recommendation) == (D(0), "perpanjang")


def test_a_readiness_exactly_at_the_minimum_graduates():
    three_of_four = [_criterion(1, Measure.RUNNING, weight=3, required=True), _criterion(2, Measure.TURNOVER)]
    result = _assess([_visit(12, turnover=0)], three_of_four, min_score=75)
    assert (result.readiness, result.recommendation) == (D("0.7500"), "lulus")


def test_the_last_scheduled_visit_decides_exit_else_the_latest_visit():
    unscheduled = _visit(12, status="berjalan")
    unscheduled.due_month, unscheduled.visited_on = None, datetime.date(2026, 2, 1)  # after the month-12 visit
    stopped_at_twelve = _assess([_visit(12, status="berhenti"), unscheduled])
    assert stopped_at_twelve.recommendation == "keluar"  # the scheduled last visit, not the later extra one
    assert _assess([_visit(3), _visit(6, status="berhenti")]).recommendation == "keluar"  # no month 12: the latest
    assert _assess([_visit(6, status="berhenti"), unscheduled]).recommendation == "perpanjang"


def test_several_findings_and_failures_are_each_named():
    result = _assess([_visit(12, status="berhenti_sementara", goods=("dijual", "hilang"))])
    assert result.scores[2].detail == "Barang 0: dijual (bulan ke-12); Barang 1: hilang (bulan ke-12)"
    assert graduation.decision_problems(result, "lulus", "")["decision"] == [
        "Belum dapat lulus — kriteria wajib belum terpenuhi: Usaha berjalan, Barang terjaga."
    ]
    broken = _assess([_visit(12, goods=("rusak", "rusak"))])
    assert (
        broken.scores[2].detail == "Terjaga tetapi rusak — Barang 0: rusak (bulan ke-12); Barang 1: rusak (bulan ke-12)"
    )


def test_a_kube_stage_not_yet_given_reads_so():
    result = _assess([_visit(12, stage="")], [_criterion(1, Measure.KUBE_INDEPENDENT)])
    assert (result.scores[0].score, result.scores[0].detail) == (0, "Tahap bulan ke-12: belum diisi.")


def test_an_unknown_measure_is_a_programming_error_that_names_it():
    with pytest.raises(ValueError, match="^tebakan$"):
        _assess([_visit(12)], [_criterion(1, "tebakan")])


# Through the services ------------------------------------------------------------------------------------------


pytestmark = pytest.mark.django_db


def _visited(handover, *months, **answers):
    """The scheduled visits of `months`, each a few days after its date (inside its window)."""
    from monitoring.schedule import due_on

    for month in months:
        on_time = {"visited_on": due_on(handover.handed_over_on, month) + datetime.timedelta(days=6)}
        services.visit_record(
            handover=handover,
            data=ANSWERS | on_time | {"due_month": month, "business_status": "berkembang"} | answers,
            goods=_goods(handover),
            actor=None,
        )


def test_proposed_approved_and_marked_in_the_registry(graduating):
    operator, verifier = OperatorFactory(), VerifikatorFactory()
    assessment = services.assessment_save(handover=graduating, assessor_scores={}, decision="lulus", actor=operator)
    assert assessment.status == "draft" and assessment.readiness_percent == 100
    assert GraduationCriterion.objects.filter(budget_year=graduating.budget_year, program="WRSE").count() == 3
    assessment = services.assessment_save(
        handover=graduating, assessor_scores={}, decision="lulus", submit=True, actor=operator
    )
    assert Assessment.objects.count() == 1 and assessment.status == "submitted"
    with pytest.raises(ValidationError, match="sudah diajukan"):
        services.assessment_save(handover=graduating, assessor_scores={}, decision="lulus", actor=operator)
    from reports.selectors import JOURNEY, journey

    item = graduating.allocation.item
    assert JOURNEY[journey([item])[item.pk] - 1] == "Dikunjungi"
    services.assessment_review(assessment=assessment, approve=True, actor=verifier)
    assert journey([item])[item.pk] == len(JOURNEY) and JOURNEY[-1] == "Lulus"
    person = graduating.allocation.item.person
    person.refresh_from_db()
    assert person.graduated_year == datetime.date.today().year
    actions = list(AuditEvent.objects.order_by("id").values_list("action", flat=True))
    assert actions[-5:] == [
        "graduation_criteria.default",
        "assessment.create",
        "assessment.submit",
        "assessment.approve",
        "person.graduate",
    ]
    # proposing her again is flagged, as the year sets it
    next_year = ProposalFactory(budget_year__year=2025)
    again = ApprovedItemFactory(proposal=next_year, person=person)
    [checks] = compute([again], next_year.budget_year)
    graduated = [c for c in checks if c["code"] == "graduated"]
    assert graduated == [
        {
            "code": "graduated",
            "level": "warning",
            "message": f"{person.full_name} sudah lulus (graduasi) tahun {person.graduated_year}: "
            "tidak lagi memerlukan bantuan.",
        }
    ]
    next_year.budget_year.graduated_proposal_level = "error"
    assert [c["level"] for c in compute([again], next_year.budget_year)[0] if c["code"] == "graduated"] == ["error"]


def test_a_returned_assessment_is_edited_and_proposed_again(graduating):
    operator, verifier = OperatorFactory(), VerifikatorFactory()
    first = services.assessment_save(
        handover=graduating, assessor_scores={}, decision="perpanjang", submit=True, actor=operator
    )
    with pytest.raises(ValidationError) as refused:
        services.assessment_review(assessment=first, approve=False, note=" ", actor=verifier)
    assert refused.value.message_dict == {"review_note": ["Tulis alasan pengembalian untuk kabupaten/kota."]}
    services.assessment_review(
        assessment=first, approve=False, note="Semua kriteria terpenuhi: usulkan lulus", actor=verifier
    )
    again = services.assessment_save(
        handover=graduating, assessor_scores={}, decision="lulus", submit=True, actor=operator
    )
    assert again.pk == first.pk and again.status == "submitted"
    services.assessment_review(assessment=first, approve=True, actor=verifier)
    with pytest.raises(ValidationError, match="Hanya penilaian yang diajukan"):
        services.assessment_review(assessment=first, approve=True, actor=verifier)


def test_graduation_is_refused_where_the_rule_does_not_allow_it(delivered):
    _visited(delivered, 3, 6)  # no 12-month visit yet
    with pytest.raises(ValidationError) as refused:
        services.assessment_save(handover=delivered, assessor_scores={}, decision="lulus", actor=OperatorFactory())
    assert refused.value.message_dict["decision"][0].startswith("Belum dapat lulus — kriteria wajib belum terpenuhi")
    assert not Assessment.objects.exists()
    exit_ = services.assessment_save(
        handover=delivered, assessor_scores={}, decision="keluar", exit_reason="Pindah domisili", actor=None
    )
    assert (exit_.decision, exit_.exit_reason, exit_.recommendation) == ("keluar", "Pindah domisili", "perpanjang")


def test_a_graduated_kube_group_is_flagged_when_proposed_again():
    handover = deliver(kube_item(), program="KUBE", handed_over_on=datetime.date(2025, 1, 10))
    TurnoverThreshold.objects.create(budget_year=handover.budget_year, regency_id="64.72", amount=D(1))
    _visited(handover, 3, 6, 12, stage="mandiri", iks_balance=D(500_000))
    assessment = services.assessment_save(
        handover=handover, assessor_scores={}, decision="lulus", submit=True, actor=None
    )
    services.assessment_review(assessment=assessment, approve=True, actor=None)
    group = handover.allocation.item.group
    group.refresh_from_db()
    assert group.graduated_year == datetime.date.today().year
    assert AuditEvent.objects.filter(action="kube_group.graduate", object_id=str(group.pk)).exists()
    proposal = ProposalFactory(program="KUBE", budget_year__year=2025)
    item = ApprovedItemFactory(proposal=proposal, person=None, group=group)
    assert "graduated" in [c["code"] for c in compute([item], proposal.budget_year)[0]]


def test_criteria_are_settings_and_frozen_once_assessed(graduating):
    year = graduating.budget_year
    rows = [
        {"name": "Usaha berjalan", "measure": Measure.RUNNING, "month": 6, "weight": 1, "required": True},
        {"name": "Pembukuan", "measure": Measure.ASSESSOR, "month": None, "weight": 1, "required": False},
    ]
    services.criteria_save(budget_year=year, program="WRSE", rows=rows, actor=None)
    assert [c.name for c in services.criteria_of(year, "WRSE")] == ["Usaha berjalan", "Pembukuan"]
    for wrong, message in [
        ([], "Isi setidaknya satu kriteria."),
        ([rows[0], rows[0]], "nama tidak boleh kembar"),
        ([rows[0] | {"weight": 0}], "Bobot setiap kriteria minimal 1."),
        ([rows[0] | {"month": 9}], "harus salah satu dari 3, 6, 12"),
    ]:
        with pytest.raises(ValidationError, match=message):
            services.criteria_save(budget_year=year, program="WRSE", rows=wrong, actor=None)
    with pytest.raises(ValidationError, match="Nilai dulu kriteria: Pembukuan"):
        services.assessment_save(
            handover=graduating, assessor_scores={}, decision="perpanjang", submit=True, actor=None
        )
    [assessor] = [c for c in services.criteria_of(year, "WRSE") if c.measure == Measure.ASSESSOR]
    services.assessment_save(handover=graduating, assessor_scores={str(assessor.pk): "1"}, decision="lulus", actor=None)
    with pytest.raises(ValidationError, match="sudah ada penilaian graduasi"):
        services.criteria_save(budget_year=year, program="WRSE", rows=rows, actor=None)
