from django.urls import path

from privacy import views

app_name = "privacy"

urlpatterns = [
    path("permintaan/", views.request_list, name="request_list"),
    path("permintaan/baru/", views.request_create, name="request_create"),
    path("permintaan/<int:pk>/", views.request_detail, name="request_detail"),
    path("permintaan/<int:pk>/berkas/", views.request_file, name="request_file"),
    path("permintaan/<int:pk>/jawab/", views.request_answer, name="request_answer"),
    path("permintaan/<int:pk>/batasi/", views.person_restrict, name="person_restrict"),
    path("permintaan/<int:pk>/hapus/", views.person_erase, name="person_erase"),
    path("pemrosesan/", views.processing_record, name="processing_record"),
    path("retensi/", views.retention, name="retention"),
    path("retensi/<int:pk>/", views.destruction_report, name="destruction_report"),
    path("retensi/<int:pk>/musnahkan/", views.destruction_approve, name="destruction_approve"),
    path("insiden/", views.breach_list, name="breach_list"),
    path("insiden/<int:pk>/", views.breach_detail, name="breach_detail"),
    path("insiden/<int:pk>/surat/<str:whom>/", views.breach_notice, name="breach_notice"),
    path("insiden/<int:pk>/terkirim/<str:whom>/", views.breach_mark_notified, name="breach_notified"),
]
