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
