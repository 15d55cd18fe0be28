"""Writes of the territory tree: create, rename, move (with its whole subtree) and
delete a region. The page, the API and the import call these, so a region's
materialised path (`Region.path`, "/1/4/17/") is written in one place only.
Bad input raises ValidationError (API 400, form errors, an import row's error)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Value
from django.db.models.functions import Concat, Length, Replace, Substr
from django.utils.translation import gettext_lazy as _

from common.upsert import model_errors
from regions.models import REGION_PARENT_CYCLE, Region, RegionKind

REGION_NAME_REQUIRED = _("Give the region a name.")
REGION_NAME_TAKEN = _("There is already a region “%(name)s” at this place in the tree.")
REGION_NOT_EMPTY = _("“%(name)s” still has sub-regions: move or delete them first.")
REGION_IN_USE = _("“%(name)s” is in use (dealers, managers or applications refer to it): it cannot be deleted.")

UNSET = object()


def _locked(region: Region | None) -> Region | None:
    return None if region is None else Region.objects.select_for_update().get(pk=region.pk)


def _check_name(*, name: str, parent: Region | None, exclude_pk: int | None = None) -> None:
    if not name:
        raise ValidationError({"name": REGION_NAME_REQUIRED})
    siblings = Region.objects.filter(parent=parent, name__iexact=name)
    if exclude_pk is not None:
        siblings = siblings.exclude(pk=exclude_pk)
    if siblings.exists():
        raise ValidationError({"name": ValidationError(REGION_NAME_TAKEN, params={"name": name})})


def _depth(path: str) -> int:
    return path.count("/") - 2


def region_errors(*, name: str, kind: str = RegionKind.OTHER) -> dict[str, list[str]]:
    """What is wrong with a region of this name and kind, wherever it goes (the
    name's uniqueness under its parent aside): {field: [messages]}."""
    if not name:
        return {"name": [str(REGION_NAME_REQUIRED)]}
    return model_errors(Region(name=name, kind=kind or RegionKind.OTHER), exclude=["parent"])


@transaction.atomic
def region_create(*, name: str, parent: Region | None = None, kind: str = RegionKind.OTHER) -> Region:
    """A new region under `parent` (None: a top-level region), its path set from its id."""
    name = (name or "").strip()
    errors = region_errors(name=name, kind=kind)
    if errors:
        raise ValidationError(errors)
    parent = _locked(parent)
    region = Region(name=name, parent=parent, kind=kind or RegionKind.OTHER)
    _check_name(name=name, parent=parent)
    region.save()
    region.path = region.computed_path()
    region.depth = _depth(region.path)
    region.save(update_fields=["path", "depth"])
    return region


@transaction.atomic
def region_update(*, region: Region, name=UNSET, parent=UNSET, kind=UNSET) -> Region:
    """Rename, re-classify and/or move a region; a move carries its whole subtree
    along (one set-based UPDATE of the paths below it)."""
    region = _locked(region)
    old_path = region.path
    if name is not UNSET:
        region.name = (name or "").strip()
    if kind is not UNSET:
        region.kind = kind or RegionKind.OTHER
    moved = parent is not UNSET and (parent.pk if parent else None) != region.parent_id
    if moved:
        parent = _locked(parent)
        if parent is not None and (parent.pk == region.pk or parent.path.startswith(old_path)):
            raise ValidationError({"parent": REGION_PARENT_CYCLE})
        region.parent = parent
    region.full_clean(exclude=["parent"], validate_unique=False, validate_constraints=False)
    _check_name(name=region.name, parent=region.parent, exclude_pk=region.pk)
    if moved:
        region.path = region.computed_path()
        region.depth = _depth(region.path)
    region.save()
    if moved and old_path and old_path != region.path:
        # Carry the subtree: every path below the old one gets the new prefix.
        below = Region.objects.filter(path__startswith=old_path).exclude(pk=region.pk)
        below.update(path=Concat(Value(region.path), Substr("path", len(old_path) + 1)))
        Region.objects.filter(path__startswith=region.path).exclude(pk=region.pk).update(
            depth=Length("path") - Length(Replace("path", Value("/"), Value(""))) - 2
        )
    return region


def region_rename(*, region: Region, name: str) -> Region:
    return region_update(region=region, name=name)


def region_move(*, region: Region, parent: Region | None) -> Region:
    """Put `region` (and everything under it) under `parent` (None: top level)."""
    return region_update(region=region, parent=parent)


def _referenced(region: Region) -> bool:
    """Whether any row of any model (dealers, managers, campaigns, market sizes, ...) refers to `region`."""
    for relation in Region._meta.related_objects:
        if relation.related_model is Region:
            continue
        if getattr(region, relation.get_accessor_name()).exists():
            return True
    return False


@transaction.atomic
def region_delete(*, region: Region) -> None:
    """Delete a region created by mistake: one without sub-regions that nothing refers to."""
    region = _locked(region)
    if Region.objects.filter(parent=region).exists():
        raise ValidationError(REGION_NOT_EMPTY, params={"name": region.name})
    if _referenced(region):
        raise ValidationError(REGION_IN_USE, params={"name": region.name})
    region.delete()
