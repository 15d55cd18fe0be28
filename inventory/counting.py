"""Writes of stock at the dealers (SPEC §3 "Counts in daily life"), HackSoft
services: a stock count saved whole or not at all, with its suggested order
stored with the working; one current count per reference (counting again
replaces the earlier count, which is kept, marked replaced); an identical count
sent again shortly after is the same count; implausible quantities questioned
unless confirmed; the products a dealer carries added and stopped.

Inventory knows nothing of visits: a count is taken at an opaque `reference`
("visit:42" for the visits app), and the caller serialises the saves of one
reference (visits lock the visit row); a partial unique index is the backstop.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.backends.base.operations import BaseDatabaseOperations
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from dealers.models import Dealer
from inventory import calculations
from inventory.models import (
    CarrySource,
    DealerProduct,
    Product,
    StockCount,
    StockCountLine,
    SuggestedOrderLine,
)
from inventory.selectors import (
    Carried,
    carried_products,
    plausibility_references,
    plausibility_settings,
    suggested_orders,
    suggestion_settings,
)

# --- Messages (asserted by the tests) -----------------------------------------------------
COUNT_NEEDS_LINES = _("Count at least one product.")
COUNT_IN_FUTURE = _("The count cannot be dated in the future.")
COUNT_BEFORE_PREVIOUS = _("The count cannot be dated before the dealer's previous count (%(previous)s).")
LINE_PRODUCT_UNKNOWN = _("Line %(line)s: there is no such product.")
LINE_PRODUCT_NOT_CARRIED = _(
    "%(product)s is not a product this dealer carries: if you found it on the shelf, add it as found on the shelf."
)
LINE_PRODUCT_REPEATED = _("%(product)s is counted twice: put it on one line.")
LINE_QUANTITY_INVALID = _("%(product)s: enter the stock as a whole number of cases, zero or more.")
LINE_QUANTITY_TOO_LARGE = _("%(product)s: %(quantity)s cases is more than can be recorded (at most %(limit)s).")
LINE_QUANTITY_IMPLAUSIBLE = _(
    "%(product)s: %(quantity)s cases is more than %(multiple)s × the most this dealer recently had "
    "(%(reference)s cases counted or delivered). Check the count, or confirm it is right."
)
CONFIRM_IMPLAUSIBLE = _(
    "Some quantities look implausible: check them, or confirm that they are right and save again."
)
LINE_PRODUCTION_DATE_INVALID = _("%(product)s: enter the production date as a date (YYYY-MM-DD).")
LINE_PRODUCTION_DATE_FUTURE = _("%(product)s: the production date cannot be after the count.")
LINE_BATCH_TOO_LONG = _("%(product)s: keep the batch under 64 characters.")
PRODUCT_NOT_CARRIED = _("This dealer does not carry that product.")
PRODUCT_UNKNOWN = _("There is no such product.")

BATCH_MAX = 64
# The quantity column's range (PositiveIntegerField, a 32-bit integer on PostgreSQL): beyond it is
# refused with a message on every database, never a database error.
QUANTITY_MAX = BaseDatabaseOperations.integer_field_ranges["PositiveIntegerField"][1]
# Ids are 64-bit: a larger number is no product (and no database error).
ID_MAX = 2**63 - 1
IMPLAUSIBLE = "implausible"  # the ValidationError code of a questioned line


@dataclass
class CountSaved:
    """What stock_count_save did: the count and its lines, whether it was created
    now (False: an identical count of the same reference had just been saved and
    is returned instead), and the count it replaced, if any."""

    count: StockCount
    lines: list[StockCountLine]
    created: bool
    replaced: StockCount | None


def _line_key(index: int) -> str:
    """The error key of a count line: `lines.<index>` (0-based, the position sent)."""
    return f"lines.{index}"


def parse_product_id(value) -> int | None:
    """A product id from input (an int or a string of digits, within the id range), or None."""
    if isinstance(value, Product):
        return value.pk
    if isinstance(value, bool):
        return None
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, int) and 0 < value <= ID_MAX:
        return value
    return None


def parse_quantity(value) -> int | None:
    """A whole number of cases ≥ 0 (an int, or a string of digits from a form), or None.
    Floats and decimals are refused, even 2.0: quantities are integers (API.md)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        value = value.strip()
        return int(value) if value.isdigit() and value.isascii() else None
    if isinstance(value, int) and value >= 0:
        return value
    return None


