from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from notifications import services
from notifications.selectors import notification_list


@login_required
def notification_centre(request):
    notifications = notification_list(user=request.user)
    if request.GET.get("unread"):
        notifications = notifications.unread()
    page = Paginator(notifications, 25).get_page(request.GET.get("page"))
    return render(request, "notifications/list.html", {"page": page, "unread_only": bool(request.GET.get("unread"))})


@login_required
@require_POST
def notification_open(request, pk: int):
    """Mark as read and go where the notification points."""
    notification = get_object_or_404(notification_list(user=request.user), pk=pk)
    services.notification_mark_read(notification=notification)
    target = notification.url
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("notifications:list")


@login_required
@require_POST
def notification_read_all(request):
    count = services.notifications_mark_all_read(user=request.user)
    messages.success(request, _("%(count)d notifications marked as read.") % {"count": count})
    return redirect("notifications:list")
