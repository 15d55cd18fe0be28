"""Two accruals, or two settlements, at once on two PostgreSQL connections: the
dealer and statement row locks make the second wait and see the first."""

import datetime
import threading
import time
from decimal import Decimal

import pytest
import time_machine
from django.db import transaction

from accounts.tests.factories import FinanceFactory
from common.exceptions import StateConflict
from dealers.tests.factories import DealerFactory
from inventory.tests.factories import ProductFactory
from rebates import services
from rebates.models import RebateStatement, StatementStatus
from rebates.tests.factories import RebateAssignmentFactory, TieredPlanFactory, local_dt, shipped_order
from tests.helpers import run_in_threads, skip_unless_postgresql

pytestmark = pytest.mark.django_db(transaction=True)
Q1 = {"since": datetime.date(2026, 1, 1), "until": datetime.date(2026, 3, 31)}


@pytest.fixture(autouse=True)
def postgresql_only():
    skip_unless_postgresql()


@pytest.fixture
def dealer():
    dealer = DealerFactory(tier="city")
    RebateAssignmentFactory(plan=TieredPlanFactory(), dealer=dealer)
    shipped_order(dealer=dealer, lines=[(ProductFactory(prices={"city": "100.00"}), 1500)], at=local_dt(2026, 2, 1))
    return dealer


def test_two_accruals_at_once_make_one_statement_and_neither_fails(dealer):
    """Without the dealer lock both would insert the statement and the second would hit the unique constraint."""
    first_has_lock = threading.Event()

    def slow_first_accrual():
        with transaction.atomic():
            result = services.rebate_statements_recompute(dealer_ids=[dealer.pk], **Q1)
            first_has_lock.set()
            time.sleep(0.6)
            return result

    def second_accrual():
        first_has_lock.wait(10)
        started = time.monotonic()
        try:
            return services.rebate_statements_recompute(dealer_ids=[dealer.pk], **Q1)
        finally:
            second_accrual.waited = time.monotonic() - started

    first, second = run_in_threads(slow_first_accrual, second_accrual)
    assert not isinstance(first, Exception), first
    assert not isinstance(second, Exception), second
    assert (first.created, second.created, second.unchanged) == (1, 0, 1)
    assert second_accrual.waited >= 0.4, "the second accrual did not wait for the first one's lock"
    (statement,) = RebateStatement.objects.all()
    assert (statement.basis, statement.amount) == (Decimal("150000.00"), Decimal("1500.00"))


@time_machine.travel(datetime.datetime(2026, 4, 10, 2, tzinfo=datetime.UTC), tick=False)
def test_two_settlements_at_once_settle_once(dealer):
    services.rebate_statements_recompute(**Q1)
    statement = RebateStatement.objects.get()
    finance = FinanceFactory()
    first_has_lock = threading.Event()

    def slow_first_settlement():
        with transaction.atomic():
            settled = services.rebate_statement_settle(statement=statement, by=finance, method="payment", reference="B-1")
            first_has_lock.set()
            time.sleep(0.6)
            return settled

    def second_settlement():
        first_has_lock.wait(10)
        return services.rebate_statement_settle(statement=statement, by=finance, method="payment", reference="B-2")

    first, second = run_in_threads(slow_first_settlement, second_settlement)
    assert not isinstance(first, Exception), first
    assert isinstance(second, StateConflict), second
    statement.refresh_from_db()
    assert statement.status == StatementStatus.SETTLED and statement.settlement_reference == "B-1"