def parse_flag(value) -> bool:
    """A checkbox or JSON boolean: true, "on", "1", "true", "yes"."""
    if isinstance(value, str):
        return value.strip().lower() in ("1", "on", "true", "yes")
    return value is True or value == 1


def _date(value) -> datetime.date | None | bool:
    """A date, None when empty, False when not a date."""
    if value in (None, ""):
        return None
    if isinstance(value, datetime.datetime):
        return False
    if isinstance(value, datetime.date):
        return value
    try:
        return parse_date(str(value).strip()) or False
    except ValueError:
        return False


def _digest(rows: list[StockCountLine], counted_at: datetime.datetime | None) -> str:
    """A digest of what a count says (its lines, and its time when one was given)."""
    content = sorted(
        (row.product_id, row.quantity, row.production_date.isoformat() if row.production_date else "", row.batch)
        for row in rows
    )
    payload = json.dumps([content, counted_at.isoformat() if counted_at else ""], separators=(",", ":"))
    return hashlib.sha256(payload.encode()).hexdigest()


def duplicate_window() -> datetime.timedelta:
    """How long after a count an identical one of the same reference is a retry (SPEC: "within a short window")."""
    return datetime.timedelta(minutes=int(getattr(settings, "STOCK_COUNT_DUPLICATE_WINDOW_MINUTES", 10)))


def stock_count_save(
    *,
    dealer: Dealer,
    reference: str,
    user,
    lines: Iterable[Mapping],
    counted_at: datetime.datetime | None = None,
    confirm_implausible: bool = False,
) -> CountSaved:
    """Save a stock count of `dealer` taken at `reference`, with `lines` =
    [{product (id or Product), quantity, production_date, batch, found_on_shelf}, ...],
    and store its suggested order with the working.

    Every line is checked before anything is written (ValidationError keyed
    `lines.<index>`, and `counted_at`, `lines`, `confirm_implausible`): a
    product the dealer does not carry is refused unless found on the shelf
    (which carries it from now on); a quantity beyond the column's range is
    refused; one above the plausible limit (calculations.plausible_limit) is
    questioned (code "implausible") unless `confirm_implausible`.

    The current count of `reference` is replaced (kept, marked replaced). If it
    says exactly the same and was saved within duplicate_window(), nothing is
    written and it is returned (`created` False): a double tap or a retry.
    """
    lines = list(lines)
    # Every refusal is decided before anything is written and raised once the
    # transaction is left, so a refused count never spoils the caller's transaction.
    with transaction.atomic(savepoint=False):
        saved, errors = _save(dealer=dealer, reference=reference, user=user, lines=lines, counted_at=counted_at,
                              confirm_implausible=confirm_implausible)
    if errors:
        raise ValidationError(errors)
    return saved


