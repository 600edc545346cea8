"""The measures of the data-quality scorecard (issue 34) and the rules that judge them — pure: no model, no query.

Each measure is a share, a rate or a count per regency and budget year, with its definition as the page shows it,
whether more is better, and the default thresholds with their source (the budget year's `Threshold` rows start from
these and are edited by the province: thresholds are data). A value is "hijau" at or beyond `good`, "merah" at or
beyond `poor` on the wrong side, "kuning" between; a measure counted over fewer than the year's minimum (default
10) is "data belum cukup" and given no colour. The grade counts green 2, amber 1, red 0 over the measures with
enough data: A from 85 %, B from 70 %, C from 50 %, else D.

Sources of the defaults:
- WHO Data Quality Review toolkit (2017) and DHIS2's WHO Data Quality Tool: completeness and timeliness of
  reporting 90 % or more, outliers beyond 2 and 3 standard deviations;
- UNICEF HOPE / post-distribution monitoring practice: discrepancies in the sampled recipients kept under 5 %;
- Permenpan-RB 62/2018 and Perpres 76/2013 (SP4N-LAPOR!): complaints answered within their deadlines;
- UU 27/2022 Art. 32–44: a data subject's request answered within 3×24 hours, every time;
- Permensos 5/2019 (data terpadu, now DTSEN): a recipient's record carries its register ID.
"""

import math
from dataclasses import dataclass

GOOD, FAIR, POOR, THIN = "baik", "cukup", "buruk", "kurang_data"
LEVEL_LABELS = {GOOD: "Baik", FAIR: "Perlu perhatian", POOR: "Buruk", THIN: "Data belum cukup"}
MIN_COUNT = 10


@dataclass(frozen=True)
class Measure:
    code: str
    group: str  # Kelengkapan, Ketepatan waktu, Konsistensi, Verifikasi, Duplikat, Suara warga
    label: str
    definition: str
    unit: str  # "%", "per 100 baris", "per 1.000"
    higher_is_better: bool
    good: float
    poor: float
    source: str
    what_to_fix: str  # the first thing an officer can do about it


