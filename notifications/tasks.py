from celery import shared_task
from django.contrib.auth import get_user_model

from notifications.services import notification_deliver, notification_send_email, notifications_send_pending


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_notification_email(notification_id: int) -> bool:
    return notification_send_email(notification_id=notification_id)


@shared_task
def send_pending_emails() -> int:
    return notifications_send_pending()


@shared_task
def deliver_notification(recipient_id: int, key: str, title: str, body: str = "", url: str = "", kind: str = "") -> bool:
    """Deliver one notification by key; a retried or doubled task delivers once."""
    recipient = get_user_model().objects.filter(pk=recipient_id).first()
    return notification_deliver(recipient=recipient, key=key, title=title, body=body, url=url, kind=kind) is not None
