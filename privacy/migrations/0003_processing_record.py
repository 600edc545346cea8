"""The record of processing (UU 27/2022 Art. 31) as kubeprogram processes personal data today: one row per activity."""

from django.db import migrations

BASE = "UU 27/2022 Pasal 20 ayat (2) huruf d dan e (kewajiban hukum dan tugas pelayanan publik Dinas Sosial)"
STANDARD = (
    "NIK dan No. KK disamarkan bagi peran yang tidak memerlukannya; setiap tampilan NIK lengkap dan setiap "
    "unduhan tercatat di jejak audit; akses dibatasi per kabupaten/kota; koneksi HTTPS"
)
ACTIVITIES = [
    (
        "Registrasi penduduk dan KUBE",
        "Mencatat calon penerima dan kelompok usaha bersama untuk program WRSE dan KUBE.",
        f"{BASE}; UU 13/2011 tentang Penanganan Fakir Miskin",
        "Calon penerima, anggota KUBE",
        "NIK, No. KK, nama, jenis kelamin, tempat dan tanggal lahir, status perkawinan, alamat, RT/RW, No. HP, pekerjaan",
        "",
        "Selama program berjalan; penerima: 10 tahun setelah tahun anggaran (arsip keuangan)",
        STANDARD,
        "",
    ),
    (
        "Usulan dan verifikasi penerima",
        "Menilai kelayakan calon penerima yang diusulkan kabupaten/kota.",
        BASE,
        "Calon penerima",
        "Data registrasi, desil, hasil pemeriksaan otomatis, keputusan verifikator",
        "Verifikator Provinsi",
        "Calon tidak disetujui: 5 tahun setelah tahun anggaran",
        STANDARD,
        "Pemeriksaan otomatis (usia, NIK, desil) hanya memberi tanda; keputusan selalu oleh verifikator",
    ),
    (
        "Pencocokan dengan DTSEN",
        "Memeriksa desil dan keberadaan calon penerima di Data Tunggal Sosial Ekonomi Nasional.",
        f"{BASE}; Inpres 4/2025; Kepmensos 79/HUK/2025",
        "Penduduk dalam berkas DTSEN, calon penerima",
        "NIK, No. KK, nama, desil, ID DTSEN, periode",
        "BPS/Kemensos (BNBA per Inpres 4/2025)",
        "Per periode triwulan; berkas lama disimpan sebagai riwayat",
        STANDARD,
        "Pencocokan otomatis menurut NIK; perubahan desil diverifikasi lapangan oleh petugas (tidak ada penghapusan otomatis)",
    ),
    (
        "Pemeriksaan data ganda",
        "Menemukan kemungkinan data ganda di registrasi.",
        BASE,
        "Penduduk terdaftar",
        "Nama, tanggal lahir, desa, No. KK",
        "",
        "Selama data penduduk disimpan",
        STANDARD,
        "Kemiripan dihitung otomatis; penggabungan selalu diputuskan verifikator",
    ),
    (
        "Alokasi, Bimtek dan serah terima (BAST)",
        "Menyalurkan bantuan barang dan mencatat pertanggungjawabannya.",
        f"{BASE}; peraturan pengelolaan keuangan daerah",
        "Penerima manfaat",
        "Nama, NIK, alamat, daftar hadir Bimtek, BAST bertanda tangan, foto serah terima",
        "Inspektorat, BPK (audit)",
        "10 tahun setelah tahun anggaran (arsip keuangan)",
        STANDARD,
        "",
    ),
    (
        "Pemantauan (monev) dan graduasi",
        "Memantau usaha penerima dan menilai kesiapan lulus.",
        BASE,
        "Penerima manfaat",
        "Status usaha, omzet, pendapatan, kondisi barang, foto kunjungan dengan lokasi, skor kesiapan",
        "",
        "10 tahun setelah tahun anggaran",
        STANDARD,
        "Skor kesiapan graduasi dihitung otomatis; keputusan lulus selalu disetujui petugas provinsi",
    ),
    (
        "Pengaduan",
        "Menerima dan menindaklanjuti pengaduan masyarakat.",
        f"{BASE}; Perpres 76/2013",
        "Pelapor, penduduk yang diadukan",
        "Nama dan kontak pelapor (bila tidak anonim), isi pengaduan, lampiran",
        "",
        "5 tahun setelah pengaduan selesai",
        STANDARD,
        "",
    ),
    (
        "Laporan dan unduhan",
        "Menyusun laporan pimpinan dan BNBA.",
        BASE,
        "Penerima manfaat",
        "Sesuai laporan; NIK lengkap hanya bagi peran yang berwenang",
        "BPS/Kemensos, pimpinan",
        "Berkas unduhan tidak disimpan di server setelah diunduh",
        STANDARD,
        "",
    ),
    (
        "Permintaan subjek data",
        "Menjawab permintaan akses, perbaikan, pembatasan, dan penghapusan.",
        "UU 27/2022 Pasal 30-44",
        "Pemohon, penduduk yang bersangkutan",
        "Nama pemohon, pemeriksaan identitas, isi permintaan",
        "",
        "5 tahun setelah dijawab",
        STANDARD,
        "",
    ),
]


def fill(apps, schema_editor):
    ProcessingActivity = apps.get_model("privacy", "ProcessingActivity")
    for order, values in enumerate(ACTIVITIES, 1):
        name, purpose, basis, subjects, data, recipients, retention, safeguards, automated = values
        ProcessingActivity.objects.update_or_create(name=name, defaults={
            "purpose": purpose, "legal_basis": basis, "subjects": subjects, "data": data, "recipients": recipients,
            "retention": retention, "safeguards": safeguards, "automated": automated, "order": order,
        })  # fmt: skip


class Migration(migrations.Migration):
    dependencies = [("privacy", "0002_processing_activity")]
    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
