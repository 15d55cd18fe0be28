"""Rebate plans, who they are assigned to, and the statements they accrue (SPEC §3 "Rebates").

A plan is set by HQ: a flat percentage of purchases, volume tiers on a
period's purchases, or a campaign (a rate on chosen products during dates).
Statements are computed by rebates.services from the shipment records, one per
dealer × plan × period, and frozen once finance settles them.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from rebates import calculations

ZERO = Decimal("0.00")
MONEY = {"max_digits": 14, "decimal_places": 2}
RATE = {"max_digits": 6, "decimal_places": 3}
RATE_VALIDATORS = [MinValueValidator(Decimal("0.001")), MaxValueValidator(Decimal("100"))]

PLAN_RATE_REQUIRED = _("A flat or campaign plan needs a rate.")
PLAN_RATE_NOT_FOR_TIERS = _("A tiered plan takes its rates from its tiers: leave the rate empty.")
PLAN_DATES_REQUIRED = _("A campaign needs a start date and an end date.")
PLAN_ENDS_BEFORE_START = _("The end date cannot be before the start date.")
PLAN_CAMPAIGN_PERIOD_NEEDS_DATES = _("“The plan's dates” as the period needs a start date and an end date.")
ASSIGNMENT_ENDS_BEFORE_START = _("The assignment cannot end before it starts.")


class PlanKind(models.TextChoices):
    FLAT = "flat", _("Flat percentage")
    TIERED = "tiered", _("Volume tiers")
    CAMPAIGN = "campaign", pgettext_lazy("rebate kind", "Campaign")


class PeriodKind(models.TextChoices):
    MONTH = calculations.MONTH, _("Month")
    QUARTER = calculations.QUARTER, _("Quarter")
    YEAR = calculations.YEAR, _("Year")
    CAMPAIGN = calculations.CAMPAIGN, _("The plan's dates")


class RebatePlan(models.Model):
    """A rebate scheme set by HQ (返利政策)."""

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=16, choices=PlanKind.choices)
    period_kind = models.CharField(
        _("period"), max_length=16, choices=PeriodKind.choices, default=PeriodKind.QUARTER,
        help_text=_("Each period gets its own statement. Campaigns usually run over the plan's dates."),
    )
    rate = models.DecimalField(
        _("rate (%)"), **RATE, null=True, blank=True, validators=RATE_VALIDATORS,
        help_text=_("Flat and campaign plans: the percentage of purchases, e.g. 2.5."),
    )
    products = models.ManyToManyField(
        "inventory.Product", verbose_name=_("products"), blank=True, related_name="rebate_plans",
        help_text=_("Campaign plans: only purchases of these products count."),
    )
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    is_active = models.BooleanField(
        _("active"), default=True, help_text=_("Inactive plans accrue nothing new; their statements stay.")
    )
    description = models.TextField(
        _("description"), blank=True, max_length=2000, validators=[MaxLengthValidator(2000)]
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("rebate plan")
        verbose_name_plural = _("rebate plans")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(rate__isnull=True) | (Q(rate__gt=0) & Q(rate__lte=100)), name="rebate_plan_rate_range"
            ),
            models.CheckConstraint(
                condition=Q(starts_on__isnull=True) | Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="rebate_plan_dates_in_order",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        errors: dict[str, list] = {}
        if self.kind in (PlanKind.FLAT, PlanKind.CAMPAIGN) and self.rate is None:
            errors.setdefault("rate", []).append(PLAN_RATE_REQUIRED)
        if self.kind == PlanKind.TIERED and self.rate is not None:
            errors.setdefault("rate", []).append(PLAN_RATE_NOT_FOR_TIERS)
        if self.kind == PlanKind.CAMPAIGN and not (self.starts_on and self.ends_on):
            errors.setdefault("ends_on" if self.starts_on else "starts_on", []).append(PLAN_DATES_REQUIRED)
        elif self.period_kind == PeriodKind.CAMPAIGN and not (self.starts_on and self.ends_on):
            errors.setdefault("period_kind", []).append(PLAN_CAMPAIGN_PERIOD_NEEDS_DATES)
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            errors.setdefault("ends_on", []).append(PLAN_ENDS_BEFORE_START)
        if errors:
            raise ValidationError(errors)

    @property
    def is_tiered(self) -> bool:
        return self.kind == PlanKind.TIERED

    def tier_values(self) -> list[calculations.Tier]:
        """The plan's tiers for the arithmetic (uses prefetched tiers when present)."""
        return calculations.sorted_tiers(calculations.Tier(tier.threshold, tier.rate) for tier in self.tiers.all())


