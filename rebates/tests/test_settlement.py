"""Settlement by finance: only ended periods, once, frozen afterwards; the dealer is told."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from common.exceptions import StateConflict
from notifications.models import Notification
from rebates import services
from rebates.models import RebateStatement, StatementStatus
from rebates.tests.factories import local_dt, shipped_order

pytestmark = pytest.mark.django_db

AFTER_Q1 = datetime.datetime(2026, 4, 10, 2, 0, tzinfo=datetime.UTC)
IN_Q1 = datetime.datetime(2026, 3, 20, 2, 0, tzinfo=datetime.UTC)


@pytest.fixture
def statement(world):
    shipped_order(dealer=world.dealer, lines=[(world.product, 1200)], at=local_dt(2026, 2, 3))  # 120,000 → 1 %
    services.rebate_statements_recompute(since=datetime.date(2026, 1, 1), until=datetime.date(2026, 3, 31))
    return RebateStatement.objects.get(dealer=world.dealer)


def settle(statement, by, **kwargs):
    kwargs.setdefault("method", "credit_note")
    kwargs.setdefault("reference", "CN-2026-001")
    return services.rebate_statement_settle(statement=statement, by=by, **kwargs)


@time_machine.travel(AFTER_Q1, tick=False)
def test_settle_after_the_period_freezes_the_statement_and_records_who_how_when(world, statement):
    settled = settle(statement, world.finance, method="payment", reference="BANK-77", note="Paid with April run")
    assert settled.status == StatementStatus.SETTLED and settled.amount == Decimal("1200.00")
    assert (settled.settled_by, settled.settlement_method, settled.settlement_reference) == (world.finance, "payment", "BANK-77")
    assert settled.settled_at == AFTER_Q1 and settled.settlement_note == "Paid with April run"


@time_machine.travel(AFTER_Q1, tick=False)
def test_settle_notifies_each_dealer_user_once(world, statement, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        settle(statement, world.finance)
    (note,) = Notification.objects.filter(recipient=world.dealer_user)
    assert note.key == f"rebate-statement:{statement.pk}:settled" and note.url == f"/rebates/statements/{statement.pk}/"
    assert "¥1,200.00 settled by Credit note" in note.body
    assert not Notification.objects.filter(recipient=world.other_dealer_user).exists()


@time_machine.travel(IN_Q1, tick=False)
def test_settle_before_the_period_ends_is_a_conflict(world, statement):
    with pytest.raises(StateConflict) as error:
        settle(statement, world.finance)
    assert str(error.value) == services.PERIOD_NOT_ENDED % {"date": "2026-03-31"}
    statement.refresh_from_db()
    assert statement.status == StatementStatus.ACCRUED


@time_machine.travel(AFTER_Q1, tick=False)
def test_settle_twice_is_a_conflict_and_changes_nothing(world, statement):
    settle(statement, world.finance, reference="CN-1")
    with pytest.raises(StateConflict) as error:
        settle(statement, world.admin, reference="CN-2")
    assert str(error.value) == services.STATEMENT_ALREADY_SETTLED % {"date": "2026-04-10"}
    statement.refresh_from_db()
    assert statement.settlement_reference == "CN-1" and statement.settled_by == world.finance


@pytest.mark.parametrize("role", ["rep", "manager", "warehouse", "dealer"])
@time_machine.travel(AFTER_Q1, tick=False)
def test_settle_by_a_role_other_than_finance_is_refused(world, statement, role):
    from rebates.tests.conftest import user_for

    with pytest.raises(PermissionDenied):
        settle(statement, user_for(world, role))
    statement.refresh_from_db()
    assert statement.status == StatementStatus.ACCRUED


@time_machine.travel(AFTER_Q1, tick=False)
def test_settle_without_a_reference_or_with_an_unknown_method_is_refused(world, statement):
    with pytest.raises(ValidationError) as error:
        settle(statement, world.finance, reference="  ")
    assert error.value.message_dict == {"reference": [services.SETTLEMENT_REFERENCE_REQUIRED]}
    with pytest.raises(ValidationError) as error:
        settle(statement, world.finance, method="cash")
    assert error.value.message_dict == {"method": [services.SETTLEMENT_METHOD_INVALID]}
    statement.refresh_from_db()
    assert statement.status == StatementStatus.ACCRUED and statement.settled_at is None


@time_machine.travel(AFTER_Q1, tick=False)
def test_settle_a_zero_statement_needs_no_reference(world):
    shipped_order(dealer=world.dealer, lines=[(world.product, 5)], at=local_dt(2026, 2, 3))  # below the first tier
    services.rebate_statements_recompute(since=datetime.date(2026, 1, 1), until=datetime.date(2026, 3, 31))
    statement = RebateStatement.objects.get(dealer=world.dealer)
    assert settle(statement, world.finance, reference="").status == StatementStatus.SETTLED


@time_machine.travel(AFTER_Q1, tick=False)
def test_settle_counts_shipments_the_last_run_had_not_seen(world, statement):
    shipped_order(dealer=world.dealer, lines=[(world.product, 900)], at=local_dt(2026, 3, 30))  # now 210,000 → 2 %
    settled = settle(statement, world.finance)
    assert (settled.basis, settled.rate, settled.amount) == (Decimal("210000.00"), Decimal("2"), Decimal("4200.00"))


@time_machine.travel(AFTER_Q1, tick=False)
def test_a_settled_statement_never_changes_whatever_ships_later(world, statement):
    settle(statement, world.finance)
    shipped_order(dealer=world.dealer, lines=[(world.product, 900)], at=local_dt(2026, 3, 30))
    services.rebate_statements_recompute()
    statement.refresh_from_db()
    assert (statement.basis, statement.amount, statement.status) == (Decimal("120000.00"), Decimal("1200.00"), "settled")
