"""Writes of orders: placing one, and every step of its workflow (SPEC §3 "Orders").

Every step runs in one transaction that first locks the order row
(select_for_update), then asks inventory.workflow whether the caller's role may
take it from the order's current state, so two requests at once can neither
overpay an order nor skip a state. Bad input raises ValidationError (API 400),
a step not allowed from the state StateConflict (409), a role that may not
PermissionDenied (403).
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import partial

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Role, User
from common.exceptions import StateConflict
from common.formatting import format_date, format_money
from dealers.models import Dealer, DealerStatus, DealerTier
from dealers.selectors import dealer_queryset_for
from inventory import calculations, workflow
from inventory.counting import dealer_products_shipped
from inventory.models import (
    Order,
    OrderLine,
    OrderSource,
    OrderStatus,
    OrderTransition,
    Payment,
    Product,
    Shipment,
    ShipmentLine,
)
from inventory.permissions import ORDERING_ROLES
from inventory.selectors import dealer_open_receivables, tier_prices_for
from inventory.signals import order_status_changed
from inventory.workflow import OrderAction, Verdict
from notifications.services import notification_deliver_in_language

# --- Messages (asserted by the tests) -----------------------------------------------------
ORDER_NEEDS_LINES = _("An order needs at least one line.")
LINE_QUANTITY_NOT_POSITIVE = _("Line %(line)s: the quantity must be a whole number of cases above zero.")
LINE_PRODUCT_UNKNOWN = _("Line %(line)s: there is no such product.")
LINE_PRODUCT_INACTIVE = _("Line %(line)s: %(product)s is no longer sold.")
LINE_PRODUCT_NOT_PRICED = _("Line %(line)s: %(product)s has no price for the %(tier)s tier.")
LINE_PRODUCT_REPEATED = _("Line %(line)s: %(product)s is already on line %(first)s; put it on one line.")
LINE_CHANGE_REASON_NEEDED = _("Line %(line)s: give a reason for changing the suggested quantity.")
DEALER_NOT_ACTIVE = _("%(dealer)s is not an active dealer: it cannot order now.")
MAY_NOT_ORDER_FOR_DEALER = _("You may not place orders for this dealer.")
MAY_NOT_HANDLE_ORDER = _("You may not handle this dealer's orders.")
ROLE_MAY_NOT = _("Your role may not do this to an order.")
STEP_NOT_ALLOWED = _("This order is %(status)s: “%(action)s” is not possible now.")
REASON_REQUIRED = _("Give a reason.")
REASON_TOO_LONG = _("Keep the reason under 1000 characters.")
PAYMENT_NOT_A_NUMBER = _("Enter an amount of money, e.g. 1250.50.")
PAYMENT_NOT_POSITIVE = _("The payment must be more than zero.")
PAYMENT_ABOVE_DUE = _("The payment of %(amount)s is more than the %(due)s still due on this order.")
CREDIT_LIMIT_EXCEEDED = _(
    "Credit limit exceeded: %(dealer)s owes %(open)s on confirmed orders; with this order (%(total)s) "
    "that would be %(sum)s, above its credit limit of %(limit)s."
)
PAID_ORDER_NOT_CANCELLABLE = _("Payments are recorded on this order: it can no longer be cancelled.")
WAYBILL_REQUIRED = _("Enter the waybill or vehicle number: goods are shipped with one.")


@dataclass(frozen=True)
class OrderLineInput:
    """One line to order. `product` is a Product or its id. From a suggested order
    (visits), `suggested_quantity` is what the rule suggested; when `quantity`
    differs from it, `change_reason` is required (SPEC §2 step 4)."""

    product: Product | int
    quantity: int
    suggested_quantity: int | None = None
    change_reason: str = ""

    @property
    def product_id(self) -> int | None:
        product = self.product
        if isinstance(product, Product):
            return product.pk
        if isinstance(product, bool):
            return None
        try:
            return int(product)
        except (TypeError, ValueError):
            return None


# --- Placing an order -----------------------------------------------------------------
def user_may_order_for(*, user: User, dealer: Dealer) -> bool:
    """The dealer's own users, and staff who place orders (rep, manager, HQ admin) within their scope."""
    if not (user.is_authenticated and user.effective_role in ORDERING_ROLES):
        return False
    if user.effective_role == Role.DEALER:
        return user.dealer_id == dealer.pk
    return dealer_queryset_for(user).filter(pk=dealer.pk).exists()


