"""Reads of the visits domain, always scoped to the user (docs/DEVELOPING.md "Scope first")."""

from __future__ import annotations

import datetime

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone

from accounts.models import Role
from dealers.selectors import dealer_queryset_for

from . import calculations
from .models import DealerRequest, MarketCheck, MarketObservation, StockCount, Visit, VisitStatus


def visit_queryset_for(user) -> QuerySet[Visit]:
    """The visits `user` may see: HQ admin all; a manager those to the dealers of
    their regions; a rep their own visits; nobody else (a dealer sees its
    suggestion and requests in the portal, not the rep's visit records)."""
    visits = Visit.objects.all()
    if not user.is_authenticated:
        return visits.none()
    role = user.effective_role
    if role == Role.ADMIN:
        return visits
    if role == Role.MANAGER:
        return visits.filter(dealer__in=dealer_queryset_for(user))
    if role == Role.REP:
        return visits.filter(rep=user)
    return visits.none()


def stock_count_queryset_for(user) -> QuerySet[StockCount]:
    """Stock counts of the visits `user` may see; a dealer user also sees its own
    company's counts (the portal shows the latest suggestion)."""
    if user.is_authenticated and user.effective_role == Role.DEALER:
        return StockCount.objects.filter(dealer_id=user.dealer_id)
    return StockCount.objects.filter(visit__in=visit_queryset_for(user))


def dealer_request_queryset_for(user) -> QuerySet[DealerRequest]:
    """Requests and commitments: HQ admin all; a manager those of their regions'
    dealers; a rep those of the dealers assigned to them and those they own; a
    dealer user its own company's."""
    requests = DealerRequest.objects.all()
    if not user.is_authenticated:
        return requests.none()
    role = user.effective_role
    if role == Role.ADMIN:
        return requests
    if role in (Role.MANAGER, Role.DEALER):
        return requests.filter(dealer__in=dealer_queryset_for(user))
    if role == Role.REP:
        return requests.filter(Q(dealer__rep=user) | Q(owner=user))
    return requests.none()


# --- lists and pages ---------------------------------------------------------------------
def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def visit_list(*, user) -> QuerySet[Visit]:
    """Visits in scope with what a list row shows (dealer, rep, whether checked), one query."""
    return visit_queryset_for(user).select_related("dealer", "rep").annotate(
        has_market_check=Exists(MarketCheck.objects.filter(visit=OuterRef("pk"))),
    )


def visit_detail(*, user, pk: int) -> Visit:
    """One visit with its market check and observations (raises Visit.DoesNotExist outside scope)."""
    observations = Prefetch(
        "observations", queryset=MarketObservation.objects.select_related("product", "violation").order_by("id")
    )
    visit = visit_queryset_for(user).select_related("dealer__region", "rep", "plan", "order").get(pk=pk)
    visit.check = (
        MarketCheck.objects.filter(visit=visit).select_related("recorded_by").prefetch_related(observations).first()
    )
    return visit


def rep_day(*, user, today: datetime.date | None = None, limit: int = 30) -> dict:
    """The rep's day (bounded queries): today's visits, the next 7 days, overdue
    items (missed visits not moved yet, open requests past due) and the dealers not
    contacted this calendar month."""
    today = today or timezone.localdate()
    visits = visit_list(user=user)
    if user.effective_role != Role.REP:
        visits = visits.filter(rep=user)
    start, tomorrow = _day_start(today), _day_start(today + datetime.timedelta(days=1))
    week_end = _day_start(today + datetime.timedelta(days=8))
    todays = list(visits.filter(scheduled_for__gte=start, scheduled_for__lt=tomorrow)
                  .exclude(status=VisitStatus.CANCELLED).order_by("scheduled_for", "id")[:limit])
    upcoming = list(visits.filter(scheduled_for__gte=tomorrow, scheduled_for__lt=week_end, status=VisitStatus.PLANNED)
                    .order_by("scheduled_for", "id")[:limit])
    overdue_visits = list(
        visits.filter(status__in=[VisitStatus.MISSED, VisitStatus.PLANNED, VisitStatus.IN_PROGRESS],
                      scheduled_for__lt=start, scheduled_for__gte=start - datetime.timedelta(days=30))
        .order_by("-scheduled_for", "-id")[:limit]
    )
    overdue_requests = list(
        DealerRequest.objects.unresolved().filter(owner=user, due_on__lt=today).select_related("dealer")
        .order_by("due_on", "id")[:limit]
    )
    not_contacted = dealers_not_contacted(user=user, today=today)
    return {
        "today": today, "todays": todays, "upcoming": upcoming, "overdue_visits": overdue_visits,
        "overdue_requests": overdue_requests, "not_contacted": list(not_contacted[:limit]),
        "not_contacted_count": not_contacted.count(),
    }


