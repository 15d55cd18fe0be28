"""How a quantity reads with its unit, plural-aware in every language: "1 case",
"24 cases", "24 箱" (SPEC §3: stock and orders are counted in whole units, cases)."""

from __future__ import annotations

from django.utils.formats import number_format
from django.utils.translation import npgettext

from inventory.models import ProductUnit


def unit_name(unit: str, count: int = 2) -> str:
    """The unit's name for `count` of it ("case" / "cases"); other units read as cases."""
    if unit == ProductUnit.PACK:
        return npgettext("unit", "pack", "packs", count)
    if unit == ProductUnit.BAG:
        return npgettext("unit", "bag", "bags", count)
    if unit == ProductUnit.BARREL:
        return npgettext("unit", "barrel", "barrels", count)
    return npgettext("unit", "case", "cases", count)


def in_units(quantity, unit: str = ProductUnit.CASE) -> str:
    """`quantity` with its unit: "24 cases"; "—" when there is no quantity."""
    if quantity is None or quantity == "":
        return "—"
    try:
        count = int(quantity)
    except (TypeError, ValueError):
        return str(quantity)
    if unit == ProductUnit.PACK:
        text = npgettext("unit", "%(count)s pack", "%(count)s packs", count)
    elif unit == ProductUnit.BAG:
        text = npgettext("unit", "%(count)s bag", "%(count)s bags", count)
    elif unit == ProductUnit.BARREL:
        text = npgettext("unit", "%(count)s barrel", "%(count)s barrels", count)
    else:
        text = npgettext("unit", "%(count)s case", "%(count)s cases", count)
    return text % {"count": number_format(count, force_grouping=True)}
