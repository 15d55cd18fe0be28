"""The stock count and the suggested order of a visit (库存清点, 建议订单, SPEC §2
steps 3–4): the visit's side of inventory.counting. A visit's counts are taken
at the reference "visit:<id>" (visit_reference), so inventory holds one current
count per visit and knows nothing of visits; here the visit's rules are kept: a
count only during a visit in progress, by someone who may see the visit, with
the visit row locked so that concurrent or repeated submissions save once.
The suggestion becomes an order in one step, every changed line keeping its
reason."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from common.exceptions import StateConflict
from inventory.counting import QUANTITY_MAX, CountSaved, parse_product_id, parse_quantity, stock_count_save
from inventory.models import Order, OrderSource, StockCount, StockCountLine, StockCountQuerySet, SuggestedOrderLine
from inventory.selectors import stock_warnings, stored_suggestion, suggestion_summary
from inventory.services import OrderLineInput, order_create
from visits.models import STOCK_COUNT_REFERENCE_PREFIX, Visit, VisitStatus
from visits.selectors import visit_queryset_for

# --- Messages (asserted by the tests) -----------------------------------------------------
COUNT_VISIT_NOT_IN_PROGRESS = _("Stock is counted during a visit in progress: start the visit first.")
COUNT_VISIT_OVER = _("This visit is over: its stock can no longer be counted.")
COUNT_NOT_YOUR_VISIT = _("You may not count stock on this visit.")
ORDER_ALREADY_PLACED = _("An order has already been placed on this visit.")
ORDER_NOT_LATEST_COUNT = _("Place the order from the visit's latest stock count.")
ORDER_NOTHING = _("Nothing to order: every quantity is zero.")
ORDER_NO_COUNT = _("Count the stock first: there is no suggested order on this visit yet.")
ORDER_LINE_NOT_SUGGESTED = _("Line %(line)s: that product is not on this suggested order.")
ORDER_LINE_QUANTITY_INVALID = _("%(product)s: enter the quantity as a whole number of cases, zero or more.")
ORDER_LINE_REASON_NEEDED = _("%(product)s: give a reason for changing the suggested %(suggested)s to %(quantity)s.")
ORDER_LINE_REASON_TOO_LONG = _("%(product)s: keep the reason under 200 characters.")

REASON_MAX = 200


def visit_reference(visit: Visit | int) -> str:
    """The reference a visit's stock counts are taken at (Visit.stock_count_reference)."""
    return f"{STOCK_COUNT_REFERENCE_PREFIX}{visit if isinstance(visit, int) else visit.pk}"


def visit_id_of(reference: str) -> int | None:
    """The visit a count was taken at, from its reference (None for another kind of reference)."""
    prefix = STOCK_COUNT_REFERENCE_PREFIX
    suffix = reference[len(prefix):] if reference.startswith(prefix) else ""
    return int(suffix) if suffix.isdigit() else None


def count_refusal(visit: Visit) -> str:
    """Why the stock of `visit` cannot be counted now: not started yet, or over."""
    return COUNT_VISIT_NOT_IN_PROGRESS if visit.status == VisitStatus.PLANNED else COUNT_VISIT_OVER


