from django.db.models import QuerySet

from notifications.models import Notification


def notification_list(*, user) -> QuerySet[Notification]:
    """The caller's own notifications, newest first."""
    return Notification.objects.filter(recipient=user)


def unread_notifications(*, user) -> QuerySet[Notification]:
    return Notification.objects.unread().filter(recipient=user)


def unread_count(*, user) -> int:
    return unread_notifications(user=user).count()
