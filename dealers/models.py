from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class DealerTier(models.TextChoices):
    """The dealer's level, which is also its price tier (SPEC §1, §3)."""

    PROVINCE = "province", _("Provincial agent")
    CITY = "city", _("City agent")
    COUNTY = "county", _("County agent")


class DealerStatus(models.TextChoices):
    PROSPECT = "prospect", _("Prospect")
    NEGOTIATING = "negotiating", _("Negotiating")
    ACTIVE = "active", _("Active")
    SUSPENDED = "suspended", _("Suspended")
    TERMINATED = "terminated", _("Terminated")


class Dealer(models.Model):
    """A company that distributes the manufacturer's goods in a territory."""

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("company name"), max_length=200)
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="dealers"
    )
    tier = models.CharField(_("tier"), max_length=16, choices=DealerTier.choices, default=DealerTier.COUNTY)
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
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("dealer")
        verbose_name_plural = _("dealers")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=models.Q(credit_limit__gte=0), name="dealer_credit_limit_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"