def _save(*, dealer: Dealer, reference: str, user, lines: list[Mapping], counted_at: datetime.datetime | None,
          confirm_implausible: bool) -> tuple[CountSaved | None, dict[str, list]]:
    now = timezone.now()
    explicit_time = counted_at
    counted_at = counted_at or now
    errors: dict[str, list] = {}
    if counted_at > now + datetime.timedelta(minutes=5):  # a little clock drift of a phone is fine
        errors["counted_at"] = [COUNT_IN_FUTURE]
    rows, found, names = _validated_lines(dealer=dealer, lines=lines, counted_on=timezone.localdate(counted_at),
                                          errors=errors)
    _, lookback, _threshold = suggestion_settings()
    current, recent = _current_and_recent(dealer=dealer, reference=reference, limit=lookback + 1)
    if not errors:
        digest = _digest(rows, explicit_time)
        if current is not None and current.lines_digest == digest and now - current.created_at <= duplicate_window():
            return CountSaved(current, list(current.lines.order_by("product_id")), False, current.replaces), {}
    if recent and counted_at < recent[0][1]:
        errors["counted_at"] = [COUNT_BEFORE_PREVIOUS % {
            "previous": timezone.localtime(recent[0][1]).strftime("%Y-%m-%d %H:%M")
        }]
    if not confirm_implausible:  # the good lines are questioned too, so every problem shows at once
        _question_implausible(dealer=dealer, rows=rows, names=names, recent=recent, at=counted_at, lines=lines,
                              errors=errors)
    if errors:
        return None, errors
    if current is not None:
        StockCount.objects.filter(pk=current.pk).update(replaced_at=now)
        current.replaced_at = now
    count = StockCount.objects.create(
        dealer=dealer, reference=reference, counted_at=counted_at, counted_by=user, replaces=current,
        lines_digest=digest,
    )
    for row in rows:
        row.stock_count = count
    StockCountLine.objects.bulk_create(rows)
    if found:
        _carry(dealer=dealer, product_ids=found, since=timezone.localdate(counted_at), source=CarrySource.COUNT,
               by=user)
    suggestion_lines_store(count=count, replace=False)
    return CountSaved(count, sorted(rows, key=lambda row: row.product_id), True, current), {}


def _current_and_recent(*, dealer: Dealer, reference: str, limit: int):
    """(the current count of `reference` or None, the dealer's latest other current
    counts [(id, counted_at)], newest first, at most `limit`). One query as a rule:
    the reference's own count is among the dealer's newest."""
    newest = list(
        StockCount.objects.current().filter(dealer=dealer).newest_first()
        .only("pk", "reference", "counted_at", "created_at", "lines_digest", "replaces_id")[:limit + 1]
    )
    current = next((count for count in newest if reference and count.reference == reference), None)
    if current is None and reference and len(newest) > limit:
        current = StockCount.objects.current().filter(reference=reference).first()
    recent = [(count.pk, count.counted_at) for count in newest if not (reference and count.reference == reference)]
    return current, recent[:limit]


def _validated_lines(*, dealer: Dealer, lines: list[Mapping], counted_on: datetime.date,
                     errors: dict[str, list]) -> tuple[list[StockCountLine], list[int], dict[int, str]]:
    """The lines as rows to insert, the products found on the shelf that the dealer
    did not carry yet, and {product_id: name} where a message needed it; a message
    per bad line in `errors`. Names are read only when there is something to say."""
    if not lines:
        errors["lines"] = [COUNT_NEEDS_LINES]
        return [], [], {}
    carried = carried_products(dealer_ids=[dealer.pk])[dealer.pk]
    parsed = []
    for line in lines:
        parsed.append((
            parse_product_id(line.get("product")), parse_quantity(line.get("quantity")),
            _date(line.get("production_date")), str(line.get("batch") or "").strip(),
            parse_flag(line.get("found_on_shelf")),
        ))
    ids = {product_id for product_id, *_rest in parsed} - {None}
    need_names = any(
        product_id not in carried or quantity is None or quantity > QUANTITY_MAX or production_date is False
        or (production_date is not None and production_date > counted_on) or len(batch) > BATCH_MAX
        for product_id, quantity, production_date, batch, _found in parsed
    ) or len(ids) < len(parsed)
    names = dict(Product.objects.filter(pk__in=ids).values_list("pk", "name")) if need_names else {}
    seen: set[int] = set()
    rows, found = [], []
    for index, (product_id, quantity, production_date, batch, found_on_shelf) in enumerate(parsed):
        messages = []
        known = product_id in carried or product_id in names
        name = names.get(product_id, "")
        if not known:
            messages.append(LINE_PRODUCT_UNKNOWN % {"line": index + 1})
        elif product_id in seen:
            messages.append(LINE_PRODUCT_REPEATED % {"product": name})
        elif product_id not in carried:
            if found_on_shelf:
                found.append(product_id)
            else:
                messages.append(LINE_PRODUCT_NOT_CARRIED % {"product": name})
        seen.add(product_id)
        label = name or str(index + 1)
        if quantity is None:
            messages.append(LINE_QUANTITY_INVALID % {"product": label})
        elif quantity > QUANTITY_MAX:
            messages.append(LINE_QUANTITY_TOO_LARGE % {
                "product": label, "quantity": number_format(quantity, force_grouping=True),
                "limit": number_format(QUANTITY_MAX, force_grouping=True),
            })
        if production_date is False:
            messages.append(LINE_PRODUCTION_DATE_INVALID % {"product": label})
        elif production_date is not None and production_date > counted_on:
            messages.append(LINE_PRODUCTION_DATE_FUTURE % {"product": label})
        if len(batch) > BATCH_MAX:
            messages.append(LINE_BATCH_TOO_LONG % {"product": label})
        if messages:
            errors[_line_key(index)] = messages
            continue
        rows.append(StockCountLine(product_id=product_id, quantity=quantity, production_date=production_date,
                                   batch=batch))
    return rows, found, names


