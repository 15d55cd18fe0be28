from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from common.validators import validate_photo
from dealers.calculations import SCORE_MAX, SCORE_MIN, GradeThresholds

UNKNOWN_CHANNEL_TYPE = _("Unknown channel type: %(value)s.")
DUPLICATE_CHANNEL_TYPE = _("Each channel type may be chosen once.")
CONTRACT_ENDS_BEFORE_START = _("The end date must be after the start date.")
THRESHOLDS_NOT_DESCENDING = _("The thresholds must descend: A above B above C.")
FINE_NEEDS_AMOUNT = _("A fine needs an amount.")


class DealerTier(models.TextChoices):
    """The dealer's level, which is also its price tier (SPEC §1, §3)."""

    PROVINCE = "province", _("Provincial agent")
    CITY = "city", _("City agent")
    COUNTY = "county", _("County agent")


class DealerStatus(models.TextChoices):
    PROSPECT = "prospect", _("Prospect")
    NEGOTIATING = "negotiating", _("Negotiating")
    ACTIVE = "active", pgettext_lazy("dealer status", "Active")
    SUSPENDED = "suspended", _("Suspended")
    TERMINATED = "terminated", _("Terminated")


class ChannelType(models.TextChoices):
    """Channels a dealer serves (SPEC §1)."""

    KA = "ka", _("KA hypermarkets")
    WHOLESALE = "wholesale", _("Wholesale")
    CATERING = "catering", _("Catering (hotels and restaurants)")
    SPECIAL = "special", _("Special channels")


class OperatingModel(models.TextChoices):
    """How the dealer works with us (seed 001)."""

    LOGISTICS = "logistics", _("Logistics provider only")
    DISTRIBUTOR = "distributor", _("Distributor")
    AGENT = "agent", _("Agent")


class Grade(models.TextChoices):
    A = "A", "A"
    B = "B", "B"
    C = "C", "C"
    D = "D", "D"


def validate_channel_types(value) -> None:
    if not isinstance(value, list):
        raise ValidationError(UNKNOWN_CHANNEL_TYPE, params={"value": value})
    for item in value:
        if item not in ChannelType.values:
            raise ValidationError(UNKNOWN_CHANNEL_TYPE, params={"value": item})
    if len(set(value)) != len(value):
        raise ValidationError(DUPLICATE_CHANNEL_TYPE)


class DealerQuerySet(models.QuerySet):
    def in_pipeline(self) -> DealerQuerySet:
        """Prospects and dealers in negotiation: the onboarding board."""
        return self.filter(status__in=[DealerStatus.PROSPECT, DealerStatus.NEGOTIATING])


