"""rebates/statements/ (with settle), rebates/plans/, rebates/assignments/."""

import datetime
from decimal import Decimal

import pytest
import time_machine

from dealers.tests.factories import DealerFactory
from rebates import services
from rebates.models import RebateAssignment, RebatePlan, RebateStatement
from rebates.tests.conftest import user_for
from rebates.tests.factories import RebateStatementFactory, local_dt, shipped_order

pytestmark = pytest.mark.django_db
AFTER_Q1 = datetime.datetime(2026, 4, 10, 2, 0, tzinfo=datetime.UTC)
STATEMENTS = "/api/v1/rebates/statements/"


@pytest.fixture
def statements(world):
    shipped_order(dealer=world.dealer, lines=[(world.product, 1200)], at=local_dt(2026, 2, 3))
    shipped_order(dealer=world.other, lines=[(world.product, 2100)], at=local_dt(2026, 2, 4))
    services.rebate_statements_recompute(since=datetime.date(2026, 1, 1), until=datetime.date(2026, 3, 31))
    return RebateStatement.objects.get(dealer=world.dealer), RebateStatement.objects.get(dealer=world.other)


def test_statements_api_gives_basis_rate_amount_status_as_api_md_says(api_as, world, statements):
    mine, _theirs = statements
    body = api_as(world.dealer_user).get(STATEMENTS).json()
    assert body["count"] == 1
    (row,) = body["results"]
    assert row["id"] == mine.pk and row["dealer"] == world.dealer.pk
    assert (row["basis"], row["rate"], row["amount"], row["status"]) == ("120000.00", "1.000", "1200.00", "accrued")
    assert (row["period_start"], row["period_end"], row["period"]) == ("2026-01-01", "2026-03-31", "2026-Q1")
    assert row["amount_to_next_tier"] == "80000.00" and row["computation"]["counted"]["from"] == "2026-01-01"


@pytest.mark.parametrize(("role", "count"), [("admin", 2), ("finance", 2), ("manager", 1), ("rep", 1), ("dealer", 1), ("warehouse", 0)])
def test_statements_api_lists_only_the_callers_scope(api_as, world, statements, role, count):
    assert api_as(user_for(world, role)).get(STATEMENTS).json()["count"] == count


@pytest.mark.parametrize("role", ["manager", "rep", "dealer", "warehouse"])
def test_statements_api_detail_outside_scope_answers_404(api_as, world, statements, role):
    _mine, theirs = statements
    client = api_as(user_for(world, role))
    assert client.get(f"{STATEMENTS}{theirs.pk}/").status_code == 404
    assert client.post(f"{STATEMENTS}{theirs.pk}/settle/", {"method": "payment", "reference": "X"}).status_code == 404


def test_statements_api_filters_by_dealer_status_and_state(api_as, world, statements):
    client = api_as(world.finance)
    assert client.get(STATEMENTS, {"dealer": world.other.pk}).json()["count"] == 1
    assert client.get(STATEMENTS, {"status": "settled"}).json()["count"] == 0
    with time_machine.travel(AFTER_Q1, tick=False):
        assert client.get(STATEMENTS, {"state": "pending"}).json()["count"] == 2
        assert client.get(STATEMENTS, {"state": "running"}).json()["count"] == 0
    assert client.get(STATEMENTS, {"search": "Jinling"}).json()["count"] == 1
    assert [r["amount"] for r in client.get(STATEMENTS, {"ordering": "-amount"}).json()["results"]] == ["4200.00", "1200.00"]


@time_machine.travel(AFTER_Q1, tick=False)
def test_settle_api_finance_settles_an_ended_period(api_as, world, statements):
    mine, _theirs = statements
    response = api_as(world.finance).post(f"{STATEMENTS}{mine.pk}/settle/", {"method": "credit_note", "reference": "CN-1"})
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "settled" and response.json()["settlement_reference"] == "CN-1"


@time_machine.travel(AFTER_Q1, tick=False)
def test_settle_api_twice_answers_409(api_as, world, statements):
    mine, _theirs = statements
    client = api_as(world.finance)
    client.post(f"{STATEMENTS}{mine.pk}/settle/", {"method": "payment", "reference": "B-1"})
    response = client.post(f"{STATEMENTS}{mine.pk}/settle/", {"method": "payment", "reference": "B-2"})
    assert response.status_code == 409
    assert response.json()["detail"] == services.STATEMENT_ALREADY_SETTLED % {"date": "2026-04-10"}


def test_settle_api_before_the_period_ends_answers_409(api_as, world, statements):
    mine, _theirs = statements
    with time_machine.travel(datetime.datetime(2026, 3, 31, 10, tzinfo=datetime.UTC), tick=False):
        response = api_as(world.finance).post(f"{STATEMENTS}{mine.pk}/settle/", {"method": "payment", "reference": "B"})
    assert response.status_code == 409 and response.json()["detail"] == services.PERIOD_NOT_ENDED % {"date": "2026-03-31"}


@time_machine.travel(AFTER_Q1, tick=False)
@pytest.mark.parametrize("role", ["rep", "manager", "dealer"])
def test_settle_api_by_another_role_answers_403(api_as, world, statements, role):
    mine, _theirs = statements
    response = api_as(user_for(world, role)).post(f"{STATEMENTS}{mine.pk}/settle/", {"method": "payment", "reference": "B"})
    assert response.status_code == 403
    mine.refresh_from_db()
    assert mine.status == "accrued"


