from common.navigation import page_counts


def unread_notifications(request):
    """The unread badge in the navigation: counted with the menu's figures, in one
    query, only when signed in (common.navigation.page_counts)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": lambda: page_counts(request).get("notifications.unread", 0)}
