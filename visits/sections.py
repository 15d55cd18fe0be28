"""Sections visits adds to other apps' pages (common/sections.py): the visit plan,
the next visits and open requests on the dealer page; "Your requests" in the
dealer portal (事事有回音: the dealer sees the answer)."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from common.dates import local_day_start
from common.formatting import format_date, format_datetime
from common.navigation import menu_counts
from common.sections import Section
from common.worklists import ROWS_PER_ITEM, WorkItem, WorkRow, worklist_section

from . import permissions, selectors
from .models import RequestStatus, VisitPlan
from .selectors import dealer_request_queryset_for, visit_queryset_for

DEALER_PAGE_VISITS = 5
PORTAL_REQUESTS = 10


def dealer_detail(*, request, dealer) -> list[Section]:
    """The dealer page (3 queries): plan, the next and the last visits, open requests."""
    user = request.user
    if user.effective_role not in (Role.ADMIN, Role.MANAGER, Role.REP):
        return []
    plan = VisitPlan.objects.filter(dealer=dealer).first()
    visits = list(
        visit_queryset_for(user).filter(dealer=dealer, scheduled_for__gte=local_day_start(timezone.localdate()))
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




def role_home(*, request) -> list[Section]:
    """The worklist on the home page (common.worklists): a rep's day (today's visits,
    overdue requests, dealers not contacted this month); for managers and HQ the
    escalations, missed visits and visits to review. One query per listed item
    (the figures come from the menu's one query); a dealer sees its requests' answers."""
    user = request.user
    role = user.effective_role
    if role == Role.DEALER:
        return portal_home(request=request, dealer=user.dealer)
    if role not in (Role.ADMIN, Role.MANAGER, Role.REP):
        return []
    counts = menu_counts(request)
    if role == Role.REP:
        today = timezone.localdate()
        visits = selectors.todays_open_visits(user=user, today=today).select_related("dealer").order_by("scheduled_for", "id")
        overdue = selectors.overdue_requests(user=user, today=today).select_related("dealer").order_by("due_on", "id")
        quiet = selectors.dealers_not_contacted(user=user, today=today)
        items = [
            WorkItem(_("Today's visits"), reverse("visits:today"), count=counts.get("visits.today", 0),
                     icon="calendar-check", key="todays-visits", rows=[
                         WorkRow(visit.dealer.name, reverse("visits:detail", args=[visit.pk]),
                                 f"{timezone.localtime(visit.scheduled_for):%H:%M} · {visit.get_status_display()}")
                         for visit in visits[:ROWS_PER_ITEM]]),
            WorkItem(_("Overdue requests"), reverse("visits:requests") + "?overdue=on&mine=on",
                     count=counts.get("visits.requests_overdue", 0), icon="alarm", tone="danger", key="overdue-requests",
                     rows=[WorkRow(item.dealer.name, reverse("visits:request", args=[item.pk]),
                                   _("due %(date)s") % {"date": format_date(item.due_on)})
                           for item in overdue[:ROWS_PER_ITEM]]),
            WorkItem(_("Dealers not contacted this month"), reverse("visits:today") + "#not-contacted",
                     count=counts.get("visits.not_contacted", 0), icon="telephone-outbound", tone="warning",
                     key="not-contacted", rows=[WorkRow(dealer.name, reverse("dealers:detail", args=[dealer.pk]),
                                                        dealer.region.name)
                                                for dealer in quiet[:ROWS_PER_ITEM]]),
        ]
        return [worklist_section(_("My day"), items, order=10, anchor="field-work")]
    escalated = selectors.escalated_requests(user=user).select_related("dealer").order_by("due_on", "id")
    missed = selectors.missed_visits(user=user).select_related("dealer", "rep").order_by("-scheduled_for", "-id")
    to_review = selectors.visits_to_review(user=user).select_related("dealer", "rep").order_by("-completed_at", "-id")
    items = [
        WorkItem(_("Escalated requests"), reverse("visits:requests") + "?status=escalated",
                 count=counts.get("visits.escalated", 0), icon="arrow-up-right-circle", tone="danger", key="escalations",
                 rows=[WorkRow(item.dealer.name, reverse("visits:request", args=[item.pk]),
                               _("due %(date)s") % {"date": format_date(item.due_on)})
                       for item in escalated[:ROWS_PER_ITEM]]),
        WorkItem(_("Missed visits"), reverse("visits:list") + "?status=missed",
                 count=counts.get("visits.missed", 0), icon="calendar-x", tone="warning", key="missed-visits",
                 rows=[WorkRow(visit.dealer.name, reverse("visits:detail", args=[visit.pk]),
                               f"{format_datetime(visit.scheduled_for)} · {visit.rep}")
                       for visit in missed[:ROWS_PER_ITEM]]),
        WorkItem(_("Visits to review"), reverse("visits:list") + "?show=to_review",
                 count=counts.get("visits.to_review", 0), icon="eye", key="visits-to-review",
                 rows=[WorkRow(visit.dealer.name, reverse("visits:detail", args=[visit.pk]),
                               f"{format_datetime(visit.completed_at)} · {visit.rep}")
                       for visit in to_review[:ROWS_PER_ITEM]]),
    ]
    return [worklist_section(_("Field work"), items, order=30, anchor="field-work")]