@transaction.atomic
def order_create(
    *,
    dealer: Dealer,
    placed_by: User,
    lines: Sequence[OrderLineInput],
    source: str | None = None,
    note: str = "",
    at: datetime.datetime | None = None,
) -> Order:
    """Place an order of `lines` for `dealer`, priced from the dealer's tier now.

    Validates every line before writing anything: all lines are saved or none.
    `source` defaults to the portal for a dealer user, otherwise "on the dealer's
    behalf"; the visits app passes OrderSource.SUGGESTION with each line's
    suggested_quantity (and change_reason where the rep changed it).
    """
    if not user_may_order_for(user=placed_by, dealer=dealer):
        raise PermissionDenied(MAY_NOT_ORDER_FOR_DEALER)
    if dealer.status != DealerStatus.ACTIVE:
        raise ValidationError({"dealer": DEALER_NOT_ACTIVE % {"dealer": dealer.name}})
    priced_lines = _validated_lines(dealer=dealer, lines=lines)
    if source is None:
        source = OrderSource.PORTAL if placed_by.effective_role == Role.DEALER else OrderSource.ON_BEHALF
    at = at or timezone.now()
    order = Order(
        dealer=dealer, placed_by=placed_by, source=source, status=OrderStatus.SUBMITTED, submitted_at=at,
        note=note.strip(), total=calculations.order_total(line.line_total for line in priced_lines),
    )
    order.full_clean(exclude=["dealer", "placed_by"])
    order.save()
    for line in priced_lines:
        line.order = order
    OrderLine.objects.bulk_create(priced_lines)
    _record(order=order, from_status="", by=placed_by, at=at)
    return order


def _validated_lines(*, dealer: Dealer, lines: Sequence[OrderLineInput]) -> list[OrderLine]:
    """OrderLines (not saved) priced from the dealer's tier, or ValidationError listing every bad line."""
    if not lines:
        raise ValidationError({"lines": ORDER_NEEDS_LINES})
    ids = {line.product_id for line in lines if line.product_id is not None}
    products = Product.objects.in_bulk(ids)
    prices = tier_prices_for(tier=dealer.tier, product_ids=ids)
    tier_label = DealerTier(dealer.tier).label
    errors: list[str] = []
    first_line_of: dict[int, int] = {}
    priced: list[OrderLine] = []
    for number, line in enumerate(lines, start=1):
        product = products.get(line.product_id)
        quantity = line.quantity
        if isinstance(quantity, bool) or not isinstance(quantity, int) or quantity <= 0:
            errors.append(LINE_QUANTITY_NOT_POSITIVE % {"line": number})
        if product is None:
            errors.append(LINE_PRODUCT_UNKNOWN % {"line": number})
            continue
        if product.pk in first_line_of:
            errors.append(LINE_PRODUCT_REPEATED % {"line": number, "product": product.name, "first": first_line_of[product.pk]})
            continue
        first_line_of[product.pk] = number
        if not product.is_active:
            errors.append(LINE_PRODUCT_INACTIVE % {"line": number, "product": product.name})
            continue
        if product.pk not in prices:
            errors.append(LINE_PRODUCT_NOT_PRICED % {"line": number, "product": product.name, "tier": tier_label})
            continue
        suggested = line.suggested_quantity
        reason = (line.change_reason or "").strip()
        if suggested is not None and suggested != quantity and not reason:
            errors.append(LINE_CHANGE_REASON_NEEDED % {"line": number})
        if errors:
            continue
        unit_price = prices[product.pk]
        priced.append(OrderLine(
            product=product, quantity=quantity, unit_price=unit_price,
            line_total=calculations.line_total(quantity, unit_price),
            suggested_quantity=suggested, change_reason=reason[:255],
        ))
    if errors:
        raise ValidationError({"lines": errors})
    return priced


# --- The workflow ----------------------------------------------------------------------
def _lock(order: Order) -> Order:
    """The order's row, locked until the transaction ends, with its current state."""
    return Order.objects.select_for_update().get(pk=order.pk)


def _authorize(*, order: Order, action: str, by: User) -> workflow.Step:
    """The workflow step, or the reason it is refused (PermissionDenied / StateConflict)."""
    if by.effective_role == Role.DEALER:
        in_scope = by.dealer_id == order.dealer_id
    else:
        in_scope = dealer_queryset_for(by).filter(pk=order.dealer_id).exists()
    if not in_scope:
        raise PermissionDenied(MAY_NOT_HANDLE_ORDER)
    verdict = workflow.judge(order.status, action, by.effective_role)
    if verdict == Verdict.WRONG_ROLE:
        raise PermissionDenied(ROLE_MAY_NOT)
    if verdict == Verdict.WRONG_STATE:
        raise StateConflict(
            STEP_NOT_ALLOWED % {"status": OrderStatus(order.status).label, "action": OrderAction(action).label}
        )
    return workflow.step_for(order.status, action)


