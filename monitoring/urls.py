from django.urls import path

from monitoring import views

app_name = "monitoring"

urlpatterns = [
    path("", views.worklist, name="worklist"),
    path("bast/<int:handover_pk>/kunjungan/", views.visit_create, name="visit_create"),
    path("kunjungan/<int:pk>/", views.visit_detail, name="visit_detail"),
    path("kunjungan/<int:pk>/ubah/", views.visit_update, name="visit_update"),
    path("kunjungan/<int:pk>/batal/", views.visit_void, name="visit_void"),
    path("foto/<int:pk>/", views.visit_photo, name="visit_photo"),
]

urlpatterns += [
    path("graduasi/", views.assessment_list, name="assessment_list"),
    path("graduasi/bast/<int:handover_pk>/", views.assessment_create, name="assessment_create"),
    path("graduasi/<int:pk>/", views.assessment_detail, name="assessment_detail"),
    path("graduasi/kriteria/<int:year>/<str:program>/", views.criteria_edit, name="criteria_edit"),
]

urlpatterns += [
    path("verifikasi/", views.sample_list, name="sample_list"),
    path("verifikasi/<int:pk>/", views.sample_detail, name="sample_detail"),
    path("verifikasi/<int:pk>/tambahan/", views.sample_supplement, name="sample_supplement"),
    path("verifikasi/hasil/<int:pk>/", views.result_record, name="result_record"),
    path("verifikasi/hasil/<int:pk>/foto/", views.result_photo, name="result_photo"),
]

urlpatterns += [
    path("unduh/", views.worklist_export, name="worklist_export"),
    path("unggah/", views.worklist_upload, name="worklist_upload"),
    path("unggah/kesalahan/", views.worklist_marked, name="worklist_marked"),
]
