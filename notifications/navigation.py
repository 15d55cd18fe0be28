"""The unread badge on the bell of every page: a figure of common.navigation, counted
in the same statement as the menu's (LAYOUT_COUNTS: shown by the layout, not by an entry)."""

from notifications.selectors import unread_notifications

LAYOUT_COUNTS = ("notifications.unread",)


def nav_counts(user) -> dict:
    return {"notifications.unread": unread_notifications(user=user)}
