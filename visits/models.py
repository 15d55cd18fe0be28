"""Visits (SPEC §2): plans, visits, the pre-visit market check, requests and
commitments, manager comments.

The stock count of a visit and its suggested order live in the inventory app
(inventory.models.StockCount, "one home for stock"): a visit's counts carry the
reference "visit:<id>" (visits.services.counting.visit_reference), so the dependency runs
one way, visits → inventory.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PlanRule(models.TextChoices):
    MONTHLY_DAYS = "monthly_days", _("Days of each month")
    WEEKLY = "weekly", _("Days of each week")
    EVERY_N_DAYS = "every_n_days", _("Every N days")


class VisitPlan(models.Model):
    """A dealer's regular visit rule (规律联系、定期拜访): "days 10 and 25 of each month",
    "every Monday", "every N days". `cycle_days` is the visit cycle the suggested
    order scales period sales to (SPEC §3); the service that saves a plan sets it
    from the rule (visits.calculations)."""

    dealer = models.OneToOneField(
        "dealers.Dealer", verbose_name=_("dealer"), on_delete=models.CASCADE, related_name="visit_plan"
    )
    rule = models.CharField(_("rule"), max_length=16, choices=PlanRule.choices)
    month_days = models.JSONField(
        _("days of the month"), default=list, blank=True, help_text=_("For example 10 and 25 (1–31; 31 means the last day).")
    )
    weekdays = models.JSONField(
        _("weekdays"), default=list, blank=True, help_text=_("0 = Monday … 6 = Sunday.")
    )
    interval_days = models.PositiveSmallIntegerField(
        _("every N days"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(365)]
    )
    starts_on = models.DateField(_("starts on"), default=timezone.localdate)
    visit_time = models.TimeField(_("usual time of day"), default="10:00")
    cycle_days = models.PositiveSmallIntegerField(_("cycle (days)"), default=14, validators=[MinValueValidator(1)])
    is_active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("visit plan")
        verbose_name_plural = _("visit plans")
        ordering = ["dealer"]
        constraints = [
            models.CheckConstraint(condition=Q(cycle_days__gt=0), name="visit_plan_cycle_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.dealer} · {self.get_rule_display()}"


class VisitStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETED = "completed", _("Completed")
    MISSED = "missed", _("Missed")
    CANCELLED = "cancelled", _("Cancelled")


class VisitQuerySet(models.QuerySet):
    def open(self) -> VisitQuerySet:
        return self.filter(status__in=[VisitStatus.PLANNED, VisitStatus.IN_PROGRESS])


class Visit(models.Model):
    """One visit of a rep to a dealer, in the order a good rep works (SPEC §2)."""

    dealer = models.ForeignKey("dealers.Dealer", verbose_name=_("dealer"), on_delete=models.CASCADE, related_name="visits")
    rep = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("rep"), on_delete=models.PROTECT, related_name="visits"
    )
    plan = models.ForeignKey(
        VisitPlan, verbose_name=_("visit plan"), null=True, blank=True, on_delete=models.SET_NULL, related_name="visits"
    )
    # The plan date this visit was generated for; kept when the visit is moved, so
    # regenerating the plan never creates it twice.
    plan_occurrence = models.DateField(_("planned occurrence"), null=True, blank=True)
    scheduled_for = models.DateTimeField(_("scheduled for"), db_index=True)
    status = models.CharField(
        _("status"), max_length=16, choices=VisitStatus.choices, default=VisitStatus.PLANNED, db_index=True
    )
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    start_latitude = models.DecimalField(_("start latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    start_longitude = models.DecimalField(_("start longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    start_accuracy_m = models.PositiveIntegerField(_("location accuracy (m)"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True)
    missed_at = models.DateTimeField(_("marked missed at"), null=True, blank=True)
    # Steps recorded on the rep's phone without a signal and sent later (an offline
    # queue): their times are the phone's (recorded_at), this is when they arrived.
    offline_synced_at = models.DateTimeField(_("recorded offline, sent at"), null=True, blank=True)
    # Steps 2, 5, 6, 7 of the visit (SPEC §2).
    policy_notes = models.TextField(_("policies communicated"), blank=True)
    dealer_feedback = models.TextField(_("dealer's complaints and suggestions"), blank=True)
    display_notes = models.TextField(_("display and stock advocacy"), blank=True)
    terminal_notes = models.TextField(_("terminal market walk and talk"), blank=True)
    after_sales_notes = models.TextField(_("after-sales service"), blank=True)
    order = models.ForeignKey(
        "inventory.Order", verbose_name=_("order placed"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="visits",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = VisitQuerySet.as_manager()

    class Meta:
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        ordering = ["scheduled_for", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "plan_occurrence"], condition=Q(plan__isnull=False), name="visit_unique_plan_occurrence"
            ),
        ]
        indexes = [
            models.Index(fields=["rep", "scheduled_for"], name="visit_rep_time_idx"),
            models.Index(fields=["dealer", "scheduled_for"], name="visit_dealer_time_idx"),
            # A manager's visits to review (recently completed, selectors.visits_to_review), counted on
            # every page's menu: without it each dealer's whole visit history is read.
            models.Index(fields=["dealer", "completed_at"], name="visit_dealer_completed_idx",
                         condition=models.Q(status="completed")),
        ]

    def __str__(self) -> str:
        return f"{self.dealer} · {timezone.localtime(self.scheduled_for):%Y-%m-%d %H:%M}"

    @property
    def recorded_offline(self) -> bool:
        """Some steps were recorded on the rep's phone without a signal (their times are the phone's)."""
        return self.offline_synced_at is not None

    @property
    def stock_count_reference(self) -> str:
        """The reference this visit's stock counts are taken at (inventory.models.StockCount.reference)."""
        return f"{STOCK_COUNT_REFERENCE_PREFIX}{self.pk}"


