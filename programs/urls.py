from django.urls import path

from programs import views

app_name = "programs"

urlpatterns = [
    path("", views.budgetyear_list, name="budgetyear_list"),
    path("tambah/", views.budgetyear_create, name="budgetyear_create"),
    path("<int:year>/", views.budgetyear_detail, name="budgetyear_detail"),
    path("<int:year>/ubah/", views.budgetyear_update, name="budgetyear_update"),
]