def _question_implausible(*, dealer: Dealer, rows: list[StockCountLine], names: dict[int, str], recent,
                          at: datetime.datetime, lines: list[Mapping], errors: dict[str, list]) -> None:
    """Question each line above its plausible limit (SPEC §3), in `errors` with code "implausible"."""
    multiple, floor, _days = plausibility_settings()
    if all(row.quantity <= calculations.plausible_limit(reference=0, multiple=multiple, floor=floor) for row in rows):
        return  # below the least limit: no history needed
    references = plausibility_references(dealer_id=dealer.pk, recent=recent,
                                         product_ids=[row.product_id for row in rows], at=at)
    index_of: dict[int | None, int] = {}
    for index, line in enumerate(lines):  # a product's first line (a repeated one is an error already)
        index_of.setdefault(parse_product_id(line.get("product")), index)
    for row in rows:
        reference = references.get(row.product_id, 0)
        if row.quantity <= calculations.plausible_limit(reference=reference, multiple=multiple, floor=floor):
            continue
        if row.product_id not in names:
            names.update(Product.objects.filter(pk__in=[r.product_id for r in rows]).values_list("pk", "name"))
        message = LINE_QUANTITY_IMPLAUSIBLE % {
            "product": names.get(row.product_id, ""), "quantity": number_format(row.quantity, force_grouping=True),
            "multiple": multiple, "reference": number_format(reference, force_grouping=True),
        }
        errors.setdefault(_line_key(index_of[row.product_id]), []).append(ValidationError(message, code=IMPLAUSIBLE))
        errors["confirm_implausible"] = [ValidationError(CONFIRM_IMPLAUSIBLE, code=IMPLAUSIBLE)]


def is_only_implausible(error: ValidationError) -> bool:
    """Whether every message of a stock_count_save refusal is a questioned quantity
    (so confirming is all the rep has to do)."""
    if not hasattr(error, "error_dict"):
        return False
    return all(item.code == IMPLAUSIBLE for items in error.error_dict.values() for item in items)


def suggestion_lines_store(*, count: StockCount, replace: bool = True) -> list[SuggestedOrderLine]:
    """(Re)compute the suggested order of `count` and store it with its working
    (`replace=False` for a new count: nothing to delete first)."""
    computed = suggested_orders(stock_count_ids=[count.pk], working=True).get(count.pk, [])
    if replace:
        SuggestedOrderLine.objects.filter(stock_count=count).delete()
    period_dates = computed[0].period_dates_json() if computed else []
    if period_dates != count.period_dates:
        StockCount.objects.filter(pk=count.pk).update(period_dates=period_dates)
        count.period_dates = period_dates
    return SuggestedOrderLine.objects.bulk_create([
        SuggestedOrderLine(
            stock_count=count, product_id=line.product_id, previous_stock=line.previous_stock,
            deliveries=line.deliveries, current_stock=line.current_stock, period_sales=line.period_sales,
            coefficient=line.coefficient, coefficient_source=line.coefficient_source, cycle_days=line.cycle_days,
            periods=line.periods_json(), safety_stock=line.safety_stock,
            suggested_quantity=line.suggested_quantity, flags=list(line.flags),
        )
        for line in sorted(computed, key=lambda line: line.product_id)
    ])


