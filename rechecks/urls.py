from django.urls import path

from rechecks import views

app_name = "rechecks"

urlpatterns = [
    path("", views.worklist, name="worklist"),
    path("<str:regency>/<int:person>/", views.record, name="record"),
]
