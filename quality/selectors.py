"""The data-quality scorecard counted in SQL: per measure (quality.measures) one grouped query by regency — and by
month where the records carry a date, for the trend — in the user's sight; the thresholds of the budget year; the
colour, the grade and what to fix first. A fixed number of queries whatever the number of people."""

import datetime
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db import connection
from django.db.models import Count, F, Q, QuerySet, Sum, Value
from django.db.models.functions import Concat, Substr, TruncMonth
from django.utils import timezone

from audit.models import AuditEvent
from beneficiaries.models import DuplicateGroup
from complaints.models import Complaint, Outcome
from complaints.models import Status as ComplaintStatus
from disbursements.models import HandoverDay
from monitoring.models import VisitPhoto, VisitTally
from monitoring.models.verification import DISCREPANCIES, VerificationResult
from monitoring.models.verification import Outcome as CheckOutcome
from monitoring.selectors.dashboard import schedule_counts
from privacy.models import ANSWER_HOURS, SubjectRequest
from proposals.models import ItemCount, ItemStatus, Proposal, Upload
from quality import consistency, measures
from quality.consistency import tally
from quality.models import Threshold
from regions.models import Regency
from regions.selectors import regencies_visible_to

FILLED = ("phone", "address", "rt", "rw", "dtks_id")


@dataclass
class Cell:
    measure: measures.Measure
    part: int = 0
    whole: int = 0
    value: float | None = None
    level: str = measures.THIN
    note: str = ""
    months: dict = field(default_factory=dict)  # {1..12: value} where the records carry a date

    @property
    def level_label(self) -> str:
        return measures.LEVEL_LABELS[self.level]

    @property
    def trend(self) -> list:
        return [self.months.get(month) for month in range(1, 13)] if self.months else []


@dataclass
class Row:
    regency: Regency
    cells: dict  # code -> Cell
    grade: str | None = None
    points: float = 0.0

    @property
    def first_fix(self) -> Cell | None:
        """The measure to fix first: the worst colour, then the furthest from its good threshold."""
        order = {measures.POOR: 0, measures.FAIR: 1}
        judged = [cell for cell in self.cells.values() if cell.level in order]
        return min(judged, key=lambda c: (order[c.level], -abs((c.value or 0) - c.measure.good)), default=None)

    @property
    def ordered(self) -> list[Cell]:
        return [self.cells[m.code] for m in measures.MEASURES]


@dataclass
class Scorecard:
    budget_year: object
    rows: list[Row]
    thresholds: dict  # code -> Threshold
    min_count: int
    as_of: datetime.datetime

    @property
    def measures(self):
        return measures.MEASURES

    @property
    def weakest(self) -> list[Row]:
        return measures.weakest(self.rows)

    @property
    def definitions(self) -> list[tuple]:
        """(measure, the year's Threshold) of every measure, for the table of definitions and the workbook."""
        return [(measure, self.thresholds[measure.code]) for measure in measures.MEASURES]


def thresholds_for(budget_year) -> dict[str, Threshold]:
    """The year's thresholds, made from the measures' defaults (with their source) the first time."""
    found = {t.measure: t for t in Threshold.objects.filter(budget_year=budget_year)}
    missing = [
        Threshold(budget_year=budget_year, measure=m.code, good=m.good, poor=m.poor, source=m.source)
        for m in measures.MEASURES
        if m.code not in found
    ]
    if missing:
        Threshold.objects.bulk_create(missing, ignore_conflicts=True)
        found = {t.measure: t for t in Threshold.objects.filter(budget_year=budget_year)}
    return found


def _grouped(queryset: QuerySet, regency: str, part: Q, whole: Q | None = None, month: str | None = None) -> dict:
    """{regency: {month or None: [part, whole]}} from one grouped query."""
    keys = {"r": F(regency)}
    if month:
        keys["m"] = TruncMonth(month)
    counts = {"part": Count("pk", filter=part), "whole": Count("pk", filter=whole) if whole else Count("pk")}
    found: dict = {}
    for row in queryset.values(**keys).annotate(**counts).order_by():
        day = row.get("m")
        tally(found, row["r"], day.month if day else None, row["part"], row["whole"])
    return found


