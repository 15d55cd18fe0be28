"""What the dealers API's views share: the role check of dealers.permissions for each
action, the region-subtree filter and the fields a write of a dealer touches."""

from __future__ import annotations

import django_filters
from rest_framework import permissions

from dealers.permissions import PROFILE_FIELDS, can
from regions.models import subtree_q


class RolePermission(permissions.BasePermission):
    """The role check of dealers.permissions for the view's current action
    (`view.action_permissions = {"list": Action.VIEW, ...}`)."""

    message = "Your role may not do this."

    def has_permission(self, request, view) -> bool:
        if not (request.user and request.user.is_authenticated):
            return False
        required = getattr(view, "action_permissions", {}).get(view.action)
        return required is None or can(request.user, required)


class RegionSubtreeFilter(django_filters.ModelChoiceFilter):
    """`?region=<id>`: dealers of that region and every region under it."""

    def filter(self, queryset, value):
        if value in (None, ""):
            return queryset
        return queryset.filter(subtree_q([value], prefix="region__"))


def _dealer_write_fields(data) -> set[str]:
    writable = set(PROFILE_FIELDS) | {"code", "region", "tier", "credit_limit"}
    return {name for name in data if name in writable}
