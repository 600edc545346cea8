"""The graduation rule (graduasi): each criterion of the budget year and program scored 0–1 from the recipient's
visits or by the assessor, the readiness score as their weighted mean, the required criteria that fail, and the
recommendation: lulus (graduate), perpanjang pendampingan (extend) or keluar (exit). No database access here:
the callers pass the criteria, visits and threshold in."""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from core.formatting import rupiah
from monitoring.choices import (
    FINDING_CONDITIONS,
    RUNNING_STATUSES,
    BusinessStatus,
    GoodsCondition,
    KubeStage,
    Measure,
    Recommendation,
)

# What the assessor may answer for a criterion they judge.
ASSESSOR_CHOICES = [("1", "Terpenuhi"), ("0.5", "Sebagian"), ("0", "Tidak terpenuhi")]

# The defaults of a budget year without criteria: (name, measure, month (None: the last visit), weight, required).
DEFAULTS = {
    "WRSE": [
        ("Usaha berjalan pada kunjungan terakhir", Measure.RUNNING, None, 3, True),
        ("Omzet setidaknya ambang kabupaten/kota", Measure.TURNOVER, None, 3, False),
        ("Barang bantuan dipakai dan terjaga", Measure.GOODS_KEPT, None, 2, True),
    ],
    "KUBE": [
        ("Usaha kelompok berjalan pada kunjungan terakhir", Measure.RUNNING, None, 3, True),
        ("Omzet setidaknya ambang kabupaten/kota", Measure.TURNOVER, None, 2, False),
        ("Barang bantuan dipakai dan terjaga", Measure.GOODS_KEPT, None, 2, True),
        ("Tahap KUBE mandiri", Measure.KUBE_INDEPENDENT, None, 2, False),
        ("Dana IKS terkumpul (lebih dari nol)", Measure.IKS_FUND, None, 1, False),
    ],
}


