from django.urls import path

from quality import views

app_name = "quality"

urlpatterns = [
    path("", views.scorecard, name="scorecard"),
    path("unduh/", views.scorecard_export, name="export"),
    path("kabupaten/<str:code>/", views.regency_detail, name="regency"),
    path("ambang/<int:year>/", views.thresholds_edit, name="thresholds"),
    path("ringkas/", views.panel, name="panel"),
]
