from __future__ import annotations

from regions.models import PATH_SEPARATOR, Region, RegionQuerySet


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


def normalized_region_path(text: str) -> str:
    """A region path as typed ("China / Zhejiang/ Hangzhou") in the form paths are
    matched in: levels stripped, joined by "/", case-folded."""
    return PATH_SEPARATOR.join(part.strip() for part in (text or "").split(PATH_SEPARATOR) if part.strip()).casefold()


def region_name_paths() -> dict[int, str]:
    """{region id: "China/Zhejiang/Hangzhou"} for the whole tree, in one query.

    The tree of a manufacturer's territory has hundreds to a few thousand nodes,
    so reading it whole is cheaper than resolving paths one by one."""
    rows = list(Region.objects.order_by("depth", "pk").values_list("pk", "name", "parent_id"))
    paths: dict[int, str] = {}
    for pk, name, parent_id in rows:  # parents come first (ordered by depth)
        paths[pk] = f"{paths[parent_id]}{PATH_SEPARATOR}{name}" if parent_id in paths else name
    return paths


def regions_by_path() -> dict[str, int]:
    """{normalized path: region id} for the whole tree (one query), to match imported paths."""
    return {normalized_region_path(path): pk for pk, path in region_name_paths().items()}
