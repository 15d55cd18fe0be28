"""Accrual: statements recomputed from the shipment records, idempotently and set-based."""

import datetime
from decimal import Decimal

import pytest
import time_machine

from dealers.models import DealerTier
from dealers.tests.factories import DealerFactory
from inventory.tests.factories import ProductFactory
from rebates import services
from rebates.models import RebateStatement, StatementStatus
from rebates.selectors import rebate_statement_orders
from rebates.tests.factories import (
    CampaignPlanFactory,
    FlatPlanFactory,
    RebateAssignmentFactory,
    TieredPlanFactory,
    local_dt,
    shipped_order,
)

pytestmark = pytest.mark.django_db
Q1 = (datetime.date(2026, 1, 1), datetime.date(2026, 3, 31))


@pytest.fixture
def product():
    return ProductFactory(prices={DealerTier.CITY: "100.00"})


@pytest.fixture
def dealer():
    return DealerFactory(tier=DealerTier.CITY)


def recompute(**kwargs):
    kwargs.setdefault("since", datetime.date(2026, 1, 1))
    kwargs.setdefault("until", datetime.date(2026, 12, 31))
    return services.rebate_statements_recompute(**kwargs)


def test_recompute_flat_plan_accrues_the_quarters_shipments(dealer, product):
    RebateAssignmentFactory(plan=FlatPlanFactory(rate=Decimal("2.5")), dealer=dealer)
    shipped_order(dealer=dealer, lines=[(product, 30)], at=local_dt(2026, 1, 10))
    shipped_order(dealer=dealer, lines=[(product, 10)], at=local_dt(2026, 3, 31, 23, 59))
    shipped_order(dealer=dealer, lines=[(product, 7)], at=local_dt(2026, 4, 1, 0, 0))  # next quarter
    recompute()
    q1, q2 = RebateStatement.objects.order_by("period_start")
    assert (q1.period_start, q1.period_end) == Q1
    assert (q1.basis, q1.rate, q1.amount, q1.status) == (Decimal("4000.00"), Decimal("2.5"), Decimal("100.00"), "accrued")
    assert (q2.basis, q2.amount) == (Decimal("700.00"), Decimal("17.50"))
    assert q1.computation["counted"] == {"from": "2026-01-01", "to": "2026-03-31"}


def test_recompute_twice_changes_nothing_the_second_time(dealer, product):
    RebateAssignmentFactory(plan=TieredPlanFactory(), dealer=dealer)
    shipped_order(dealer=dealer, lines=[(product, 1500)], at=local_dt(2026, 2, 1))
    first = recompute()
    before = list(RebateStatement.objects.values())
    second = recompute()
    assert (first.created, second.created, second.updated, second.unchanged) == (1, 0, 0, 1)
    assert list(RebateStatement.objects.values()) == before


def test_recompute_after_a_new_shipment_updates_the_same_statement(dealer, product):
    RebateAssignmentFactory(plan=TieredPlanFactory(), dealer=dealer)
    shipped_order(dealer=dealer, lines=[(product, 1500)], at=local_dt(2026, 2, 1))
    recompute()
    statement = RebateStatement.objects.get()
    assert (statement.rate, statement.amount, statement.amount_to_next_tier) == (Decimal("1"), Decimal("1500.00"), Decimal("50000.00"))
    shipped_order(dealer=dealer, lines=[(product, 500)], at=local_dt(2026, 3, 1))
    result = recompute()
    statement.refresh_from_db()
    assert result.updated == 1 and RebateStatement.objects.count() == 1
    assert (statement.basis, statement.rate, statement.amount) == (Decimal("200000.00"), Decimal("2"), Decimal("4000.00"))
    assert statement.tier_threshold == Decimal("200000.00") and statement.amount_to_next_tier is None


def test_recompute_below_the_first_tier_keeps_a_zero_statement_showing_the_distance(dealer, product):
    RebateAssignmentFactory(plan=TieredPlanFactory(), dealer=dealer)
    shipped_order(dealer=dealer, lines=[(product, 10)], at=local_dt(2026, 2, 1))
    recompute()
    statement = RebateStatement.objects.get()
    assert (statement.basis, statement.rate, statement.amount) == (Decimal("1000.00"), Decimal("0"), Decimal("0.00"))
    assert statement.amount_to_next_tier == Decimal("99000.00")


