"""The router of every app's API: ids in paths are ASCII digits (API.md, "Promises
every endpoint keeps"), so `/orders/abc/confirm/` answers 404 before any view runs."""

from rest_framework.routers import SimpleRouter

# [0-9], not \d: Python's \d also matches full-width and other Unicode digits ('１２').
ID_REGEX = "[0-9]+"


class ApiRouter(SimpleRouter):
    """SimpleRouter whose detail routes take digits only, unless a viewset names
    its own `lookup_value_regex` (a code, a key)."""

    def get_lookup_regex(self, viewset, lookup_prefix=""):
        if getattr(viewset, "lookup_value_regex", None) is None:
            lookup_field = getattr(viewset, "lookup_field", "pk")
            lookup_url_kwarg = getattr(viewset, "lookup_url_kwarg", None) or lookup_field
            return f"(?P<{lookup_prefix}{lookup_url_kwarg}>{ID_REGEX})"
        return super().get_lookup_regex(viewset, lookup_prefix)
