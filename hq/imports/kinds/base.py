"""What every kind of import shares: the columns, the batch's context, a parsed row and the base
class `Kind`, the messages of rows naming what does not exist, and the batch size."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from common.upsert import KEY_REPEATED, BulkInvalid, RowResult
from hq.imports import cells
from hq.models import ImportKind
from regions.selectors import normalized_region_path, region_name_paths

REGION_PATH_UNKNOWN = _("There is no region “%(path)s”.")
REGION_PARENT_UNKNOWN = _("The region above, “%(parent)s”, is neither in the territory tree nor on an earlier row.")
USER_UNKNOWN = _("There is no user “%(username)s”.")
PRODUCTS_UNKNOWN = _("Unknown SKU(s): %(skus)s.")
DEALER_UNKNOWN = _("There is no dealer with the code “%(code)s”.")

BATCH_SIZE = 1000


@dataclass(frozen=True)
class Column:
    name: str
    help: Promise
    example: str = ""
    required: bool = False


@dataclass
class Context:
    """What one import run remembers from batch to batch."""

    by: User
    seen: dict = field(default_factory=dict)  # key → first row number (a code may appear once)
    cache: dict = field(default_factory=dict)


@dataclass
class ParsedRow:
    number: int
    key: str
    result: RowResult
    values: dict = field(default_factory=dict)


class Kind(ABC):
    """One kind of import (regions, products, ...): each fills in parse, save and export_rows."""

    kind: str = ""
    key_column: str = ""
    columns: tuple[Column, ...] = ()
    list_url_name: str = "hq:index"

    @property
    def label(self) -> str:
        return ImportKind(self.kind).label

    @property
    def column_names(self) -> list[str]:
        return [column.name for column in self.columns]

    @property
    def required_columns(self) -> list[str]:
        return [column.name for column in self.columns if column.required]

    # --- one batch ------------------------------------------------------------------------
    def run(self, batch: Sequence[tuple[int, dict[str, str]]], ctx: Context, *, dry_run: bool) -> list[RowResult]:
        """Check (dry_run) or save one batch; RowResult.index is the row number in the file."""
        self.prepare(batch, ctx)
        parsed: list[ParsedRow] = []
        for number, values in batch:
            result = RowResult(index=number, key="")
            parsed_row = ParsedRow(number=number, key="", result=result)
            try:
                parsed_row.key = self.key(values, ctx)
            except cells.CellError as error:
                result.add_error(error.column or self.key_column, error.message)
            result.key = parsed_row.key
            self._mark_repeated(parsed_row, ctx)
            for column in self.columns:
                if column.required and column.name != self.key_column and not values.get(column.name):
                    result.add_error(column.name, cells.REQUIRED)
            if not result.errors:
                parsed_row.values = self.parse(values, ctx, result)
            parsed.append(parsed_row)
        good = [row for row in parsed if not row.result.errors]
        if good:
            service_results = self.save([row.values for row in good], ctx, dry_run=dry_run or len(good) < len(parsed))
            for row, outcome in zip(good, service_results, strict=True):
                outcome.index, outcome.key = row.number, row.key
                row.result = outcome
        results = [row.result for row in parsed]
        if not dry_run and any(result.errors for result in results):
            raise BulkInvalid(results)
        return results

    def _mark_repeated(self, row: ParsedRow, ctx: Context) -> None:
        key = row.key.casefold()
        if not key:
            return
        if key in ctx.seen:
            row.result.add_error(self.key_column, KEY_REPEATED % {"key": row.key, "first": ctx.seen[key]})
        else:
            ctx.seen[key] = row.number

    def _save_via(self, upsert: Callable, rows: list[dict], *, dry_run: bool, **kwargs) -> list[RowResult]:
        try:
            return upsert(rows=rows, dry_run=dry_run, **kwargs)
        except BulkInvalid as error:
            return error.results

    # --- what each kind fills in ------------------------------------------------------------
    def prepare(self, batch, ctx: Context) -> None:
        """Look up, for the whole batch at once, what its rows refer to (optional: nothing by default)."""
        return

    def finish(self, ctx: Context) -> None:
        """After the last batch of an import (inside its transaction): what is done once per file
        (optional: nothing by default)."""
        return

    def key(self, values: dict[str, str], ctx: Context) -> str:
        return values.get(self.key_column, "").strip()

    @abstractmethod
    def parse(self, values: dict[str, str], ctx: Context, result: RowResult) -> dict:
        """One row's cells as the values `save` takes; each problem added to `result`."""

    @abstractmethod
    def save(self, rows: list[dict], ctx: Context, *, dry_run: bool) -> list[RowResult]:
        """Create or update the parsed rows (matched by code), or with `dry_run` only say
        what each would do: a RowResult per row (create, update, unchanged or error)."""

    @abstractmethod
    def export_rows(self) -> Iterator[dict[str, Any]]:
        """Every record of the kind as a row of the import template (export, then import: unchanged)."""

    # --- helpers ----------------------------------------------------------------------------
    @staticmethod
    def cell(values, name, parser, result: RowResult, out: dict, *, target: str | None = None, **options) -> None:
        """Parse `values[name]` into `out[target]` when the column is in the file and
        the cell is not empty (an empty cell leaves the value as it is)."""
        if name not in values or values[name] == "":
            return
        try:
            value = parser(values[name], **options)
        except cells.CellError as error:
            result.add_error(name, error.message)
            return
        if value is not None:
            out[target or name] = value


def _region_paths(ctx: Context) -> dict[str, int]:
    if "region_paths" not in ctx.cache:
        ctx.cache["region_ids"] = region_name_paths()
        ctx.cache["region_paths"] = {normalized_region_path(path): pk for pk, path in ctx.cache["region_ids"].items()}
    return ctx.cache["region_paths"]


def _text(value: str) -> str:
    return value.strip()