def test_recompute_campaign_counts_only_its_products_during_its_dates(dealer, product):
    other = ProductFactory(prices={DealerTier.CITY: "50.00"})
    plan = CampaignPlanFactory(
        rate=Decimal("3"), products=[product], starts_on=datetime.date(2026, 3, 1), ends_on=datetime.date(2026, 4, 15),
    )
    RebateAssignmentFactory(plan=plan, dealer=dealer)
    shipped_order(dealer=dealer, lines=[(product, 10), (other, 10)], at=local_dt(2026, 3, 5))
    shipped_order(dealer=dealer, lines=[(product, 5)], at=local_dt(2026, 4, 15, 22))
    shipped_order(dealer=dealer, lines=[(product, 99)], at=local_dt(2026, 4, 16, 0, 1))  # after the campaign
    shipped_order(dealer=dealer, lines=[(product, 99)], at=local_dt(2026, 2, 28, 23, 59))  # before it
    recompute()
    statement = RebateStatement.objects.get()
    assert (statement.period_start, statement.period_end) == (datetime.date(2026, 3, 1), datetime.date(2026, 4, 15))
    assert (statement.basis, statement.amount) == (Decimal("1500.00"), Decimal("45.00"))


def test_recompute_counts_days_in_the_company_time_zone(dealer, product):
    RebateAssignmentFactory(plan=FlatPlanFactory(period_kind="month"), dealer=dealer)
    # 2026-01-31 23:30 in Shanghai is 15:30 UTC on the 31st; 2026-02-01 00:30 there is 16:30 UTC on the 31st.
    shipped_order(dealer=dealer, lines=[(product, 1)], at=local_dt(2026, 1, 31, 23, 30))
    shipped_order(dealer=dealer, lines=[(product, 2)], at=local_dt(2026, 2, 1, 0, 30))
    recompute()
    january, february = RebateStatement.objects.order_by("period_start")
    assert (january.basis, february.basis) == (Decimal("100.00"), Decimal("200.00"))


def test_recompute_counts_only_from_the_assignment_start(dealer, product):
    RebateAssignmentFactory(plan=FlatPlanFactory(), dealer=dealer, starts_on=datetime.date(2026, 2, 1))
    shipped_order(dealer=dealer, lines=[(product, 10)], at=local_dt(2026, 1, 20))
    shipped_order(dealer=dealer, lines=[(product, 20)], at=local_dt(2026, 2, 20))
    recompute()
    statement = RebateStatement.objects.get()
    assert statement.basis == Decimal("2000.00") and statement.computation["counted"]["from"] == "2026-02-01"


def test_recompute_never_touches_a_settled_statement(dealer, product):
    RebateAssignmentFactory(plan=FlatPlanFactory(), dealer=dealer)
    shipped_order(dealer=dealer, lines=[(product, 10)], at=local_dt(2026, 1, 20))
    recompute()
    RebateStatement.objects.update(status=StatementStatus.SETTLED, settled_at=local_dt(2026, 4, 2))
    shipped_order(dealer=dealer, lines=[(product, 10)], at=local_dt(2026, 1, 21))  # a late record
    result = recompute()
    statement = RebateStatement.objects.get()
    assert result.settled_kept == 1 and statement.basis == Decimal("1000.00")


def test_recompute_removes_an_accrued_statement_nothing_counts_for_any_more(dealer, product):
    plan = CampaignPlanFactory(products=[product], starts_on=datetime.date(2026, 3, 1), ends_on=datetime.date(2026, 3, 31))
    RebateAssignmentFactory(plan=plan, dealer=dealer)
    shipped_order(dealer=dealer, lines=[(product, 10)], at=local_dt(2026, 3, 5))
    recompute()
    plan.products.set([ProductFactory()])  # HQ corrects the campaign's products
    result = recompute()
    assert result.deleted == 1 and not RebateStatement.objects.exists()


def test_recompute_replaces_statements_left_over_from_the_plans_old_terms(dealer, product):
    plan = FlatPlanFactory(period_kind="quarter")
    RebateAssignmentFactory(plan=plan, dealer=dealer)
    shipped_order(dealer=dealer, lines=[(product, 10)], at=local_dt(2026, 1, 20))
    shipped_order(dealer=dealer, lines=[(product, 20)], at=local_dt(2026, 2, 20))
    recompute()
    plan.period_kind = "month"  # HQ changes the plan to monthly statements
    plan.save()
    result = recompute()
    assert (result.updated, result.created) == (1, 1)  # January takes over the quarter's row, February is new
    assert sorted(RebateStatement.objects.values_list("period_start", "basis")) == [
        (datetime.date(2026, 1, 1), Decimal("1000.00")), (datetime.date(2026, 2, 1), Decimal("2000.00")),
    ]


