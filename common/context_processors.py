from django.urls import NoReverseMatch

from common.navigation import nav_items_for


def navigation(request):
    """The role's menu (see common.navigation)."""
    user = getattr(request, "user", None)
    if user is None:
        return {"nav_items": []}
    current = getattr(getattr(request, "resolver_match", None), "view_name", "")
    items = []
    for item in nav_items_for(user):
        try:
            items.append({"item": item, "url": item.url, "active": item.url_name == current})
        except NoReverseMatch:
            continue
    return {"nav_items": items}
