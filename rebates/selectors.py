"""Reads of rebate plans and statements, always scoped to the user, and the
set-based query that sums purchases from the shipment records."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection
from django.db.models import Prefetch, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.policy import VISIBILITY, Area, Visibility
from common.dates import local_day_start
from common.scoping import register_scope
from dealers.models import Dealer
from dealers.scope import dealer_scope_q, scoped
from inventory.models import Order, OrderLine, Shipment, ShipmentLine
from rebates import calculations
from rebates.models import (
    ZERO,
    PlanKind,
    RebateAssignment,
    RebatePlan,
    RebateStatement,
    RebateStatementQuerySet,
    RebateTier,
    StatementStatus,
)

# Who sees rebates (accounts.policy, Area.REBATE_STATEMENTS): finance and HQ all,
# managers and reps within their scope, a dealer its own; warehouse none.
STATEMENT_ROLES = tuple(
    role for role, seen in VISIBILITY[Area.REBATE_STATEMENTS].items() if seen != Visibility.NONE
)


# --- Scope ---------------------------------------------------------------------------------
def rebate_statement_queryset_for(user) -> RebateStatementQuerySet:
    """The statements `user` may see: every page, endpoint and export of statements starts here."""
    return scoped(user, Area.REBATE_STATEMENTS, RebateStatement.objects.all(), dealer="dealer")


def rebate_plan_queryset_for(user) -> QuerySet[RebatePlan]:
    """Plans are not secret to the manufacturer's staff who deal with rebates; a dealer user
    sees only the plans assigned to its company."""
    return scoped(
        user, Area.REBATE_PLANS, RebatePlan.objects.all(),
        published=lambda user: Q(pk__in=RebateAssignment.objects.filter(dealer_scope_q(user, "dealer")).values("plan_id")),
    )


def rebate_assignment_queryset_for(user) -> QuerySet[RebateAssignment]:
    return scoped(user, Area.REBATE_STATEMENTS, RebateAssignment.objects.all(), dealer="dealer")


# --- Lists and details ---------------------------------------------------------------------
def rebate_statement_list(*, user) -> RebateStatementQuerySet:
    """The user's statements with what a list row shows (one query per page)."""
    return rebate_statement_queryset_for(user).select_related("dealer", "plan", "settled_by")


def rebate_statement_detail(*, user, pk: int) -> RebateStatement:
    """One statement in the user's scope (RebateStatement.DoesNotExist outside)."""
    return (
        rebate_statement_queryset_for(user)
        .select_related("dealer", "dealer__region", "plan", "settled_by")
        .prefetch_related(Prefetch("plan__tiers", queryset=RebateTier.objects.order_by("threshold")))
        .get(pk=pk)
    )


def rebate_plan_list(*, user) -> QuerySet[RebatePlan]:
    return rebate_plan_queryset_for(user).prefetch_related(
        Prefetch("tiers", queryset=RebateTier.objects.order_by("threshold")), "products"
    )


# --- Purchases from the shipment records ----------------------------------------------------
@dataclass(frozen=True)
class BasisSlot:
    """Purchases of `dealer_id` shipped in [start, end) that count for `plan_id`
    (only the plan's products when `plan_products_only`)."""

    dealer_id: int
    plan_id: int
    plan_products_only: bool
    start: datetime.datetime
    end: datetime.datetime


def basis_slot(*, dealer_id: int, plan: RebatePlan, counted: calculations.Period) -> BasisSlot:
    """The slot of the days `counted` (both inside) for `plan` and one dealer."""
    return BasisSlot(
        dealer_id=dealer_id, plan_id=plan.pk, plan_products_only=plan.kind == PlanKind.CAMPAIGN,
        start=local_day_start(counted.start), end=local_day_start(counted.end + datetime.timedelta(days=1)),
    )


# SQLite binds at most 32,766 parameters and each slot takes two; PostgreSQL takes them all at once.
_SQLITE_SLOTS_PER_QUERY = 10_000


def rebate_bases(*, slots: Sequence[BasisSlot]) -> dict[int, Decimal]:
    """The purchase basis of each slot: {slot index: money}, from the shipment records.

    The value of a shipped line is its quantity at the unit price kept on the
    order line. One query for any number of dealers, plans and periods (a VALUES
    list joined to the shipments on their (dealer, shipped_at) index). Slots
    with no purchases are absent (read a missing key as 0).
    """
    result: dict[int, Decimal] = {}
    chunk = len(slots) if connection.vendor != "sqlite" else _SQLITE_SLOTS_PER_QUERY
    for offset in range(0, len(slots), max(chunk, 1)):
        for index, _order_id, value in _basis_rows(slots[offset:offset + chunk], offset=offset, by_order=False):
            result[index] = calculations.to_money(value)
    return result


