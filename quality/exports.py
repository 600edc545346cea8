"""The scorecard's workbook: one sheet of scores (a row per regency: the grade, then each measure's value and its
colour written out), one of the definitions and thresholds with their sources."""

from openpyxl import Workbook

from core.excel import Column, ReportWriter
from quality.measures import LEVEL_LABELS, MEASURES


def workbook(card) -> ReportWriter:
    """The workbook: the first sheet's writer holds the book; save or stream it."""
    book = Workbook(write_only=True)
    year = card.budget_year.year
    columns = [Column("Kabupaten/Kota", 24), Column("Nilai", 7)]
    for measure in MEASURES:
        columns += [Column(f"{measure.label} ({measure.unit})", 12, "number"), Column("Keterangan", 14)]
    scores = ReportWriter(f"Rapor Kualitas Data {year}", columns, filters=[("Tahun anggaran", str(year))],
                          workbook=book)  # fmt: skip
    for row in card.rows:
        values = [str(row.regency), row.grade or "—"]
        for cell in row.ordered:
            values += [cell.value, f"{LEVEL_LABELS[cell.level]} (n={cell.whole})"]
        scores.append(values)
    scores.finish_sheet()
    definitions = ReportWriter("Definisi dan Ambang", [
        Column("Kelompok", 16), Column("Ukuran", 28), Column("Definisi", 70), Column("Satuan", 12),
        Column("Arah", 14), Column("Batas baik", 10, "number"), Column("Batas buruk", 10, "number"),
        Column("Sumber ambang", 50),
    ], filters=[("Tahun anggaran", str(year)), ("Data minimum per ukuran", str(card.min_count))],
        workbook=book)  # fmt: skip
    for measure, threshold in card.definitions:
        definitions.append([measure.group, measure.label, measure.definition, measure.unit,
                            "makin besar makin baik" if measure.higher_is_better else "makin kecil makin baik",
                            float(threshold.good), float(threshold.poor), threshold.source])  # fmt: skip
    definitions.finish_sheet()
    return scores
