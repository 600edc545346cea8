from django.urls import path

from dtsen import views

app_name = "dtsen"

urlpatterns = [
    path("", views.snapshot_list, name="snapshot_list"),
    path("impor/", views.snapshot_import, name="snapshot_import"),
    path("<int:pk>/", views.snapshot_detail, name="snapshot_detail"),
]
