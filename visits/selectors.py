"""Reads of the visits domain, always scoped to the user (docs/DEVELOPING.md "Scope first")."""

from __future__ import annotations

import datetime

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Role, User
from accounts.policy import Area, ScopeKind, scope_kind
from common.dates import local_day_start
from common.scoping import register_scope
from dealers.models import ContactLog, Dealer, DealerStatus
from dealers.scope import dealer_scope_q, scoped
from dealers.selectors import dealer_queryset_for
from inventory.models import StockCount, SuggestedOrderLine

from . import calculations
from .models import DealerRequest, MarketCheck, MarketObservation, PhotoStage, Visit, VisitPlan, VisitStatus
from .permissions import can_see_discipline


def visit_queryset_for(user) -> QuerySet[Visit]:
    """The visits `user` may see (accounts.policy, Area.VISITS): HQ admin all; a
    manager those to the dealers of their regions; a rep those to the dealers
    assigned to them (with the history of earlier reps: the data stays with the
    company); nobody else (a dealer sees its suggestion and requests in the
    portal, not the rep's visit records)."""
    return scoped(user, Area.VISITS, Visit.objects.all(), dealer="dealer")


def visit_plan_queryset_for(user) -> QuerySet[VisitPlan]:
    """Visit plans of the dealers whose visits the user sees."""
    return scoped(user, Area.VISITS, VisitPlan.objects.all(), dealer="dealer")


def visit_cycle_days(dealer_ids: list[int]) -> dict[int, int]:
    """{dealer_id: cycle days of its active visit plan} (one query): the cycle the
    suggested order scales period sales to (registered with inventory.cycles)."""
    return dict(
        VisitPlan.objects.filter(dealer_id__in=dealer_ids, is_active=True).order_by()
        .values_list("dealer_id", "cycle_days")
    )


def dealer_request_queryset_for(user) -> QuerySet[DealerRequest]:
    """Requests and commitments: HQ admin all; a manager those of their regions'
    dealers; a rep those of the dealers assigned to them and those they were made
    owner of; a dealer user its own company's."""
    return scoped(user, Area.REQUESTS, DealerRequest.objects.all(), dealer="dealer",
                  assigned=lambda user: Q(owner_id=user.pk))


# --- lists and pages ---------------------------------------------------------------------


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
    visits = visit_list(user=user).filter(rep=user)  # their own, not earlier reps' history of their dealers
    start, tomorrow = local_day_start(today), local_day_start(today + datetime.timedelta(days=1))
    week_end = local_day_start(today + datetime.timedelta(days=8))
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
    today = today or timezone.localdate()
    month_start = local_day_start(today.replace(day=1))
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
    reps = User.objects.filter(role=Role.REP, is_active=True)
    if not can_see_discipline(user):
        return reps.none()
    kind = scope_kind(user)
    if kind == ScopeKind.EVERYTHING:
        return reps
    if kind == ScopeKind.ASSIGNED_DEALERS:
        return reps.filter(pk=user.pk)
    return reps.filter(pk__in=dealer_queryset_for(user).filter(rep__isnull=False).values("rep_id"))


def rep_discipline(*, user, month: datetime.date, today: datetime.date | None = None) -> list[dict]:
    """Per rep in scope, the month against the targets (visits.calculations), in a
    fixed number of queries: contacts per working day, the share of assigned dealers
    contacted, visits completed and planned, market checks recorded before the start.
    "Contacted" is a completed visit or a contact log entry (by the rep)."""
    today = today or timezone.localdate()
    first, last = calculations.month_bounds(month)
    start, end = local_day_start(first), local_day_start(last + datetime.timedelta(days=1))
    reps = list(reps_in_scope(user=user).order_by("last_name", "first_name", "username"))
    rep_ids = [rep.pk for rep in reps]
    if not rep_ids:
        return []
    # A manager's figures count only the dealers of their regions (a rep working in two
    # regions shows each manager their own part); a rep's own record counts all their work.
    in_scope = Q() if scope_kind(user) == ScopeKind.ASSIGNED_DEALERS else dealer_scope_q(user, "dealer")
    tz = timezone.get_current_timezone()
    visit_contacts = (
        Visit.objects.filter(in_scope, rep_id__in=rep_ids, status=VisitStatus.COMPLETED, completed_at__gte=start, completed_at__lt=end)
        .annotate(day=TruncDate("completed_at", tzinfo=tz)).values_list("rep_id", "dealer_id", "day").distinct()
    )
    log_contacts = (
        ContactLog.objects.filter(in_scope, logged_by_id__in=rep_ids, contacted_at__gte=start, contacted_at__lt=end)
        .annotate(day=TruncDate("contacted_at", tzinfo=tz)).values_list("logged_by_id", "dealer_id", "day").distinct()
    )
    contacts = set(visit_contacts) | set(log_contacts)
    assigned: dict[int, set[int]] = {rep_id: set() for rep_id in rep_ids}
    dealers_in_scope = Q() if scope_kind(user) == ScopeKind.ASSIGNED_DEALERS else dealer_scope_q(user)
    for rep_id, dealer_id in (Dealer.objects.filter(dealers_in_scope, rep_id__in=rep_ids, status=DealerStatus.ACTIVE)
                              .values_list("rep_id", "id")):
        assigned[rep_id].add(dealer_id)
    figures = _visit_figures(rep_ids, start, end, in_scope=in_scope)
    working = calculations.working_days(first, min(last, today))
    working_in_month = calculations.working_days(first, last)
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
            visits_started=row.get("started", 0), working_days_in_month=working_in_month,
        )})
    return rows