_PEOPLE = """
    SELECT p.regency_id, count(*) FILTER (WHERE {filled}), count(*),
           count(l.desil) FILTER (WHERE pe.desil IS NOT NULL), count(*) FILTER (WHERE l.desil <> pe.desil)
    FROM {items}
    JOIN proposals_proposal p ON p.id = i.proposal_id
    JOIN beneficiaries_person pe ON pe.id = {person}
    LEFT JOIN dtsen_listing l ON l.person_id = pe.id
    WHERE p.budget_year_id = %s AND p.regency_id IN ({visible})
    GROUP BY p.regency_id
"""


def _people(visible: set[str], budget_year) -> tuple[dict, dict]:
    """The year's proposed people per regency — women of WRSE items, members of KUBE items: one statement per path —
    those with the required fields filled of all; and of those with a typed desil whom the register's newest period
    lists with a desil (dtsen_listing, kept by the database: dtsen.kept), those whose two desils differ. Merge joins
    on the person's id (the ORM's outer joins of conditional counts made the planner read the registry twice); in the
    regencies the user may see (`visible`: regions.selectors.regencies_visible_to, as every measure)."""
    people: dict = {}
    desil: dict = {}
    if not visible:
        return people, desil
    filled = " AND ".join(f"pe.{name} <> ''" for name in FILLED)
    marks = ", ".join(["%s"] * len(visible))
    with connection.cursor() as cursor:
        for items, person in consistency.PATHS:
            cursor.execute(
                _PEOPLE.format(filled=filled, items=items, person=person, visible=marks), [budget_year.pk, *visible]
            )
            for regency_id, part, whole, compared, differs in cursor.fetchall():
                tally(people, regency_id, None, part, whole)
                tally(desil, regency_id, None, differs, compared)
    return people, desil


