"""Writes of rebates: plans and assignments (HQ), the accrual of statements
from the shipment records, and settlement by finance (SPEC §3 "Rebates").

Accrual is a recomputation, never an increment: for each dealer × plan ×
period in range, the basis is summed afresh from the shipments (one query for
all of them), so running it twice, late or after a retry gives the same
statements. A settled statement is never touched again.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Role, User
from common.audit import acting, audit_log_changes
from common.exceptions import StateConflict
from common.formatting import format_date, format_money
from common.queueing import enqueue_on_commit
from dealers.models import Dealer
from inventory.models import Product
from notifications.services import notification_deliver_in_language
from rebates import calculations
from rebates.models import (
    PlanKind,
    RebateAssignment,
    RebatePlan,
    RebateStatement,
    RebateTier,
    SettlementMethod,
    StatementStatus,
)
from rebates.selectors import BasisSlot, basis_slot, rebate_bases

# --- Messages (asserted by the tests) -----------------------------------------------------
MAY_NOT_MANAGE_PLANS = _("Only HQ admin sets rebate plans.")
MAY_NOT_SETTLE = _("Only finance settles rebates.")
STATEMENT_ALREADY_SETTLED = _("This statement was settled on %(date)s; a settled statement never changes.")
PERIOD_NOT_ENDED = _("This period runs until %(date)s: a rebate is settled only after its period has ended.")
SETTLEMENT_METHOD_INVALID = _("Choose how the rebate is settled: credit note or payment.")
SETTLEMENT_REFERENCE_REQUIRED = _("Give the credit note or payment reference.")
SETTLEMENT_REFERENCE_TOO_LONG = _("Keep the reference under 100 characters.")
TIERS_REQUIRED = _("A tiered plan needs at least one tier.")
TIERS_ONLY_FOR_TIERED = _("Only a tiered plan has tiers.")
TIERS_INCONSISTENT = _("Each tier needs a higher threshold than the one below it, and a rate at least as high.")
TIER_INVALID = _("Tier %(number)s: give a threshold of zero or more and a rate above 0 and at most 100.")
CAMPAIGN_NEEDS_PRODUCTS = _("A campaign needs the products whose purchases count.")
PRODUCTS_ONLY_FOR_CAMPAIGN = _("Only a campaign plan is limited to chosen products.")
PRODUCT_UNKNOWN = _("There is no product with id %(id)s.")
NOTHING_TO_SETTLE = _("Under the plan's current terms nothing counts for this statement any more: there is nothing to settle.")
DEALER_ALREADY_ASSIGNED = _("%(dealer)s already has this plan.")

NOTIFY_SETTLED_TITLE = _("Rebate settled: %(plan)s, %(period)s")
NOTIFY_SETTLED_BODY = _("%(amount)s settled by %(method)s (reference %(reference)s).")


# --- Plans and assignments (HQ admin) -------------------------------------------------------
@dataclass(frozen=True)
class TierInput:
    threshold: Decimal | str
    rate: Decimal | str


def _require_hq(user: User | None) -> None:
    if user is not None and not user.is_hq_admin:
        raise PermissionDenied(MAY_NOT_MANAGE_PLANS)


def _decimal(value) -> Decimal | None:
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        return None
    return number if number.is_finite() else None


def _validated_tiers(tiers: Sequence[TierInput]) -> list[calculations.Tier]:
    values, errors = [], []
    for number, tier in enumerate(tiers, start=1):
        threshold, rate = _decimal(tier.threshold), _decimal(tier.rate)
        if threshold is None or rate is None or threshold < 0 or not (0 < rate <= 100):
            errors.append(TIER_INVALID % {"number": number})
            continue
        values.append(calculations.Tier(calculations.to_money(threshold), rate.quantize(Decimal("0.001"))))
    if errors:
        raise ValidationError({"tiers": errors})
    if not calculations.tiers_are_consistent(values):
        raise ValidationError({"tiers": TIERS_INCONSISTENT})
    return values


def _validate_plan_parts(*, plan: RebatePlan, tiers: list | None, product_ids: list | None) -> None:
    errors: dict[str, list] = {}
    if plan.kind == PlanKind.TIERED and tiers is not None and not tiers:
        errors["tiers"] = [TIERS_REQUIRED]
    if plan.kind != PlanKind.TIERED and tiers:
        errors["tiers"] = [TIERS_ONLY_FOR_TIERED]
    if plan.kind == PlanKind.CAMPAIGN and product_ids is not None and not product_ids:
        errors["products"] = [CAMPAIGN_NEEDS_PRODUCTS]
    if plan.kind != PlanKind.CAMPAIGN and product_ids:
        errors["products"] = [PRODUCTS_ONLY_FOR_CAMPAIGN]
    if errors:
        raise ValidationError(errors)


def _products(product_ids: Iterable[int]) -> list[Product]:
    ids = list(dict.fromkeys(int(pk) for pk in product_ids))
    found = Product.objects.in_bulk(ids)
    missing = [pk for pk in ids if pk not in found]
    if missing:
        raise ValidationError({"products": [PRODUCT_UNKNOWN % {"id": pk} for pk in missing]})
    return list(found.values())


@acting("by")
@transaction.atomic
def rebate_plan_create(
    *,
    code: str,
    name: str,
    kind: str,
    period_kind: str,
    rate: Decimal | None = None,
    tiers: Sequence[TierInput] = (),
    product_ids: Iterable[int] = (),
    starts_on: datetime.date | None = None,
    ends_on: datetime.date | None = None,
    description: str = "",
    is_active: bool = True,
    by: User | None = None,
) -> RebatePlan:
    """A new rebate plan with its tiers (tiered) or products (campaign), validated whole before anything is saved."""
    _require_hq(by)
    plan = RebatePlan(
        code=code.strip(), name=name.strip(), kind=kind, period_kind=period_kind, rate=rate,
        starts_on=starts_on, ends_on=ends_on, description=description.strip(), is_active=is_active,
    )
    plan.full_clean()
    tier_values = _validated_tiers(list(tiers)) if tiers else []
    product_ids = list(product_ids)
    _validate_plan_parts(plan=plan, tiers=tier_values, product_ids=product_ids)
    products = _products(product_ids)
    plan.save()
    RebateTier.objects.bulk_create(RebateTier(plan=plan, threshold=t.threshold, rate=t.rate) for t in tier_values)
    if tier_values:
        audit_log_changes(instances=[plan], changes={"tiers": ("—", _tiers_text(tier_values))})
    plan.products.set(products)
    return plan


def _tiers_text(tiers) -> str:
    """Tiers as the audit trail shows them: "≥ 100000.00 → 1 %; ≥ 200000.00 → 2.5 %"."""
    return "; ".join(f"≥ {Decimal(tier.threshold):.2f} → {Decimal(tier.rate).normalize():f} %" for tier in tiers) or "—"


@acting("by")
@transaction.atomic
def rebate_plan_update(
    *,
    plan: RebatePlan,
    tiers: Sequence[TierInput] | None = None,
    product_ids: Iterable[int] | None = None,
    by: User | None = None,
    **fields,
) -> RebatePlan:
    """Change a plan's fields, and replace its tiers or products when given.

    Settled statements keep what they were settled at; accrued ones follow the
    new terms at the next recomputation (the nightly run, or the next shipment).
    """
    _require_hq(by)
    plan = RebatePlan.objects.select_for_update().get(pk=plan.pk)
    editable = {"code", "name", "kind", "period_kind", "rate", "starts_on", "ends_on", "description", "is_active"}
    for field, value in fields.items():
        if field not in editable:
            raise TypeError(f"rebate_plan_update() cannot change {field!r}")
        setattr(plan, field, value.strip() if isinstance(value, str) and field != "kind" else value)
    plan.full_clean()
    tier_values = _validated_tiers(list(tiers)) if tiers else ([] if tiers is not None else None)
    current_tiers = plan.tier_values() if tier_values is None else tier_values
    ids = list(product_ids) if product_ids is not None else None
    current_products = ids if ids is not None else list(plan.products.values_list("pk", flat=True))
    _validate_plan_parts(plan=plan, tiers=current_tiers, product_ids=current_products)
    products = _products(ids) if ids is not None else None
    plan.save()
    if tier_values is not None or plan.kind != PlanKind.TIERED:
        old_tiers = _tiers_text(plan.tier_values())
        new_tiers = _tiers_text(tier_values or [])
        audit_log_changes(instances=[plan], changes={"tiers": (old_tiers, new_tiers)})
        plan.tiers.all().delete()
        RebateTier.objects.bulk_create(
            RebateTier(plan=plan, threshold=t.threshold, rate=t.rate) for t in (tier_values or [])
        )
    if products is not None:
        plan.products.set(products)
    elif plan.kind != PlanKind.CAMPAIGN:
        plan.products.clear()
    schedule_accrual(dealer_ids=plan.assignments.values_list("dealer_id", flat=True))
    return plan


@transaction.atomic
def rebate_assignment_create(
    *,
    plan: RebatePlan,
    dealer: Dealer,
    starts_on: datetime.date | None = None,
    ends_on: datetime.date | None = None,
    by: User | None = None,
) -> RebateAssignment:
    """Assign `plan` to `dealer`; its statements accrue from the next recomputation."""
    _require_hq(by)
    if RebateAssignment.objects.filter(plan=plan, dealer=dealer).exists():
        raise ValidationError({"dealer": DEALER_ALREADY_ASSIGNED % {"dealer": dealer.name}})
    assignment = RebateAssignment(plan=plan, dealer=dealer, starts_on=starts_on, ends_on=ends_on, created_by=by)
    assignment.full_clean(exclude=["created_by"])
    assignment.save()
    transaction.on_commit(lambda: schedule_accrual(dealer_ids=[dealer.pk]))
    return assignment


@transaction.atomic
def rebate_assignment_from_contract(*, contract) -> RebateAssignment:
    """A signed contract's rebate plan applies to its dealer for the contract's
    term (SPEC §1 contract "rebate plan"). A renewal with the same plan extends
    the existing assignment rather than starting a second one."""
    assignment = RebateAssignment.objects.select_for_update().filter(
        plan_id=contract.rebate_plan_id, dealer_id=contract.dealer_id
    ).first()
    if assignment is None:
        assignment = RebateAssignment(
            plan_id=contract.rebate_plan_id, dealer_id=contract.dealer_id, created_by=contract.signed_by,
            starts_on=contract.start_date,
        )
    elif assignment.starts_on is not None:
        assignment.starts_on = min(assignment.starts_on, contract.start_date)
    assignment.ends_on = contract.end_date
    assignment.contract = contract
    assignment.full_clean(exclude=["created_by"])
    assignment.save()
    dealer_id = contract.dealer_id
    transaction.on_commit(lambda: schedule_accrual(dealer_ids=[dealer_id]))
    return assignment


@transaction.atomic
def rebate_assignment_delete(*, assignment: RebateAssignment, by: User | None = None) -> None:
    """End a plan for a dealer: nothing more accrues; statements already made stay."""
    _require_hq(by)
    assignment.delete()


# --- Accrual -------------------------------------------------------------------------------------
@dataclass
class RecomputeResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0
    settled_kept: int = 0


def _default_since(until: datetime.date) -> datetime.date:
    """The start of last year: late shipments can still move any period not yet settled from then on."""
    return datetime.date(until.year - 1, 1, 1)


def _outcome(plan: RebatePlan, basis: Decimal) -> calculations.RebateOutcome:
    if plan.is_tiered:
        return calculations.tiered_rebate(basis=basis, tiers=plan.tier_values())
    return calculations.flat_rebate(basis=basis, rate=plan.rate or Decimal("0"))


def _computation(plan: RebatePlan, window: calculations.AccrualWindow, outcome: calculations.RebateOutcome) -> dict:
    """How the statement was computed, in plain values (shown on the statement page and in the API)."""
    return {
        "plan_kind": plan.kind,
        "period_kind": plan.period_kind,
        "counted": {"from": window.counted.start.isoformat(), "to": window.counted.end.isoformat()},
        "products_only": sorted(product.pk for product in plan.products.all()) if plan.kind == PlanKind.CAMPAIGN else None,
        "tiers": [{"threshold": str(t.threshold), "rate": str(t.rate)} for t in plan.tier_values()] if plan.is_tiered else None,
        "basis": str(outcome.basis),
        "rate": str(outcome.rate),
        "amount": str(outcome.amount),
        "rounding": "basis × rate ÷ 100, to the cent, half up",
    }


def _changed(statement: RebateStatement, values: dict) -> bool:
    return any(getattr(statement, field) != value for field, value in values.items())


@transaction.atomic
def rebate_statements_recompute(
    *,
    dealer_ids: Iterable[int] | None = None,
    since: datetime.date | None = None,
    until: datetime.date | None = None,
    plan_ids: Iterable[int] | None = None,
) -> RecomputeResult:
    """Bring the statements of every assigned active plan up to date with the shipment records,
    for the periods overlapping [since, until] (default: from the start of last year to today).

    Idempotent and set-based: the dealers concerned are locked (so two runs for one
    dealer follow each other), the bases of all dealer × plan × period windows come
    from one query, and statements are created, updated or — when nothing counts any
    more — deleted in bulk. Settled statements are left exactly as they are.
    """
    until = until or timezone.localdate()
    since = since or _default_since(until)
    assignments = RebateAssignment.objects.filter(plan__is_active=True).select_related("plan")
    if dealer_ids is not None:
        assignments = assignments.filter(dealer_id__in=list(dealer_ids))
    if plan_ids is not None:
        assignments = assignments.filter(plan_id__in=list(plan_ids))
    assignments = list(assignments.prefetch_related("plan__tiers", "plan__products").order_by("dealer_id", "plan_id"))
    result = RecomputeResult()
    if not assignments:
        return result
    locked_dealers = sorted({assignment.dealer_id for assignment in assignments})
    list(Dealer.objects.select_for_update().filter(pk__in=locked_dealers).order_by("pk").values_list("pk", flat=True))

    work: list[tuple[RebateAssignment, calculations.AccrualWindow]] = []
    slots: list[BasisSlot] = []
    for assignment in assignments:
        plan = assignment.plan
        for window in calculations.accrual_windows(
            period_kind=plan.period_kind, since=since, until=until, plan_starts=plan.starts_on,
            plan_ends=plan.ends_on, assigned_from=assignment.starts_on, assigned_until=assignment.ends_on,
        ):
            work.append((assignment, window))
            slots.append(basis_slot(dealer_id=assignment.dealer_id, plan=plan, counted=window.counted))
    bases = rebate_bases(slots=slots) if slots else {}
    # The statements these windows may replace: every one of an assigned (dealer, plan) whose period
    # overlaps the range, so that one left over from older terms (other dates, another period kind) goes.
    pairs = {(assignment.dealer_id, assignment.plan_id) for assignment in assignments}
    existing = {
        (statement.dealer_id, statement.plan_id, statement.period_start): statement
        for statement in RebateStatement.objects.select_for_update(of=("self",)).filter(
            dealer_id__in=locked_dealers, plan_id__in={plan_id for _dealer_id, plan_id in pairs},
            period_start__lte=until, period_end__gte=since,
        ).order_by()
        if (statement.dealer_id, statement.plan_id) in pairs
    }
    now = timezone.now()
    to_create, to_update, to_delete = [], [], []
    for index, (assignment, window) in enumerate(work):
        plan = assignment.plan
        statement = existing.pop((assignment.dealer_id, plan.pk, window.period.start), None)
        if statement is not None and statement.status == StatementStatus.SETTLED:
            result.settled_kept += 1
            continue
        basis = bases.get(index, calculations.ZERO)
        if basis <= 0:
            # Nothing counts (any more) in this period: no statement, or remove the stale one.
            if statement is not None:
                to_delete.append(statement.pk)
            continue
        outcome = _outcome(plan, basis)
        values = {
            "period_end": window.period.end,
            "basis": outcome.basis,
            "rate": outcome.rate,
            "amount": outcome.amount,
            "tier_threshold": outcome.tier.threshold if outcome.tier else None,
            "next_tier_threshold": outcome.next_tier.threshold if outcome.next_tier else None,
            "next_tier_rate": outcome.next_tier.rate if outcome.next_tier else None,
            "computation": _computation(plan, window, outcome),
        }
        if statement is None:
            to_create.append(RebateStatement(
                dealer_id=assignment.dealer_id, plan=plan, period_start=window.period.start, computed_at=now, **values,
            ))
        elif _changed(statement, values):
            for field, value in values.items():
                setattr(statement, field, value)
            statement.computed_at = now
            statement.updated_at = now
            to_update.append(statement)
        else:
            result.unchanged += 1
    # What is left matches no period of the plan's current terms: nothing counts for it any more.
    to_delete += [statement.pk for statement in existing.values() if statement.status == StatementStatus.ACCRUED]
    result.settled_kept += sum(statement.status == StatementStatus.SETTLED for statement in existing.values())
    if to_delete:
        result.deleted = RebateStatement.objects.filter(pk__in=to_delete, status=StatementStatus.ACCRUED).delete()[0]
    if to_create:
        RebateStatement.objects.bulk_create(to_create)
        result.created = len(to_create)
    if to_update:
        RebateStatement.objects.bulk_update(
            to_update,
            ["period_end", "basis", "rate", "amount", "tier_threshold", "next_tier_threshold", "next_tier_rate",
             "computation", "computed_at", "updated_at"],
        )
        result.updated = len(to_update)
    return result


def schedule_accrual(*, dealer_ids: Iterable[int], on: datetime.date | None = None) -> None:
    """Queue a recomputation of these dealers' statements (after the current transaction commits).

    Called when an order ships; `on` is the shipping day (the periods containing it
    are recomputed), default: every period from the start of last year.
    """
    enqueue_on_commit(
        "rebates.tasks.accrue_dealer_rebates", sorted(set(dealer_ids)), on.isoformat() if on else None,
        when_down="the nightly run will do it.",
    )


def rebates_accrue_after_shipping(*, dealer_id: int, shipped_at: datetime.datetime) -> None:
    """The one call the shipping of an order makes: accrue the periods containing the shipping day."""
    schedule_accrual(dealer_ids=[dealer_id], on=timezone.localdate(shipped_at))


# --- Settlement (finance) -----------------------------------------------------------------------
@transaction.atomic
def rebate_statement_settle(
    *,
    statement: RebateStatement,
    by: User,
    method: str,
    reference: str,
    note: str = "",
    at: datetime.datetime | None = None,
) -> RebateStatement:
    """Settle a statement whose period has ended (finance): by credit note or payment,
    with its reference. The statement is first brought up to date with the shipment
    records, then frozen; the dealer's users are told."""
    if not (by.is_hq_admin or by.effective_role == Role.FINANCE):
        raise PermissionDenied(MAY_NOT_SETTLE)
    at = at or timezone.now()
    reference = (reference or "").strip()
    errors: dict[str, list] = {}
    if method not in SettlementMethod.values:
        errors["method"] = [SETTLEMENT_METHOD_INVALID]
    if len(reference) > 100:
        errors["reference"] = [SETTLEMENT_REFERENCE_TOO_LONG]
    if errors:
        raise ValidationError(errors)
    # Lock like the recomputation does (dealer, then statement), so neither waits on the other in a cycle.
    Dealer.objects.select_for_update().filter(pk=statement.dealer_id).values_list("pk", flat=True).first()
    locked = RebateStatement.objects.select_for_update().get(pk=statement.pk)
    if locked.status == StatementStatus.SETTLED:
        raise StateConflict(STATEMENT_ALREADY_SETTLED % {"date": format_date(locked.settled_at)})
    if locked.period_end >= timezone.localdate(at):
        raise StateConflict(PERIOD_NOT_ENDED % {"date": format_date(locked.period_end)})
    # Settle what the shipment records say now, not what the last run saw.
    rebate_statements_recompute(
        dealer_ids=[locked.dealer_id], plan_ids=[locked.plan_id], since=locked.period_start, until=locked.period_end,
    )
    refreshed = RebateStatement.objects.select_related("plan", "dealer").filter(pk=locked.pk).first()
    if refreshed is None:
        raise StateConflict(NOTHING_TO_SETTLE)
    if refreshed.amount > 0 and not reference:
        raise ValidationError({"reference": [SETTLEMENT_REFERENCE_REQUIRED]})
    refreshed.status = StatementStatus.SETTLED
    refreshed.settled_at = at
    refreshed.settled_by = by
    refreshed.settlement_method = method
    refreshed.settlement_reference = reference
    refreshed.settlement_note = (note or "").strip()
    refreshed.full_clean(exclude=["dealer", "plan", "settled_by"])
    refreshed.save(update_fields=[
        "status", "settled_at", "settled_by", "settlement_method", "settlement_reference", "settlement_note", "updated_at",
    ])
    _notify_settled(statement=refreshed)
    return refreshed


def _notify_settled(*, statement: RebateStatement) -> None:
    """Tell every active user of the dealer, once (keyed per statement)."""
    url = reverse("rebates:statement_detail", args=[statement.pk])
    for user in User.objects.filter(dealer_id=statement.dealer_id, role=Role.DEALER, is_active=True):
        notification_deliver_in_language(
            recipient=user, key=f"rebate-statement:{statement.pk}:settled", kind="rebate_settled", url=url,
            title=NOTIFY_SETTLED_TITLE, body=NOTIFY_SETTLED_BODY,
            plan=statement.plan.name, period=statement.period_label, amount=format_money(statement.amount),
            method=SettlementMethod(statement.settlement_method).label, reference=statement.settlement_reference or "—",
        )
