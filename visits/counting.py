"""Writes of the stock count (库存清点) and of the suggested order it yields
(建议订单, SPEC §2 steps 3–4, §3): a count is saved whole or not at all, with its
suggestion computed set-based and stored with its working; the suggestion becomes
an order in one step, every changed line keeping its reason."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext_lazy as _

from common.exceptions import StateConflict
from inventory.models import Order, OrderSource, Product
from inventory.selectors import suggested_orders
from inventory.services import OrderLineInput, order_create
from visits.models import (
    DealerProduct,
    StockCount,
    StockCountLine,
    SuggestedOrderLine,
    Visit,
    VisitStatus,
)
from visits.selectors import visit_queryset_for

# --- Messages (asserted by the tests) -----------------------------------------------------
COUNT_VISIT_NOT_IN_PROGRESS = _("Stock is counted during a visit in progress: start the visit first.")
COUNT_VISIT_OVER = _("This visit is over: its stock can no longer be counted.")
COUNT_NOT_YOUR_VISIT = _("You may not count stock on this visit.")
COUNT_NEEDS_LINES = _("Count at least one product.")
COUNT_IN_FUTURE = _("The count cannot be dated in the future.")
COUNT_BEFORE_PREVIOUS = _("The count cannot be dated before the dealer's previous count (%(previous)s).")
LINE_PRODUCT_UNKNOWN = _("Line %(line)s: there is no such product.")
LINE_PRODUCT_NOT_CARRIED = _("%(product)s is not a product this dealer carries.")
LINE_PRODUCT_REPEATED = _("%(product)s is counted twice: put it on one line.")
LINE_QUANTITY_INVALID = _("%(product)s: enter the stock as a whole number of cases, zero or more.")
LINE_PRODUCTION_DATE_INVALID = _("%(product)s: enter the production date as a date (YYYY-MM-DD).")
LINE_PRODUCTION_DATE_FUTURE = _("%(product)s: the production date cannot be after the count.")
LINE_BATCH_TOO_LONG = _("%(product)s: keep the batch under 64 characters.")
ORDER_ALREADY_PLACED = _("An order has already been placed on this visit.")
ORDER_NOT_LATEST_COUNT = _("Place the order from the visit's latest stock count.")
ORDER_NOTHING = _("Nothing to order: every quantity is zero.")
ORDER_NO_COUNT = _("Count the stock first: there is no suggested order on this visit yet.")
ORDER_LINE_NOT_SUGGESTED = _("Line %(line)s: that product is not on this suggested order.")
ORDER_LINE_QUANTITY_INVALID = _("%(product)s: enter the quantity as a whole number of cases, zero or more.")
ORDER_LINE_REASON_NEEDED = _("%(product)s: give a reason for changing the suggested %(suggested)s to %(quantity)s.")
ORDER_LINE_REASON_TOO_LONG = _("%(product)s: keep the reason under 200 characters.")

BATCH_MAX = 64
REASON_MAX = 200


def _line_key(index: int) -> str:
    """The error key of a count line: `lines.<index>` (0-based, the position sent)."""
    return f"lines.{index}"


def _product_id(value) -> int | None:
    if isinstance(value, Product):
        return value.pk
    if isinstance(value, bool):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _quantity(value) -> int | None:
    """A whole number ≥ 0 (an int, or a string of digits from a form), or None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    if isinstance(value, int) and value >= 0:
        return value
    return None


def _date(value) -> datetime.date | None | bool:
    """A date, None when empty, False when not a date."""
    if value in (None, ""):
        return None
    if isinstance(value, datetime.datetime):
        return False
    if isinstance(value, datetime.date):
        return value
    try:
        return parse_date(str(value)) or False
    except ValueError:
        return False


def count_refusal(visit: Visit) -> str:
    """Why the stock of `visit` cannot be counted now: not started yet, or over."""
    return COUNT_VISIT_NOT_IN_PROGRESS if visit.status == VisitStatus.PLANNED else COUNT_VISIT_OVER


