from django.urls import path

from privacy import views

app_name = "privacy"

urlpatterns = [
    path("", views.request_list, name="request_list"),
    path("baru/", views.request_create, name="request_create"),
    path("<int:pk>/", views.request_detail, name="request_detail"),
    path("<int:pk>/berkas/", views.request_file, name="request_file"),
    path("<int:pk>/jawab/", views.request_answer, name="request_answer"),
    path("<int:pk>/batasi/", views.person_restrict, name="person_restrict"),
    path("<int:pk>/hapus/", views.person_erase, name="person_erase"),
]
