"""CSV and XLSX downloads of a list, for every export in the app.

    columns = [Column(_("Code"), "code"), Column(_("Amount"), lambda order: order.total)]
    return export_response(queryset, columns, filename="orders", fmt=request.GET.get("format"))

The caller passes a queryset already scoped to the user (and select_related),
so an export never shows more than the page it comes from. Rows are streamed
(CSV) or written in openpyxl's write-only mode (XLSX), so memory stays flat.
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


@dataclass(frozen=True)
class Column:
    header: Any
    value: str | Callable[[Any], Any]

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
    return force_str(value)


class _Echo:
    def write(self, value: str) -> str:
        return value


def _csv_rows(rows: Iterable, columns: list[Column]):
    writer = csv.writer(_Echo())
    yield "\ufeff"  # a BOM, so Excel opens Chinese text as UTF-8
    yield writer.writerow([force_str(column.header) for column in columns])
    for row in rows:
        yield writer.writerow([_plain(column.get(row)) for column in columns])


def export_response(rows: Iterable, columns: list[Column], *, filename: str, fmt: str | None) -> HttpResponse:
    """A CSV (default) or XLSX attachment of `rows`."""
    stamp = timezone.localdate().isoformat()
    if fmt == "xlsx":
        from openpyxl import Workbook

        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(title=filename[:31])
        sheet.append([force_str(column.header) for column in columns])
        for row in rows:
            sheet.append([_plain(column.get(row)) for column in columns])
        buffer = io.BytesIO()
        workbook.save(buffer)
        response = HttpResponse(buffer.getvalue(), content_type=XLSX_CONTENT_TYPE)
        response["Content-Disposition"] = f'attachment; filename="{filename}-{stamp}.xlsx"'
        return response
    response = StreamingHttpResponse(_csv_rows(rows, columns), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}-{stamp}.csv"'
    return response
