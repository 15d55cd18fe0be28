"""Self-registration: a would-be dealer's application, and the invitation of its first user."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dealers.models.dealers import Dealer, OperatingModel, validate_channel_types


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


class DealerInvitation(models.Model):
    """The marker of the invitation email a new dealer user was sent when their
    application was approved: the invitation task sends only while there is none,
    so a retried or redelivered task never emails the same person twice. (Sending
    it again on purpose, from the application page, does not look at it.)"""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="dealer_invitation"
    )
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)

    class Meta:
        verbose_name = _("dealer invitation")
        verbose_name_plural = _("dealer invitations")

    def __str__(self) -> str:
        return f"{self.user_id} @ {self.sent_at:%Y-%m-%d %H:%M}"
