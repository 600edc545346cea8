from django.urls import path

from training import views

app_name = "training"

urlpatterns = [
    path("", views.session_list, name="session_list"),
    path("tambah/", views.session_form, name="session_create"),
    path("unduh/", views.rates_export, name="rates_export"),
    path("<int:pk>/", views.session_detail, name="session_detail"),
    path("<int:pk>/ubah/", views.session_form, name="session_update"),
    path("<int:pk>/undang/", views.session_invite, name="session_invite"),
    path("<int:pk>/hadir/<int:attendance_pk>/", views.attendance_mark, name="attendance_mark"),
    path("<int:pk>/daftar-hadir/", views.attendance_sheet, name="attendance_sheet"),
    path("<int:pk>/unduh/", views.attendance_export, name="attendance_export"),
    path("<int:pk>/unggah/", views.attendance_upload, name="attendance_upload"),
]