class RebateTier(models.Model):
    """One volume tier: from `threshold` of purchases in a period, `rate` % of the whole period's purchases."""

    plan = models.ForeignKey(RebatePlan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="tiers")
    threshold = models.DecimalField(
        _("from purchases of"), **MONEY, validators=[MinValueValidator(ZERO)],
        help_text=_("The tier applies when the period's purchases reach this amount."),
    )
    rate = models.DecimalField(_("rate (%)"), **RATE, validators=RATE_VALIDATORS)

    class Meta:
        verbose_name = _("rebate tier")
        verbose_name_plural = _("rebate tiers")
        ordering = ["plan", "threshold"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "threshold"], name="rebate_tier_unique_threshold"),
            models.CheckConstraint(condition=Q(threshold__gte=0), name="rebate_tier_threshold_not_negative"),
            models.CheckConstraint(condition=Q(rate__gt=0) & Q(rate__lte=100), name="rebate_tier_rate_range"),
        ]

    def __str__(self) -> str:
        return f"≥ {self.threshold:,.2f} → {self.rate.normalize()} %"


class RebateAssignment(models.Model):
    """A plan applies to a dealer (from / until optional dates)."""

    plan = models.ForeignKey(RebatePlan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="assignments")
    dealer = models.ForeignKey(
        "dealers.Dealer", verbose_name=_("dealer"), on_delete=models.CASCADE, related_name="rebate_assignments"
    )
    starts_on = models.DateField(pgettext_lazy("period", "from"), null=True, blank=True, help_text=_("Empty: from the plan's start."))
    ends_on = models.DateField(_("until"), null=True, blank=True, help_text=_("Empty: as long as the plan runs."))
    contract = models.ForeignKey(
        "dealers.Contract", verbose_name=_("contract"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="rebate_assignments",
        help_text=_("The dealer contract this assignment comes from, if any."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("assigned by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("rebate plan assignment")
        verbose_name_plural = _("rebate plan assignments")
        ordering = ["plan", "dealer"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "dealer"], name="rebate_assignment_unique_plan_dealer"),
            models.CheckConstraint(
                condition=Q(starts_on__isnull=True) | Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="rebate_assignment_dates_in_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.plan} · {self.dealer}"

    def clean(self) -> None:
        super().clean()
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": ASSIGNMENT_ENDS_BEFORE_START})


class StatementStatus(models.TextChoices):
    ACCRUED = "accrued", _("Accrued")
    SETTLED = "settled", _("Settled")


class SettlementMethod(models.TextChoices):
    CREDIT_NOTE = "credit_note", _("Credit note")
    PAYMENT = "payment", _("Payment")


class StatementState:
    """Where a statement stands for the dealer (SPEC: accrued, pending and settled amounts).

    `status` (the API's field) is accrued or settled; an accrued statement is
    "running" while its period lasts and "pending" (awaiting settlement) once it has ended.
    """

    RUNNING = "running"
    PENDING = "pending"
    SETTLED = "settled"
    CHOICES = [
        (RUNNING, _("Accruing (period running)")),
        (PENDING, _("Pending settlement")),
        (SETTLED, _("Settled")),
    ]


class RebateStatementQuerySet(models.QuerySet):
    def settled(self) -> RebateStatementQuerySet:
        return self.filter(status=StatementStatus.SETTLED)

    def running(self, on: datetime.date | None = None) -> RebateStatementQuerySet:
        """Accrued, and the period has not ended yet (the amount may still grow)."""
        return self.filter(status=StatementStatus.ACCRUED, period_end__gte=on or timezone.localdate())

    def pending(self, on: datetime.date | None = None) -> RebateStatementQuerySet:
        """Accrued, and the period has ended: awaiting settlement by finance."""
        return self.filter(status=StatementStatus.ACCRUED, period_end__lt=on or timezone.localdate())

    def in_state(self, state: str, on: datetime.date | None = None) -> RebateStatementQuerySet:
        if state == StatementState.RUNNING:
            return self.running(on)
        if state == StatementState.PENDING:
            return self.pending(on)
        if state == StatementState.SETTLED:
            return self.settled()
        return self

    def totals(self, on: datetime.date | None = None) -> dict[str, Decimal]:
        """Amounts running, pending settlement and settled, in one aggregate query."""
        on = on or timezone.localdate()
        accrued = Q(status=StatementStatus.ACCRUED)
        result = self.aggregate(
            running=Coalesce(Sum("amount", filter=accrued & Q(period_end__gte=on)), ZERO),
            pending=Coalesce(Sum("amount", filter=accrued & Q(period_end__lt=on)), ZERO),
            settled=Coalesce(Sum("amount", filter=Q(status=StatementStatus.SETTLED)), ZERO),
        )
        return {key: calculations.to_money(value) for key, value in result.items()}


class RebateStatement(models.Model):
    """What one plan earns one dealer in one period (SPEC: basis, rate, amount, status).

    Recomputed from the shipment records by rebates.services while `accrued`;
    `computation` keeps how (the days counted, the orders, the tier reached).
    Once `settled` it never changes.
    """

    dealer = models.ForeignKey(
        "dealers.Dealer", verbose_name=_("dealer"), on_delete=models.PROTECT, related_name="rebate_statements"
    )
    plan = models.ForeignKey(RebatePlan, verbose_name=_("plan"), on_delete=models.PROTECT, related_name="statements")
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    basis = models.DecimalField(_("basis"), **MONEY, default=ZERO, help_text=_("Purchases that count in the period."))
    rate = models.DecimalField(_("rate (%)"), **RATE, default=Decimal("0"))
    amount = models.DecimalField(_("amount"), **MONEY, default=ZERO)
    status = models.CharField(
        _("status"), max_length=16, choices=StatementStatus.choices, default=StatementStatus.ACCRUED, db_index=True
    )
    tier_threshold = models.DecimalField(_("tier reached"), **MONEY, null=True, blank=True)
    next_tier_threshold = models.DecimalField(_("next tier from"), **MONEY, null=True, blank=True)
    next_tier_rate = models.DecimalField(_("next tier rate (%)"), **RATE, null=True, blank=True)
    computation = models.JSONField(_("how it was computed"), default=dict, blank=True)
    computed_at = models.DateTimeField(_("computed at"), default=timezone.now)
    settled_at = models.DateTimeField(_("settled at"), null=True, blank=True)
    settled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("settled by"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="rebate_statements_settled",
    )
    settlement_method = models.CharField(
        _("settled by means of"), max_length=16, choices=SettlementMethod.choices, blank=True
    )
    settlement_reference = models.CharField(
        _("settlement reference"), max_length=100, blank=True, help_text=_("Credit note or bank transfer number.")
    )
    settlement_note = models.TextField(
        _("settlement note"), blank=True, max_length=1000, validators=[MaxLengthValidator(1000)]
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = RebateStatementQuerySet.as_manager()

    class Meta:
        verbose_name = _("rebate statement")
        verbose_name_plural = _("rebate statements")
        ordering = ["-period_start", "dealer__name", "plan__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["dealer", "plan", "period_start"], name="rebate_statement_unique_dealer_plan_period"
            ),
            models.CheckConstraint(condition=Q(period_end__gte=models.F("period_start")), name="rebate_statement_period_in_order"),
            models.CheckConstraint(condition=Q(basis__gte=0), name="rebate_statement_basis_not_negative"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="rebate_statement_amount_not_negative"),
            models.CheckConstraint(
                condition=~Q(status=StatementStatus.SETTLED) | Q(settled_at__isnull=False),
                name="rebate_statement_settled_has_time",
            ),
        ]
        indexes = [
            models.Index(fields=["dealer", "-period_start"], name="rebate_stmt_dealer_period_idx"),
            models.Index(fields=["status", "period_end"], name="rebate_stmt_status_end_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.dealer} · {self.plan} · {self.period_label}"

    @property
    def period_label(self) -> str:
        """2026-Q1, 2026-03, 2026, or the dates."""
        return calculations.period_label(self.period_start, self.period_end)

    @property
    def period_ended(self) -> bool:
        return self.period_end < timezone.localdate()

    @property
    def state(self) -> str:
        if self.status == StatementStatus.SETTLED:
            return StatementState.SETTLED
        return StatementState.PENDING if self.period_ended else StatementState.RUNNING

    @property
    def state_label(self) -> str:
        return str(dict(StatementState.CHOICES)[self.state])

    @property
    def amount_to_next_tier(self) -> Decimal | None:
        """How much more purchase in this period reaches the next tier (None: no tier above)."""
        if self.next_tier_threshold is None:
            return None
        return max(self.next_tier_threshold - self.basis, ZERO)
