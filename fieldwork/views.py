"""Field pages for a phone (390 px first), the endpoint the phone sends its queued work to, and what makes the
site an installable web app that opens without a signal (manifest, service worker at the site root)."""

import datetime
import hashlib

from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from core.access import require
from core.offline import taken_along
from disbursements.permissions import can_attach_handover, can_view_handovers
from disbursements.selectors import handovers_visible_to
from fieldwork import services
from monitoring import selectors as monitoring_selectors
from monitoring.permissions import can_record_visits
from programs.selectors import budget_year_current
from training import selectors as training_selectors
from training.models import AttendanceStatus
from training.permissions import can_mark_attendance, can_view_training

SESSIONS_FROM, SESSIONS_TO = datetime.timedelta(days=7), datetime.timedelta(days=30)


@login_required
@taken_along
def field_home(request):
    """ "Kerja lapangan": the work to take along today — Bimtek sessions around today, BASTs still without their
    photo, due monitoring visits — each chosen one stored on the phone for use without a signal."""
    user, today = request.user, timezone.localdate()
    sessions = handovers = visits = []
    if can_view_training(user):
        sessions = training_selectors.with_attendance_counts(
            training_selectors.sessions_visible_to(user).filter(
                start_date__lte=today + SESSIONS_TO, end_date__gte=today - SESSIONS_FROM
            )
        ).order_by("start_date", "id")[:50]
    if can_view_handovers(user) and can_attach_handover(user):
        handovers = (
            handovers_visible_to(user)
            .delivered()
            .filter(photo="")
            .select_related("allocation__item__person__village", "allocation__item__group__village")
            .order_by("-handed_over_on", "-id")[:50]
        )
    budget_year = budget_year_current()
    if can_record_visits(user) and budget_year is not None:
        rows = monitoring_selectors.worklist(user=user, budget_year=budget_year, today=today)
        visits = rows[:50]  # due and overdue (the worklist's default)
    return render(
        request,
        "fieldwork/field_home.html",
        {"sessions": sessions, "handovers": handovers, "visits": visits, "today": today},
    )


@login_required
@taken_along
def field_session(request, pk):
    """One Bimtek session's participants with large Hadir / Tidak hadir buttons, usable without a signal."""
    session = get_object_or_404(
        training_selectors.sessions_visible_to(request.user).select_related("regency", "budget_year"), pk=pk
    )
    return render(
        request,
        "fieldwork/field_session.html",
        {
            "session": session,
            "participants": training_selectors.participants(session),
            "can_mark": can_mark_attendance(request.user),
            "statuses": AttendanceStatus.choices,
        },
    )


@login_required
@taken_along
def field_handover(request, pk):
    """One BAST's photo, taken with the phone's camera (shrunk on the phone), usable without a signal."""
    require(can_view_handovers(request.user))
    handover = get_object_or_404(
        handovers_visible_to(request.user).select_related(
            "allocation__item__person__village", "allocation__item__group__village", "regency"
        ),
        pk=pk,
    )
    return render(
        request,
        "fieldwork/field_handover.html",
        {
            "handover": handover,
            "lines": handover.lines.select_related("goods"),
            "can_attach": can_attach_handover(request.user) and handover.status == handover.Status.DELIVERED,
        },
    )


@never_cache
@require_http_methods(["GET", "POST"])
def sync(request):
    """GET: a fresh CSRF token for the phone's queue (401 when the session has expired: sign in again first).
    POST: one queued action — id, kind, target, done_at, its fields, a photo — answered with its result."""
    if not request.user.is_authenticated:
        return JsonResponse({"login": reverse("accounts:login")}, status=401)
    if request.method == "GET":
        return JsonResponse({"csrf": get_token(request), "user": request.user.pk})
    data = request.POST.copy()
    for key in ("id", "kind", "target", "done_at", "csrfmiddlewaretoken"):
        data.pop(key, None)
    answer = services.action_apply(
        user=request.user,
        client_id=request.POST.get("id", ""),
        kind=request.POST.get("kind", ""),
        target_id=request.POST.get("target", ""),
        done_at=request.POST.get("done_at", ""),
        data=data,
        uploads=request.FILES.getlist("file"),
    )
    return JsonResponse(answer.as_json())


@taken_along
def offline(request):
    """What a page not taken along shows without a signal (kept by the service worker)."""
    return render(request, "fieldwork/offline.html")


SHELL = [
    "vendor/bootstrap/bootstrap.min.css",
    "vendor/bootstrap/bootstrap.bundle.min.js",
    "vendor/htmx/htmx.min.js",
    "css/app.css",
    "field/field.js",
    "js/actions.js",
    "js/app.js",
    "field/icon-192.png",
    "favicon.svg",
]


@never_cache
def service_worker(request):
    """The service worker, from the site root so it may answer for every page; its version changes with the
    static files it keeps (their hashed names in production), so a new release replaces the old cache."""
    shell = [static(name) for name in SHELL] + [reverse("fieldwork:offline")]
    response = render(
        request,
        "fieldwork/sw.js",
        {
            "shell": shell,
            "version": hashlib.sha256("\n".join(shell).encode()).hexdigest()[:12],
            "offline": reverse("fieldwork:offline"),
        },
        content_type="application/javascript",
    )
    response["Service-Worker-Allowed"] = "/"
    return response


def manifest(request):
    """The web app manifest: installable from the browser's menu, opening on "Kerja lapangan"."""
    return JsonResponse(
        {
            "name": "kubeprogram — Dinsos Kaltim",
            "short_name": "kubeprogram",
            "lang": "id",
            "start_url": reverse("fieldwork:home"),
            "scope": "/",
            "display": "standalone",
            "background_color": "#f4f5f7",
            "theme_color": "#0a4a8f",
            "icons": [
                {"src": static("field/icon-192.png"), "sizes": "192x192", "type": "image/png"},
                {"src": static("field/icon-512.png"), "sizes": "512x512", "type": "image/png"},
            ],
        },
        content_type="application/manifest+json",
    )
