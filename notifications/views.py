from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from notifications import services
from notifications.models import Notification


@login_required
def notification_list(request):
    notifications = Notification.objects.filter(user=request.user)
    page = Paginator(notifications, 50).get_page(request.GET.get("page"))
    response = render(request, "notifications/notification_list.html", {"page": page})
    services.mark_read(user=request.user, ids=[n.pk for n in page])  # shown: read
    return response


@login_required
def unread_count(request):
    """The navbar's badge, fetched by htmx after the page (so no page pays a query for it)."""
    count = Notification.objects.filter(user=request.user, read_at__isnull=True).count()
    return render(request, "notifications/partials/badge.html", {"count": count})


@login_required
@require_POST
def mark_all_read(request):
    services.mark_read(user=request.user)
    return redirect("notifications:notification_list")
