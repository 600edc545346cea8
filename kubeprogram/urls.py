from django.contrib import admin
from django.urls import include, path

from fieldwork import views as fieldwork_views
from kubeprogram import views

admin.site.site_header = "kubeprogram — Dinsos Kaltim"
admin.site.site_title = "kubeprogram"
admin.site.index_title = "Administrasi"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("csp-report/", views.csp_report, name="csp_report"),
    path("akun/", include("accounts.urls")),
    path("wilayah/", include("regions.urls")),
    path("anggaran/", include("programs.urls")),
    path("", include("beneficiaries.urls")),
    path("dtsen/verifikasi-lapangan/", include("rechecks.urls")),
    path("pelindungan-data/", include("privacy.urls")),
    path("rapor-kualitas/", include("quality.urls")),
    path("dtsen/", include("dtsen.urls")),
    path("usulan/", include("proposals.urls")),
    path("bimtek/", include("training.urls")),
    path("", include("disbursements.urls")),
    path("monev/", include("monitoring.urls")),
    path("pengaduan/", include("complaints.urls")),
    path("pemberitahuan/", include("notifications.urls")),
    path("lapangan/", include("fieldwork.urls")),
    path("pekerjaan/", include("jobs.urls")),
    path("sw.js", fieldwork_views.service_worker, name="service_worker"),
    path("manifest.webmanifest", fieldwork_views.manifest, name="manifest"),
    path("", include("reports.urls")),
    path("audit/", include("audit.urls")),
    path("admin/", admin.site.urls),
]

handler403 = "kubeprogram.views.error_403"
handler404 = "kubeprogram.views.error_404"
handler500 = "kubeprogram.views.error_500"
