from django.conf import settings
from django.contrib.auth import views as auth_views
from django.shortcuts import resolve_url


class LoginView(auth_views.LoginView):
    """Log in, then land where the role works (settings.ROLE_LANDING, e.g. the dashboard for Pimpinan) unless
    the login came with a `next` page."""

    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def get_default_redirect_url(self):
        role = getattr(self.request.user, "role", None)
        return resolve_url(settings.ROLE_LANDING.get(role, settings.LOGIN_REDIRECT_URL))
