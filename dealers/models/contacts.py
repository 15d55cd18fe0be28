"""A dealer's contact people and the log of contacts with it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from dealers.models.dealers import Dealer


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
