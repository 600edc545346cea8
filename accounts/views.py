"""Logging in, and the user management of Admin Provinsi (accounts, roles, deactivation, passwords, lockouts)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render, resolve_url
from django.views.decorators.http import require_POST

from accounts import services
from accounts.forms import UserForm
from accounts.models import User
from accounts.permissions import can_manage_users
from accounts.roles import Role
from core.access import require
from core.forms import add_service_errors


class LoginView(auth_views.LoginView):
    """Log in, then land where the role works (settings.ROLE_LANDING, e.g. the dashboard for Pimpinan) unless
    the login came with a `next` page."""

    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def get_default_redirect_url(self):
        role = getattr(self.request.user, "role", None)
        return resolve_url(settings.ROLE_LANDING.get(role, settings.LOGIN_REDIRECT_URL))


class LogoutView(auth_views.LogoutView):
    """Signing out also empties what this browser keeps for field work (the pages taken along, the queue of
    unsent actions, the service worker's caches): a lost phone cannot act, or show data, after logout. The
    page warns first when actions are still unsent (static/field/field.js)."""

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        response["Clear-Site-Data"] = '"cache", "storage"'
        return response


def _manageable(request, pk) -> User:
    require(can_manage_users(request.user))
    return get_object_or_404(User, pk=pk)


@login_required
def user_list(request):
    """Every account with its role, regency and state (active, locked out), for Admin Provinsi."""
    require(can_manage_users(request.user))
    users = list(User.objects.select_related("regency").prefetch_related("groups").order_by("regency_id", "username"))
    locked = services.locked_usernames(u.username for u in users)
    return render(request, "accounts/user_list.html", {"users": users, "locked": locked})


def _initial(user: User) -> dict:
    return {
        "role": user.role,
        "regency": user.regency,
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "nip": user.nip,
        "position": user.position,
    }


@login_required
def user_create(request):
    require(can_manage_users(request.user))
    form = UserForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user, password = services.user_open(
                role=Role(data["role"]), regency=data["regency"], data=data, actor=request.user
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return render(request, "accounts/user_password.html", {"account": user, "password": password, "new": True})
    return render(request, "accounts/user_form.html", {"form": form})


@login_required
def user_update(request, pk):
    account = _manageable(request, pk)
    form = UserForm(request.POST or None, initial=_initial(account), editing=True)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.user_update(
                user=account, role=Role(data["role"]), regency=data["regency"], data=data, actor=request.user
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Akun {account.username} disimpan.")
            return redirect("accounts:user_list")
    return render(request, "accounts/user_form.html", {"form": form, "account": account})


@login_required
@require_POST
def user_set_active(request, pk):
    account = _manageable(request, pk)
    active = request.POST.get("aktif") == "1"
    try:
        services.user_set_active(user=account, active=active, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        state = "diaktifkan kembali" if active else "dinonaktifkan; tidak dapat masuk lagi"
        messages.success(request, f"Akun {account.username} {state}.")
    return redirect("accounts:user_list")


@login_required
@require_POST
def user_reset_password(request, pk):
    account = _manageable(request, pk)
    password = services.user_reset_password(user=account, actor=request.user)
    return render(request, "accounts/user_password.html", {"account": account, "password": password})


@login_required
@require_POST
def user_end_sessions(request, pk):
    account = _manageable(request, pk)
    services.user_end_sessions(user=account, actor=request.user)
    if account.pk == request.user.pk:
        return redirect("accounts:login")
    messages.success(request, f"Semua sesi {account.username} diakhiri; akun itu harus masuk lagi.")
    return redirect("accounts:user_list")


@login_required
@require_POST
def user_unlock(request, pk):
    account = _manageable(request, pk)
    services.user_unlock(user=account, actor=request.user)
    messages.success(request, f"Akun {account.username} dapat masuk lagi.")
    return redirect("accounts:user_list")
