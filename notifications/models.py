from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class EmailStatus(models.TextChoices):
    NONE = "none", _("No email address")
    PENDING = "pending", pgettext_lazy("email", "Pending")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    OFF = "off", _("Email turned off")


class NotificationQuerySet(models.QuerySet):
    def unread(self):
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """One message to one person, shown in the app and emailed.

    `key` names the reminder (e.g. "visit:42:day-before"); (recipient, key) is
    unique, so the same reminder is never delivered twice to the same person,
    however many times the task that found it runs.
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recipient"), on_delete=models.CASCADE,
        related_name="notifications",
    )
    key = models.CharField(_("key"), max_length=200)
    kind = models.CharField(_("kind"), max_length=50, blank=True, db_index=True)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("body"), blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    email_status = models.CharField(
        _("email status"), max_length=10, choices=EmailStatus.choices, default=EmailStatus.PENDING
    )
    emailed_at = models.DateTimeField(_("emailed at"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "key"], name="notification_unique_key_per_recipient"),
        ]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread_idx")]

    def __str__(self) -> str:
        return self.title


class NotificationSettings(models.Model):
    """What HQ decides about notification emails (one row). The mail server, its
    credentials and the sender address stay in the environment (EMAIL_*,
    DEFAULT_FROM_EMAIL): they belong to the deployment, not to the admin's page."""

    email_enabled = models.BooleanField(
        _("send notifications by email"), default=True,
        help_text=_("Off: notifications are only shown in the app."),
    )
    subject_prefix = models.CharField(
        _("subject prefix"), max_length=50, blank=True, help_text=_("Put before every email subject, e.g. [Dealer CRM]."),
    )
    reply_to = models.EmailField(
        _("reply-to address"), blank=True, help_text=_("Where replies to notification emails go, e.g. the channel team's mailbox."),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("notification settings")
        verbose_name_plural = _("notification settings")

    def __str__(self) -> str:
        return str(self._meta.verbose_name)

    @classmethod
    def current(cls) -> NotificationSettings:
        row = cls.objects.filter(pk=1).first()
        if row is None:
            row, _created = cls.objects.get_or_create(pk=1)
        return row