def counted(user, budget_year, today: datetime.date) -> dict[str, dict]:
    """Per measure code: {regency: {month or None: [part, whole]}} (a "whole" of the rate measures is what it is
    per: rows, people, recipients)."""
    year = budget_year.year
    scope = user.regency_q
    visible = set(regencies_visible_to(user).values_list("pk", flat=True))
    people, desil = _people(visible, budget_year)
    found = {"data_penduduk": people, "desil_beda": desil}

    # The delivered BASTs, and of them those with their signed scan and photo, from the tally the database keeps
    # (HandoverDay: a row per regency, program, day and scan; disbursements migration 0012).
    bast: dict = {}
    for regency_id, month, n, complete in (
        HandoverDay.objects.filter(scope("regency"), budget_year=budget_year)
        .annotate(m=TruncMonth("handed_over_on"))
        .values_list("regency", "m")
        .annotate(n=Sum("n"), complete=Sum("complete"))
        .order_by()
    ):
        tally(bast, regency_id, month.month, complete, n)
    found["bast_berkas"] = bast
    photos = VisitPhoto.objects.filter(scope("visit__regency"), visit__budget_year=budget_year, visit__status="valid")
    found["foto_lokasi"] = _grouped(
        photos, "visit__regency", Q(latitude__isnull=False, longitude__isnull=False), month="visit__visited_on"
    )

    deadline = budget_year.proposal_deadline
    if deadline:
        proposals = Proposal.objects.filter(scope("regency"), budget_year=budget_year).exclude(items=None)
        judged = Q() if today > deadline else Q(submitted_at__isnull=False)
        found["usulan_tepat"] = _grouped(
            proposals.filter(judged), "regency", Q(submitted_at__date__lte=deadline), month="submitted_at"
        )

    # The scheduled visits done, and of them those inside their window, from the tally the database keeps (VisitTally,
    # a few rows per regency, BAST date and month; monitoring migration 0013): by the month each was due.
    on_time: dict = {}
    for regency_id, month, due_month, n, ok in (
        VisitTally.objects.filter(scope("regency"), budget_year=budget_year, due_month__gt=0)
        .annotate(m=TruncMonth("handed_over_on"))
        .values_list("regency", "m", "due_month")
        .annotate(n=Sum("n"), ok=Sum("on_time"))
        .order_by()
    ):
        due = (month.month - 1 + due_month) % 12 + 1  # the month of the BAST date plus the visit's months
        tally(on_time, regency_id, due, ok, n)
    for outcome in schedule_counts(user=user, budget_year=budget_year, today=today).values():
        if outcome.overdue:  # scheduled visits past their window and not done: late, whatever comes
            tally(on_time, outcome.regency.pk, None, 0, outcome.overdue)
    found["kunjungan_tepat"] = on_time

    complaints = Complaint.objects.filter(scope("regency"), year=year)
    closed = Q(status=ComplaintStatus.CLOSED)
    found["pengaduan_tepat"] = _grouped(
        complaints, "regency", closed & Q(closed_at__date__lte=F("resolve_by")), closed | Q(resolve_by__lt=today),
        month="received_on",
    )  # fmt: skip
    found["pengaduan_terbukti"] = _grouped(
        complaints.filter(closed), "regency", Q(outcome__in=[Outcome.PROVEN, Outcome.PARTLY]), month="received_on"
    )
    now = timezone.now()
    limit = datetime.timedelta(hours=ANSWER_HOURS)
    requests = SubjectRequest.objects.filter(scope("regency"), received_at__year=year)
    found["permintaan_tepat"] = _grouped(
        requests, "regency", Q(answered_at__lte=F("received_at") + limit),
        Q(answered_at__isnull=False) | Q(received_at__lt=now - limit), month="received_at",
    )  # fmt: skip

    rows: dict = {}
    for regency, uploaded, summary, size in Upload.objects.filter(
        scope("proposal__regency"), proposal__budget_year=budget_year
    ).values_list("proposal__regency", "uploaded_at", "summary", "row_count"):
        total = summary.get("rows", size) or 0
        refused = max(0, total - summary.get("valid_rows", total))
        tally(rows, regency, timezone.localtime(uploaded).month, refused, total)
    found["baris_ditolak"] = rows

    results = VerificationResult.objects.filter(scope("regency"), sample__budget_year=budget_year).exclude(
        outcome__in=["", CheckOutcome.NOT_FOUND]
    )
    found["temuan_verifikasi"] = _grouped(results, "regency", Q(outcome__in=DISCREPANCIES), month="checked_on")

    approved: dict = {}
    for regency, n in (
        ItemCount.objects.filter(scope("proposal__regency"), proposal__budget_year=budget_year,
                                 status=ItemStatus.APPROVED)
        .values_list("proposal__regency").annotate(n=Sum("n")).order_by()
    ):  # fmt: skip
        approved[regency] = n
    received = _grouped(complaints, "regency", Q(), month="received_on")
    # per 1,000 approved recipients: each month's complaints over the year's recipients
    found["pengaduan_per_1000"] = {
        regency: {
            **{m: [pair[1], 0] for m, pair in received.get(regency, {}).items()},
            None: [0, approved.get(regency, 0)],
        }
        for regency in set(approved) | set(received)
    }
    found["nilai_paket"] = consistency.outside_band(scope, budget_year)
    found["omzet_lonjakan"], found["_omzet_2sd"] = consistency.turnover_jumps(scope, budget_year)
    found["perbaikan_hari"] = consistency.resubmission_days(scope, budget_year)

    groups: dict = {}
    village = DuplicateGroup.objects.filter(rule=DuplicateGroup.Rule.VILLAGE).annotate(r=Substr("village_id", 1, 5))
    kk = DuplicateGroup.objects.filter(rule=DuplicateGroup.Rule.KK).annotate(
        r=Concat(Substr("kk_number", 1, 2), Value("."), Substr("kk_number", 3, 2))
    )
    for queryset in (village, kk):
        for regency, n in queryset.values_list("r").annotate(n=Count("pk")).order_by():
            if regency in visible:
                groups[regency] = groups.get(regency, 0) + n
    found["ganda"] = {
        regency: {None: [groups.get(regency, 0), sum(p[1] for p in people.get(regency, {}).values())]}
        for regency in visible
    }
    # … and those resolved this year: merged, or marked as two different people (the audit trail)
    found["_ganda_resolved"] = dict(
        AuditEvent.objects.filter(scope("regency"), action__in=["person.merge", "person.not_duplicate"],
                                  created_at__year=year)
        .values_list("regency").annotate(n=Count("pk")).order_by()
    )  # fmt: skip
    return found


PER = {"%": 100, "per 100 baris": 100, "per 1.000": 1000, "hari": 1}