def stock_count_create(
    *, visit: Visit, user, lines: Iterable[Mapping], counted_at: datetime.datetime | None = None
) -> StockCount:
    """Save a stock count of `visit` (in progress) with `lines` = [{product (id or
    Product), quantity, production_date, batch}, ...], and its suggested order.

    Every line is checked before anything is written (ValidationError keyed
    `lines.<index>`, and `counted_at`, `lines`); then one transaction writes the
    count, its lines and its SuggestedOrderLine rows (each a bulk insert).
    """
    lines = list(lines)
    now = timezone.now()
    with transaction.atomic():
        visit = Visit.objects.select_for_update().select_related("dealer").get(pk=visit.pk)
        if not visit_queryset_for(user).filter(pk=visit.pk).exists():
            raise PermissionDenied(COUNT_NOT_YOUR_VISIT)
        if visit.status != VisitStatus.IN_PROGRESS:
            raise StateConflict(count_refusal(visit))
        counted_at = counted_at or now
        errors: dict[str, list] = {}
        if counted_at > now + datetime.timedelta(minutes=5):  # a little clock drift of a phone is fine
            errors["counted_at"] = [COUNT_IN_FUTURE]
        previous = (
            StockCount.objects.filter(dealer_id=visit.dealer_id).order_by("-counted_at", "-id")
            .values_list("counted_at", flat=True).first()
        )
        if previous is not None and counted_at < previous:
            errors["counted_at"] = [COUNT_BEFORE_PREVIOUS % {
                "previous": timezone.localtime(previous).strftime("%Y-%m-%d %H:%M")
            }]
        rows = _validated_lines(visit=visit, lines=lines, counted_on=timezone.localtime(counted_at).date(),
                                errors=errors)
        if errors:
            raise ValidationError(errors)
        count = StockCount.objects.create(visit=visit, dealer_id=visit.dealer_id, counted_at=counted_at,
                                          counted_by=user)
        for row in rows:
            row.stock_count = count
        StockCountLine.objects.bulk_create(rows)
        suggestion_lines_store(count=count, replace=False)
    return count


def _validated_lines(*, visit: Visit, lines: list[Mapping], counted_on: datetime.date,
                     errors: dict[str, list]) -> list[StockCountLine]:
    if not lines:
        errors["lines"] = [COUNT_NEEDS_LINES]
        return []
    ids = {_product_id(line.get("product")) for line in lines} - {None}
    carried = {
        row.product_id: row.product
        for row in DealerProduct.objects.filter(dealer_id=visit.dealer_id, product_id__in=ids).select_related("product")
    }
    others = Product.objects.in_bulk(ids - set(carried))
    seen: set[int] = set()
    rows = []
    for index, line in enumerate(lines):
        messages = []
        product_id = _product_id(line.get("product"))
        product = carried.get(product_id)
        name = product.name if product else (others[product_id].name if product_id in others else "")
        if product is None:
            messages.append(LINE_PRODUCT_NOT_CARRIED % {"product": name} if name
                            else LINE_PRODUCT_UNKNOWN % {"line": index + 1})
        elif product_id in seen:
            messages.append(LINE_PRODUCT_REPEATED % {"product": name})
        seen.add(product_id)
        label = name or str(index + 1)
        quantity = _quantity(line.get("quantity"))
        if quantity is None:
            messages.append(LINE_QUANTITY_INVALID % {"product": label})
        production_date = _date(line.get("production_date"))
        if production_date is False:
            messages.append(LINE_PRODUCTION_DATE_INVALID % {"product": label})
        elif production_date is not None and production_date > counted_on:
            messages.append(LINE_PRODUCTION_DATE_FUTURE % {"product": label})
        batch = str(line.get("batch") or "").strip()
        if len(batch) > BATCH_MAX:
            messages.append(LINE_BATCH_TOO_LONG % {"product": label})
        if messages:
            errors[_line_key(index)] = messages
            continue
        rows.append(StockCountLine(product_id=product_id, quantity=quantity, production_date=production_date,
                                   batch=batch))
    return rows


def suggestion_lines_store(*, count: StockCount, replace: bool = True) -> list[SuggestedOrderLine]:
    """(Re)compute the suggested order of `count` and store it with its working
    (`replace=False` for a new count: nothing to delete first)."""
    computed = suggested_orders(stock_count_ids=[count.pk]).get(count.pk, [])
    if replace:
        SuggestedOrderLine.objects.filter(stock_count=count).delete()
    return SuggestedOrderLine.objects.bulk_create([
        SuggestedOrderLine(
            stock_count=count, product_id=line.product_id, previous_stock=line.previous_stock,
            deliveries=line.deliveries, current_stock=line.current_stock, period_sales=line.period_sales,
            coefficient=line.coefficient, safety_stock=line.safety_stock,
            suggested_quantity=line.suggested_quantity, flags=list(line.flags),
        )
        for line in sorted(computed, key=lambda line: line.product_id)
    ])


