"""Scope by region subtrees (accounts.policy ScopeKind.REGIONS): conditions on "a
region inside (or above) a territory". Which territory a user was assigned is
accounts' to say (accounts.policy.assigned_region_roots): regions knows no roles."""

from __future__ import annotations

from collections.abc import Sequence

from django.db.models import Q

from regions.models import Region, subtree_q
from regions.selectors import region_ancestor_ids

NOTHING = Q(pk__in=[])


def within_q(roots: Sequence[Region] | None, path: str, *, with_ancestors: bool = False) -> Q:
    """Rows whose region (at lookup `path`, e.g. "region" or "dealer__region") lies in
    the subtree of one of `roots` — or, `with_ancestors`, is one of the regions above
    them. `roots` None means everywhere (no condition)."""
    if roots is None:
        return Q()
    condition = subtree_q(roots, prefix=f"{path}__") if roots else NOTHING
    if with_ancestors and roots:
        above = {pk for root in roots for pk in region_ancestor_ids(root)}
        condition |= Q(**{f"{path}_id__in": sorted(above)})
    return condition


def region_within(region: Region, roots: Sequence[Region] | None) -> bool:
    """Whether `region` lies in the subtree of one of `roots` (None: everywhere)."""
    if roots is None:
        return True
    return any(region.path.startswith(root.path) for root in roots)