class Dealer(models.Model):
    """A company that distributes the manufacturer's goods in a territory (SPEC §1)."""

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("company name"), max_length=200)
    legal_entity = models.CharField(_("legal entity"), max_length=200, blank=True)
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="dealers"
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True,
        validators=[MinValueValidator(Decimal(-90)), MaxValueValidator(Decimal(90))],
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True,
        validators=[MinValueValidator(Decimal(-180)), MaxValueValidator(Decimal(180))],
    )
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    decision_maker = models.CharField(
        _("decision-maker"), max_length=100, blank=True, help_text=_("The boss (老板) who signs.")
    )
    decision_maker_phone = models.CharField(_("decision-maker's phone"), max_length=32, blank=True)
    influencer = models.CharField(
        _("key influencer"), max_length=100, blank=True,
        help_text=_("The person who really influences decisions (合伙人), often the owner's spouse."),
    )
    influencer_phone = models.CharField(_("key influencer's phone"), max_length=32, blank=True)
    tier = models.CharField(_("tier"), max_length=16, choices=DealerTier.choices, default=DealerTier.COUNTY)
    channel_types = models.JSONField(
        _("channel types"), default=list, blank=True, validators=[validate_channel_types]
    )
    operating_model = models.CharField(_("operating model"), max_length=16, choices=OperatingModel.choices, blank=True)
    warehouse_area = models.PositiveIntegerField(_("warehouse area (m²)"), null=True, blank=True)
    vehicles = models.PositiveSmallIntegerField(_("vehicles"), null=True, blank=True)
    sales_staff = models.PositiveSmallIntegerField(_("sales staff"), null=True, blank=True)
    other_brands = models.TextField(_("other brands carried"), blank=True)
    other_industries = models.BooleanField(
        _("runs businesses in other industries"), default=False,
        help_text=_("Cross-industry business (跨行业经营) is a warning sign."),
    )
    other_industries_note = models.CharField(_("other industries"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=DealerStatus.choices, default=DealerStatus.PROSPECT, db_index=True
    )
    rep = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("responsible rep"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="assigned_dealers", limit_choices_to={"role": "rep"},
    )
    credit_limit = models.DecimalField(
        _("credit limit"), max_digits=14, decimal_places=2, default=0, validators=[MinValueValidator(0)]
    )
    safety_coefficient = models.DecimalField(
        _("safety coefficient"), max_digits=4, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(Decimal("0.01"))],
        help_text=_("Overrides the default safety-stock coefficient (1.5) for this dealer; "
                    "where the product has one too, the larger applies. Empty: the default."),
    )
    notes = models.TextField(_("notes"), blank=True)
    # The latest evaluation, kept here by evaluation_create so that lists filter
    # and sort by grade without a subquery per row.
    current_grade = models.CharField(_("grade"), max_length=1, choices=Grade.choices, blank=True, db_index=True)
    current_score = models.DecimalField(_("score"), max_digits=4, decimal_places=2, null=True, blank=True)
    last_evaluated_at = models.DateTimeField(_("last evaluated"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = DealerQuerySet.as_manager()

    class Meta:
        verbose_name = _("dealer")
        verbose_name_plural = _("dealers")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=models.Q(credit_limit__gte=0), name="dealer_credit_limit_not_negative"),
        ]
        # Lists sort by name: with the index a page of 50 is read in order, not sorted from all.
        indexes = [models.Index(fields=["name", "id"], name="dealer_name_idx")]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    @property
    def channel_type_labels(self) -> list[str]:
        labels = dict(ChannelType.choices)
        return [str(labels.get(value, value)) for value in self.channel_types or []]

    @property
    def in_pipeline(self) -> bool:
        return self.status in (DealerStatus.PROSPECT, DealerStatus.NEGOTIATING)


