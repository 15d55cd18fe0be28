"""Writes of scorecards: market sizes, one by one (the API's create, update and
delete, the admin's form) or a whole table at once (import), all or nothing."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext_lazy as _

from common.api.fields import is_id_value
from inventory.models import ProductCategory
from regions.models import Region
from scorecards.models import MarketSize

IMPORT_EMPTY = _("Send at least one market size.")
IMPORT_ROW_INVALID = _("Row %(row)s: %(problem)s")
UNKNOWN_REGION = _("no such region")
UNKNOWN_CATEGORY = _("no such product category")
BAD_MONTH = _("give the month as its first day, e.g. 2026-10-01")
BAD_AMOUNT = _("the amount must be a number of at least 0")
DUPLICATE_ROW = _("the same region, month and category appear twice")
NOT_A_ROW = _("give each row as an object with region, period_start, category and amount")
# The largest market size the column holds (max_digits 16, 2 decimal places).
AMOUNT_LIMIT = Decimal(10) ** (MarketSize._meta.get_field("amount").max_digits - MarketSize._meta.get_field("amount").decimal_places)


MARKET_SIZE_FIELDS = ("region", "period_start", "category", "amount")


@transaction.atomic
def market_size_create(*, region: Region, period_start, category: ProductCategory, amount: Decimal, by) -> MarketSize:
    """One market size (region, month, category), checked in full (its month's first day,
    an amount of at least 0, one per region, month and category) before it is saved."""
    size = MarketSize(region=region, period_start=period_start, category=category, amount=amount, updated_by=by)
    size.full_clean(exclude=["updated_by"])
    size.save()
    return size


@transaction.atomic
def market_size_update(*, market_size: MarketSize, by, **fields) -> MarketSize:
    """Change a market size's region, month, category and/or amount; `by` is recorded."""
    unknown = set(fields) - set(MARKET_SIZE_FIELDS)
    if unknown:
        raise TypeError(f"market_size_update() cannot change {', '.join(sorted(unknown))}")
    size = MarketSize.objects.select_for_update().get(pk=market_size.pk)
    for name, value in fields.items():
        setattr(size, name, value)
    size.updated_by = by
    size.full_clean(exclude=["updated_by"])
    size.save()
    return size


@transaction.atomic
def market_size_delete(*, market_size: MarketSize, by=None) -> None:
    """Remove a market size entered by mistake (the region then has no index for that month)."""
    MarketSize.objects.filter(pk=market_size.pk).delete()


@transaction.atomic
def market_sizes_import(*, rows: Iterable[dict], by) -> tuple[int, int]:
    """Create or update market sizes from rows {"region", "period_start", "category",
    "amount"} (ids, ISO date of the month's first day, money). Every row is checked
    before the first is written; any bad row → ValidationError naming the rows,
    nothing saved. Returns (created, updated)."""
    rows = list(rows)
    if not rows:
        raise ValidationError({"rows": [IMPORT_EMPTY]})
    objects = [row for row in rows if isinstance(row, dict)]
    region_ids = set(Region.objects.filter(pk__in=[_int(r.get("region")) for r in objects]).values_list("pk", flat=True))
    category_ids = set(
        ProductCategory.objects.filter(pk__in=[_int(r.get("category")) for r in objects]).values_list("pk", flat=True)
    )
    errors, clean, seen = [], [], set()
    for number, row in enumerate(rows, start=1):
        if not isinstance(row, dict):
            errors.append(ValidationError(IMPORT_ROW_INVALID, params={"row": number, "problem": NOT_A_ROW}))
            continue
        region, category = _int(row.get("region")), _int(row.get("category"))
        month = _month(row.get("period_start"))
        try:
            amount = Decimal(str(row.get("amount")))
        except (InvalidOperation, ValueError):
            amount = None
        problem = (
            UNKNOWN_REGION if region not in region_ids else
            UNKNOWN_CATEGORY if category not in category_ids else
            BAD_MONTH if month is None or month.day != 1 else
            BAD_AMOUNT if amount is None or not amount.is_finite() or amount < 0 or amount >= AMOUNT_LIMIT else
            DUPLICATE_ROW if (region, month, category) in seen else None
        )
        if problem:
            errors.append(ValidationError(IMPORT_ROW_INVALID, params={"row": number, "problem": problem}))
            continue
        seen.add((region, month, category))
        clean.append((region, month, category, amount.quantize(Decimal("0.01"))))
    if errors:
        raise ValidationError({"rows": errors})
    existing = {
        (size.region_id, size.period_start, size.category_id): size
        for size in MarketSize.objects.select_for_update().filter(
            region_id__in={r for r, _m, _c, _a in clean}, period_start__in={m for _r, m, _c, _a in clean},
            category_id__in={c for _r, _m, c, _a in clean},
        )
    }
    new, changed = [], []
    for region, month, category, amount in clean:
        size = existing.get((region, month, category))
        if size is None:
            new.append(MarketSize(region_id=region, period_start=month, category_id=category, amount=amount, updated_by=by))
        else:
            size.amount, size.updated_by = amount, by
            changed.append(size)
    now = timezone.now()
    for size in changed:
        size.updated_at = now
    MarketSize.objects.bulk_create(new)
    if changed:
        MarketSize.objects.bulk_update(changed, ["amount", "updated_by", "updated_at"])
    return len(new), len(changed)


def _int(value) -> int | None:
    """An id as sent (an int or ASCII digits), else None."""
    return int(value) if is_id_value(value) else None


def _month(value):
    """The date in `value` (ISO), or None when there is none or it does not exist (2026-13-01)."""
    if not value or not isinstance(value, str):
        return None
    try:
        return parse_date(value)
    except ValueError:
        return None

