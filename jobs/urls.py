from django.urls import path

from jobs import views

app_name = "jobs"

urlpatterns = [
    path("", views.job_list, name="job_list"),
    path("<uuid:pk>/", views.job_detail, name="job_detail"),
    path("<uuid:pk>/status/", views.job_status, name="job_status"),
    path("<uuid:pk>/unduh/", views.job_download, name="job_download"),
    path("<uuid:pk>/ulang/", views.job_retry, name="job_retry"),
]