def _record(
    *, order: Order, from_status: str, by: User, at: datetime.datetime, note: str = "", amount: Decimal | None = None
) -> OrderTransition:
    transition = OrderTransition.objects.create(
        order=order, from_status=from_status, to_status=order.status, by=by, at=at, note=note, amount=amount
    )
    order_status_changed.send(sender=Order, order=order, from_status=from_status, to_status=order.status, by=by, at=at)
    return transition


def _move(
    *, order: Order, step: workflow.Step, by: User, at: datetime.datetime, note: str = "", fields=(),
    amount: Decimal | None = None,
) -> Order:
    from_status = order.status
    order.status = step.to_status
    order.save(update_fields=["status", "updated_at", *fields])
    _record(order=order, from_status=from_status, by=by, at=at, note=note, amount=amount)
    _notify(order=order)
    return order


def _clean_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": REASON_REQUIRED})
    if len(reason) > 1000:
        raise ValidationError({"reason": REASON_TOO_LONG})
    return reason


@transaction.atomic
def order_confirm(*, order: Order, by: User, at: datetime.datetime | None = None) -> Order:
    """submitted → confirmed (rep, manager): blocked when the dealer's open
    receivables plus this order exceed its credit limit; sets the payment due date."""
    order = _lock(order)
    step = _authorize(order=order, action=OrderAction.CONFIRM, by=by)
    # Lock the dealer too: two orders of one dealer confirmed at once must not both pass the credit check.
    dealer = Dealer.objects.select_for_update().get(pk=order.dealer_id)
    open_receivables = dealer_open_receivables(dealer=dealer, exclude_order=order)
    if calculations.exceeds_credit_limit(
        credit_limit=dealer.credit_limit, open_receivables=open_receivables, order_total=order.total
    ):
        raise StateConflict(CREDIT_LIMIT_EXCEEDED % {
            "dealer": dealer.name, "open": format_money(open_receivables), "total": format_money(order.total),
            "sum": format_money(open_receivables + order.total), "limit": format_money(dealer.credit_limit),
        })
    at = at or timezone.now()
    order.confirmed_at = at
    order.payment_due_date = calculations.payment_due_date(timezone.localdate(at), settings.ORDER_PAYMENT_TERMS_DAYS)
    return _move(order=order, step=step, by=by, at=at, fields=["confirmed_at", "payment_due_date"])


@transaction.atomic
def order_reject(*, order: Order, by: User, reason: str, at: datetime.datetime | None = None) -> Order:
    """submitted → rejected (rep, manager), with a reason the dealer is told."""
    order = _lock(order)
    step = _authorize(order=order, action=OrderAction.REJECT, by=by)
    order.reason = _clean_reason(reason)
    return _move(order=order, step=step, by=by, at=at or timezone.now(), note=order.reason, fields=["reason"])


@transaction.atomic
def order_cancel(*, order: Order, by: User, reason: str, at: datetime.datetime | None = None) -> Order:
    """submitted → cancelled (the dealer, rep, manager); confirmed → cancelled (rep, manager) while nothing is paid."""
    order = _lock(order)
    step = _authorize(order=order, action=OrderAction.CANCEL, by=by)
    if order.amount_paid > 0:
        raise StateConflict(PAID_ORDER_NOT_CANCELLABLE)
    order.reason = _clean_reason(reason)
    return _move(order=order, step=step, by=by, at=at or timezone.now(), note=order.reason, fields=["reason"])


