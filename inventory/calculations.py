"""Pure money and date arithmetic of orders (no ORM). Decimal throughout."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

CENT = Decimal("0.01")
ZERO = Decimal("0.00")


def money(value) -> Decimal:
    """`value` as a Decimal of whole cents (ROUND_HALF_UP, as invoices do)."""
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def parse_amount(value) -> Decimal | None:
    """A payment amount from user input: a Decimal with at most two decimal places, or None if it is not one."""
    if isinstance(value, bool) or value is None:
        return None
    try:
        amount = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        return None
    if not amount.is_finite():
        return None
    try:
        cents = amount.quantize(CENT)
    except InvalidOperation:  # too many digits
        return None
    return cents if cents == amount else None


def line_total(quantity: int, unit_price: Decimal) -> Decimal:
    return money(unit_price * quantity)


def order_total(line_totals: Iterable[Decimal]) -> Decimal:
    return money(sum(line_totals, ZERO))


def amount_due(total: Decimal, amount_paid: Decimal) -> Decimal:
    return money(total - amount_paid)


def payment_outcome(*, total: Decimal, amount_paid: Decimal, amount: Decimal) -> tuple[Decimal, bool]:
    """(the new amount paid, whether the order is now paid in full) after a payment of `amount`.

    The caller has checked 0 < amount ≤ amount due.
    """
    paid = money(amount_paid + amount)
    return paid, paid >= total


def exceeds_credit_limit(*, credit_limit: Decimal, open_receivables: Decimal, order_total: Decimal) -> bool:
    """SPEC §3: confirmation is blocked when open receivables plus this order exceed the credit limit."""
    return open_receivables + order_total > credit_limit


def payment_due_date(confirmed_on: datetime.date, terms_days: int) -> datetime.date:
    """The day payment is due: `terms_days` after the day of confirmation."""
    return confirmed_on + datetime.timedelta(days=terms_days)