MEASURES = [
    Measure("data_penduduk", "Kelengkapan", "Data calon lengkap",
            "Calon penerima tahun ini (perempuan WRSE dan anggota KUBE) yang No HP, alamat, RT, RW dan "
            "ID DTKS/DTSEN-nya terisi, dibagi seluruh calon.", "%", True, 90, 75,
            "WHO Data Quality Review 2017: kelengkapan ≥ 90 %; Permensos 5/2019: ID data terpadu",
            "Lengkapi No HP, alamat, RT/RW dan ID DTSEN calon penerima."),
    Measure("bast_berkas", "Kelengkapan", "BAST dengan pindaian dan foto",
            "BAST yang sudah diserahkan dan memiliki pindaian bertanda tangan serta foto serah terima, dibagi seluruh "
            "BAST yang diserahkan.", "%", True, 95, 80,
            "WHO Data Quality Review 2017: kelengkapan ≥ 90 %; BAST adalah arsip keuangan",
            "Unggah pindaian BAST bertanda tangan dan foto serah terimanya."),
    Measure("foto_lokasi", "Kelengkapan", "Foto kunjungan berlokasi",
            "Foto kunjungan monev yang membawa lokasi (GPS) dari kameranya, dibagi seluruh foto kunjungan.", "%", True,
            90, 70, "WHO Data Quality Review 2017: kelengkapan ≥ 90 %",
            "Nyalakan lokasi kamera HP sebelum memotret kunjungan."),
    Measure("usulan_tepat", "Ketepatan waktu", "Usulan diajukan tepat waktu",
            "Usulan tahun ini yang diajukan paling lambat batas pengajuan tahun anggaran (diatur di tahun anggaran), "
            "dibagi usulan yang sudah diajukan atau sudah lewat batasnya.", "%", True, 90, 70,
            "WHO Data Quality Review 2017: ketepatan waktu ≥ 90 %", "Ajukan usulan sebelum batas pengajuan."),
    Measure("kunjungan_tepat", "Ketepatan waktu", "Kunjungan monev tepat waktu",
            "Kunjungan terjadwal yang dilakukan di dalam jendelanya (paling lambat 30 hari sesudah tanggal jatuh "
            "tempo), dibagi kunjungan yang sudah dilakukan ditambah yang terlambat belum dilakukan.", "%", True, 90, 70,
            "WHO Data Quality Review 2017: ketepatan waktu ≥ 90 %",
            "Kunjungi penerima yang terlambat di Kerja Lapangan."),
    Measure("pengaduan_tepat", "Ketepatan waktu", "Pengaduan selesai tepat waktu",
            "Pengaduan tahun ini yang selesai paling lambat batas penyelesaiannya (hari kerja), dibagi pengaduan yang "
            "sudah selesai atau sudah lewat batasnya.", "%", True, 90, 70,
            "Perpres 76/2013 dan Permenpan-RB 62/2018 (SP4N-LAPOR!)", "Selesaikan pengaduan yang lewat batas."),
    Measure("permintaan_tepat", "Ketepatan waktu", "Permintaan data pribadi dijawab 3×24 jam",
            "Permintaan subjek data tahun ini yang dijawab dalam 3×24 jam, dibagi permintaan yang sudah dijawab atau "
            "sudah lewat batasnya.", "%", True, 100, 90, "UU 27/2022 Pasal 32–44: setiap permintaan dalam 3×24 jam",
            "Jawab permintaan subjek data yang menunggu."),
    Measure("perbaikan_hari", "Ketepatan waktu", "Lama perbaikan usulan",
            "Median hari dari calon penerima dikembalikan verifikator sampai diajukan lagi (dari jejak audit), "
            "tahun ini.", "hari", False, 7, 14, "Ambang provinsi (verifikasi usulan mingguan)",
            "Perbaiki dan ajukan lagi calon penerima yang dikembalikan."),
    Measure("baris_ditolak", "Konsistensi", "Baris unggahan ditolak",
            "Baris lembar kerja usulan yang ditolak pemeriksaan (NIK, jenis kelamin menurut NIK, usia, besar KUBE, dan "
            "lainnya) per 100 baris yang diunggah tahun ini.", "per 100 baris", False, 2, 10,
            "WHO Data Quality Review 2017: konsistensi internal; ambang provinsi",
            "Gunakan template terbaru dan periksa NIK serta tanggal lahir sebelum mengunggah."),
    Measure("desil_beda", "Konsistensi", "Desil berbeda dengan DTSEN",
            "Calon penerima tahun ini yang desil di datanya berbeda dengan desilnya di periode DTSEN terbaru, "
            "dibagi calon yang desilnya terisi dan tercantum dengan desil di periode itu.", "%", False, 5, 15,
            "Ambang provinsi; Inpres 4/2025: DTSEN rujukan penetapan sasaran",
            "Samakan desil dengan DTSEN terbaru, atau verifikasi lapangan bila berbeda."),
    Measure("nilai_paket", "Konsistensi", "Nilai bantuan di luar pita paket",
            "Alokasi aktif tahun ini yang nilainya berbeda dari nilai bantuan baku programnya lebih dari pita tahun "
            "anggaran (pengaturan tahun anggaran, bawaan ±25 %), dibagi seluruh alokasi aktif.", "%", False, 5, 15,
            "Ambang provinsi", "Periksa alokasi yang nilainya jauh dari nilai paket."),
    Measure("omzet_lonjakan", "Konsistensi", "Lonjakan omzet antar kunjungan",
            "Perubahan omzet di antara dua kunjungan berurutan seorang penerima yang lebih dari 3 simpangan baku "
            "perubahan omzet kabupaten/kota itu sendiri, dibagi seluruh perubahan (lebih dari 2 simpangan baku "
            "disebut di keterangan).", "%", False, 1, 3,
            "WHO Data Quality Review 2017 dan DHIS2: pencilan di atas 2 dan 3 simpangan baku",
            "Periksa ulang omzet yang melonjak pada kunjungan itu."),
    Measure("temuan_verifikasi", "Verifikasi", "Temuan verifikasi pasca-penyaluran",
            "Penerima dalam sampel verifikasi pasca-penyaluran yang barangnya tidak diterima atau tidak lengkap/rusak, "
            "dibagi penerima sampel yang sudah diperiksa (dengan selang kepercayaan 95 % menurut besar sampel).", "%",
            False, 2, 5, "UNICEF HOPE / pemantauan pasca-penyaluran: selisih di bawah 5 %",
            "Tindak lanjuti temuan verifikasi dan periksa serah terima barang."),
    Measure("ganda", "Duplikat", "Kemungkinan data ganda",
            "Kelompok kemungkinan data ganda hasil pemindaian terakhir di kabupaten/kota yang belum diperiksa, per "
            "1.000 calon penerima tahun ini (yang sudah digabung atau dinyatakan bukan duplikat tahun ini disebut di "
            "keterangan).", "per 1.000", False, 5, 20, "Ambang provinsi (pemindaian data ganda kubeprogram)",
            "Periksa dan gabungkan data ganda di halaman Data Ganda."),
    Measure("pengaduan_per_1000", "Suara warga", "Pengaduan per 1.000 penerima",
            "Pengaduan yang diterima tahun ini per 1.000 calon penerima yang disetujui.", "per 1.000", False, 10, 30,
            "Ambang provinsi", "Periksa pokok pengaduan yang paling sering."),
    Measure("pengaduan_terbukti", "Suara warga", "Pengaduan terbukti",
            "Pengaduan tahun ini yang selesai dengan hasil terbukti atau sebagian terbukti, dibagi pengaduan yang "
            "selesai.", "%", False, 10, 25, "Ambang provinsi",
            "Perbaiki penyebab pengaduan yang terbukti."),
]  # fmt: skip
BY_CODE = {measure.code: measure for measure in MEASURES}