@transaction.atomic
def order_record_payment(
    *, order: Order, by: User, amount: Decimal | str, reference: str = "", at: datetime.datetime | None = None
) -> Payment:
    """Record a payment on a confirmed order (finance). Partial payments add up;
    the order becomes `paid` once they cover the total. A payment above the
    amount still due, or not above zero, is refused."""
    order = _lock(order)
    step = _authorize(order=order, action=OrderAction.PAY, by=by)
    value = calculations.parse_amount(amount)
    if value is None:
        raise ValidationError({"amount": PAYMENT_NOT_A_NUMBER})
    if value <= 0:
        raise ValidationError({"amount": PAYMENT_NOT_POSITIVE})
    due = order.amount_due
    if value > due:
        raise ValidationError({"amount": PAYMENT_ABOVE_DUE % {"amount": format_money(value), "due": format_money(due)}})
    at = at or timezone.now()
    payment = Payment(order=order, amount=value, recorded_by=by, at=at, reference=(reference or "").strip())
    payment.full_clean(exclude=["order", "recorded_by"])
    payment.save()
    order.amount_paid, paid_in_full = calculations.payment_outcome(
        total=order.total, amount_paid=order.amount_paid, amount=value
    )
    if paid_in_full:
        order.paid_at = at
        _move(order=order, step=step, by=by, at=at, fields=["amount_paid", "paid_at"], amount=value,
              note=payment.reference)
    else:
        order.save(update_fields=["amount_paid", "updated_at"])
        # A partial payment is a step of the history too; the status stays (no status signal).
        OrderTransition.objects.create(order=order, from_status=order.status, to_status=order.status, by=by, at=at,
                                       note=payment.reference, amount=value)
    return payment


@transaction.atomic
def order_pick(*, order: Order, by: User, at: datetime.datetime | None = None) -> Order:
    """paid → picked (warehouse)."""
    order = _lock(order)
    step = _authorize(order=order, action=OrderAction.PICK, by=by)
    return _move(order=order, step=step, by=by, at=at or timezone.now())


@transaction.atomic
def order_ship(*, order: Order, by: User, reference: str = "", at: datetime.datetime | None = None) -> Order:
    """picked → shipped (warehouse), with the waybill or vehicle number (required):
    records the shipment of every line and its time, which the suggested order
    reads as deliveries (selectors.deliveries_between)."""
    order = _lock(order)
    step = _authorize(order=order, action=OrderAction.SHIP, by=by)
    if not (reference or "").strip():
        raise ValidationError({"reference": WAYBILL_REQUIRED})
    at = at or timezone.now()
    shipped = list(order.lines.values_list("product_id", "quantity", "unit_price"))
    shipment = Shipment(order=order, dealer_id=order.dealer_id, shipped_at=at, shipped_by=by, reference=(reference or "").strip(),
                        value=calculations.shipment_value((quantity, price) for _product, quantity, price in shipped))
    shipment.full_clean(exclude=["order", "dealer", "shipped_by"])
    shipment.save()
    ShipmentLine.objects.bulk_create(
        ShipmentLine(shipment=shipment, product_id=product_id, quantity=quantity) for product_id, quantity, _p in shipped
    )
    # Shipped goods are carried from this shipment on, even where a manager had stopped them (SPEC §3).
    dealer_products_shipped(dealer_id=order.dealer_id, product_ids=[product_id for product_id, _q, _p in shipped], at=at)
    order.shipped_at = at
    return _move(order=order, step=step, by=by, at=at, note=shipment.reference, fields=["shipped_at"])


def shipment_values_refresh(*, shipment_ids: Sequence[int] | None = None, batch_size: int = 2000) -> int:
    """Work out again the stored value of these shipments (all if None) from their lines
    and their order lines' prices (calculations.shipment_value); a line whose product
    is not on the order is worth nothing, as it was never sold. For shipments written
    other than by order_ship (data loads, test worlds). Returns how many were updated."""
    shipments = Shipment.objects.all() if shipment_ids is None else Shipment.objects.filter(pk__in=shipment_ids)
    price = OrderLine.objects.filter(order_id=OuterRef("shipment__order_id"), product_id=OuterRef("product_id"))
    lines = (ShipmentLine.objects.filter(shipment__in=shipments.values("pk"))
             .annotate(unit_price=Subquery(price.values("unit_price")[:1]))
             .values_list("shipment_id", "quantity", "unit_price"))
    priced: dict[int, list[tuple[int, Decimal]]] = {pk: [] for pk in shipments.values_list("pk", flat=True)}
    for shipment_id, quantity, unit_price in lines.iterator(chunk_size=batch_size):
        if unit_price is not None:
            priced[shipment_id].append((quantity, unit_price))
    valued = [Shipment(pk=pk, value=calculations.shipment_value(pairs)) for pk, pairs in priced.items()]
    Shipment.objects.bulk_update(valued, ["value"], batch_size=batch_size)
    return len(valued)


@transaction.atomic
def order_receive(*, order: Order, by: User, at: datetime.datetime | None = None) -> Order:
    """shipped → received (the dealer confirms receipt)."""
    order = _lock(order)
    step = _authorize(order=order, action=OrderAction.RECEIVE, by=by)
    at = at or timezone.now()
    order.received_at = at
    return _move(order=order, step=step, by=by, at=at, fields=["received_at"])