def suggested_order_place(
    *, stock_count: StockCount, user, quantities: Mapping[int, int], reasons: Mapping[int, str] | None = None
) -> Order:
    """Turn the suggested order of `stock_count` into an order for its dealer in one
    step (代客下单), through inventory.services.order_create with source "suggestion".

    `quantities` {product_id: cases}; a product left out is ordered as suggested
    (nothing where there is no suggestion). A quantity different from the
    suggestion needs a reason in `reasons` {product_id: text}. Lines of 0 are left
    out of the order. The ordered quantities and reasons are kept on the
    suggestion's lines and the order is linked to the visit; all or nothing.
    """
    reasons = {_product_id(key): str(value or "").strip() for key, value in (reasons or {}).items()}
    wanted = {}
    errors: list = []
    with transaction.atomic():
        visit = Visit.objects.select_for_update().select_related("dealer").get(pk=stock_count.visit_id)
        if not visit_queryset_for(user).filter(pk=visit.pk).exists():
            raise PermissionDenied(COUNT_NOT_YOUR_VISIT)
        if visit.order_id is not None:
            raise StateConflict(ORDER_ALREADY_PLACED)
        latest = visit.stock_counts.order_by("-counted_at", "-id").values_list("pk", flat=True).first()
        if latest != stock_count.pk:
            raise StateConflict(ORDER_NOT_LATEST_COUNT)
        suggestion = {
            line.product_id: line
            for line in SuggestedOrderLine.objects.filter(stock_count=stock_count).select_related("product")
        }
        for number, (key, value) in enumerate(quantities.items(), start=1):
            product_id = _product_id(key)
            if product_id not in suggestion:
                errors.append(ORDER_LINE_NOT_SUGGESTED % {"line": number})
                continue
            wanted[product_id] = value
        lines, updates = [], []
        for product_id, line in suggestion.items():
            name = line.product.name
            suggested = line.suggested_quantity
            raw = wanted.get(product_id, suggested or 0)
            quantity = _quantity(raw)
            if quantity is None:
                errors.append(ORDER_LINE_QUANTITY_INVALID % {"product": name})
                continue
            reason = reasons.get(product_id, "")
            if suggested is not None and quantity != suggested and not reason:
                errors.append(ORDER_LINE_REASON_NEEDED % {"product": name, "suggested": suggested, "quantity": quantity})
                continue
            if len(reason) > REASON_MAX:
                errors.append(ORDER_LINE_REASON_TOO_LONG % {"product": name})
                continue
            line.ordered_quantity = quantity
            line.change_reason = reason if quantity != (suggested or 0) else ""
            updates.append(line)
            if quantity > 0:
                lines.append(OrderLineInput(product=line.product, quantity=quantity, suggested_quantity=suggested,
                                            change_reason=line.change_reason))
        if errors:
            raise ValidationError({"lines": errors})
        if not lines:
            raise ValidationError({"lines": [ORDER_NOTHING]})
        order = order_create(dealer=visit.dealer, placed_by=user, lines=lines, source=OrderSource.SUGGESTION)
        SuggestedOrderLine.objects.bulk_update(updates, ["ordered_quantity", "change_reason"])
        visit.order = order
        visit.save(update_fields=["order", "updated_at"])
    return order


# --- Reads used by the pages, the API and the portal ------------------------------------------
def latest_count_of_visit(visit: Visit) -> StockCount | None:
    return visit.stock_counts.order_by("-counted_at", "-id").first()


def suggestion_lines(count: StockCount | None) -> list[SuggestedOrderLine]:
    """The stored suggestion of `count` with its products, in product order (one query)."""
    if count is None:
        return []
    return list(
        SuggestedOrderLine.objects.filter(stock_count=count).select_related("product")
        .order_by("product__sku", "product_id")
    )


def previous_count_hints(*, dealer_id: int, before: datetime.datetime | None = None) -> tuple[StockCount | None, dict]:
    """The dealer's latest count (before `before`) and {product_id: line} of it (two queries)."""
    counts = StockCount.objects.filter(dealer_id=dealer_id)
    if before is not None:
        counts = counts.filter(counted_at__lt=before)
    count = counts.order_by("-counted_at", "-id").first()
    if count is None:
        return None, {}
    return count, {line.product_id: line for line in count.lines.all()}
