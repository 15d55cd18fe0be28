"""How amounts read everywhere (pages, exports' companions, notifications)."""

from __future__ import annotations

from decimal import Decimal


def format_money(value) -> str:
    """An amount in yuan: 1234.5 → '¥1,234.50'; '—' for None or ''."""
    if value is None or value == "":
        return "—"
    return f"¥{Decimal(value):,.2f}"
