from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from notifications.models import EmailStatus, Notification

logger = logging.getLogger(__name__)


def notification_deliver(
    *, recipient, key: str, title: str, body: str = "", url: str = "", kind: str = ""
) -> Notification | None:
    """Deliver a notification (in-app now, email through Celery) unless one with
    this key was already delivered to this recipient.

    Returns the new notification, or None when it had been delivered before. Safe
    to call twice, from two workers at once: the unique (recipient, key) decides.
    """
    if recipient is None or not recipient.is_active:
        return None
    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                recipient=recipient, key=key, title=title[:200], body=body, url=url, kind=kind,
                email_status=EmailStatus.PENDING if recipient.email else EmailStatus.NONE,
            )
    except IntegrityError:
        return None
    if notification.email_status == EmailStatus.PENDING:
        transaction.on_commit(lambda: _queue_email(notification.pk))
    return notification


def _queue_email(notification_id: int) -> None:
    from notifications.tasks import send_notification_email

    try:
        send_notification_email.delay(notification_id)
    except Exception:  # the broker is down: send_pending_emails picks it up later
        logger.warning("Could not queue email for notification %s; it stays pending.", notification_id)


def notification_send_email(*, notification_id: int) -> bool:
    """Email one notification, at most once: the row is claimed before sending."""
    claimed = Notification.objects.filter(pk=notification_id, email_status=EmailStatus.PENDING).update(
        email_status=EmailStatus.SENDING
    )
    if not claimed:
        return False
    notification = Notification.objects.select_related("recipient").get(pk=notification_id)
    recipient = notification.recipient
    with translation.override(recipient.language or settings.LANGUAGE_CODE):
        body = notification.body
        if notification.url:
            body = f"{body}\n\n{settings.SITE_URL.rstrip('/')}{notification.url}".strip()
        try:
            send_mail(notification.title, body, None, [recipient.email])
        except Exception:
            Notification.objects.filter(pk=notification_id).update(email_status=EmailStatus.PENDING)
            raise
    Notification.objects.filter(pk=notification_id).update(
        email_status=EmailStatus.SENT, emailed_at=timezone.now()
    )
    return True


def notifications_send_pending(*, older_than: timedelta = timedelta(minutes=2)) -> int:
    """Send the emails whose queueing was lost (broker down, worker crash)."""
    cutoff = timezone.now() - older_than
    # A claim left in "sending" for long is a crashed worker: release it.
    Notification.objects.filter(email_status=EmailStatus.SENDING, created_at__lt=cutoff - older_than).update(
        email_status=EmailStatus.PENDING
    )
    sent = 0
    pending = Notification.objects.filter(email_status=EmailStatus.PENDING, created_at__lt=cutoff)
    for notification_id in pending.values_list("pk", flat=True)[:500]:
        try:
            sent += notification_send_email(notification_id=notification_id)
        except Exception:
            logger.exception("Email for notification %s failed; it will be retried.", notification_id)
    return sent


def notification_mark_read(*, notification: Notification) -> Notification:
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def notifications_mark_all_read(*, user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(read_at=timezone.now())
