"""Reads about users."""

from __future__ import annotations

from django.db.models import QuerySet

from accounts.models import Role, User
from regions.models import Region
from regions.selectors import region_ancestor_ids


def managers_for_region(region: Region) -> QuerySet[User]:
    """The active regional managers who oversee `region`: those assigned to it
    or to any region above it. Used to escalate and to send reminders."""
    return (
        User.objects.filter(role=Role.MANAGER, is_active=True, regions__in=region_ancestor_ids(region))
        .distinct()
        .order_by("username")
    )
