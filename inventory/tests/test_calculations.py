"""Money arithmetic of orders: pure functions, checked with hypothesis at the boundaries."""

import datetime
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from inventory import calculations

cents = st.integers(min_value=1, max_value=10**9).map(lambda n: Decimal(n) / 100)


@given(total=cents, parts=st.lists(st.integers(min_value=1, max_value=1000), min_size=1, max_size=8))
def test_payment_outcome_partial_payments_add_up_to_paid_exactly_at_the_total(total, parts):
    """Split the total into payments in proportion to `parts` (the last takes the rest): the order is
    paid only with the last one, and the amounts paid add up to the total."""
    weights = sum(parts)
    amounts = [calculations.money(total * part / weights) for part in parts[:-1]]
    amounts = [amount for amount in amounts if amount > 0]
    if sum(amounts) >= total:
        amounts = []
    amounts.append(total - sum(amounts))
    paid = Decimal("0.00")
    for index, amount in enumerate(amounts):
        assert 0 < amount <= calculations.amount_due(total, paid)
        paid, in_full = calculations.payment_outcome(total=total, amount_paid=paid, amount=amount)
        assert in_full == (index == len(amounts) - 1)
    assert paid == total


@given(limit=cents, open_receivables=cents, order_total=cents)
def test_exceeds_credit_limit_only_when_the_sum_is_above_the_limit(limit, open_receivables, order_total):
    blocked = calculations.exceeds_credit_limit(credit_limit=limit, open_receivables=open_receivables, order_total=order_total)
    assert blocked == (open_receivables + order_total > limit)
    at_limit = limit - open_receivables
    if at_limit > 0:  # an order that exactly reaches the limit passes; one cent more is blocked
        assert not calculations.exceeds_credit_limit(credit_limit=limit, open_receivables=open_receivables, order_total=at_limit)
        assert calculations.exceeds_credit_limit(
            credit_limit=limit, open_receivables=open_receivables, order_total=at_limit + Decimal("0.01")
        )


@given(quantity=st.integers(min_value=1, max_value=100_000), price=cents)
def test_line_total_is_quantity_times_unit_price_in_cents(quantity, price):
    total = calculations.line_total(quantity, price)
    assert total == price * quantity and total.as_tuple().exponent == -2


@given(lines=st.lists(st.tuples(st.integers(min_value=1, max_value=10**6), cents), max_size=20))
def test_shipment_value_is_the_sum_of_the_line_totals(lines):
    assert calculations.shipment_value(lines) == calculations.order_total(
        calculations.line_total(quantity, price) for quantity, price in lines
    ) == sum((quantity * price for quantity, price in lines), Decimal("0.00"))


def test_parse_amount_accepts_money_and_refuses_the_rest():
    assert calculations.parse_amount("1250.5") == Decimal("1250.50")
    assert calculations.parse_amount(Decimal("3")) == Decimal("3.00")
    for bad in ("", "abc", "1.001", "NaN", "Infinity", None, True, "1e400"):
        assert calculations.parse_amount(bad) is None, bad


def test_payment_due_date_counts_calendar_days_from_confirmation():
    assert calculations.payment_due_date(datetime.date(2026, 1, 31), 30) == datetime.date(2026, 3, 2)