def level(value: float | None, count: int, *, good: float, poor: float, higher_is_better: bool,
          min_count: int = MIN_COUNT) -> str:  # fmt: skip
    """The colour of one value: baik at or beyond `good`, buruk at or beyond `poor` on the wrong side, cukup between;
    kurang_data when counted over fewer than `min_count` records (a small number is not over-read)."""
    if value is None or count < min_count:
        return THIN
    if higher_is_better:
        return GOOD if value >= good else POOR if value < poor else FAIR
    return GOOD if value <= good else POOR if value > poor else FAIR


def grade(levels: list[str]) -> str | None:
    """A–D over the measures with enough data (green 2, amber 1, red 0); None when none has enough."""
    judged = [lv for lv in levels if lv != THIN]
    if not judged:
        return None
    share = sum({GOOD: 2, FAIR: 1, POOR: 0}[lv] for lv in judged) / (2 * len(judged))
    return "A" if share >= 0.85 else "B" if share >= 0.70 else "C" if share >= 0.50 else "D"


def share(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def rate(part: int, whole: int, per: int) -> float | None:
    return round(per * part / whole, 1) if whole else None


def wilson(part: int, whole: int, z: float = 1.959964) -> tuple[float, float] | None:
    """The 95 % confidence interval of a proportion in percent (Wilson score): honest for small samples and for
    proportions near 0, as discrepancy rates are."""
    if not whole:
        return None
    p = part / whole
    centre = (p + z * z / (2 * whole)) / (1 + z * z / whole)
    half = z * math.sqrt(p * (1 - p) / whole + z * z / (4 * whole * whole)) / (1 + z * z / whole)
    return round(100 * max(0.0, centre - half), 1), round(100 * min(1.0, centre + half), 1)


def weakest(rows, n: int = 3) -> list:
    """The `n` regencies with the lowest grade (rows with `.points` and `.grade`), worst first; none without one."""
    graded = [row for row in rows if row.grade]
    return sorted(graded, key=lambda row: (row.points, row.regency.name))[:n]