def _basis_rows(slots: Sequence[BasisSlot], *, offset: int, by_order: bool) -> list[tuple]:
    if not slots:
        return []
    ops = connection.ops
    timestamp = "CAST(%s AS timestamp with time zone)" if connection.vendor == "postgresql" else "%s"
    rows_sql, params = [], []
    for index, slot in enumerate(slots, start=offset):
        # Integers are formatted in (int() makes that safe); only the times are parameters.
        rows_sql.append(
            f"({int(index)}, {int(slot.dealer_id)}, {int(slot.plan_id)}, {1 if slot.plan_products_only else 0}, "
            f"{timestamp}, {timestamp})"
        )
        params += [ops.adapt_datetimefield_value(slot.start), ops.adapt_datetimefield_value(slot.end)]
    through = RebatePlan.products.through._meta
    plan_products = through.db_table
    plan_column = through.get_field("rebateplan").column
    product_column = through.get_field("product").column
    order_column = "s.order_id" if by_order else "NULL"
    sql = f"""
        WITH w (idx, dealer_id, plan_id, products_only, start_at, end_at) AS (VALUES {", ".join(rows_sql)})
        SELECT w.idx, {order_column}, SUM(l.quantity * ol.unit_price)
        FROM w
        JOIN {Shipment._meta.db_table} s ON s.dealer_id = w.dealer_id
            AND s.shipped_at >= w.start_at AND s.shipped_at < w.end_at
        JOIN {ShipmentLine._meta.db_table} l ON l.shipment_id = s.id
        JOIN {OrderLine._meta.db_table} ol ON ol.order_id = s.order_id AND ol.product_id = l.product_id
        WHERE w.products_only = 0 OR EXISTS (
            SELECT 1 FROM {plan_products} pp WHERE pp.{plan_column} = w.plan_id AND pp.{product_column} = l.product_id
        )
        GROUP BY w.idx{", s.order_id" if by_order else ""}
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [(int(index), order_id, value) for index, order_id, value in cursor.fetchall()]


@dataclass(frozen=True)
class OrderContribution:
    """What one shipped order adds to a statement's basis."""

    order_id: int
    number: str
    shipped_at: datetime.datetime | None
    amount: Decimal


def rebate_statement_orders(*, statement: RebateStatement) -> list[OrderContribution]:
    """The orders whose shipments make up the statement's basis, oldest first (two queries).

    Recomputed from the shipment records over the days the statement counted, so
    the breakdown always adds up to what the records say now; for a settled
    statement compare with its frozen basis.
    """
    counted = statement.computation.get("counted") or {}
    start = datetime.date.fromisoformat(counted.get("from", statement.period_start.isoformat()))
    end = datetime.date.fromisoformat(counted.get("to", statement.period_end.isoformat()))
    slot = basis_slot(dealer_id=statement.dealer_id, plan=statement.plan, counted=calculations.Period(start, end))
    amounts = {int(order_id): calculations.to_money(value) for _i, order_id, value in _basis_rows([slot], offset=0, by_order=True)}
    orders = Order.objects.filter(pk__in=amounts).only("id", "shipped_at").order_by("shipped_at", "id")
    return [OrderContribution(order.pk, order.number, order.shipped_at, amounts[order.pk]) for order in orders]


# --- Figures for other pages ------------------------------------------------------------------
@dataclass
class PlanProgress:
    """Where a dealer stands in the current period of one plan."""

    plan: RebatePlan
    period: calculations.Period
    statement: RebateStatement | None
    outcome: calculations.RebateOutcome

    @property
    def progress_percent(self) -> int:
        """How far the basis is towards the next tier, 0–100 (100 at the top tier)."""
        target = self.outcome.next_tier.threshold if self.outcome.next_tier else None
        if not target:
            return 100
        return int(min(self.outcome.basis / target * 100, Decimal(100)))


@dataclass
class RebateOverview:
    """A dealer's rebates at a glance (portal, dealer page)."""

    running: Decimal
    pending: Decimal
    settled: Decimal
    progress: list[PlanProgress]

    @property
    def total(self) -> Decimal:
        return self.running + self.pending + self.settled