def percent(readiness: Decimal) -> int:
    """0.625 -> 63 (half up, as people round)."""
    return int((Decimal(readiness) * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


@dataclass
class Score:
    criterion: int
    name: str
    weight: int
    required: bool
    score: Decimal | None  # None: the assessor has not judged it yet
    detail: str

    @property
    def met(self) -> bool:
        return self.score is not None and self.score >= 1

    def as_dict(self) -> dict:
        return {
            "criterion": self.criterion,
            "name": self.name,
            "weight": self.weight,
            "required": self.required,
            "score": None if self.score is None else str(self.score),
            "detail": self.detail,
        }


@dataclass
class Result:
    scores: list[Score]
    readiness: Decimal  # 0..1, four decimals
    failed_required: list[str]
    recommendation: str
    unjudged: list[str] = field(default_factory=list)  # assessor criteria without an answer

    @property
    def readiness_percent(self) -> int:
        """As every page shows it: a whole percent (0.1 -> 10)."""
        return percent(self.readiness)


def score_criterion(criterion, *, visits_by_month: dict, visits: list, last_month: int, threshold, assessor_scores):
    """One criterion's score (0, 0.5 or 1, or None while the assessor has not answered) and why, in Indonesian."""
    month = criterion.month or last_month
    visit = visits_by_month.get(month)
    missing = f"Belum ada kunjungan bulan ke-{month}."
    measure = criterion.measure
    if measure == Measure.ASSESSOR:
        answer = assessor_scores.get(str(criterion.pk))
        if answer in (None, ""):
            return None, "Belum dinilai."
        score = Decimal(str(answer))
        return score, dict(ASSESSOR_CHOICES).get(str(answer), str(answer))
    if measure == Measure.GOODS_KEPT:
        if not visits:
            return Decimal(0), "Belum ada kunjungan."
        findings, broken = [], []
        for v in visits:
            for goods in v.goods.all():
                line, condition = goods.line, goods.get_condition_display().lower()
                if goods.quantity != line.quantity:  # some of the units: "1 dari 3 unit rusak"
                    condition = f"{goods.quantity} dari {line.quantity} {line.goods.get_unit_display()} {condition}"
                where = f"{line.goods.name}: {condition} ({_when(v)})"
                if goods.condition in FINDING_CONDITIONS:
                    findings.append(where)
                elif goods.condition == GoodsCondition.BROKEN:
                    broken.append(where)
        if findings:
            return Decimal(0), "; ".join(findings)
        if broken:
            return Decimal("0.5"), "Terjaga tetapi rusak — " + "; ".join(broken)
        return Decimal(1), f"Semua barang dipakai pada {len(visits)} kunjungan."
    if visit is None:
        return Decimal(0), missing
    if measure == Measure.RUNNING:
        return Decimal(int(visit.business_status in RUNNING_STATUSES)), (
            f"Bulan ke-{month}: {visit.get_business_status_display()}."
        )
    if measure == Measure.TURNOVER:
        if threshold is None:
            return Decimal(0), "Ambang omzet kabupaten/kota ini belum ditetapkan."
        return Decimal(int(visit.turnover >= threshold)), (
            f"Omzet bulan ke-{month} {rupiah(visit.turnover)}; ambang {rupiah(threshold)}."
        )
    if measure == Measure.KUBE_INDEPENDENT:
        stage = visit.get_stage_display() or "belum diisi"
        return Decimal(int(visit.stage == KubeStage.INDEPENDENT)), f"Tahap bulan ke-{month}: {stage}."
    if measure == Measure.IKS_FUND:
        balance = visit.iks_balance or 0
        return Decimal(int(balance > 0)), f"Saldo IKS bulan ke-{month} {rupiah(balance)}."
    raise ValueError(measure)


def _when(visit) -> str:
    return f"bulan ke-{visit.due_month}" if visit.due_month else visit.visited_on.strftime("%d/%m/%Y")


def assess(
    criteria,
    *,
    visits: list,
    months: list[int],
    threshold,
    assessor_scores: dict,
    min_score: int,
    opens: dict | None = None,
) -> Result:
    """Score every criterion and recommend. `visits` are the recipient's valid visits (goods prefetched);
    `min_score` the budget year's readiness needed to graduate, in percent; `opens` the first day of each scheduled
    month's window: a visit of that month recorded before it is not that month's visit."""
    opens = opens or {}
    visits_by_month = {
        v.due_month: v
        for v in visits
        if v.due_month and (v.due_month not in opens or v.visited_on >= opens[v.due_month])
    }
    last_month = max(months)
    scores = []
    for criterion in criteria:
        score, detail = score_criterion(
            criterion,
            visits_by_month=visits_by_month,
            visits=visits,
            last_month=last_month,
            threshold=threshold,
            assessor_scores=assessor_scores,
        )
        scores.append(Score(criterion.pk, criterion.name, criterion.weight, criterion.required, score, detail))
    total = sum(s.weight for s in scores)
    weighted = sum(s.weight * (s.score or 0) for s in scores)
    readiness = (Decimal(weighted) / total).quantize(Decimal("0.0001")) if total else Decimal(0)
    failed = [s.name for s in scores if s.required and not s.met]
    unjudged = [s.name for s in scores if s.score is None]
    last = visits_by_month.get(last_month) or (max(visits, key=lambda v: v.visited_on) if visits else None)
    if last is not None and last.business_status == BusinessStatus.STOPPED:
        recommendation = Recommendation.EXIT
    elif not failed and not unjudged and readiness * 100 >= min_score:
        recommendation = Recommendation.GRADUATE
    else:
        recommendation = Recommendation.EXTEND
    return Result(scores, readiness, failed, recommendation, unjudged)


def decision_problems(result: Result, decision: str, exit_reason: str) -> dict[str, list[str]]:
    """Why the assessor's decision cannot stand: lulus only where the rule recommends it; keluar needs a reason."""
    problems: dict[str, list[str]] = {}
    if decision not in Recommendation.values:
        problems["decision"] = ["Pilih keputusan: lulus, perpanjang pendampingan, atau keluar."]
    elif decision == Recommendation.GRADUATE and result.recommendation != Recommendation.GRADUATE:
        reasons = []
        if result.failed_required:
            reasons.append("kriteria wajib belum terpenuhi: " + ", ".join(result.failed_required))
        if result.unjudged:
            reasons.append("belum dinilai: " + ", ".join(result.unjudged))
        if not reasons:
            reasons.append(f"skor kesiapan {percent(result.readiness)}% di bawah batas")
        problems["decision"] = ["Belum dapat lulus — " + "; ".join(reasons) + "."]
    if decision == Recommendation.EXIT and not (exit_reason or "").strip():
        problems["exit_reason"] = ["Alasan keluar wajib diisi."]
    return problems
