from django.db.models import QuerySet

from notifications.models import Notification


def notification_list(*, user) -> QuerySet[Notification]:
    """The caller's own notifications, newest first."""
    return Notification.objects.filter(recipient=user)


def unread_notifications(*, user) -> QuerySet[Notification]:
    """The caller's unread notifications: the bell counts them in the menu's statement."""
    return Notification.objects.unread().filter(recipient=user)