def dealer_rebate_overview(*, dealer: Dealer, on: datetime.date | None = None) -> RebateOverview:
    """Amounts accruing, pending settlement and settled, and per plan running now the
    current period's basis, tier reached and distance to the next tier (four queries)."""
    on = on or timezone.localdate()
    totals = RebateStatement.objects.filter(dealer=dealer).totals(on)
    assignments = list(
        RebateAssignment.objects.filter(dealer=dealer, plan__is_active=True)
        .select_related("plan")
        .prefetch_related(Prefetch("plan__tiers", queryset=RebateTier.objects.order_by("threshold")))
        .order_by("plan__name")
    )
    current: list[tuple[RebatePlan, calculations.Period]] = []
    for assignment in assignments:
        plan = assignment.plan
        windows = calculations.accrual_windows(
            period_kind=plan.period_kind, since=on, until=on, plan_starts=plan.starts_on, plan_ends=plan.ends_on,
            assigned_from=assignment.starts_on, assigned_until=assignment.ends_on,
        )
        current += [(plan, window.period) for window in windows if window.counted.contains(on)]
    statements: dict[tuple[int, datetime.date], RebateStatement] = {}
    if current:
        condition = Q(pk__in=[])
        for plan, period in current:
            condition |= Q(plan_id=plan.pk, period_start=period.start)
        statements = {
            (statement.plan_id, statement.period_start): statement
            for statement in RebateStatement.objects.filter(condition, dealer=dealer)
        }
    progress = []
    for plan, period in current:
        statement = statements.get((plan.pk, period.start))
        basis = statement.basis if statement else ZERO
        outcome = (
            calculations.tiered_rebate(basis=basis, tiers=plan.tier_values()) if plan.is_tiered
            else calculations.flat_rebate(basis=basis, rate=plan.rate or Decimal("0"))
        )
        progress.append(PlanProgress(plan=plan, period=period, statement=statement, outcome=outcome))
    return RebateOverview(running=totals["running"], pending=totals["pending"], settled=totals["settled"], progress=progress)


@dataclass(frozen=True)
class RebateTotals:
    running: Decimal = ZERO
    pending: Decimal = ZERO
    settled: Decimal = ZERO

    @property
    def accrued(self) -> Decimal:
        """Everything earned in the range, settled or not."""
        return self.running + self.pending + self.settled


def rebate_totals_by_dealer(
    *,
    dealers: QuerySet[Dealer] | Iterable[int],
    period_from: datetime.date,
    period_to: datetime.date,
    on: datetime.date | None = None,
) -> dict[int, RebateTotals]:
    """Rebate amounts per dealer of the statements whose period overlaps
    [period_from, period_to]: {dealer_id: RebateTotals(running, pending, settled)}.

    One aggregate query for any number of dealers (pass a scoped queryset, e.g.
    dealer_queryset_for(user), or ids). Dealers without statements are absent.
    For scorecards: "rebate accrual" of a period is RebateTotals.accrued.
    """
    on = on or timezone.localdate()
    accrued = Q(status=StatementStatus.ACCRUED)
    rows = (
        RebateStatement.objects.filter(dealer__in=dealers, period_start__lte=period_to, period_end__gte=period_from)
        .values("dealer_id")
        .annotate(
            running=Coalesce(Sum("amount", filter=accrued & Q(period_end__gte=on)), ZERO),
            pending=Coalesce(Sum("amount", filter=accrued & Q(period_end__lt=on)), ZERO),
            settled=Coalesce(Sum("amount", filter=Q(status=StatementStatus.SETTLED)), ZERO),
        )
        .order_by()
    )
    return {
        row["dealer_id"]: RebateTotals(
            running=calculations.to_money(row["running"]), pending=calculations.to_money(row["pending"]),
            settled=calculations.to_money(row["settled"]),
        )
        for row in rows
    }


def statements_to_settle(*, user) -> RebateStatementQuerySet:
    """Statements in scope whose period has ended and which are not settled yet (the list's "pending settlement")."""
    return rebate_statement_queryset_for(user).pending()
# The scope of each model, for mechanisms that only know the model (common.scoping).
register_scope(RebateStatement, rebate_statement_queryset_for)
register_scope(RebatePlan, rebate_plan_queryset_for)
register_scope(RebateAssignment, rebate_assignment_queryset_for)
