from django.urls import path

from reports import views

app_name = "reports"

urlpatterns = [
    path("dasbor/", views.dashboard, name="dashboard"),
    path("laporan/", views.report_index, name="report_index"),
    path("laporan/rekapitulasi/", views.recap_export, name="recap_export"),
    path("laporan/bnba/<str:program>/", views.bnba_export, name="bnba_export"),
    path("laporan/hasil-verifikasi/", views.verification_export, name="verification_export"),
    path("laporan/kehadiran-bimtek/", views.attendance_export, name="attendance_export"),
]
