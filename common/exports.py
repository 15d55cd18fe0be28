"""CSV and XLSX downloads of a list, for every export in the app.

    columns = [Column(_("Code"), "code"), Column(_("Amount"), lambda order: order.total, kind=MONEY)]
    return export_response(queryset, columns, filename="orders", fmt=request.GET.get("format"))

The caller passes a queryset already scoped to the user (and select_related),
so an export never shows more than the page it comes from. Rows are streamed
(CSV) or written in openpyxl's write-only mode (XLSX), so memory stays flat.

XLSX cells keep their type and read as on the pages: money `¥1,234.50`, whole
numbers `1,234`, dates `2026-10-01` as real dates, with the header row frozen.
A column's `kind` says how (MONEY, INTEGER, DECIMAL, PERCENT, DATE, DATETIME,
TEXT); without one it follows the value (numbers stay numbers). CSV stays plain
machine-readable numbers and ISO dates, for re-import.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.encoding import force_str

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS = ("csv", "xlsx")
# A cell a spreadsheet would run as a formula starts with one of these (OWASP "CSV injection").
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def neutralised(text: str) -> str:
    """Text a user typed, made inert for a spreadsheet: a leading formula character is
    escaped with an apostrophe (SPEC: "exported so that no spreadsheet runs them as a
    formula"). Only text: real numbers, negative ones included, stay numbers."""
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


# Column kinds: how an XLSX cell shows its value (CSV stays plain).
MONEY, INTEGER, DECIMAL, PERCENT, DATE, DATETIME, TEXT = "money", "integer", "decimal", "percent", "date", "datetime", "text"
XLSX_NUMBER_FORMATS = {
    MONEY: '"¥"#,##0.00',
    INTEGER: "#,##0",
    DECIMAL: "#,##0.00",
    PERCENT: '0.0" %"',  # a figure already in per cent (21.3 → 21.3 %)
    DATE: "yyyy-mm-dd",
    DATETIME: "yyyy-mm-dd hh:mm",
}


@dataclass(frozen=True)
class Column:
    header: Any
    value: str | Callable[[Any], Any]
    kind: str = ""  # MONEY, INTEGER, ...; "" follows the value

    def get(self, row: Any) -> Any:
        if callable(self.value):
            return self.value(row)
        value = row
        for part in self.value.split("__"):
            value = value.get(part) if isinstance(value, dict) else getattr(value, part, None)
            if value is None:
                return None
        return value


def _plain(value: Any) -> Any:
    """A cell value: numbers stay numbers, dates local, everything else text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime):
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if isinstance(value, (int, float, Decimal, date)):
        return value
    return neutralised(force_str(value))


def _wide_text(text: str) -> bool:
    """Chinese characters take two columns' width in a spreadsheet."""
    return any("\u3400" <= char <= "\u9fff" for char in text)


class _Echo:
    def write(self, value: str) -> str:
        return value


def _csv_rows(rows: Iterable, columns: list[Column]):
    writer = csv.writer(_Echo())
    yield "\ufeff"  # a BOM, so Excel opens Chinese text as UTF-8
    yield writer.writerow([neutralised(force_str(column.header)) for column in columns])
    for row in rows:
        yield writer.writerow([_plain(column.get(row)) for column in columns])


def xlsx_number_format(value: Any, kind: str = "") -> str | None:
    """The number format of an XLSX cell of `kind` holding `value`; None for text."""
    if isinstance(value, bool) or value in ("", None):
        return None
    if kind in XLSX_NUMBER_FORMATS and kind not in (DATE, DATETIME):
        return XLSX_NUMBER_FORMATS[kind] if isinstance(value, (int, float, Decimal)) else None
    if isinstance(value, datetime):
        return XLSX_NUMBER_FORMATS[DATETIME]
    if isinstance(value, date):
        return XLSX_NUMBER_FORMATS[DATE]
    if isinstance(value, int):
        return XLSX_NUMBER_FORMATS[INTEGER]
    if isinstance(value, (float, Decimal)):
        return XLSX_NUMBER_FORMATS[DECIMAL]
    return None


def _xlsx_cells(sheet, values: list, columns: list[Column]) -> list:
    """A row of write-only cells: numbers and dates typed and formatted, text as text."""
    from openpyxl.cell import WriteOnlyCell

    cells = []
    for value, column in zip(values, columns, strict=True):
        cell = WriteOnlyCell(sheet, value=value)
        number_format = xlsx_number_format(value, column.kind)
        if number_format:
            cell.number_format = number_format
        cells.append(cell)
    return cells


def _xlsx_header(sheet, columns: list[Column]) -> list:
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    cells = []
    for column in columns:
        cell = WriteOnlyCell(sheet, value=neutralised(force_str(column.header)))
        cell.font = Font(bold=True)
        cells.append(cell)
    return cells


def export_response(rows: Iterable, columns: list[Column], *, filename: str, fmt: str | None) -> HttpResponse:
    """A CSV (default) or XLSX attachment of `rows`."""
    stamp = timezone.localdate().isoformat()
    if fmt == "xlsx":
        from openpyxl import Workbook
        from openpyxl.utils import get_column_letter

        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(title=filename[:31])
        # The header stays in view while scrolling; columns wide enough for their header.
        sheet.freeze_panes = "A2"
        for index, column in enumerate(columns, start=1):
            width = max(len(force_str(column.header)) * (2 if _wide_text(force_str(column.header)) else 1), 10) + 2
            if column.kind in (MONEY, DATETIME):
                width = max(width, 16)
            sheet.column_dimensions[get_column_letter(index)].width = min(width, 50)
        sheet.append(_xlsx_header(sheet, columns))
        for row in rows:
            sheet.append(_xlsx_cells(sheet, [_plain(column.get(row)) for column in columns], columns))
        buffer = io.BytesIO()
        workbook.save(buffer)
        response = HttpResponse(buffer.getvalue(), content_type=XLSX_CONTENT_TYPE)
        response["Content-Disposition"] = f'attachment; filename="{filename}-{stamp}.xlsx"'
        return response
    response = StreamingHttpResponse(_csv_rows(rows, columns), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}-{stamp}.csv"'
    return response
