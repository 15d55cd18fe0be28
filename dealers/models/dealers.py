"""Dealers: their tier, status, channels and grade, the status history and the rep assignments."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

UNKNOWN_CHANNEL_TYPE = _("Unknown channel type: %(value)s.")
DUPLICATE_CHANNEL_TYPE = _("Each channel type may be chosen once.")


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
