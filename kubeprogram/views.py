import json
import logging

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST, require_safe

from accounts.roles import Role
from audit import selectors as audit_selectors
from audit.permissions import can_view_audit_log
from core.formatting import mask_numbers_in_text
from kubeprogram.health import health_parts
from kubeprogram.todo import tasks_for
from programs import selectors as program_selectors
from proposals import selectors as proposal_selectors
from regions import selectors as region_selectors


@login_required
def home(request):
    """The per-role home page: what this role works on, and where to go next."""
    user = request.user
    budget_year = program_selectors.budget_year_current()
    context = {
        "role": user.role,
        "Role": Role,
        "budget_year": budget_year,
        "regencies": list(region_selectors.regency_list(user=user)),
    }
    if user.role == Role.OPERATOR and budget_year is not None:
        # The officer's own regency: its pagu and target per program, and its proposals of the year.
        context["own_ceilings"] = list(
            program_selectors.ceilings_visible_to(user).filter(budget_year=budget_year).order_by("program")
        )
        context["own_proposals"] = proposal_selectors.counted(
            proposal_selectors.proposals_visible_to(user).filter(budget_year=budget_year).order_by("program")
        )
    context["tasks"] = tasks_for(user, budget_year)
    if can_view_audit_log(user):
        context["recent_events"] = audit_selectors.event_list(user=user)[:10]
    return render(request, "home.html", context)


@require_safe
@never_cache
def healthz(request):
    """For a load balancer: 200 while the database answers (503 otherwise). The body says what else is degraded —
    the cache (Redis), the broker of background jobs, the media folder — since the pages go on without them."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # noqa: BLE001 — any database failure means "not healthy"
        return HttpResponse("database unavailable\n", status=503, content_type="text/plain")
    parts = {"database": "ok", **health_parts()}
    state = "ok" if all(value == "ok" for value in parts.values()) else "degraded"
    body = state + "\n" + "".join(f"{name}: {value}\n" for name, value in parts.items())
    return HttpResponse(body, content_type="text/plain")


csp_logger = logging.getLogger("kubeprogram.csp")
CSP_REPORT_MAX_BYTES = 8 * 1024


@csrf_exempt
@require_POST
def csp_report(request):
    """Where the browser reports what the Content-Security-Policy refused (report-only on a laptop): one warning
    line per report, so a forgotten inline handler shows in the runserver log. The browser posts without a CSRF
    token; the body is read up to 8 KB and only a few of its fields are logged."""
    try:
        body = json.loads(request.read(CSP_REPORT_MAX_BYTES) or b"{}")
    except ValueError:
        body = {}  # not a report (or cut at 8 KB): nothing to log, nothing to tell the browser
    report = body.get("csp-report", body) if isinstance(body, dict) else {}
    if isinstance(report, dict):
        fields = ("violated-directive", "blocked-uri", "document-uri", "source-file", "line-number")
        directive, blocked, document, source, line = (
            mask_numbers_in_text(str(report.get(name, "?" if name != "source-file" else ""))[:200]) for name in fields
        )  # a page's address may carry a search for a NIK: masked, as everywhere a role without the right reads
        csp_logger.warning("CSP: %s blocked %s on %s (%s:%s)", directive[:100], blocked, document, source, line[:10])
    return HttpResponse(status=204)


def error_403(request, exception=None):
    return render(request, "403.html", status=403)


def error_404(request, exception=None):
    return render(request, "404.html", status=404)


def error_500(request):
    # Rendered without the request: the layout's context (user, navigation) may be what failed.
    return HttpResponseServerError(loader.render_to_string("500.html"))