def order_transition(
    *,
    order: Order,
    action: str,
    by: User,
    reason: str = "",
    amount: Decimal | str | None = None,
    reference: str = "",
    at: datetime.datetime | None = None,
) -> Order:
    """Take workflow `action` on `order` (one of workflow.OrderAction): the one
    entry point of the pages and the API. Returns the order as it is now."""
    if action == OrderAction.CONFIRM:
        return order_confirm(order=order, by=by, at=at)
    if action == OrderAction.REJECT:
        return order_reject(order=order, by=by, reason=reason, at=at)
    if action == OrderAction.CANCEL:
        return order_cancel(order=order, by=by, reason=reason, at=at)
    if action == OrderAction.PAY:
        return order_record_payment(order=order, by=by, amount=amount, reference=reference, at=at).order
    if action == OrderAction.PICK:
        return order_pick(order=order, by=by, at=at)
    if action == OrderAction.SHIP:
        return order_ship(order=order, by=by, reference=reference, at=at)
    if action == OrderAction.RECEIVE:
        return order_receive(order=order, by=by, at=at)
    raise ValueError(f"Unknown order action: {action!r}")


# --- Notifications ---------------------------------------------------------------------
NOTIFY_CONFIRMED_TITLE = _("Order %(number)s confirmed")
NOTIFY_CONFIRMED_BODY = _("Your order of %(total)s was confirmed. Payment is due by %(due)s.")
NOTIFY_SHIPPED_TITLE = _("Order %(number)s shipped")
NOTIFY_SHIPPED_BODY = _("Your order of %(total)s has left our warehouse.")
NOTIFY_REJECTED_TITLE = _("Order %(number)s rejected")
NOTIFY_REJECTED_BODY = _("Your order of %(total)s was rejected: %(reason)s")
NOTIFY_AWAITING_PAYMENT_TITLE = _("Order %(number)s awaits payment")
NOTIFY_AWAITING_PAYMENT_BODY = _("%(dealer)s: %(total)s due by %(due)s.")
NOTIFY_PAID_TITLE = _("Order %(number)s paid: ready to pick")
NOTIFY_PAID_BODY = _("%(dealer)s paid %(total)s in full. Pick the order and ship it with its waybill.")

_DEALER_EVENTS = {
    OrderStatus.CONFIRMED: ("confirmed", NOTIFY_CONFIRMED_TITLE, NOTIFY_CONFIRMED_BODY),
    OrderStatus.SHIPPED: ("shipped", NOTIFY_SHIPPED_TITLE, NOTIFY_SHIPPED_BODY),
    OrderStatus.REJECTED: ("rejected", NOTIFY_REJECTED_TITLE, NOTIFY_REJECTED_BODY),
}


def _notify(*, order: Order) -> None:
    """Tell the dealer's users about confirmation, shipping and rejection, and
    finance about an order awaiting payment. Keyed per order and event, so a
    repeated call never notifies twice."""
    deliver = partial(notification_deliver_in_language, kind="order", url=reverse("inventory:order_detail", args=[order.pk]))
    facts = {
        "number": order.number, "total": format_money(order.total), "reason": order.reason,
        "due": format_date(order.payment_due_date) if order.payment_due_date else "",
        "dealer": order.dealer.name,
    }
    event = _DEALER_EVENTS.get(order.status)
    if event:
        name, title, body = event
        for user in User.objects.filter(dealer_id=order.dealer_id, role=Role.DEALER, is_active=True):
            deliver(recipient=user, key=f"order:{order.pk}:{name}", title=title, body=body, **facts)
    if order.status == OrderStatus.CONFIRMED:
        for user in User.objects.filter(role=Role.FINANCE, is_active=True):
            deliver(recipient=user, key=f"order:{order.pk}:awaiting-payment", title=NOTIFY_AWAITING_PAYMENT_TITLE,
                    body=NOTIFY_AWAITING_PAYMENT_BODY, **facts)
    if order.status == OrderStatus.PAID:
        # The warehouse hears of every order paid in full: its cue to pick (keyed: once per order).
        for user in User.objects.filter(role=Role.WAREHOUSE, is_active=True):
            deliver(recipient=user, key=f"order:{order.pk}:paid", title=NOTIFY_PAID_TITLE, body=NOTIFY_PAID_BODY, **facts)

