"""Sections visits adds to other apps' pages (common/sections.py): the visit plan,
the next visits and open requests on the dealer page; "Your requests" in the
dealer portal (事事有回音: the dealer sees the answer)."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from common.sections import Section

from . import permissions
from .models import RequestStatus, VisitPlan
from .selectors import _day_start, dealer_request_queryset_for, visit_queryset_for

DEALER_PAGE_VISITS = 5
PORTAL_REQUESTS = 10


def dealer_detail(*, request, dealer) -> list[Section]:
    """The dealer page (3 queries): plan, the next and the last visits, open requests."""
    user = request.user
    if user.effective_role not in (Role.ADMIN, Role.MANAGER, Role.REP):
        return []
    plan = VisitPlan.objects.filter(dealer=dealer).first()
    visits = list(
        visit_queryset_for(user).filter(dealer=dealer, scheduled_for__gte=_day_start(timezone.localdate()))
        .select_related("rep").order_by("scheduled_for", "id")[:DEALER_PAGE_VISITS]
    )
    requests = list(
        dealer_request_queryset_for(user).unresolved().filter(dealer=dealer).select_related("owner")
        .order_by("due_on", "id")[:DEALER_PAGE_VISITS]
    )
    return [Section(
        title=_("Visit plan"), template="visits/sections/dealer_visits.html", order=250, anchor="visit-plan",
        context={"dealer": dealer, "plan": plan, "visits": visits, "requests": requests,
                 "can_edit_plan": permissions.can_edit_plan(user, dealer),
                 "can_create": permissions.can_create_visits(user), "today": timezone.localdate()},
    )]


def portal_home(*, request, dealer) -> list[Section]:
    """The dealer's requests and the answers it got (1 query)."""
    requests = list(
        dealer_request_queryset_for(request.user).filter(dealer=dealer).select_related("owner")
        .order_by("-created_at", "-id")[:PORTAL_REQUESTS]
    )
    return [Section(
        title=_("Your requests"), template="visits/sections/portal_requests.html", order=450, anchor="requests",
        context={"dealer": dealer, "requests": requests, "answered": (RequestStatus.APPROVED, RequestStatus.DECLINED,
                                                                     RequestStatus.DONE)},
    )]


