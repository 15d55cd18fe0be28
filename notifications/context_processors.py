from notifications.selectors import unread_count


def unread_notifications(request):
    """The unread badge in the navigation: one COUNT query, only when signed in."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": lambda: unread_count(user=user)}
