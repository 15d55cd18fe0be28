"""The access policy (accounts.policy) made into querysets: who sees which dealers,
which regions make up a user's territory, and `scoped()`, from which every
`*_queryset_for(user)` of every app is built.

    def order_queryset_for(user):
        return scoped(user, Area.ORDERS, Order.objects.all(), dealer="dealer")

`dealer` names the lookup path from the model to its dealer; `in_scope` replaces
it where a record belongs to the scope some other way (a campaign through its
regions and dealers, an application through its region). `published`,
`assigned` and `above` give the area's meaning of those visibilities; when the
table asks for one the caller did not give, ImproperlyConfigured says so at once.
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import ImproperlyConfigured
from django.db.models import Exists, OuterRef, Q, QuerySet

from accounts.policy import (
    Area,
    ScopeKind,
    Visibility,
    scope_kind,
    sees_everything,
    visibility,
)
from dealers.lifecycle import PIPELINE_STATUSES
from dealers.models import Dealer, RepAssignment
from regions.models import Region
from regions.scope import NOTHING, region_within, within_q
from regions.selectors import regions_managed_by

Condition = Callable[[object], Q]

_TERRITORY_CACHE = "_territory_regions_cache"


def assigned_region_roots(user) -> list[Region]:
    """The roots of the territory HQ assigned to the user (a manager's regions); none for other kinds."""
    if scope_kind(user) != ScopeKind.REGIONS:
        return []
    return regions_managed_by(user)


# --- dealers --------------------------------------------------------------------------------
def dealer_scope_q(user, path: str = "") -> Q:
    """A condition on the dealer at lookup `path` ("" for Dealer itself, "dealer",
    "visit__dealer", ...): the dealers the user's scope kind gives them."""
    kind = scope_kind(user)
    prefix = f"{path}__" if path else ""
    if kind == ScopeKind.EVERYTHING:
        return Q()
    if kind == ScopeKind.REGIONS:
        return within_q(assigned_region_roots(user), f"{prefix}region")
    if kind == ScopeKind.ASSIGNED_DEALERS:
        return Q(**{f"{prefix}rep_id": user.pk})
    if kind == ScopeKind.OWN_COMPANY and user.dealer_id:
        return Q(**{f"{path}_id" if path else "pk": user.dealer_id})
    return NOTHING


def scope_dealers(user) -> QuerySet[Dealer]:
    """Every dealer in the user's scope (what `dealer_queryset_for` shows)."""
    return Dealer.objects.filter(dealer_scope_q(user))


def territory_dealers(user) -> QuerySet[Dealer]:
    """The dealers that say where the user works, for everything placed by region.

    For a rep: the dealers given to them — assigned by an admin or a manager, or
    out of the onboarding pipeline (only a manager's signature or decision takes a
    dealer there). A prospect the rep recorded themselves is in their scope (they
    work it) but not in their territory: it widens nothing (SPEC "Scope is given,
    never taken"). For every other kind: the dealers in scope.
    """
    if scope_kind(user) != ScopeKind.ASSIGNED_DEALERS:
        return scope_dealers(user)
    given = RepAssignment.objects.filter(dealer=OuterRef("pk"), to_rep_id=user.pk).exclude(assigned_by_id=user.pk)
    return Dealer.objects.filter(rep_id=user.pk).filter(~Q(status__in=PIPELINE_STATUSES) | Exists(given))


# --- the territory (regions) -------------------------------------------------------------
def territory_regions(user) -> list[Region] | None:
    """The roots of the user's territory: None for everywhere; a manager's assigned
    regions; the regions of a rep's given dealers; a dealer user's own region.
    Cached on the user object for the request."""
    kind = scope_kind(user)
    if kind == ScopeKind.EVERYTHING:
        return None
    if kind == ScopeKind.REGIONS:
        return assigned_region_roots(user)
    cached = getattr(user, _TERRITORY_CACHE, None)
    if cached is None:
        if kind in (ScopeKind.ASSIGNED_DEALERS, ScopeKind.OWN_COMPANY):
            cached = list(Region.objects.filter(pk__in=territory_dealers(user).values("region_id")).order_by("path"))
        else:
            cached = []
        setattr(user, _TERRITORY_CACHE, cached)
    return cached


def forget_territory(user) -> None:
    """Drop the cached territory (after the user's assignments changed within a request)."""
    for name in (_TERRITORY_CACHE, "_managed_regions_cache"):
        if hasattr(user, name):
            delattr(user, name)


def territory_key(user) -> tuple:
    """What the user's territory is made of, as plain values, for whoever keeps what was
    built from it (common.navigation.FigureStatements): a manager's regions (read
    now, a figure is built from them) and whatever territory is already cached on the
    user object, which a queryset built now would use without reading it again."""
    if scope_kind(user) == ScopeKind.REGIONS:
        regions_managed_by(user)
    return tuple(
        None if regions is None else tuple((region.pk, region.path, region.parent_id, region.depth) for region in regions)
        for regions in (getattr(user, name, None) for name in (_TERRITORY_CACHE, "_managed_regions_cache"))
    )


def territory_q(user, path: str = "region", *, with_ancestors: bool = False) -> Q:
    """A condition on the region at lookup `path`: inside the user's territory
    (or, `with_ancestors`, one of the regions above it)."""
    return within_q(territory_regions(user), path, with_ancestors=with_ancestors)


def region_in_territory(*, user, region: Region) -> bool:
    """Whether `region` lies inside the user's territory (where they may place a dealer or prospect)."""
    if scope_kind(user) == ScopeKind.NOTHING:
        return False
    return region_within(region, territory_regions(user))


# --- the one way a scope function is written ------------------------------------------------
def scoped(
    user,
    area: Area,
    queryset: QuerySet,
    *,
    dealer: str | None = None,
    in_scope: Condition | None = None,
    published: Condition | None = None,
    assigned: Condition | None = None,
    above: Condition | None = None,
) -> QuerySet:
    """The rows of `queryset` that `user` may see in `area`, as the policy table says."""
    seen = visibility(user, area)
    if seen == Visibility.NONE:
        return queryset.none()
    if seen == Visibility.ASSIGNED:
        return queryset.filter(_given(assigned, area, seen)(user))
    rows = queryset
    if seen != Visibility.ALL and not sees_everything(user, area):
        if in_scope is not None:
            condition = in_scope(user)
        elif dealer is not None:
            condition = dealer_scope_q(user, dealer)
        elif seen == Visibility.PUBLISHED:
            condition = Q()  # a catalogue: not tied to a dealer, only the published part is shown
        else:
            raise ImproperlyConfigured(f"{area} is not tied to a scope: give dealer= or in_scope=.")
        if seen == Visibility.SCOPE_AND_ABOVE:
            condition |= _given(above, area, seen)(user)
        elif seen == Visibility.SCOPE_OR_ASSIGNED:
            condition |= _given(assigned, area, seen)(user)
        rows = rows.filter(condition)
    if seen == Visibility.PUBLISHED:
        rows = rows.filter(_given(published, area, seen)(user))
    return rows


def _given(condition: Condition | None, area: Area, seen: Visibility) -> Condition:
    if condition is None:
        raise ImproperlyConfigured(f"The policy gives {area} as {seen!r}, but its scope function does not say what that means.")
    return condition