def _visit_figures(rep_ids, start, end, *, in_scope: Q) -> dict[int, dict]:
    """Per rep: visits completed, planned (not cancelled) and started in the window,
    and the started ones whose market check (not skipped) was recorded before the start."""
    checked_before = MarketCheck.objects.filter(
        visit=OuterRef("pk"), skipped_reason="", checked_at__lte=OuterRef("started_at")
    )
    in_window = Visit.objects.filter(in_scope, rep_id__in=rep_ids).filter(
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


# --- Worklists (the home page and the menu's figures) ---------------------------------------
# A completed visit waits for its manager's review this long; missed visits are news this long.
REVIEW_WINDOW_DAYS = 14
MISSED_WINDOW_DAYS = 7


def todays_open_visits(*, user, today: datetime.date | None = None) -> QuerySet[Visit]:
    """The rep's visits of today still to do (planned or in progress)."""
    today = today or timezone.localdate()
    start, end = local_day_start(today), local_day_start(today + datetime.timedelta(days=1))
    return visit_queryset_for(user).filter(
        rep=user, scheduled_for__gte=start, scheduled_for__lt=end,
        status__in=[VisitStatus.PLANNED, VisitStatus.IN_PROGRESS],
    )


def overdue_requests(*, user, today: datetime.date | None = None) -> QuerySet[DealerRequest]:
    """Unresolved requests `user` owns whose due date has passed."""
    today = today or timezone.localdate()
    return dealer_request_queryset_for(user).unresolved().filter(owner=user, due_on__lt=today)


def escalated_requests(*, user) -> QuerySet[DealerRequest]:
    """Requests beyond a rep's authority waiting for a manager's decision, in scope."""
    from .models import RequestStatus

    return dealer_request_queryset_for(user).filter(status=RequestStatus.ESCALATED)


def missed_visits(*, user, today: datetime.date | None = None) -> QuerySet[Visit]:
    """Visits in scope marked missed in the last MISSED_WINDOW_DAYS days."""
    today = today or timezone.localdate()
    since = local_day_start(today - datetime.timedelta(days=MISSED_WINDOW_DAYS))
    return visit_queryset_for(user).filter(status=VisitStatus.MISSED, scheduled_for__gte=since)


def visits_to_review(*, user, today: datetime.date | None = None) -> QuerySet[Visit]:
    """Visits in scope completed in the last REVIEW_WINDOW_DAYS days that nobody but
    their rep has commented on yet: what a manager reviews (SPEC §2 "Evidence")."""
    from .models import VisitComment

    today = today or timezone.localdate()
    since = local_day_start(today - datetime.timedelta(days=REVIEW_WINDOW_DAYS))
    reviewed = VisitComment.objects.filter(visit=OuterRef("pk")).exclude(author=OuterRef("rep"))
    return visit_queryset_for(user).filter(status=VisitStatus.COMPLETED, completed_at__gte=since).exclude(Exists(reviewed))
# The scope of each model, for mechanisms that only know the model (common.scoping).
register_scope(Visit, visit_queryset_for)
register_scope(DealerRequest, dealer_request_queryset_for)
register_scope(VisitPlan, visit_plan_queryset_for)


# The steps of a visit a rep may leave empty, in the order of the visit page (SPEC §2).
STEP_POLICY = _("Policies and dealer feedback")
STEP_STOCK_COUNT = _("Stock count")
STEP_ORDER = _("Suggested order: no order placed")
STEP_DISPLAY = _("Display and stock advocacy")
STEP_TERMINAL = _("Terminal market walk and talk")
STEP_AFTER_SALES = _("After-sales service")


def visit_steps_left_empty(*, visit: Visit, photos=None) -> list[str]:
    """The steps of `visit` with nothing recorded, in the visit's order: what the rep
    is asked about before completing it (at most three queries)."""
    empty = []
    if not (visit.policy_notes.strip() or visit.dealer_feedback.strip()):
        empty.append(STEP_POLICY)
    count = (
        StockCount.objects.current().filter(reference=visit.stock_count_reference).values_list("pk", flat=True).first()
    )
    if count is None:
        empty.append(STEP_STOCK_COUNT)
    elif visit.order_id is None and SuggestedOrderLine.objects.filter(
        stock_count_id=count, suggested_quantity__gt=0
    ).exists():
        empty.append(STEP_ORDER)
    if photos is None:
        has_display_photo = visit.photos.filter(stage=PhotoStage.DISPLAY).exists()
    else:
        has_display_photo = any(photo.stage == PhotoStage.DISPLAY for photo in photos)
    if not (visit.display_notes.strip() or has_display_photo):
        empty.append(STEP_DISPLAY)
    if not visit.terminal_notes.strip():
        empty.append(STEP_TERMINAL)
    if not visit.after_sales_notes.strip():
        empty.append(STEP_AFTER_SALES)
    return empty