STOCK_COUNT_REFERENCE_PREFIX = "visit:"


class MarketCheck(models.Model):
    """The pre-visit market check (市场走访, SPEC §2 step 1), or the reason none was possible."""

    visit = models.OneToOneField(Visit, verbose_name=_("visit"), on_delete=models.CASCADE, related_name="market_check")
    checked_at = models.DateTimeField(_("checked at"), default=timezone.now)
    outlets_walked = models.PositiveSmallIntegerField(_("outlets walked"), default=0)
    notes = models.TextField(_("notes"), blank=True)
    skipped_reason = models.TextField(_("no check possible because"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now=True)

    class Meta:
        verbose_name = _("market check")
        verbose_name_plural = _("market checks")

    def __str__(self) -> str:
        return f"{self.visit}"

    @property
    def is_skipped(self) -> bool:
        return bool(self.skipped_reason)


class ObservationKind(models.TextChoices):
    PRICE = "price", _("Retail price and stock of our product")
    DISPLAY = "display", _("Display")
    COMPETITOR = "competitor", _("Competitor activity")
    CROSS_TERRITORY = "cross_territory", _("Cross-territory goods (窜货)")
    PRICE_DUMPING = "price_dumping", _("Price dumping (砸价)")
    SERVICE_FAILURE = "service_failure", _("Dealer's service failure")
    OTHER = "other", _("Other")


class MarketObservation(models.Model):
    """One structured finding of a market check."""

    market_check = models.ForeignKey(
        MarketCheck, verbose_name=_("market check"), on_delete=models.CASCADE, related_name="observations"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=ObservationKind.choices)
    outlet = models.CharField(_("outlet"), max_length=200, blank=True)
    product = models.ForeignKey(
        "inventory.Product", verbose_name=_("product"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    competitor_brand = models.CharField(_("competitor brand"), max_length=100, blank=True)
    retail_price = models.DecimalField(
        _("retail price seen"), max_digits=12, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    guideline_price = models.DecimalField(
        _("guideline price"), max_digits=12, decimal_places=2, null=True, blank=True,
        help_text=_("The product's guideline retail price when the observation was made."),
    )
    in_stock = models.BooleanField(_("in stock at the outlet"), null=True, blank=True)
    display = models.CharField(_("display"), max_length=200, blank=True)
    competitor_promotion = models.CharField(_("competitor promotion"), max_length=200, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    violation = models.OneToOneField(
        "dealers.Violation", verbose_name=_("violation recorded"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="market_observation",
    )

    class Meta:
        verbose_name = _("market observation")
        verbose_name_plural = _("market observations")
        ordering = ["market_check", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(retail_price__isnull=True) | Q(retail_price__gte=0), name="observation_price_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.outlet}"


class PhotoStage(models.TextChoices):
    MARKET_CHECK = "market_check", _("Market check")
    DISPLAY = "display", _("Display")
    STOCK_COUNT = "stock_count", _("Stock count")


def visit_photo_path(instance: VisitPhoto, filename: str) -> str:
    return f"visits/{instance.visit_id}/{filename}"


class VisitPhoto(models.Model):
    """A photo taken during a visit (images only, size-limited: common.validators.validate_photo)."""

    visit = models.ForeignKey(Visit, verbose_name=_("visit"), on_delete=models.CASCADE, related_name="photos")
    stage = models.CharField(_("stage"), max_length=16, choices=PhotoStage.choices)
    image = models.ImageField(_("photo"), upload_to=visit_photo_path)
    caption = models.CharField(_("caption"), max_length=200, blank=True)
    taken_at = models.DateTimeField(_("taken at"), default=timezone.now)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("visit photo")
        verbose_name_plural = _("visit photos")
        ordering = ["visit", "taken_at", "id"]

    def __str__(self) -> str:
        return f"{self.visit} · {self.get_stage_display()}"


class RequestStatus(models.TextChoices):
    OPEN = "open", _("Open")
    ESCALATED = "escalated", _("Escalated to the manager")
    APPROVED = "approved", _("Approved")
    DECLINED = "declined", _("Declined")
    DONE = "done", _("Done")


class DealerRequestQuerySet(models.QuerySet):
    def unresolved(self) -> DealerRequestQuerySet:
        return self.filter(status__in=[RequestStatus.OPEN, RequestStatus.ESCALATED, RequestStatus.APPROVED])


class DealerRequest(models.Model):
    """A dealer's request or a commitment made to it (事事有回音, SPEC §2 step 8):
    an owner and a due date; beyond the rep's authority it goes to the manager,
    who approves or declines with a reason; the dealer sees the answer."""

    dealer = models.ForeignKey(
        "dealers.Dealer", verbose_name=_("dealer"), on_delete=models.CASCADE, related_name="requests"
    )
    visit = models.ForeignKey(
        Visit, verbose_name=_("visit"), null=True, blank=True, on_delete=models.SET_NULL, related_name="requests"
    )
    description = models.TextField(_("request or commitment"))
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("owner"), on_delete=models.PROTECT, related_name="owned_requests"
    )
    due_on = models.DateField(_("due on"), db_index=True)
    status = models.CharField(
        _("status"), max_length=16, choices=RequestStatus.choices, default=RequestStatus.OPEN, db_index=True
    )
    beyond_authority = models.BooleanField(_("beyond my authority"), default=False)
    escalated_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("escalated to"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="escalated_requests",
    )
    escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("decided by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    answer = models.TextField(_("answer to the dealer"), blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = DealerRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("dealer request")
        verbose_name_plural = _("dealer requests")
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return self.description[:60]


class VisitComment(models.Model):
    """A manager's (or the rep's) comment on a visit's evidence."""

    visit = models.ForeignKey(Visit, verbose_name=_("visit"), on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), on_delete=models.PROTECT, related_name="+"
    )
    body = models.TextField(_("comment"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["visit", "created_at", "id"]

    def __str__(self) -> str:
        return self.body[:60]


class VisitPlanDefaults(models.Model):
    """HQ's defaults for visit plans (one row): the rule a new plan starts from
    (seed 000: days 10 and 25 of each month), the usual time of day, and how far
    ahead plans generate their visits."""

    rule = models.CharField(_("rule"), max_length=16, choices=PlanRule.choices, default=PlanRule.MONTHLY_DAYS)
    month_days = models.JSONField(_("days of the month"), default=list, blank=True)
    weekdays = models.JSONField(_("weekdays"), default=list, blank=True)
    interval_days = models.PositiveSmallIntegerField(
        _("every N days"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(365)]
    )
    visit_time = models.TimeField(_("usual time of day"), default="10:00")
    weeks_ahead = models.PositiveSmallIntegerField(
        _("weeks planned ahead"), default=4, validators=[MinValueValidator(1), MaxValueValidator(12)],
        help_text=_("How far ahead each plan's visits are generated (1–12 weeks)."),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("visit plan defaults")
        verbose_name_plural = _("visit plan defaults")

    def __str__(self) -> str:
        return str(self._meta.verbose_name)

    @classmethod
    def current(cls) -> VisitPlanDefaults:
        """The one row (created with the built-in defaults the first time it is read)."""
        row = cls.objects.filter(pk=1).first()
        if row is None:
            row, _created = cls.objects.get_or_create(pk=1, defaults={"month_days": [10, 25]})
        return row
