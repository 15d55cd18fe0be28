from django.utils.functional import SimpleLazyObject

from common.navigation import menu_for


def navigation(request):
    """The role's menu (see common.navigation), built only when a page renders it;
    its figures cost one query per request."""
    if getattr(request, "user", None) is None:
        return {"menu": []}
    return {"menu": SimpleLazyObject(lambda: menu_for(request))}
