from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.functional import Promise

from common.queueing import enqueue
from notifications.models import EmailStatus, Notification, NotificationSettings
from notifications.outbox import EmailOutbox


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
    if not recipient.email:
        email_status = EmailStatus.NONE
    elif not NotificationSettings.current().email_enabled:
        email_status = EmailStatus.OFF
    else:
        email_status = EmailStatus.PENDING
    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                recipient=recipient, key=key, title=title[:200], body=body, url=url, kind=kind,
                email_status=email_status,
            )
    except IntegrityError:
        return None
    if notification.email_status == EmailStatus.PENDING:
        transaction.on_commit(lambda: _queue_email(notification.pk))
    return notification


def notification_deliver_in_language(
    *, recipient, key: str, title, body="", url: str = "", kind: str = "", **params
) -> bool:
    """Deliver a notification written in the recipient's language (their setting,
    else settings.LANGUAGE_CODE); True when it is new (see notification_deliver).

    `title` and `body` are the app's own texts, translated lazily (gettext_lazy):
    they are rendered in that language and filled with `params` (also rendered
    there, e.g. a lazy label). A plain string is a user's text and is sent as
    written, never %-formatted, so a "%" typed by a person cannot break it.
    Nothing is sent to no one (`recipient` None)."""
    if recipient is None:
        return False
    with translation.override(recipient.language or settings.LANGUAGE_CODE):
        values = {name: str(value) for name, value in params.items()}
        return notification_deliver(
            recipient=recipient, key=key, kind=kind, url=url,
            title=_rendered(title, values), body=_rendered(body, values),
        ) is not None


def _rendered(text, values: dict[str, str]) -> str:
    """An app text (lazy) filled with `values`; anything else as written."""
    if isinstance(text, Promise):
        return str(text) % values if values else str(text)
    return str(text)


def _queue_email(notification_id: int) -> None:
    enqueue("notifications.tasks.send_notification_email", notification_id,
            when_down="the email stays pending; send_pending_emails sends it later.")


EMAILS = EmailOutbox(
    model=Notification, status_field="email_status", pending=EmailStatus.PENDING, sending=EmailStatus.SENDING,
    sent=EmailStatus.SENT, sent_at_field="emailed_at",
)


def notification_send_email(*, notification_id: int) -> bool:
    """Email one notification, at most once (notifications.outbox)."""
    return EMAILS.send_once(pk=notification_id, send=_email, related=["recipient"])


def _email(notification: Notification) -> None:
    recipient = notification.recipient
    options = NotificationSettings.current()
    with translation.override(recipient.language or settings.LANGUAGE_CODE):
        body = notification.body
        if notification.url:
            body = f"{body}\n\n{settings.SITE_URL.rstrip('/')}{notification.url}".strip()
        subject = f"{options.subject_prefix} {notification.title}".strip() if options.subject_prefix else notification.title
        EmailMessage(subject, body, None, [recipient.email],
                     reply_to=[options.reply_to] if options.reply_to else None).send()


def notifications_send_pending(*, older_than: timedelta | None = None) -> int:
    """Send the emails whose queueing was lost (broker down, worker crash): those
    pending for longer than `older_than` (settings.NOTIFICATION_EMAIL_RETRY_AFTER
    seconds, default two minutes)."""
    if older_than is None:
        older_than = timedelta(seconds=settings.NOTIFICATION_EMAIL_RETRY_AFTER)
    return EMAILS.send_pending(
        older_than=older_than, send_one=lambda pk: notification_send_email(notification_id=pk)
    )


def notification_mark_read(*, notification: Notification) -> Notification:
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def notifications_mark_all_read(*, user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(read_at=timezone.now())


@transaction.atomic
def notification_settings_update(*, email_enabled: bool, subject_prefix: str = "", reply_to: str = "",
                                 by=None) -> NotificationSettings:
    """HQ's notification email settings (see NotificationSettings)."""
    options = NotificationSettings.current()
    options = NotificationSettings.objects.select_for_update().get(pk=options.pk)
    options.email_enabled, options.subject_prefix, options.reply_to = email_enabled, subject_prefix.strip(), reply_to.strip()
    options.full_clean()
    options.save()
    return options