def _median_cell(measure, threshold, months: dict, min_count: int) -> Cell:
    days = [d for values in months.values() for d in values]
    cell = Cell(measure=measure, part=len(days), whole=len(days), value=consistency.median(days))
    cell.level = measures.level(cell.value, len(days), good=float(threshold.good), poor=float(threshold.poor),
                                higher_is_better=False, min_count=min_count)  # fmt: skip
    cell.months = {m: consistency.median(values) for m, values in months.items() if m is not None}
    return cell


def _cell(measure, threshold, months: dict, min_count: int) -> Cell:
    if measure.unit == "hari":
        return _median_cell(measure, threshold, months, min_count)
    part = sum(pair[0] for pair in months.values())
    whole = sum(pair[1] for pair in months.values())
    per = PER[measure.unit]
    value = measures.rate(part, whole, per)
    cell = Cell(measure=measure, part=part, whole=whole, value=value)
    cell.level = measures.level(value, whole, good=float(threshold.good), poor=float(threshold.poor),
                                higher_is_better=measure.higher_is_better, min_count=min_count)  # fmt: skip
    dated = {m: pair for m, pair in months.items() if m is not None}
    if dated:
        if measure.unit == "per 1.000":  # each month's count over the year's recipients
            cell.months = {m: measures.rate(pair[0], whole, per) for m, pair in dated.items()}
        else:
            cell.months = {m: measures.rate(pair[0], pair[1], per) for m, pair in dated.items()}
    if measure.code == "temuan_verifikasi" and whole:
        low, high = measures.wilson(part, whole)
        cell.note = f"{part} dari {whole} diperiksa; selang kepercayaan 95 %: {low}–{high} %"
    return cell


def scorecard(user, budget_year, today: datetime.date | None = None) -> Scorecard:
    """The scorecard of the regencies in the user's sight for a budget year (counted afresh)."""
    today = today or timezone.localdate()
    thresholds = thresholds_for(budget_year)
    found = counted(user, budget_year, today)
    min_count = budget_year.scorecard_min_count
    rows = []
    for regency in regencies_visible_to(user).order_by("code"):
        cells = {}
        for measure in measures.MEASURES:
            cell = _cell(measure, thresholds[measure.code], found.get(measure.code, {}).get(regency.pk, {}), min_count)
            if measure.code == "usulan_tepat" and not budget_year.proposal_deadline:
                cell.note = "Batas pengajuan usulan belum ditetapkan di tahun anggaran."
            if measure.code == "omzet_lonjakan" and cell.whole:
                cell.note = f"{found['_omzet_2sd'].get(regency.pk, 0)} perubahan di atas 2 simpangan baku"
            if measure.code == "ganda":
                resolved = found["_ganda_resolved"].get(regency.pk, 0)
                cell.note = f"{cell.part} kelompok belum diperiksa; {resolved} diselesaikan tahun ini"
            if measure.code == "perbaikan_hari" and cell.whole:
                cell.note = f"{cell.whole} calon penerima diajukan lagi"
            cells[measure.code] = cell
        levels = [cell.level for cell in cells.values()]
        judged = [lv for lv in levels if lv != measures.THIN]
        points = sum({measures.GOOD: 2, measures.FAIR: 1, measures.POOR: 0}[lv] for lv in judged)
        rows.append(Row(regency=regency, cells=cells, grade=measures.grade(levels),
                        points=points / (2 * len(judged)) if judged else 0.0))  # fmt: skip
    return Scorecard(budget_year=budget_year, rows=rows, thresholds=thresholds, min_count=min_count,
                     as_of=timezone.now())  # fmt: skip


KEEP_SECONDS = 600


def version_key(budget_year) -> str:
    """Bumped when the year's thresholds change: the kept scorecards of every scope are then not read again."""
    return f"scorecard:version:{budget_year.pk}"


def kept(user, budget_year, *, refresh: bool = False) -> Scorecard:
    """The scorecard as the pages show it: kept 10 minutes per budget year and scope (as the dashboard), under the
    version the thresholds' last change set; counted afresh when asked ("Perbarui") or when none is kept."""
    key = f"scorecard:v1:{budget_year.pk}:{cache.get(version_key(budget_year), 0)}:{user.scope_key}"
    card = None if refresh else cache.get(key)
    if card is None:
        card = scorecard(user, budget_year)
        cache.set(key, card, KEEP_SECONDS)
    return card
