"""How amounts, dates and quantities read everywhere: pages (the `crm` template
filters), messages, notifications and exports' companions.

One format per kind, in both languages:
- money: `¥1,234.50` (yuan, two places, thousands separated);
- dates: `2026-10-01`, times `2026-10-01 14:30` (ISO order in English and in
  Chinese; the format modules in dealer_crm/formats say the same to Django, so a
  bare `{{ date }}` reads the same way);
- quantities with their unit, translated and plural-aware: `1 case`, `30 cases`,
  `30 箱`;
- whole numbers with thousands separators: `12,345`.
"""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation

from django.utils import timezone
from django.utils.translation import ngettext

EMPTY = "—"
DATE_FORMAT = "%Y-%m-%d"
DATETIME_FORMAT = "%Y-%m-%d %H:%M"


def _decimal(value) -> Decimal | None:
    if value is None or value == "" or isinstance(value, bool):
        return None
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        return None
    return number if number.is_finite() else None


def format_money(value) -> str:
    """An amount in yuan: 1234.5 → '¥1,234.50', -3 → '-¥3.00'; '—' for None or ''."""
    number = _decimal(value)
    if number is None:
        return EMPTY if value in (None, "") else str(value)
    sign = "-" if number < 0 else ""
    return f"{sign}¥{abs(number):,.2f}"


def format_number(value, places: int = 0) -> str:
    """A figure with thousands separators: 12345 → '12,345', (12345.6, 2) → '12,345.60'; '—' for None."""
    number = _decimal(value)
    if number is None:
        return EMPTY if value in (None, "") else str(value)
    return f"{number:,.{int(places)}f}"


def format_date(value) -> str:
    """A date (or the local date of a datetime) as 2026-10-01; '—' for None."""
    if value is None or value == "":
        return EMPTY
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        value = value.date()
    if isinstance(value, datetime.date):
        return value.strftime(DATE_FORMAT)
    return str(value)


def format_datetime(value) -> str:
    """A moment in local time as 2026-10-01 14:30; a plain date as format_date; '—' for None."""
    if value is None or value == "":
        return EMPTY
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.strftime(DATETIME_FORMAT)
    return format_date(value)


def format_date_range(start, end) -> str:
    """'2026-10-01 – 2026-10-07', or one date when both are the same day."""
    if start == end or end is None:
        return format_date(start)
    return f"{format_date(start)} – {format_date(end)}"


def unit_label(unit: str, count: int = 2) -> str:
    """The name of a product unit for `count` of them, in the active language: 'case' / 'cases' / '箱'."""
    labels = {
        "case": ngettext("case", "cases", count),
        "pack": ngettext("pack", "packs", count),
        "bag": ngettext("bag", "bags", count),
        "barrel": ngettext("barrel", "barrels", count),
    }
    return labels.get(unit, unit)


def format_quantity(value, unit: str = "case") -> str:
    """A whole quantity with its unit, plural-aware and translated: 1 → '1 case',
    30 → '30 cases' ('30 箱' in Chinese), 1200 → '1,200 cases'; '—' for None."""
    number = _decimal(value)
    if number is None:
        return EMPTY if value in (None, "") else str(value)
    count = int(number) if number == number.to_integral_value() else number
    figure = format_number(number, 0 if isinstance(count, int) else 2)
    # Chinese writes the unit after the number without a space ("30 箱" reads well
    # with one too); the translation decides, with the figure as %(count)s.
    template = {
        "case": ngettext("%(count)s case", "%(count)s cases", count if isinstance(count, int) else 2),
        "pack": ngettext("%(count)s pack", "%(count)s packs", count if isinstance(count, int) else 2),
        "bag": ngettext("%(count)s bag", "%(count)s bags", count if isinstance(count, int) else 2),
        "barrel": ngettext("%(count)s barrel", "%(count)s barrels", count if isinstance(count, int) else 2),
    }.get(unit)
    if template is None:
        return f"{figure} {unit}".strip()
    return template % {"count": figure}


def format_percent(value, places: int = 1) -> str:
    """A figure already in per cent: Decimal('21.3') → '21.3 %'; '—' for None."""
    number = _decimal(value)
    if number is None:
        return EMPTY
    return f"{number:,.{int(places)}f} %"