class DealerStatusChange(models.Model):
    """One step of a dealer's lifecycle: who, when, from, to, why."""

    dealer = models.ForeignKey(Dealer, verbose_name=_("dealer"), on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(_("from"), max_length=16, choices=DealerStatus.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=16, choices=DealerStatus.choices)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("changed by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    changed_at = models.DateTimeField(_("changed at"), default=timezone.now, db_index=True)
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        ordering = ["-changed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.dealer_id}: {self.from_status or '—'} → {self.to_status}"


class RepAssignment(models.Model):
    """A change of a dealer's responsible rep: who, from, to, when, why (SPEC "Regions and assignment")."""

    dealer = models.ForeignKey(Dealer, verbose_name=_("dealer"), on_delete=models.CASCADE, related_name="rep_assignments")
    from_rep = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("from rep"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    to_rep = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("to rep"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("assigned by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    assigned_at = models.DateTimeField(_("assigned at"), default=timezone.now, db_index=True)
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        verbose_name = _("rep assignment")
        verbose_name_plural = _("rep assignments")
        ordering = ["-assigned_at", "-id"]

    def __str__(self) -> str:
        return f"{self.dealer_id}: {self.from_rep_id} → {self.to_rep_id}"


class DealerContact(models.Model):
    """A person at the dealer: the boss, the partner, the buyer, the warehouse keeper..."""

    dealer = models.ForeignKey(Dealer, verbose_name=_("dealer"), on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(pgettext_lazy("person", "name"), max_length=100)
    position = models.CharField(_("position"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    email = models.EmailField(_("email"), blank=True)
    wechat = models.CharField(_("WeChat"), max_length=64, blank=True)
    is_primary = models.BooleanField(_("primary contact"), default=False)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("dealer contact")
        verbose_name_plural = _("dealer contacts")
        ordering = ["-is_primary", "name", "id"]

    def __str__(self) -> str:
        return self.name


class ContactChannel(models.TextChoices):
    MEETING = "meeting", _("Meeting")
    PHONE = "phone", _("Phone call")
    MESSAGE = "message", _("Message (WeChat, SMS)")
    EVENT = "event", _("Event or trade show")
    OTHER = "other", _("Other")


class ContactLog(models.Model):
    """A logged contact with a dealer or prospect: what keeps the "heat" (SPEC §1)."""

    dealer = models.ForeignKey(Dealer, verbose_name=_("dealer"), on_delete=models.CASCADE, related_name="contact_logs")
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("logged by"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    contacted_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    channel = models.CharField(_("how"), max_length=16, choices=ContactChannel.choices, default=ContactChannel.MEETING)
    summary = models.TextField(_("summary"))
    next_follow_up_on = models.DateField(_("next follow-up"), null=True, blank=True)

    class Meta:
        verbose_name = _("contact log entry")
        verbose_name_plural = _("contact log")
        ordering = ["-contacted_at", "-id"]

    def __str__(self) -> str:
        return f"{self.dealer_id} {self.contacted_at:%Y-%m-%d}"


class ProspectSource(models.TextChoices):
    """Where a prospect came from (SPEC §1)."""

    TRADE_SHOW = "trade_show", _("Trade show")
    REFERRAL = "referral", _("Referral")
    ONLINE_LISTING = "online_listing", _("Online listing")
    BUSINESS_REGISTRY = "business_registry", _("Business registry")
    STREET_CANVASSING = "street_canvassing", _("Street canvassing")
    INBOUND_AD = "inbound_ad", _("Inbound ad response")
    SELF_REGISTRATION = "self_registration", _("Self-registration")


class OnboardingStage(models.TextChoices):
    """The onboarding pipeline's stages, in order (SPEC §1, seed 004)."""

    SOURCED = "sourced", _("Sourced")
    FIRST_MEETING = "first_meeting", _("First meeting")
    MEMO = "memo", _("Communication memo")
    PROPOSAL = "proposal", _("Cooperation proposal")
    SAMPLES = "samples", _("Samples and invitation")
    SIGNED = "signed", _("Contract signed")


STAGE_ORDER = list(OnboardingStage.values)
STAGE_DATE_FIELD = {
    OnboardingStage.SOURCED: "sourced_on",
    OnboardingStage.FIRST_MEETING: "first_meeting_on",
    OnboardingStage.MEMO: "memo_on",
    OnboardingStage.PROPOSAL: "proposal_on",
    OnboardingStage.SAMPLES: "samples_on",
    OnboardingStage.SIGNED: "signed_on",
}


class Onboarding(models.Model):
    """A prospect's way through the pipeline: source, stage, the date of each step,
    the next follow-up and the last contact (for the "going cold" reminder).
    The owner is the dealer's rep."""

    dealer = models.OneToOneField(Dealer, verbose_name=_("dealer"), on_delete=models.CASCADE, related_name="onboarding")
    source = models.CharField(_("source"), max_length=32, choices=ProspectSource.choices, blank=True)
    stage = models.CharField(
        _("stage"), max_length=16, choices=OnboardingStage.choices, default=OnboardingStage.SOURCED, db_index=True
    )
    sourced_on = models.DateField(_("sourced on"), default=timezone.localdate)
    first_meeting_on = models.DateField(_("first meeting on"), null=True, blank=True)
    memo_on = models.DateField(_("memo on"), null=True, blank=True)
    proposal_on = models.DateField(_("proposal on"), null=True, blank=True)
    samples_on = models.DateField(_("samples and invitation on"), null=True, blank=True)
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    next_follow_up_on = models.DateField(_("next follow-up"), null=True, blank=True, db_index=True)
    # The latest contact (logged contact or a step taken); what "going cold" is measured from.
    last_contact_on = models.DateField(_("last contact"), default=timezone.localdate, db_index=True)

    class Meta:
        verbose_name = _("onboarding")
        verbose_name_plural = _("onboardings")

    def __str__(self) -> str:
        return f"{self.dealer_id}: {self.stage}"

    @property
    def stage_index(self) -> int:
        return STAGE_ORDER.index(self.stage)

    def steps(self) -> list[tuple[str, str, object]]:
        """(stage, label, date) for each step, in order."""
        return [(value, label, getattr(self, STAGE_DATE_FIELD[value])) for value, label in OnboardingStage.choices]

    def days_since_contact(self, today=None) -> int:
        return ((today or timezone.localdate()) - self.last_contact_on).days

    @property
    def is_cold(self) -> bool:
        return self.days_since_contact() >= settings.PROSPECT_COLD_AFTER_DAYS


class OnboardingDocument(models.Model):
    """A staged document the rep writes for a prospect, printable (SPEC §1).

    Subclasses list their sections in SECTIONS (field names, in print order).
    """

    STAGE: str = ""
    SECTIONS: tuple[str, ...] = ()
    REQUIRED: tuple[str, ...] = ()

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    written_on = models.DateField(_("date"), default=timezone.localdate)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True

    def clean(self) -> None:
        super().clean()
        missing = {name: ValidationError(_("This section is required."), code="required")
                   for name in self.REQUIRED if not str(getattr(self, name) or "").strip()}
        if missing:
            raise ValidationError(missing)

    def sections(self) -> list[tuple[str, object]]:
        """(heading, text) in print order."""
        return [(self._meta.get_field(name).verbose_name, getattr(self, name)) for name in self.SECTIONS]


class CommunicationMemo(OnboardingDocument):
    """沟通备忘录: organised by topic, not a transcript, plus answers to the
    questions the dealer raised at parting."""

    STAGE = OnboardingStage.MEMO
    SECTIONS = ("introductions", "market_situation", "product_outline", "other_concerns", "parting_answers")
    REQUIRED = ("introductions", "market_situation", "product_outline", "other_concerns")

    dealer = models.OneToOneField(Dealer, verbose_name=_("dealer"), on_delete=models.CASCADE, related_name="memo")
    introductions = models.TextField(_("Introductions of both sides"), blank=True)
    market_situation = models.TextField(_("Channel and local market situation"), blank=True)
    product_outline = models.TextField(_("Product and operation outline"), blank=True)
    other_concerns = models.TextField(_("Other concerns"), blank=True)
    parting_answers = models.TextField(_("Answers to the questions the dealer raised at parting"), blank=True)

    class Meta:
        verbose_name = _("communication memo")
        verbose_name_plural = _("communication memos")

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.dealer_id}"


class CooperationProposal(OnboardingDocument):
    """合作建议文件, five sections."""

    STAGE = OnboardingStage.PROPOSAL
    SECTIONS = ("market_opportunity", "portfolio_fit", "market_walk_report", "launch_plan", "other_markets")
    REQUIRED = SECTIONS

    dealer = models.OneToOneField(Dealer, verbose_name=_("dealer"), on_delete=models.CASCADE, related_name="proposal")
    market_opportunity = models.TextField(_("Market entry opportunity"), blank=True)
    portfolio_fit = models.TextField(_("How our products improve the dealer's current portfolio"), blank=True)
    market_walk_report = models.TextField(_("Market walk report"), blank=True)
    launch_plan = models.TextField(_("Preliminary launch plan (phased)"), blank=True)
    other_markets = models.TextField(_("How other markets are doing, problems included"), blank=True)

    class Meta:
        verbose_name = _("cooperation proposal")
        verbose_name_plural = _("cooperation proposals")

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.dealer_id}"


class InvitationKind(models.TextChoices):
    FACTORY_VISIT = "factory_visit", _("Factory visit")
    DEALER_CONFERENCE = "dealer_conference", _("Dealer conference")


class SamplesInvitation(OnboardingDocument):
    """产品赠送和参观邀请: samples sent for the dealer's staff, and an invitation to
    visit the factory or the dealer conference."""

    STAGE = OnboardingStage.SAMPLES
    SECTIONS = ("samples_sent", "invitation", "dealer_response")
    REQUIRED = ("samples_sent", "invitation")

    dealer = models.OneToOneField(
        Dealer, verbose_name=_("dealer"), on_delete=models.CASCADE, related_name="samples_invitation"
    )
    samples_sent = models.TextField(_("Samples sent for the dealer's staff"), blank=True)
    invitation_kind = models.CharField(
        _("invitation to"), max_length=32, choices=InvitationKind.choices, default=InvitationKind.FACTORY_VISIT
    )
    invitation = models.TextField(_("Invitation"), blank=True)
    event_on = models.DateField(_("visit or conference date"), null=True, blank=True)
    dealer_response = models.TextField(_("The dealer's response"), blank=True)

    class Meta:
        verbose_name = _("samples and invitation")
        verbose_name_plural = _("samples and invitations")

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.dealer_id}"


DOCUMENT_MODELS = {"memo": CommunicationMemo, "proposal": CooperationProposal, "samples": SamplesInvitation}


class ContractStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SIGNED = "signed", _("Signed")


class ContractQuerySet(models.QuerySet):
    def signed(self) -> ContractQuerySet:
        return self.filter(status=ContractStatus.SIGNED)


class Contract(models.Model):
    """The dealer agreement (经销协议, seed 000). A draft is edited; once signed it is fixed.

    Its rebate plan (rebates app) is assigned to the dealer for the contract's
    term when the contract is signed.
    """

    dealer = models.ForeignKey(Dealer, verbose_name=_("dealer"), on_delete=models.PROTECT, related_name="contracts")
    number = models.CharField(_("contract number"), max_length=50, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=ContractStatus.choices, default=ContractStatus.DRAFT, db_index=True
    )
    territory = models.TextField(_("authorised territory"))
    product_lines = models.TextField(_("product lines"))
    annual_target_amount = models.DecimalField(
        _("annual sales target (amount)"), max_digits=14, decimal_places=2, validators=[MinValueValidator(0)]
    )
    annual_target_volume = models.PositiveIntegerField(_("annual sales target (cases)"))
    min_resale_price_policy = models.TextField(
        _("price policy"), blank=True, help_text=_("Minimum resale price, discounts.")
    )
    marketing_support = models.TextField(_("marketing support"), blank=True)
    rebate_plan = models.ForeignKey(
        "rebates.RebatePlan", verbose_name=_("rebate plan"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="contracts",
        limit_choices_to={"is_active": True, "kind__in": ["flat", "tiered"]},
        help_text=_("Assigned to the dealer for the contract's term when the contract is signed."),
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), db_index=True)
    termination_conditions = models.TextField(_("termination conditions"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("drafted by"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("signed by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True)

    objects = ContractQuerySet.as_manager()

    class Meta:
        verbose_name = _("contract")
        verbose_name_plural = _("contracts")
        ordering = ["-start_date", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(end_date__gt=models.F("start_date")), name="contract_ends_after_start"),
            models.CheckConstraint(condition=models.Q(annual_target_amount__gte=0), name="contract_target_not_negative"),
        ]

    def __str__(self) -> str:
        return self.number or f"#{self.pk}"

    def clean(self) -> None:
        super().clean()
        if self.start_date and self.end_date and self.end_date <= self.start_date:
            raise ValidationError({"end_date": CONTRACT_ENDS_BEFORE_START})

    @property
    def is_current(self) -> bool:
        today = timezone.localdate()
        return self.status == ContractStatus.SIGNED and self.start_date <= today <= self.end_date

    @property
    def days_left(self) -> int:
        return (self.end_date - timezone.localdate()).days


class EvaluationCriterion(models.Model):
    """A criterion dealers are scored on, 1–5, with a weight set by HQ (SPEC §1)."""

    code = models.SlugField(_("code"), max_length=50, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=100)
    name_zh = models.CharField(_("name (Chinese)"), max_length=100, blank=True)
    weight = models.DecimalField(
        _("weight"), max_digits=5, decimal_places=2, default=Decimal("1.00"),
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    active = models.BooleanField(_("active"), default=True)
    order = models.PositiveSmallIntegerField(pgettext_lazy("sort", "order"), default=100)

    class Meta:
        verbose_name = _("evaluation criterion")
        verbose_name_plural = _("evaluation criteria")
        ordering = ["order", "code"]
        constraints = [models.CheckConstraint(condition=models.Q(weight__gt=0), name="criterion_weight_positive")]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        """The name in the active language."""
        language = translation.get_language() or ""
        if language.startswith("zh") and self.name_zh:
            return self.name_zh
        return self.name_en


class GradeSettings(models.Model):
    """The grade thresholds, set by HQ in the admin (one row). Grades already
    given stay as they were when a threshold changes."""

    a_min = models.DecimalField(_("lowest total for A"), max_digits=3, decimal_places=2, default=Decimal("4.00"),
                                validators=[MinValueValidator(SCORE_MIN), MaxValueValidator(SCORE_MAX)])
    b_min = models.DecimalField(_("lowest total for B"), max_digits=3, decimal_places=2, default=Decimal("3.00"),
                                validators=[MinValueValidator(SCORE_MIN), MaxValueValidator(SCORE_MAX)])
    c_min = models.DecimalField(_("lowest total for C"), max_digits=3, decimal_places=2, default=Decimal("2.00"),
                                validators=[MinValueValidator(SCORE_MIN), MaxValueValidator(SCORE_MAX)])
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("grade thresholds")
        verbose_name_plural = _("grade thresholds")

    def __str__(self) -> str:
        return f"A ≥ {self.a_min}, B ≥ {self.b_min}, C ≥ {self.c_min}"

    def clean(self) -> None:
        super().clean()
        if None not in (self.a_min, self.b_min, self.c_min) and not (self.a_min > self.b_min > self.c_min):
            raise ValidationError(THRESHOLDS_NOT_DESCENDING)

    @classmethod
    def current(cls) -> GradeSettings:
        settings_row, _created = cls.objects.get_or_create(pk=1)
        return settings_row

    def as_thresholds(self) -> GradeThresholds:
        return GradeThresholds(a=self.a_min, b=self.b_min, c=self.c_min)


class Evaluation(models.Model):
    """One scoring of a dealer: scores per criterion, the weighted total and grade, kept as history."""

    dealer = models.ForeignKey(Dealer, verbose_name=_("dealer"), on_delete=models.CASCADE, related_name="evaluations")
    evaluator = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("evaluator"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now, db_index=True)
    comment = models.TextField(_("comment"), blank=True)
    total = models.DecimalField(_("weighted total"), max_digits=4, decimal_places=2)
    grade = models.CharField(_("grade"), max_length=1, choices=Grade.choices)

    class Meta:
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.dealer_id} {self.grade} ({self.total})"


class EvaluationScore(models.Model):
    evaluation = models.ForeignKey(Evaluation, verbose_name=_("evaluation"), on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(EvaluationCriterion, verbose_name=_("criterion"), on_delete=models.PROTECT, related_name="+")
    score = models.PositiveSmallIntegerField(
        _("score"), validators=[MinValueValidator(SCORE_MIN), MaxValueValidator(SCORE_MAX)]
    )
    # The weight when the score was given: a later change of weights does not rewrite history.
    weight = models.DecimalField(_("weight"), max_digits=5, decimal_places=2)

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "criterion"], name="evaluation_score_unique_criterion"),
            models.CheckConstraint(condition=models.Q(score__gte=SCORE_MIN, score__lte=SCORE_MAX), name="evaluation_score_1_to_5"),
        ]

    def __str__(self) -> str:
        return f"{self.criterion_id}: {self.score}"


class ViolationType(models.TextChoices):
    """Market violations (市场违规, SPEC §1)."""

    CROSS_TERRITORY = "cross_territory", _("Cross-territory selling")
    PRICE_DUMPING = "price_dumping", _("Selling below the floor price")
    PROMO_DIVERSION = "promo_diversion", _("Diverting promotional goods")
    OTHER = "other", _("Other")


class Severity(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")


class ViolationOutcome(models.TextChoices):
    PENDING = "pending", _("Pending")
    WARNING = "warning", _("Warning")
    FINE = "fine", _("Fine")
    SUSPENSION = "suspension", _("Suspension")
    TERMINATION = "termination", _("Termination")
    DISMISSED = "dismissed", _("Dismissed")


class Violation(models.Model):
    """A market violation found (often in a market check), with evidence and its outcome."""

    dealer = models.ForeignKey(Dealer, verbose_name=_("dealer"), on_delete=models.CASCADE, related_name="violations")
    type = models.CharField(_("type"), max_length=32, choices=ViolationType.choices)
    evidence = models.TextField(_("evidence notes"))
    found_at = models.DateTimeField(_("found at (time)"), default=timezone.now)
    found_where = models.CharField(_("found where"), max_length=200)
    severity = models.CharField(_("severity"), max_length=8, choices=Severity.choices, default=Severity.MEDIUM)
    outcome = models.CharField(
        _("outcome"), max_length=16, choices=ViolationOutcome.choices, default=ViolationOutcome.PENDING, db_index=True
    )
    fine_amount = models.DecimalField(
        _("fine amount"), max_digits=12, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    outcome_note = models.TextField(_("outcome note"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("decided by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("reported by"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("violation")
        verbose_name_plural = _("violations")
        ordering = ["-found_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_type_display()} ({self.dealer_id})"

    def clean(self) -> None:
        super().clean()
        if self.outcome == ViolationOutcome.FINE and self.fine_amount is None:
            raise ValidationError({"fine_amount": FINE_NEEDS_AMOUNT})


class ViolationPhoto(models.Model):
    """Evidence photo of a violation: images only, size-limited, served through a scoped view."""

    violation = models.ForeignKey(Violation, verbose_name=_("violation"), on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(_("photo"), upload_to="violations/%Y/%m/", validators=[validate_photo])
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("violation photo")
        verbose_name_plural = _("violation photos")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.image.name


class ApplicationStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Awaiting first review")
    REVIEWED = "reviewed", _("Awaiting approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class DealerApplication(models.Model):
    """A would-be dealer's application from the public form (SPEC §1, seed 003):
    first review by a rep, then a manager approves (setting region and tier) or rejects."""

    company_name = models.CharField(_("company name"), max_length=200)
    legal_entity = models.CharField(_("legal entity"), max_length=200, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=100)
    phone = models.CharField(_("phone"), max_length=32)
    email = models.EmailField(_("email"))
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("where you operate"), on_delete=models.PROTECT, related_name="+"
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    channel_types = models.JSONField(_("channel types"), default=list, blank=True, validators=[validate_channel_types])
    operating_model = models.CharField(_("operating model"), max_length=16, choices=OperatingModel.choices, blank=True)
    brands_carried = models.TextField(_("brands you carry"), blank=True)
    message = models.TextField(_("about your business"), blank=True)
    language = models.CharField(_("language"), max_length=10, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now, db_index=True)
    status = models.CharField(
        _("status"), max_length=16, choices=ApplicationStatus.choices, default=ApplicationStatus.SUBMITTED, db_index=True
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("reviewed by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    review_note = models.TextField(_("review note"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("decided by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    rejection_reason = models.TextField(_("reason for rejection"), blank=True)
    dealer = models.OneToOneField(
        Dealer, verbose_name=_("dealer"), null=True, blank=True, on_delete=models.SET_NULL, related_name="application"
    )

    class Meta:
        verbose_name = _("dealer application")
        verbose_name_plural = _("dealer applications")
        ordering = ["-submitted_at", "-id"]

    def __str__(self) -> str:
        return self.company_name

    @property
    def is_open(self) -> bool:
        return self.status in (ApplicationStatus.SUBMITTED, ApplicationStatus.REVIEWED)
