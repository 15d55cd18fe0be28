"""Reading an uploaded CSV or XLSX file row by row, in bounded memory.

- CSV: UTF-8 (with or without BOM) or GB18030 (what Excel saves in China), comma,
  semicolon or tab separated, decoded as a stream.
- XLSX: the first sheet, read with openpyxl's read-only (streaming) mode.
  Formulas are never evaluated: a cell holding "=A1*2" is read as that text.

The first non-empty row is the header; columns are matched by name, in any order
(`kind.columns`), case-insensitively. Every data row comes out as
`(row number as the spreadsheet shows it, {column: text})`; blank rows are skipped.
"""

from __future__ import annotations

import codecs
import csv
import datetime
import io
from collections.abc import Iterator, Sequence
from decimal import Decimal

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

NOT_CSV_OR_XLSX = _("This is not a CSV or XLSX file. Save the sheet as “CSV UTF-8” or as an Excel workbook (.xlsx).")
OLD_EXCEL = _("Old Excel files (.xls) cannot be read: save the sheet as an Excel workbook (.xlsx) or as CSV.")
FILE_TOO_LARGE = _("The file is too large (%(size)s): at most %(limit)s. Split it into smaller files.")
FILE_EMPTY = _("The file is empty: it needs a header row and at least one row of data.")
NO_DATA_ROWS = _("The file has a header row but no rows of data.")
XLSX_UNREADABLE = _("The workbook cannot be read (%(reason)s). Save it again as .xlsx, or as CSV.")
HEADER_MISSING = _("Column(s) missing from the header row: %(columns)s. Download the template to see the columns.")
HEADER_UNKNOWN = _("Unknown column(s) in the header row: %(columns)s. The columns are: %(expected)s.")
HEADER_REPEATED = _("The column “%(column)s” appears twice in the header row.")

CSV_EXTENSIONS = (".csv", ".txt")
XLSX_EXTENSIONS = (".xlsx", ".xlsm")
MAX_CELL = 2000  # characters kept of a cell (memory guard; every field is far shorter)


class FileProblem(Exception):
    """The file as a whole cannot be imported (its format or its header), not one of its rows."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = str(message)


def max_bytes() -> int:
    return settings.IMPORT_MAX_BYTES


def check_size(size: int) -> None:
    if size > max_bytes():
        raise FileProblem(FILE_TOO_LARGE % {"size": filesizeformat(size), "limit": filesizeformat(max_bytes())})


def detect_format(name: str, head: bytes) -> str:
    """"csv" or "xlsx" from the file's first bytes (and name), or FileProblem."""
    lower = (name or "").lower()
    if not head.strip():
        raise FileProblem(FILE_EMPTY)
    if head.startswith(b"PK\x03\x04"):
        if lower.endswith(CSV_EXTENSIONS):
            raise FileProblem(NOT_CSV_OR_XLSX)
        return "xlsx"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise FileProblem(OLD_EXCEL)
    if lower.endswith(XLSX_EXTENSIONS) or b"\x00" in head:
        raise FileProblem(NOT_CSV_OR_XLSX)
    if _encoding(head) is None:
        raise FileProblem(NOT_CSV_OR_XLSX)
    return "csv"


def _encoding(head: bytes) -> str | None:
    """UTF-8 or GB18030, whichever decodes the file's beginning (a cut multibyte
    character at the very end of the sample is allowed)."""
    for encoding in ("utf-8-sig", "gb18030"):
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            decoder.decode(head, final=False)
        except UnicodeDecodeError:
            continue
        return encoding
    return None


def cell_text(value) -> str:
    """A cell's value as the text a person typed: numbers without a trailing ".0",
    dates as YYYY-MM-DD, nothing ever evaluated."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return format(Decimal(repr(value)), "f")
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat(sep=" ")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value).strip()


def _csv_records(stream, encoding: str) -> Iterator[list[str]]:
    text = io.TextIOWrapper(stream, encoding=encoding, newline="", errors="strict")
    sample = text.read(8192)
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    text.seek(0)
    try:
        yield from csv.reader(text, dialect)
    except UnicodeDecodeError as error:
        raise FileProblem(NOT_CSV_OR_XLSX) from error
    except csv.Error as error:
        raise FileProblem(NOT_CSV_OR_XLSX) from error


def _xlsx_records(stream) -> Iterator[list[str]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(stream, read_only=True, data_only=False)
    except Exception as error:  # a broken or encrypted zip, not a workbook at all, ...
        raise FileProblem(XLSX_UNREADABLE % {"reason": type(error).__name__}) from error
    try:
        sheet = workbook.worksheets[0]
        for values in sheet.iter_rows(values_only=True):
            yield [cell_text(value) for value in values]
    finally:
        workbook.close()


def records(stream, file_format: str) -> Iterator[list[str]]:
    """Every row of the file as a list of texts (header included), streamed."""
    if file_format == "xlsx":
        yield from _xlsx_records(stream)
        return
    head = stream.read(65536)
    stream.seek(0)
    encoding = _encoding(head)
    if encoding is None:
        raise FileProblem(NOT_CSV_OR_XLSX)
    for record in _csv_records(stream, encoding):
        yield [value.strip() for value in record]


def estimate_rows(stream, file_format: str) -> int | None:
    """About how many data rows the file has, cheaply (for the progress bar)."""
    if file_format == "csv":
        lines = 0
        while chunk := stream.read(1 << 20):
            lines += chunk.count(b"\n")
        stream.seek(0)
        return max(lines, 1)
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(stream, read_only=True)
        rows = workbook.worksheets[0].max_row
        workbook.close()
    except Exception:
        rows = None
    stream.seek(0)
    return rows - 1 if rows else None


def header_map(header: Sequence[str], *, columns: Sequence[str], required: Sequence[str]) -> dict[str, int]:
    """{column: position} from the header row, or FileProblem naming what is wrong."""
    found: dict[str, int] = {}
    unknown = []
    for index, title in enumerate(header):
        name = title.strip().lower().replace(" ", "_")
        if not name:
            continue
        if name not in columns:
            unknown.append(title.strip())
        elif name in found:
            raise FileProblem(HEADER_REPEATED % {"column": title.strip()})
        else:
            found[name] = index
    missing = [name for name in required if name not in found]
    if missing:
        raise FileProblem(HEADER_MISSING % {"columns": ", ".join(missing)})
    if unknown:
        raise FileProblem(HEADER_UNKNOWN % {"columns": ", ".join(unknown), "expected": ", ".join(columns)})
    return found


def data_rows(stream, file_format: str, *, columns: Sequence[str], required: Sequence[str]
              ) -> tuple[list[str], Iterator[tuple[int, dict[str, str]]]]:
    """(the columns present, an iterator of (row number, {column: text})) — the header
    is checked at once (FileProblem), the rows are read as they are consumed."""
    iterator = iter(records(stream, file_format))
    number = 0
    for values in iterator:
        number += 1
        if any(value for value in values):
            break
    else:
        raise FileProblem(FILE_EMPTY)
    positions = header_map(values, columns=columns, required=required)

    def rows() -> Iterator[tuple[int, dict[str, str]]]:
        row_number = number
        any_data = False
        for values in iterator:
            row_number += 1
            if not any(values):
                continue
            any_data = True
            yield row_number, {
                name: (values[index][:MAX_CELL] if index < len(values) else "") for name, index in positions.items()
            }
        if not any_data:
            raise FileProblem(NO_DATA_ROWS)

    return list(positions), rows()