# --- Products carried (SPEC §3 "Products a dealer carries") ---------------------------------------
def _carry(*, dealer: Dealer, product_ids: Iterable[int], since: datetime.date, source: str, by) -> None:
    """Carry these products at `dealer` from `since` (an explicit row; a stop is lifted). One query."""
    DealerProduct.objects.bulk_create(
        [DealerProduct(dealer=dealer, product_id=product_id, since=since, source=source, added_by=by)
         for product_id in product_ids],
        update_conflicts=True, unique_fields=["dealer", "product"],
        update_fields=["since", "source", "added_by", "stopped_at", "stopped_by"],
    )


@transaction.atomic
def dealer_product_add(*, dealer: Dealer, product: Product, by) -> tuple[Carried, bool]:
    """Carry `product` at `dealer`, added by hand (a manager, HQ admin): (what is
    carried, whether it is new). Already carried: unchanged. Stopped: carried again
    from today."""
    current = carried_products(dealer_ids=[dealer.pk])[dealer.pk].get(product.pk)
    if current is not None:
        return current, False
    today = timezone.localdate()
    _carry(dealer=dealer, product_ids=[product.pk], since=today, source=CarrySource.MANUAL, by=by)
    return Carried(product.pk, today, CarrySource.MANUAL), True


@transaction.atomic
def dealer_products_add_many(*, pairs: Iterable[tuple[int, int]], by=None) -> int:
    """Carry each (dealer id, product id) from today, added by hand in bulk (HQ's
    dealer import and the ERP's dealer upsert): pairs already carried are left as
    they are, stopped ones are carried again. Two queries whatever the number of
    pairs; the number of pairs newly carried."""
    wanted: dict[int, set[int]] = {}
    for dealer_id, product_id in pairs:
        wanted.setdefault(int(dealer_id), set()).add(int(product_id))
    if not wanted:
        return 0
    carried = carried_products(dealer_ids=list(wanted))
    today = timezone.localdate()
    rows = [
        DealerProduct(dealer_id=dealer_id, product_id=product_id, since=today, source=CarrySource.MANUAL, added_by=by)
        for dealer_id, product_ids in sorted(wanted.items())
        for product_id in sorted(product_ids - set(carried[dealer_id]))
    ]
    if rows:
        DealerProduct.objects.bulk_create(
            rows, batch_size=2000, update_conflicts=True, unique_fields=["dealer", "product"],
            update_fields=["since", "source", "added_by", "stopped_at", "stopped_by"],
        )
    return len(rows)


@transaction.atomic
def dealer_product_stop(*, dealer: Dealer, product: Product, by) -> None:
    """Stop carrying `product` at `dealer` (a manager, HQ admin): it leaves the count
    form, whatever made it carried; its counts stay in the history. ValidationError
    when the dealer does not carry it."""
    if product.pk not in carried_products(dealer_ids=[dealer.pk])[dealer.pk]:
        raise ValidationError({"product": [PRODUCT_NOT_CARRIED]})
    now = timezone.now()
    DealerProduct.objects.update_or_create(
        dealer=dealer, product=product,
        defaults={"stopped_at": now, "stopped_by": by},
        create_defaults={"stopped_at": now, "stopped_by": by, "source": CarrySource.MANUAL, "added_by": by},
    )


def dealer_products_shipped(*, dealer_id: int, product_ids: Iterable[int], at: datetime.datetime) -> int:
    """A shipment carries its products again where a manager had stopped them (the
    goods are on the dealer's shelf from this shipment on). One query; the number of
    stops lifted."""
    return DealerProduct.objects.filter(
        dealer_id=dealer_id, product_id__in=list(product_ids), stopped_at__isnull=False,
    ).update(stopped_at=None, stopped_by=None, since=timezone.localdate(at), source=CarrySource.SHIPMENT)
