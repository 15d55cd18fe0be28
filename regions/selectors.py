from __future__ import annotations

from django.db.models import QuerySet

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


def region_ancestor_ids(region: Region) -> list[int]:
    """The ids from the root down to `region` itself, read off its path (no query)."""
    return [int(part) for part in region.path.strip("/").split("/") if part]


def managers_for_region(region: Region) -> QuerySet:
    """The active regional managers who oversee `region`: those assigned to it
    or to any region above it. Used to escalate and to send reminders."""
    from accounts.models import Role, User

    return (
        User.objects.filter(role=Role.MANAGER, is_active=True, regions__in=region_ancestor_ids(region))
        .distinct()
        .order_by("username")
    )