@time_machine.travel(AFTER_Q1, tick=False)
def test_settle_api_bad_input_answers_400(api_as, world, statements):
    mine, _theirs = statements
    client = api_as(world.finance)
    assert client.post(f"{STATEMENTS}{mine.pk}/settle/", {"method": "cash"}).status_code == 400
    response = client.post(f"{STATEMENTS}{mine.pk}/settle/", {"method": "payment"})
    assert response.status_code == 400 and response.json() == {"reference": [str(services.SETTLEMENT_REFERENCE_REQUIRED)]}


@pytest.mark.parametrize("count", [3, 30])
def test_statements_api_list_makes_a_bounded_number_of_queries(api_as, world, count, django_assert_max_num_queries):
    for _ in range(count):
        RebateStatementFactory(dealer=DealerFactory(rep=world.rep, region=world.region), plan=world.plan)
    client = api_as(world.manager)
    with django_assert_max_num_queries(5):
        assert len(client.get(STATEMENTS, {"page_size": 200}).json()["results"]) == count


# --- Plans and assignments --------------------------------------------------------------------------
PLANS = "/api/v1/rebates/plans/"


def test_plans_api_hq_creates_a_tiered_plan(api_as, world):
    response = api_as(world.admin).post(PLANS, {
        "code": "VOL-Q", "name": "Volume by quarter", "kind": "tiered", "period_kind": "quarter",
        "tiers": [{"threshold": "200000", "rate": "2"}, {"threshold": "100000", "rate": "1"}],
    })
    assert response.status_code == 201, response.json()
    assert response.json()["tiers"] == [{"threshold": "100000.00", "rate": "1.000"}, {"threshold": "200000.00", "rate": "2.000"}]


def test_plans_api_refuses_inconsistent_tiers_and_saves_nothing(api_as, world):
    response = api_as(world.admin).post(PLANS, {
        "code": "BAD", "name": "Falling", "kind": "tiered", "period_kind": "quarter",
        "tiers": [{"threshold": "100000", "rate": "2"}, {"threshold": "200000", "rate": "1"}],
    })
    assert response.status_code == 400 and response.json() == {"tiers": [str(services.TIERS_INCONSISTENT)]}
    assert not RebatePlan.objects.filter(code="BAD").exists()


def test_plans_api_campaign_needs_products_and_dates(api_as, world):
    client = api_as(world.admin)
    body = {"code": "SPRING", "name": "Spring", "kind": "campaign", "period_kind": "campaign", "rate": "3"}
    response = client.post(PLANS, body)
    assert response.status_code == 400 and "starts_on" in response.json()
    response = client.post(PLANS, {**body, "starts_on": "2026-03-01", "ends_on": "2026-04-15"})
    assert response.status_code == 400 and response.json() == {"products": [str(services.CAMPAIGN_NEEDS_PRODUCTS)]}
    response = client.post(PLANS, {**body, "starts_on": "2026-03-01", "ends_on": "2026-04-15", "product_ids": [world.product.pk]})
    assert response.status_code == 201 and response.json()["products"] == [world.product.pk]


@pytest.mark.parametrize("role", ["finance", "manager", "rep", "dealer"])
def test_plans_api_only_hq_writes(api_as, world, role):
    response = api_as(user_for(world, role)).post(PLANS, {"code": "X", "name": "X", "kind": "flat", "period_kind": "year", "rate": "2"})
    assert response.status_code == 403


def test_plans_api_hq_updates_a_rate(api_as, world):
    from rebates.tests.factories import FlatPlanFactory

    plan = FlatPlanFactory(rate=Decimal("2.5"))
    response = api_as(world.admin).patch(f"{PLANS}{plan.pk}/", {"rate": "3.25"})
    assert response.status_code == 200 and response.json()["rate"] == "3.250"


def test_plans_api_dealer_sees_only_its_plans(api_as, world):
    from rebates.tests.factories import FlatPlanFactory

    hidden = FlatPlanFactory()
    client = api_as(world.dealer_user)
    assert [plan["id"] for plan in client.get(PLANS).json()["results"]] == [world.plan.pk]
    assert client.get(f"{PLANS}{hidden.pk}/").status_code == 404


def test_assignments_api_hq_assigns_a_plan_once(api_as, world):
    dealer = DealerFactory()
    client = api_as(world.admin)
    response = client.post("/api/v1/rebates/assignments/", {"plan": world.plan.pk, "dealer": dealer.pk})
    assert response.status_code == 201 and RebateAssignment.objects.filter(plan=world.plan, dealer=dealer).exists()
    again = client.post("/api/v1/rebates/assignments/", {"plan": world.plan.pk, "dealer": dealer.pk})
    assert again.status_code == 400 and again.json() == {"dealer": [services.DEALER_ALREADY_ASSIGNED % {"dealer": dealer.name}]}


def test_assignments_api_rep_reads_only_its_dealers(api_as, world):
    results = api_as(world.rep).get("/api/v1/rebates/assignments/").json()["results"]
    assert [row["dealer"] for row in results] == [world.dealer.pk]