def dealers_not_contacted(*, user, today: datetime.date | None = None) -> QuerySet:
    """Active dealers assigned to `user` (or, for a manager, in scope) with neither a
    completed visit nor a contact log entry this calendar month."""
    from dealers.models import ContactLog, DealerStatus

    today = today or timezone.localdate()
    month_start = _day_start(today.replace(day=1))
    dealers = dealer_queryset_for(user).filter(status=DealerStatus.ACTIVE)
    if user.effective_role == Role.REP:
        dealers = dealers.filter(rep=user)
    return dealers.exclude(
        Exists(Visit.objects.filter(dealer=OuterRef("pk"), status=VisitStatus.COMPLETED, completed_at__gte=month_start))
    ).exclude(
        Exists(ContactLog.objects.filter(dealer=OuterRef("pk"), contacted_at__gte=month_start))
    ).select_related("region").order_by("name", "id")


def dealer_request_list(*, user) -> QuerySet[DealerRequest]:
    return dealer_request_queryset_for(user).select_related("dealer", "owner", "escalated_to", "visit")


def reps_in_scope(*, user) -> QuerySet:
    """The reps whose discipline `user` may see: a rep themself; a manager the reps
    of the dealers in their regions; HQ admin every active rep."""
    from accounts.models import User

    reps = User.objects.filter(role=Role.REP, is_active=True)
    role = user.effective_role
    if role == Role.ADMIN:
        return reps
    if role == Role.MANAGER:
        return reps.filter(pk__in=dealer_queryset_for(user).filter(rep__isnull=False).values("rep_id"))
    if role == Role.REP:
        return reps.filter(pk=user.pk)
    return reps.none()


def rep_discipline(*, user, month: datetime.date, today: datetime.date | None = None) -> list[dict]:
    """Per rep in scope, the month against the targets (visits.calculations), in a
    fixed number of queries: contacts per working day, the share of assigned dealers
    contacted, visits completed and planned, market checks recorded before the start.
    "Contacted" is a completed visit or a contact log entry (by the rep)."""
    from dealers.models import ContactLog, Dealer, DealerStatus

    today = today or timezone.localdate()
    first, last = calculations.month_bounds(month)
    start, end = _day_start(first), _day_start(last + datetime.timedelta(days=1))
    reps = list(reps_in_scope(user=user).order_by("last_name", "first_name", "username"))
    rep_ids = [rep.pk for rep in reps]
    if not rep_ids:
        return []
    tz = timezone.get_current_timezone()
    visit_contacts = (
        Visit.objects.filter(rep_id__in=rep_ids, status=VisitStatus.COMPLETED, completed_at__gte=start, completed_at__lt=end)
        .annotate(day=TruncDate("completed_at", tzinfo=tz)).values_list("rep_id", "dealer_id", "day").distinct()
    )
    log_contacts = (
        ContactLog.objects.filter(logged_by_id__in=rep_ids, contacted_at__gte=start, contacted_at__lt=end)
        .annotate(day=TruncDate("contacted_at", tzinfo=tz)).values_list("logged_by_id", "dealer_id", "day").distinct()
    )
    contacts = set(visit_contacts) | set(log_contacts)
    assigned: dict[int, set[int]] = {rep_id: set() for rep_id in rep_ids}
    for rep_id, dealer_id in Dealer.objects.filter(rep_id__in=rep_ids, status=DealerStatus.ACTIVE).values_list("rep_id", "id"):
        assigned[rep_id].add(dealer_id)
    figures = _visit_figures(rep_ids, start, end)
    working = calculations.working_days(first, min(last, today))
    rows = []
    for rep in reps:
        mine = [(dealer_id, day) for rep_id, dealer_id, day in contacts if rep_id == rep.pk]
        contact_days = len({(dealer_id, day) for dealer_id, day in mine if day.weekday() < 5 and day <= today})
        contacted = {dealer_id for dealer_id, _day in mine} & assigned[rep.pk]
        row = figures.get(rep.pk, {})
        rows.append({"rep": rep, **calculations.discipline_row(
            contact_days=contact_days, working_days_count=working, dealers_contacted=len(contacted),
            dealers_assigned=len(assigned[rep.pk]), visits_completed=row.get("completed", 0),
            visits_planned=row.get("planned", 0), market_checks_before=row.get("checked", 0),
            visits_started=row.get("started", 0),
        )})
    return rows


def _visit_figures(rep_ids, start, end) -> dict[int, dict]:
    """Per rep: visits completed, planned (not cancelled) and started in the window,
    and the started ones whose market check (not skipped) was recorded before the start."""
    checked_before = MarketCheck.objects.filter(
        visit=OuterRef("pk"), skipped_reason="", checked_at__lte=OuterRef("started_at")
    )
    in_window = Visit.objects.filter(rep_id__in=rep_ids).filter(
        Q(completed_at__gte=start, completed_at__lt=end) | Q(scheduled_for__gte=start, scheduled_for__lt=end)
        | Q(started_at__gte=start, started_at__lt=end)
    ).annotate(checked_first=Exists(checked_before))
    rows = in_window.values("rep_id").annotate(
        completed=Count("id", filter=Q(status=VisitStatus.COMPLETED, completed_at__gte=start, completed_at__lt=end)),
        planned=Count("id", filter=Q(scheduled_for__gte=start, scheduled_for__lt=end) & ~Q(status=VisitStatus.CANCELLED)),
        started=Count("id", filter=Q(started_at__gte=start, started_at__lt=end)),
        checked=Count("id", filter=Q(started_at__gte=start, started_at__lt=end, checked_first=True)),
    ).order_by()
    return {row["rep_id"]: row for row in rows}
