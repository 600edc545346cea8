from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from accounts import views
from accounts.forms import LoginForm
from accounts.views import LoginView

app_name = "accounts"

urlpatterns = [
    path(
        "masuk/",
        LoginView.as_view(authentication_form=LoginForm),
        name="login",
    ),
    path("keluar/", views.LogoutView.as_view(), name="logout"),
    path("pengguna/", views.user_list, name="user_list"),
    path("pengguna/tambah/", views.user_create, name="user_create"),
    path("pengguna/<int:pk>/ubah/", views.user_update, name="user_update"),
    path("pengguna/<int:pk>/aktif/", views.user_set_active, name="user_set_active"),
    path("pengguna/<int:pk>/sandi/", views.user_reset_password, name="user_reset_password"),
    path("pengguna/<int:pk>/buka-kunci/", views.user_unlock, name="user_unlock"),
    path("pengguna/<int:pk>/akhiri-sesi/", views.user_end_sessions, name="user_end_sessions"),
    path(
        "kata-sandi/",
        auth_views.PasswordChangeView.as_view(
            template_name="accounts/password_change.html",
            success_url=reverse_lazy("accounts:password_change_done"),
        ),
        name="password_change",
    ),
    path(
        "kata-sandi/selesai/",
        auth_views.PasswordChangeDoneView.as_view(template_name="accounts/password_change_done.html"),
        name="password_change_done",
    ),
]
