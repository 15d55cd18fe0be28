"""Reading attendees and leads from a CSV file (the import on the attendees page and the API).

The file needs a header row; columns are recognised by English or Chinese names
(`name`/姓名, `phone`/电话/手机, `company`/公司, `email`/邮箱, `interest`/意向,
`note`/备注), in any order; `name` and `phone` are required. Interest takes
hot/warm/cold/none or 高/中/低/无 (empty: warm). UTF-8 (with or without BOM)
and GB18030 (what Excel saves in China) are both read.

Rows are only read here; promotions.services.attendees_import validates them
all and saves all or nothing.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from promotions.models import Interest

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5000

FILE_EMPTY = _("The file is empty.")
FILE_TOO_LARGE = _("The file is too large: at most 2 MB.")
TOO_MANY_ROWS = _("Too many rows: at most %(max)s at a time.")
NOT_TEXT = _("This is not a CSV text file (save the sheet as CSV, UTF-8).")
CSV_UNREADABLE = _("Line %(line)s cannot be read as CSV (%(error)s); save the sheet as CSV, UTF-8.")
COLUMNS_MISSING = _("The header row must name the columns %(columns)s; found: %(found)s.")
INTEREST_UNKNOWN = _("Unknown interest “%(value)s”: use hot, warm, cold or none.")

HEADER_ALIASES = {
    "name": {"name", "full name", "姓名", "名字", "联系人"},
    "phone": {"phone", "mobile", "phone number", "tel", "电话", "手机", "手机号", "联系电话"},
    "company": {"company", "company name", "公司", "单位", "公司名称"},
    "email": {"email", "e-mail", "mail", "邮箱", "电子邮箱"},
    "interest": {"interest", "interest level", "意向", "意向程度", "兴趣"},
    "note": {"note", "notes", "remark", "备注"},
}
INTEREST_ALIASES = {
    "": Interest.WARM,
    "hot": Interest.HOT, "high": Interest.HOT, "高": Interest.HOT, "强": Interest.HOT, "a": Interest.HOT,
    "warm": Interest.WARM, "medium": Interest.WARM, "中": Interest.WARM, "一般": Interest.WARM, "b": Interest.WARM,
    "cold": Interest.COLD, "low": Interest.COLD, "低": Interest.COLD, "弱": Interest.COLD, "c": Interest.COLD,
    "none": Interest.NONE, "no": Interest.NONE, "无": Interest.NONE, "没有": Interest.NONE, "attendee": Interest.NONE,
}


class CsvFormatError(Exception):
    """The file as a whole cannot be read (not its rows)."""

    def __init__(self, message, row: int = 0):
        super().__init__(str(message))
        self.row = row


@dataclass(frozen=True)
class AttendeeRow:
    line: int
    name: str
    phone: str
    company: str = ""
    email: str = ""
    interest: str = Interest.WARM
    note: str = ""
    interest_raw: str = ""


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise CsvFormatError(NOT_TEXT)


def _column_map(header: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for index, title in enumerate(header):
        key = title.strip().lower()
        for field, aliases in HEADER_ALIASES.items():
            if key in aliases and field not in found:
                found[field] = index
    missing = [field for field in ("name", "phone") if field not in found]
    if missing:
        raise CsvFormatError(
            COLUMNS_MISSING % {"columns": ", ".join(missing), "found": ", ".join(h.strip() for h in header) or "—"},
            row=1,
        )
    return found


def interest_from_text(value: str) -> str | None:
    """hot/warm/cold/none in English or Chinese, or a label's first word; None when unknown."""
    text = (value or "").strip().lower()
    if text in Interest.values:
        return text
    if text in INTEREST_ALIASES:
        return INTEREST_ALIASES[text]
    first = text.split(" ", 1)[0]
    return INTEREST_ALIASES.get(first)


def read_attendee_rows(upload) -> list[AttendeeRow]:
    """The data rows of an uploaded CSV file (blank lines skipped), or CsvFormatError.

    An unknown interest is kept as given (interest "" + interest_raw) so that the
    service reports it against its row with the other row errors.
    """
    data = upload.read() if hasattr(upload, "read") else bytes(upload)
    if isinstance(data, str):
        data = data.encode("utf-8")
    if len(data) > MAX_BYTES:
        raise CsvFormatError(FILE_TOO_LARGE)
    if not data.strip():
        raise CsvFormatError(FILE_EMPTY)
    if b"\x00" in data[:4096]:
        raise CsvFormatError(NOT_TEXT)
    text = _decode(data)
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    try:
        return _attendee_rows(reader)
    except csv.Error as error:  # a field past csv.field_size_limit(), a stray quote or line break
        raise CsvFormatError(CSV_UNREADABLE % {"line": reader.line_num, "error": error}, row=reader.line_num) from error


def _attendee_rows(reader) -> list[AttendeeRow]:
    """The rows after the header row of `reader` (csv.Error escapes to the caller)."""
    try:
        header = next(reader)
    except StopIteration as error:
        raise CsvFormatError(FILE_EMPTY) from error
    columns = _column_map(header)
    rows = []

    def cell(values: list[str], field: str) -> str:
        index = columns.get(field)
        return values[index].strip() if index is not None and index < len(values) else ""

    for values in reader:
        if not any(value.strip() for value in values):
            continue
        if len(rows) >= MAX_ROWS:
            raise CsvFormatError(TOO_MANY_ROWS % {"max": MAX_ROWS})
        raw_interest = cell(values, "interest")
        interest = interest_from_text(raw_interest)
        rows.append(AttendeeRow(
            line=reader.line_num, name=cell(values, "name"), phone=cell(values, "phone"),
            company=cell(values, "company"), email=cell(values, "email"), note=cell(values, "note"),
            interest=interest if interest is not None else "", interest_raw=raw_interest,
        ))
    if not rows:
        raise CsvFormatError(FILE_EMPTY)
    return rows
