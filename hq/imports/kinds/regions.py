"""The regions import: matched by path ("China/Zhejiang"), saved by regions.services."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from common.upsert import Outcome, RowResult
from hq.imports import cells
from hq.imports.kinds.base import REGION_PARENT_UNKNOWN, Column, Context, Kind, _region_paths
from hq.models import ImportKind
from regions.models import PATH_SEPARATOR, Region, RegionKind
from regions.selectors import normalized_region_path, region_name_paths
from regions.services import region_create, region_errors, region_update


class RegionsKind(Kind):
    kind = ImportKind.REGIONS
    key_column = "path"
    list_url_name = "hq:regions"
    columns = (
        Column("path", _("The region's names from the top down, separated by “/”. The region above must exist "
                         "or come on an earlier row."), "China/Zhejiang/Hangzhou", required=True),
        Column("kind", _("country, province, city, county or other (empty: other)."), "city"),
    )
    kinds = cells.choice_index(RegionKind.choices)

    def prepare(self, batch, ctx: Context) -> None:
        _region_paths(ctx)
        if "region_kinds" not in ctx.cache:
            ctx.cache["region_kinds"] = dict(Region.objects.values_list("pk", "kind"))

    def key(self, values, ctx):
        return PATH_SEPARATOR.join(part.strip() for part in values.get("path", "").split(PATH_SEPARATOR) if part.strip())

    def parse(self, values, ctx, result):
        row = {"path": result.key}
        self.cell(values, "kind", cells.choice, result, row, index=self.kinds)
        return row

    def save(self, rows, ctx, *, dry_run):
        paths, kinds = ctx.cache["region_paths"], ctx.cache["region_kinds"]
        results = []
        for index, row in enumerate(rows):
            result = RowResult(index=index, key=row["path"])
            results.append(result)
            parts = row["path"].split(PATH_SEPARATOR)
            name, parent_path = parts[-1], PATH_SEPARATOR.join(parts[:-1])
            existing = paths.get(normalized_region_path(row["path"]))
            if existing is not None:
                kind = row.get("kind")
                if kind and kind != kinds.get(existing):
                    result.outcome, result.changed = Outcome.UPDATE, ["kind"]
                    if not dry_run:
                        region_update(region=Region.objects.get(pk=existing), kind=kind)
                        kinds[existing] = kind
                continue
            for column, messages in region_errors(name=name, kind=row.get("kind") or RegionKind.OTHER).items():
                for message in messages:
                    result.add_error("path" if column == "name" else column, message)
            parent_id = paths.get(normalized_region_path(parent_path)) if parent_path else None
            if parent_path and parent_id is None:
                result.add_error("path", REGION_PARENT_UNKNOWN % {"parent": parent_path})
            if result.errors:
                continue
            result.outcome = Outcome.CREATE
            if dry_run:
                paths[normalized_region_path(row["path"])] = -1 - index  # planned: later rows may hang under it
                continue
            region = region_create(name=name, parent=Region(pk=parent_id) if parent_id else None,
                                   kind=row.get("kind") or RegionKind.OTHER)
            paths[normalized_region_path(row["path"])] = region.pk
            kinds[region.pk] = region.kind
        return results

    def export_rows(self):
        paths = region_name_paths()
        for pk, kind in Region.objects.order_by("path").values_list("pk", "kind").iterator(chunk_size=2000):
            yield {"path": paths[pk], "kind": kind}
