"""Contracts between the company and a dealer."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dealers.models.dealers import Dealer

CONTRACT_ENDS_BEFORE_START = _("The end date must be after the start date.")


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
    # The product lines as categories (产品线): their products are carried by the
    # dealer from the start date of a signed contract (inventory.selectors.carried_products).
    product_categories = models.ManyToManyField(
        "inventory.ProductCategory", verbose_name=_("product categories"), blank=True, related_name="contracts",
        help_text=_("The categories this contract covers: once it is signed, their products are on the dealer's "
                    "stock count from the start date."),
    )
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