def stock_count_create(
    *, visit: Visit, user, lines: Iterable[Mapping], counted_at: datetime.datetime | None = None,
    confirm_implausible: bool = False,
) -> CountSaved:
    """Count the stock at `visit` (in progress): inventory.counting.stock_count_save
    at the visit's reference, under a lock of the visit row (a second identical
    submission waits, then finds the first and saves nothing). A recount in the
    same visit replaces the earlier count."""
    refusal: Exception | None = None
    # Refusals are raised once the transaction is left: nothing was written, and the
    # caller's transaction stays usable (no savepoint needed).
    with transaction.atomic(savepoint=False):
        locked = (
            visit_queryset_for(user).select_for_update(of=("self",)).select_related("dealer").filter(pk=visit.pk).first()
        )
        if locked is None:
            refusal = PermissionDenied(COUNT_NOT_YOUR_VISIT)
        elif locked.status != VisitStatus.IN_PROGRESS:
            refusal = StateConflict(count_refusal(locked))
        else:
            try:
                saved = stock_count_save(
                    dealer=locked.dealer, reference=visit_reference(locked), user=user, lines=lines,
                    counted_at=counted_at, confirm_implausible=confirm_implausible,
                )
            except ValidationError as error:
                refusal = error
    if refusal is not None:
        raise refusal
    return saved


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
    reasons = {parse_product_id(key): str(value or "").strip() for key, value in (reasons or {}).items()}
    wanted = {}
    errors: list = []
    visit_id = visit_id_of(stock_count.reference)
    with transaction.atomic():
        try:
            visit = Visit.objects.select_for_update(of=("self",)).select_related("dealer").get(pk=visit_id)
        except Visit.DoesNotExist as error:
            raise PermissionDenied(COUNT_NOT_YOUR_VISIT) from error
        if not visit_queryset_for(user).filter(pk=visit.pk).exists():
            raise PermissionDenied(COUNT_NOT_YOUR_VISIT)
        if visit.order_id is not None:
            raise StateConflict(ORDER_ALREADY_PLACED)
        current = visit_counts(visit).current().values_list("pk", flat=True).first()
        if current != stock_count.pk:
            raise StateConflict(ORDER_NOT_LATEST_COUNT)
        suggestion = {
            line.product_id: line
            for line in SuggestedOrderLine.objects.filter(stock_count=stock_count).select_related("product")
        }
        for number, (key, value) in enumerate(quantities.items(), start=1):
            product_id = parse_product_id(key)
            if product_id not in suggestion:
                errors.append(ORDER_LINE_NOT_SUGGESTED % {"line": number})
                continue
            wanted[product_id] = value
        lines, updates = [], []
        for product_id, line in suggestion.items():
            name = line.product.name
            suggested = line.suggested_quantity
            raw = wanted.get(product_id, suggested or 0)
            quantity = parse_quantity(raw)
            if quantity is None or quantity > QUANTITY_MAX:
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
def visit_counts(visit: Visit | int) -> StockCountQuerySet:
    """Every stock count taken at `visit`, the replaced ones included."""
    return StockCount.objects.filter(reference=visit_reference(visit))


def current_count_of_visit(visit: Visit) -> StockCount | None:
    """The visit's count (the latest, not replaced), or None (one query)."""
    return visit_counts(visit).current().newest()


def visit_count_steps(*, visit: Visit) -> dict:
    """What the visit page's stock count and suggested order step cards show
    (visits/_count_steps.html), in four queries: the visit's current count, its
    suggestion's summary, the dealer's stock warnings, and whether stock may be
    counted now (during a visit in progress)."""
    count = current_count_of_visit(visit)
    return {
        "count": count,
        "summary": suggestion_summary(count=count),
        "warnings": stock_warnings(dealer_ids=[visit.dealer_id]).get(visit.dealer_id, []),
        "can_count": visit.status == VisitStatus.IN_PROGRESS,
    }


def suggestion_lines(count: StockCount | None) -> list[SuggestedOrderLine]:
    """The stored suggestion of `count` with its products, in SKU order (one query)."""
    return stored_suggestion(count=count)


def previous_count_hints(*, dealer_id: int, visit: Visit | None = None) -> tuple[StockCount | None, dict]:
    """The dealer's latest current count taken elsewhere than at `visit`, and
    {product_id: line} of it (two queries): the count form's "last count" hints."""
    counts = StockCount.objects.current().filter(dealer_id=dealer_id)
    if visit is not None:
        counts = counts.exclude(reference=visit_reference(visit))
    count = counts.newest()
    if count is None:
        return None, {}
    return count, {line.product_id: line for line in count.lines.all()}


def count_lines_by_product(count: StockCount | None) -> dict[int, StockCountLine]:
    """{product_id: line} of `count` (one query; none without a count)."""
    if count is None:
        return {}
    return {line.product_id: line for line in count.lines.all()}
