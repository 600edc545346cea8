from django.urls import path

from reports import views

app_name = "reports"

urlpatterns = [
    path("dasbor/", views.dashboard, name="dashboard"),
    path("dasbor/dtsen/", views.register_share, name="register_share"),
    path("laporan/", views.report_index, name="report_index"),
    path("laporan/rekapitulasi/", views.recap_export, name="recap_export"),
    path("laporan/bnba/<str:program>/", views.bnba_export, name="bnba_export"),
    path("laporan/dtsen/<str:kind>/", views.exchange_export, name="exchange_export"),
    path("laporan/hasil-verifikasi/", views.verification_export, name="verification_export"),
    path("laporan/kehadiran-bimtek/", views.attendance_export, name="attendance_export"),
    path("laporan/rekap-monev/", views.monitoring_recap_export, name="monitoring_recap_export"),
    path("laporan/kunjungan-monev/", views.visit_register_export, name="visit_register_export"),
    path("laporan/graduasi/", views.graduation_export, name="graduation_export"),
    path("laporan/pengaduan/", views.complaint_export, name="complaint_export"),
    path("laporan/verifikasi-pasca-penyaluran/", views.post_verification_export, name="post_verification_export"),
]
