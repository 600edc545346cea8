from django.urls import path

from regions import views

app_name = "regions"

urlpatterns = [
    path("", views.regency_list, name="regency_list"),
    path("<str:code>/", views.regency_detail, name="regency_detail"),
]
