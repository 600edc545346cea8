from django.urls import path

from complaints import views

app_name = "complaints"

urlpatterns = [
    path("", views.complaint_list, name="complaint_list"),
    path("tambah/", views.complaint_create, name="complaint_create"),
    path("<int:pk>/", views.complaint_detail, name="complaint_detail"),
    path("<int:pk>/lampiran/", views.complaint_attach, name="complaint_attach"),
    path("<int:pk>/tautkan/", views.complaint_link, name="complaint_link"),
    path("lampiran/<int:pk>/", views.attachment_file, name="attachment_file"),
    path("lapor/", views.public_submit, name="public_submit"),
    path("lapor/terima/", views.public_thanks, name="public_thanks"),
    path("lapor/cek/", views.public_status, name="public_status"),
]
