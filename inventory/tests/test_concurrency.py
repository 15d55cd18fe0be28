"""Two payments (and two transitions) at once, on two PostgreSQL connections:
the row lock makes the second wait and see the first, so an order is never
overpaid and never skips a state (SPEC §3 "Orders")."""

import threading
import time
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.tests.factories import FinanceFactory, WarehouseFactory
from common.exceptions import StateConflict
from dealers.tests.factories import DealerFactory
from inventory import services
from inventory.models import Order, OrderStatus
from inventory.tests.factories import ProductFactory, order_in_state
from tests.helpers import run_in_threads, skip_unless_postgresql

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def postgresql_only():
    skip_unless_postgresql()


def make_confirmed_order() -> Order:
    product = ProductFactory()
    return order_in_state("confirmed", dealer=DealerFactory(tier="city"), lines=[(product, 20)])  # 1100.00


def test_two_payments_at_once_never_overpay():
    order = make_confirmed_order()
    finance = FinanceFactory()
    first_has_lock = threading.Event()

    def slow_first_payment():
        with transaction.atomic():
            payment = services.order_record_payment(order=order, by=finance, amount="700.00")
            first_has_lock.set()
            time.sleep(0.6)  # hold the row lock while the second payment arrives
            return payment

    def second_payment():
        first_has_lock.wait(10)
        started = time.monotonic()
        try:
            return services.order_record_payment(order=order, by=finance, amount="700.00")
        finally:
            second_payment.waited = time.monotonic() - started

    first, second = run_in_threads(slow_first_payment, second_payment)
    assert not isinstance(first, Exception), first
    assert isinstance(second, ValidationError), second
    assert second.message_dict["amount"] == [
        services.PAYMENT_ABOVE_DUE % {"amount": "¥700.00", "due": "¥400.00"}
    ]
    assert second_payment.waited >= 0.4, "the second payment did not wait for the first one's lock"
    order.refresh_from_db()
    assert order.amount_paid == Decimal("700.00") and order.payments.count() == 1


def test_many_payments_at_once_add_up_to_at_most_the_total():
    order = make_confirmed_order()
    finance = FinanceFactory()
    barrier = threading.Barrier(6)

    def pay():
        barrier.wait(10)
        return services.order_record_payment(order=order, by=finance, amount="250.00")

    outcomes = run_in_threads(*[pay] * 6)
    succeeded = [outcome for outcome in outcomes if not isinstance(outcome, Exception)]
    refused = [outcome for outcome in outcomes if isinstance(outcome, Exception)]
    assert len(succeeded) == 4 and all(isinstance(error, ValidationError) for error in refused)
    order.refresh_from_db()
    assert order.amount_paid == Decimal("1000.00") == sum(order.payments.values_list("amount", flat=True))
    assert order.status == OrderStatus.CONFIRMED


def test_two_ship_requests_at_once_ship_once():
    order = order_in_state("picked", dealer=DealerFactory(tier="city"), lines=[(ProductFactory(), 5)])
    warehouse = WarehouseFactory()
    barrier = threading.Barrier(2)

    def ship():
        barrier.wait(10)
        return services.order_ship(order=order, by=warehouse, reference="WB-1")

    outcomes = run_in_threads(ship, ship)
    assert sum(isinstance(outcome, StateConflict) for outcome in outcomes) == 1
    order.refresh_from_db()
    assert order.status == OrderStatus.SHIPPED and order.shipments.count() == 1
    assert order.transitions.filter(to_status=OrderStatus.SHIPPED).count() == 1
