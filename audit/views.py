from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render

from audit import selectors
from audit.filters import AuditEventFilter
from audit.permissions import can_view_audit_log


@login_required
def event_list(request):
    if not can_view_audit_log(request.user):
        raise PermissionDenied
    filterset = AuditEventFilter(request.GET or None, queryset=selectors.event_list(user=request.user))
    page = Paginator(filterset.qs, 50).get_page(request.GET.get("page"))
    return render(request, "audit/auditevent_list.html", {"filter": filterset, "page_obj": page})
