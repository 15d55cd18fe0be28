"""Market violations, their evidence photos and their outcome."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.validators import validate_photo
from dealers.models.dealers import Dealer

FINE_NEEDS_AMOUNT = _("A fine needs an amount.")


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
