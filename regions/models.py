from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

REGION_PARENT_CYCLE = _("A region cannot be placed under itself or one of its sub-regions.")
REGION_NAME_HAS_SLASH = _("A region name cannot contain “/”: it separates the levels of a region path.")
# The separator of a region path in imports and exports, e.g. "China/Zhejiang/Hangzhou".
PATH_SEPARATOR = "/"


def validate_region_name(value: str) -> None:
    if PATH_SEPARATOR in (value or ""):
        raise ValidationError(REGION_NAME_HAS_SLASH, code="slash")


class RegionKind(models.TextChoices):
    COUNTRY = "country", _("Country")
    PROVINCE = "province", _("Province")
    CITY = "city", _("City")
    COUNTY = "county", _("County")
    OTHER = "other", _("Other")


class RegionQuerySet(models.QuerySet):
    def subtree_of(self, regions: Iterable[Region]) -> RegionQuerySet:
        """These regions and every region under them (any depth)."""
        return self.filter(subtree_q(regions))


def subtree_q(regions: Iterable[Region], *, prefix: str = "") -> Q:
    """A Q matching rows whose region lies in the subtree of any of `regions`.

    `prefix` is the lookup path to the region from the filtered model, e.g.
    `Dealer.objects.filter(subtree_q(user_regions, prefix="region__"))`. This is
    the one helper every scope function uses for "this region and everything
    under it": a single indexed `LIKE 'path%'` per root, no recursion.
    """
    condition = Q(pk__in=[])
    for region in regions:
        condition |= Q(**{f"{prefix}path__startswith": region.path})
    return condition


class Region(models.Model):
    """A node of the sales territory tree: country → province → city → county."""

    name = models.CharField(_("name"), max_length=100, validators=[validate_region_name])
    kind = models.CharField(_("kind"), max_length=16, choices=RegionKind.choices, default=RegionKind.OTHER)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="children",
    )
    # Materialised path of ids, e.g. "/1/4/17/": the subtree of a region is every
    # row whose path starts with its own. Written only by regions.services (create,
    # move), which rewrites a moved region's whole subtree; never edited by hand.
    path = models.CharField(max_length=255, editable=False, db_index=True, default="")
    depth = models.PositiveSmallIntegerField(editable=False, default=0)

    objects = RegionQuerySet.as_manager()

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(fields=["parent", "name"], name="region_unique_name_per_parent"),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        if not self.parent_id or not self.pk:
            return
        parent = self.parent
        under_itself = parent.pk == self.pk or bool(self.path and parent.path.startswith(self.path))
        if under_itself:
            raise ValidationError({"parent": REGION_PARENT_CYCLE})

    def computed_path(self) -> str:
        """The path this region should have under its current parent (it needs its id)."""
        return f"{self.parent.path if self.parent_id else '/'}{self.pk}/"

    @property
    def full_name(self) -> str:
        """Names from the root down, e.g. 'China / Zhejiang / Hangzhou'."""
        ids = [int(part) for part in self.path.strip("/").split("/") if part]
        names = dict(Region.objects.filter(pk__in=ids).values_list("pk", "name"))
        return " / ".join(names.get(pk, "?") for pk in ids)
