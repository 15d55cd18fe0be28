from __future__ import annotations

from regions.models import Region, RegionQuerySet


def region_list(*, user) -> RegionQuerySet:
    """Every region: the territory tree is not secret to signed-in staff."""
    return Region.objects.select_related("parent")


def regions_managed_by(user) -> list[Region]:
    """The roots of a manager's territory (cached on the user for the request)."""
    cached = getattr(user, "_managed_regions_cache", None)
    if cached is None:
        cached = list(user.regions.all()) if user.is_authenticated else []
        user._managed_regions_cache = cached
    return cached
