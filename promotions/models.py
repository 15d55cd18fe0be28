"""Promotion campaigns and their post-event follow-up (SPEC §4 "Promotions").

A campaign has exactly one quantified objective (seed 002: one objective per
promotion, and it must be measurable), runs `draft → approved → running →
ended → reviewed` (promotions.workflow), is prepared with a checklist of tasks,
captures attendees and leads at the event, and is followed by the clock of
seed 001: thank-you next day, leads assigned within 3 days, followed up and
reviewed within 7 (promotions.services, driven by Celery beat).
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxLengthValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Exists, F, OuterRef, Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from promotions.calculations import checklist_title

MONEY = {"max_digits": 14, "decimal_places": 2}
LONG_TEXT = 2000

PHONE_INVALID = _("Enter a phone number of 5 to 20 digits (spaces, dashes and a leading + are fine).")
# Stored without spaces or dashes (promotions.services.normalise_phone), so one person is one number.
phone_validator = RegexValidator(r"^\+?[0-9]{5,20}$", PHONE_INVALID, code="invalid_phone")


class CampaignType(models.TextChoices):
    IN_STORE = "in_store", _("In-store promotion")
    KA_SLOT = "ka_slot", _("KA slot (档期)")
    CONFERENCE = "conference", _("Dealer conference / launch event")
    TRADE_SHOW = "trade_show", _("Trade show")


class CampaignStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    APPROVED = "approved", _("Approved")
    RUNNING = "running", _("Running")
    ENDED = "ended", _("Ended")
    REVIEWED = "reviewed", _("Reviewed")


# Approved or later: the campaign is real (dealers see it, the suggested order leaves it out).
LIVE_STATUSES = (CampaignStatus.APPROVED, CampaignStatus.RUNNING, CampaignStatus.ENDED, CampaignStatus.REVIEWED)
# Attendees and leads are recorded from approval until the review closes the campaign.
CAPTURE_STATUSES = (CampaignStatus.APPROVED, CampaignStatus.RUNNING, CampaignStatus.ENDED)
# The follow-up clock runs once the event is over.
AFTER_EVENT_STATUSES = (CampaignStatus.ENDED, CampaignStatus.REVIEWED)


class ObjectiveKind(models.TextChoices):
    """What the one objective counts (seed 002: quantifiable)."""

    SELL_IN_VOLUME = "sell_in_volume", _("Sell-in volume (cases)")
    SELL_IN_AMOUNT = "sell_in_amount", _("Sell-in amount")
    NEW_DEALERS = "new_dealers", _("New dealers signed")
    LEADS = "leads", _("Leads collected")
    ATTENDEES = "attendees", _("Attendees")


# Objectives counted in whole numbers (everything but money).
WHOLE_NUMBER_OBJECTIVES = (
    ObjectiveKind.SELL_IN_VOLUME, ObjectiveKind.NEW_DEALERS, ObjectiveKind.LEADS, ObjectiveKind.ATTENDEES,
)
# Objectives whose actual value the app measures itself; the others are entered in the review.
MEASURED_OBJECTIVES = (
    ObjectiveKind.SELL_IN_VOLUME, ObjectiveKind.SELL_IN_AMOUNT, ObjectiveKind.LEADS, ObjectiveKind.ATTENDEES,
)


class CampaignQuerySet(models.QuerySet):
    def live(self) -> CampaignQuerySet:
        return self.filter(status__in=LIVE_STATUSES)

    def overlapping(self, start, end) -> CampaignQuerySet:
        """Campaigns whose dates share at least one day with [start, end]."""
        return self.filter(start_date__lte=end, end_date__gte=start)

    def with_task_progress(self) -> CampaignQuerySet:
        """Annotate `tasks_total` and `tasks_done` (counted in subqueries: no join fan-out on a list)."""
        tasks = PreparationTask.objects.filter(campaign=OuterRef("pk"))
        return self.annotate(tasks_total=_count(tasks), tasks_done=_count(tasks.filter(done_at__isnull=False)))

    def with_attendee_count(self) -> CampaignQuerySet:
        return self.annotate(attendee_count=_count(Attendee.objects.filter(campaign=OuterRef("pk"))))


def _count(queryset: models.QuerySet) -> Coalesce:
    """COUNT(*) of a correlated queryset, as a subquery expression (0 when empty)."""
    counted = queryset.order_by().values("campaign").annotate(n=models.Count("pk")).values("n")
    return Coalesce(models.Subquery(counted, output_field=models.IntegerField()), 0)


class Campaign(models.Model):
    """A promotion: in-store, a KA slot, a dealer conference or a trade show (SPEC §4)."""

    name = models.CharField(_("name"), max_length=200)
    type = models.CharField(_("type"), max_length=16, choices=CampaignType.choices)
    theme = models.CharField(
        _("theme"), max_length=200, help_text=_("One theme at a time, e.g. “Mid-autumn family pack”.")
    )
    description = models.TextField(
        _("description"), blank=True, max_length=LONG_TEXT, validators=[MaxLengthValidator(LONG_TEXT)]
    )
    objective_kind = models.CharField(_("objective"), max_length=20, choices=ObjectiveKind.choices)
    objective_target = models.DecimalField(
        _("target"), **MONEY, validators=[MinValueValidator(Decimal("0.01"))],
        help_text=_("The number the objective must reach (cases, yuan, dealers, leads or attendees)."),
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), help_text=_("The last day of the event; the follow-up clock starts the day after."))
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    regions = models.ManyToManyField(
        "regions.Region", verbose_name=_("regions"), blank=True, related_name="campaigns",
        help_text=_("Every dealer in these regions (and their sub-regions) takes part."),
    )
    dealers = models.ManyToManyField(
        "dealers.Dealer", verbose_name=_("dealers"), blank=True, related_name="campaigns",
        help_text=_("Dealers taking part by name, in addition to those of the regions."),
    )
    products = models.ManyToManyField(
        "inventory.Product", verbose_name=_("products"), blank=True, related_name="campaigns",
        through="CampaignProduct",
    )
    budget = models.DecimalField(_("budget"), **MONEY, default=Decimal("0.00"), validators=[MinValueValidator(0)])
    manufacturer_cost = models.DecimalField(
        _("manufacturer's share"), **MONEY, default=Decimal("0.00"), validators=[MinValueValidator(0)]
    )
    dealer_cost = models.DecimalField(
        _("dealers' share"), **MONEY, default=Decimal("0.00"), validators=[MinValueValidator(0)]
    )
    materials = models.TextField(
        _("materials"), blank=True, max_length=LONG_TEXT, validators=[MaxLengthValidator(LONG_TEXT)],
        help_text=_("Posters, shelf talkers, samples, gifts… one per line."),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=CampaignStatus.choices, default=CampaignStatus.DRAFT, db_index=True
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("owner"), on_delete=models.PROTECT, related_name="campaigns_owned",
        help_text=_("Runs the campaign and gets its reminders."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.PROTECT,
        related_name="campaigns_created",
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("approved by"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="campaigns_approved",
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = CampaignQuerySet.as_manager()

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        ordering = ["-start_date", "-id"]
        indexes = [models.Index(fields=["status", "end_date"], name="campaign_status_end_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(end_date__gte=F("start_date")), name="campaign_end_not_before_start"),
            models.CheckConstraint(condition=Q(objective_target__gt=0), name="campaign_objective_target_positive"),
            models.CheckConstraint(
                condition=Q(objective_kind__in=ObjectiveKind.values), name="campaign_objective_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(budget__gte=0, manufacturer_cost__gte=0, dealer_cost__gte=0),
                name="campaign_costs_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(budget=F("manufacturer_cost") + F("dealer_cost")), name="campaign_cost_split_adds_up"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def duration_days(self) -> int:
        return (self.end_date - self.start_date).days + 1

    @property
    def objective_unit_is_money(self) -> bool:
        return self.objective_kind == ObjectiveKind.SELL_IN_AMOUNT


class CampaignProduct(models.Model):
    """A product on promotion; for a KA slot with its promotion supply price and expected volume."""

    campaign = models.ForeignKey(Campaign, verbose_name=_("campaign"), on_delete=models.CASCADE, related_name="product_lines")
    product = models.ForeignKey(
        "inventory.Product", verbose_name=_("product"), on_delete=models.PROTECT, related_name="campaign_lines"
    )
    promotion_price = models.DecimalField(
        _("promotion supply price"), max_digits=12, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(Decimal("0.01"))], help_text=_("Per case, during the slot."),
    )
    expected_volume = models.PositiveIntegerField(
        _("expected volume (cases)"), null=True, blank=True, validators=[MinValueValidator(1)]
    )

    class Meta:
        verbose_name = _("campaign product")
        verbose_name_plural = _("campaign products")
        ordering = ["campaign", "product__sku"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "product"], name="campaign_product_unique"),
            models.CheckConstraint(
                condition=Q(promotion_price__isnull=True) | Q(promotion_price__gt=0),
                name="campaign_product_price_positive",
            ),
            models.CheckConstraint(
                condition=Q(expected_volume__isnull=True) | Q(expected_volume__gt=0),
                name="campaign_product_volume_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.campaign} · {self.product}"


class CampaignTransition(models.Model):
    """One status change of a campaign: who (nobody for the date-driven beat), when, why."""

    campaign = models.ForeignKey(Campaign, verbose_name=_("campaign"), on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(_("from"), max_length=16, choices=CampaignStatus.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=16, choices=CampaignStatus.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="campaign_transitions",
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("campaign status change")
        verbose_name_plural = _("campaign status changes")
        ordering = ["campaign", "at", "id"]

    def __str__(self) -> str:
        return f"{self.campaign}: {self.from_status or '∅'} → {self.to_status}"


class PreparationTask(models.Model):
    """One item of a campaign's preparation checklist (plan, kick-off, stock ready, venue…)."""

    campaign = models.ForeignKey(Campaign, verbose_name=_("campaign"), on_delete=models.CASCADE, related_name="tasks")
    title = models.CharField(_("task"), max_length=200)
    # A default task (promotions.calculations.DEFAULT_CHECKLISTS) keeps its key, so its
    # title is shown in the reader's language; empty for a task a person wrote.
    template_key = models.CharField(_("default task"), max_length=50, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("owner"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="campaign_tasks",
    )
    due_date = models.DateField(_("deadline"))
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("done by"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    sort_order = models.PositiveSmallIntegerField(pgettext_lazy("sort", "order"), default=0)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("preparation task")
        verbose_name_plural = _("preparation tasks")
        ordering = ["campaign", "due_date", "sort_order", "id"]
        indexes = [models.Index(fields=["due_date", "done_at"], name="campaign_task_due_idx")]

    def __str__(self) -> str:
        return self.display_title

    @property
    def display_title(self) -> str:
        """The title as the reader sees it: a default task's in the active language, a written one as typed."""
        if self.template_key:
            title = checklist_title(self.template_key)
            if title is not None:
                return title
        return self.title

    @property
    def is_done(self) -> bool:
        return self.done_at is not None


class Interest(models.TextChoices):
    """How interested a person met at the event is; anything but `none` makes them a lead."""

    HOT = "hot", _("Hot — wants to talk business")
    WARM = "warm", _("Warm — interested")
    COLD = "cold", _("Cold — just looking")
    NONE = "none", _("None — attendee only")


def interest_rank() -> models.Case:
    """Hot first, then warm, cold and attendees only: for ordering."""
    return models.Case(
        models.When(interest=Interest.HOT, then=0), models.When(interest=Interest.WARM, then=1),
        models.When(interest=Interest.COLD, then=2), default=3, output_field=models.IntegerField(),
    )


class AttendeeQuerySet(models.QuerySet):
    def leads(self) -> AttendeeQuerySet:
        return self.exclude(interest=Interest.NONE)

    def with_follow_up_state(self) -> AttendeeQuerySet:
        """Annotate `followed_up`: the assigned rep has logged a follow-up on the lead."""
        logged = LeadFollowUp.objects.filter(attendee=OuterRef("pk"), by=OuterRef("assigned_to"))
        return self.annotate(followed_up=Exists(logged))

    def followed_up(self, value: bool = True) -> AttendeeQuerySet:
        logged = Exists(LeadFollowUp.objects.filter(attendee=OuterRef("pk"), by=OuterRef("assigned_to")))
        return self.filter(logged if value else ~logged)


class Attendee(models.Model):
    """A person met at the event (SPEC §4: name, phone, company, interest level).

    Everyone gets the thank-you; those with some interest are leads, assigned
    to a rep who must log a follow-up within seven days of the event's end.
    """

    campaign = models.ForeignKey(Campaign, verbose_name=_("campaign"), on_delete=models.CASCADE, related_name="attendees")
    name = models.CharField(_("full name"), max_length=100)
    phone = models.CharField(_("phone"), max_length=32, validators=[phone_validator])
    company = models.CharField(_("company"), max_length=200, blank=True)
    email = models.EmailField(_("email"), blank=True)
    interest = models.CharField(_("interest"), max_length=8, choices=Interest.choices, default=Interest.WARM)
    note = models.CharField(_("note"), max_length=500, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("assigned rep"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="assigned_leads", limit_choices_to={"role": "rep"},
    )
    assigned_at = models.DateTimeField(_("assigned at"), null=True, blank=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("assigned by"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    # The prospect dealer this lead became (a follow-up with the outcome "becomes a prospect dealer").
    prospect = models.ForeignKey(
        "dealers.Dealer", verbose_name=_("prospect dealer"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="campaign_leads",
    )

    objects = AttendeeQuerySet.as_manager()

    class Meta:
        verbose_name = _("attendee / lead")
        verbose_name_plural = _("attendees and leads")
        ordering = ["campaign", "-recorded_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "phone"], name="attendee_unique_phone_per_campaign"),
            models.CheckConstraint(condition=~Q(name=""), name="attendee_has_name"),
            models.CheckConstraint(condition=~Q(phone=""), name="attendee_has_phone"),
            models.CheckConstraint(
                condition=Q(assigned_to__isnull=True) | ~Q(interest="none"), name="attendee_only_leads_assigned"
            ),
        ]
        indexes = [models.Index(fields=["assigned_to", "campaign"], name="attendee_assigned_idx")]

    def __str__(self) -> str:
        return f"{self.name} ({self.phone})"

    @property
    def is_lead(self) -> bool:
        return self.interest != Interest.NONE


class ThankYouStatus(models.TextChoices):
    RECORDED = "recorded", _("Recorded (no email address)")
    PENDING = "pending", _("Email pending")
    SENDING = "sending", _("Email sending")
    SENT = "sent", _("Emailed")


class ThankYou(models.Model):
    """The thank-you message to one attendee, the day after the event (seed 001).

    One per attendee, ever (the unique attendee decides, however many times the
    beat runs); emailed where the attendee left an address, recorded either way.
    """

    attendee = models.OneToOneField(
        Attendee, verbose_name=_("attendee"), on_delete=models.CASCADE, related_name="thank_you"
    )
    message = models.TextField(_("message"))
    email = models.EmailField(_("sent to"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=ThankYouStatus.choices)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    sent_at = models.DateTimeField(_("emailed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("thank-you message")
        verbose_name_plural = _("thank-you messages")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.attendee}: {self.get_status_display()}"


class FollowUpChannel(models.TextChoices):
    CALL = "call", _("Phone call")
    VISIT = "visit", _("Visit")
    WECHAT = "wechat", _("WeChat")
    EMAIL = "email", _("Email")
    OTHER = "other", _("Other")


class FollowUpOutcome(models.TextChoices):
    INTERESTED = "interested", _("Interested — next step agreed")
    NEEDS_INFO = "needs_info", _("Needs more information")
    PROSPECT = "prospect", _("Becomes a prospect dealer")
    NOT_INTERESTED = "not_interested", _("Not interested")
    UNREACHABLE = "unreachable", _("Could not reach")


class LeadFollowUp(models.Model):
    """A follow-up the assigned rep logged on a lead (within 7 days of the event, seed 001)."""

    attendee = models.ForeignKey(Attendee, verbose_name=_("lead"), on_delete=models.CASCADE, related_name="follow_ups")
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="lead_follow_ups"
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    channel = models.CharField(_("channel"), max_length=10, choices=FollowUpChannel.choices, default=FollowUpChannel.CALL)
    outcome = models.CharField(_("outcome"), max_length=16, choices=FollowUpOutcome.choices)
    note = models.TextField(_("what was said"), max_length=LONG_TEXT, validators=[MaxLengthValidator(LONG_TEXT)])
    next_step_on = models.DateField(_("next step on"), null=True, blank=True)

    class Meta:
        verbose_name = _("lead follow-up")
        verbose_name_plural = _("lead follow-ups")
        ordering = ["attendee", "-at", "-id"]
        indexes = [models.Index(fields=["attendee", "by"], name="lead_follow_up_by_idx")]

    def __str__(self) -> str:
        return f"{self.attendee} · {self.at:%Y-%m-%d}"


class CampaignReview(models.Model):
    """The campaign review (seed 002: no promotion without a review — “吃鸡不喝汤”):
    objective against actual, what worked, what did not, lessons."""

    campaign = models.OneToOneField(Campaign, verbose_name=_("campaign"), on_delete=models.CASCADE, related_name="review")
    objective_actual = models.DecimalField(_("actual"), **MONEY, validators=[MinValueValidator(0)])
    what_worked = models.TextField(_("what worked"), max_length=LONG_TEXT, validators=[MaxLengthValidator(LONG_TEXT)])
    what_did_not_work = models.TextField(
        _("what did not work"), max_length=LONG_TEXT, validators=[MaxLengthValidator(LONG_TEXT)]
    )
    lessons = models.TextField(_("lessons"), max_length=LONG_TEXT, validators=[MaxLengthValidator(LONG_TEXT)])
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("written by"), on_delete=models.PROTECT, related_name="+"
    )
    written_at = models.DateTimeField(_("written at"), default=timezone.now)

    class Meta:
        verbose_name = _("campaign review")
        verbose_name_plural = _("campaign reviews")
        constraints = [
            models.CheckConstraint(condition=Q(objective_actual__gte=0), name="campaign_review_actual_not_negative"),
            models.CheckConstraint(
                condition=~Q(what_worked="") & ~Q(what_did_not_work="") & ~Q(lessons=""),
                name="campaign_review_complete",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.campaign} · {_('review')}"
