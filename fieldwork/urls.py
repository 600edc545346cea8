from django.urls import path

from fieldwork import views

app_name = "fieldwork"

urlpatterns = [
    path("", views.field_home, name="home"),
    path("bimtek/<int:pk>/", views.field_session, name="session"),
    path("bast/<int:pk>/", views.field_handover, name="handover"),
    path("kirim/", views.sync, name="sync"),
    path("luring/", views.offline, name="offline"),
]
