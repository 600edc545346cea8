from django.urls import path

from notifications import views

app_name = "notifications"

urlpatterns = [
    path("", views.notification_list, name="notification_list"),
    path("jumlah/", views.unread_count, name="unread_count"),
    path("dibaca/", views.mark_all_read, name="mark_all_read"),
]