def test_recompute_follows_a_campaign_moved_to_other_dates(dealer, product):
    plan = CampaignPlanFactory(products=[product], starts_on=datetime.date(2026, 3, 1), ends_on=datetime.date(2026, 3, 31))
    RebateAssignmentFactory(plan=plan, dealer=dealer)
    shipped_order(dealer=dealer, lines=[(product, 10)], at=local_dt(2026, 3, 3))
    shipped_order(dealer=dealer, lines=[(product, 20)], at=local_dt(2026, 3, 10))
    recompute()
    plan.starts_on = datetime.date(2026, 3, 5)
    plan.save()
    assert recompute().deleted == 1
    statement = RebateStatement.objects.get()
    assert (statement.period_start, statement.basis) == (datetime.date(2026, 3, 5), Decimal("2000.00"))


def test_recompute_ignores_inactive_plans_and_other_dealers(dealer, product):
    RebateAssignmentFactory(plan=FlatPlanFactory(is_active=False), dealer=dealer)
    shipped_order(dealer=dealer, lines=[(product, 10)], at=local_dt(2026, 1, 20))
    shipped_order(dealer=DealerFactory(tier=DealerTier.CITY), lines=[(product, 10)], at=local_dt(2026, 1, 20))
    recompute()
    assert not RebateStatement.objects.exists()


@pytest.mark.parametrize("dealer_count", [3, 30])
def test_recompute_takes_a_fixed_number_of_queries_for_many_dealers(dealer_count, product, django_assert_max_num_queries):
    flat, tiered = FlatPlanFactory(period_kind="month"), TieredPlanFactory()
    for _ in range(dealer_count):
        dealer = DealerFactory(tier=DealerTier.CITY)
        RebateAssignmentFactory(plan=flat, dealer=dealer)
        RebateAssignmentFactory(plan=tiered, dealer=dealer)
        shipped_order(dealer=dealer, lines=[(product, 1200)], at=local_dt(2026, 2, 1))
    # assignments + plans' tiers + products, lock dealers, bases, existing statements, bulk create (+ savepoints)
    with django_assert_max_num_queries(10):
        result = recompute()
    assert result.created == dealer_count * 2
    with django_assert_max_num_queries(10):
        assert recompute().unchanged == dealer_count * 2


def test_statement_orders_break_the_basis_down_by_order(dealer, product):
    RebateAssignmentFactory(plan=FlatPlanFactory(), dealer=dealer)
    first = shipped_order(dealer=dealer, lines=[(product, 3)], at=local_dt(2026, 1, 5))
    second = shipped_order(dealer=dealer, lines=[(product, 4)], at=local_dt(2026, 2, 5))
    recompute()
    rows = rebate_statement_orders(statement=RebateStatement.objects.get())
    assert [(row.order_id, row.amount) for row in rows] == [(first.pk, Decimal("300.00")), (second.pk, Decimal("400.00"))]
    assert sum(row.amount for row in rows) == RebateStatement.objects.get().basis


@time_machine.travel(datetime.datetime(2026, 5, 20, 3, 0, tzinfo=datetime.UTC), tick=False)
def test_accrue_all_task_covers_last_year_and_this_year(dealer, product):
    from rebates.tasks import accrue_all_rebates

    RebateAssignmentFactory(plan=FlatPlanFactory(period_kind="year"), dealer=dealer)
    shipped_order(dealer=dealer, lines=[(product, 10)], at=local_dt(2025, 6, 1))
    shipped_order(dealer=dealer, lines=[(product, 20)], at=local_dt(2026, 5, 1))
    shipped_order(dealer=dealer, lines=[(product, 40)], at=local_dt(2024, 6, 1))  # settled long ago, not revisited
    assert accrue_all_rebates() == 2
    assert accrue_all_rebates() == 0  # a doubled beat changes nothing
    assert sorted(RebateStatement.objects.values_list("period_start", "basis")) == [
        (datetime.date(2025, 1, 1), Decimal("1000.00")), (datetime.date(2026, 1, 1), Decimal("2000.00")),
    ]



def test_shipping_an_order_through_the_workflow_accrues_its_rebate(dealer, product, django_capture_on_commit_callbacks):
    from accounts.tests.factories import WarehouseFactory
    from inventory import services as inventory_services
    from inventory.tests.factories import order_in_state

    RebateAssignmentFactory(plan=FlatPlanFactory(rate=Decimal("2")), dealer=dealer)
    with django_capture_on_commit_callbacks(execute=True):
        order = order_in_state("picked", dealer=dealer, lines=[(product, 12)])
    assert not RebateStatement.objects.exists()  # nothing accrues before the goods leave
    with django_capture_on_commit_callbacks(execute=True):
        inventory_services.order_ship(order=order, by=WarehouseFactory(), reference="WB-1")
    statement = RebateStatement.objects.get()
    assert (statement.basis, statement.amount) == (Decimal("1200.00"), Decimal("24.00"))
