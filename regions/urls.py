from django.urls import path

from regions import views

app_name = "regions"

urlpatterns = [
    path("", views.regency_list, name="regency_list"),
    path("pilihan-kecamatan/", views.district_options, name="district_options"),
    path("pilihan-desa/", views.village_options, name="village_options"),
    path("<str:code>/", views.regency_detail, name="regency_detail"),
]
