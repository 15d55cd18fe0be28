"""Rebate pages: scope (list, detail, export), filters, settlement form, query bounds."""

import datetime
import io

import pytest
import time_machine
from openpyxl import load_workbook

from dealers.tests.factories import DealerFactory
from rebates import services
from rebates.models import RebateStatement, StatementStatus
from rebates.tests.conftest import user_for
from rebates.tests.factories import RebateStatementFactory, TieredPlanFactory, local_dt, shipped_order

pytestmark = pytest.mark.django_db
AFTER_Q1 = datetime.datetime(2026, 4, 10, 2, 0, tzinfo=datetime.UTC)


@pytest.fixture
def statements(world):
    """Q1 2026 from real shipments: the dealer 120,000 (1 % → ¥1,200.00), the other 210,000 (2 % → ¥4,200.00)."""
    shipped_order(dealer=world.dealer, lines=[(world.product, 1200)], at=local_dt(2026, 2, 3))
    shipped_order(dealer=world.other, lines=[(world.product, 2100)], at=local_dt(2026, 2, 4))
    services.rebate_statements_recompute(since=datetime.date(2026, 1, 1), until=datetime.date(2026, 3, 31))
    return RebateStatement.objects.get(dealer=world.dealer), RebateStatement.objects.get(dealer=world.other)


def page(client, user, url, **params):
    client.force_login(user)
    return client.get(url, params)


def csv_body(response) -> str:
    return b"".join(response.streaming_content).decode("utf-8")


# --- Scope ---------------------------------------------------------------------------------
@pytest.mark.parametrize(("role", "sees_other"), [("admin", True), ("finance", True), ("manager", False), ("rep", False), ("dealer", False)])
def test_statement_list_shows_only_statements_in_scope(client, world, statements, role, sees_other):
    body = page(client, user_for(world, role), "/rebates/").content.decode()
    assert "¥1,200.00" in body
    assert ("¥4,200.00" in body) is sees_other


def test_statement_list_is_not_there_for_the_warehouse(client, world, statements):
    assert page(client, world.warehouse, "/rebates/").status_code == 404


@pytest.mark.parametrize("role", ["manager", "rep", "dealer", "warehouse"])
def test_statement_detail_of_another_dealer_answers_404(client, world, statements, role):
    _mine, theirs = statements
    assert page(client, user_for(world, role), f"/rebates/statements/{theirs.pk}/").status_code == 404


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_dealer_export_holds_only_its_own_statements(client, world, statements, fmt):
    response = page(client, world.dealer_user, "/rebates/", format=fmt)
    assert response.status_code == 200
    if fmt == "csv":
        body = csv_body(response)
        assert "1200.00" in body and "4200.00" not in body and "Jinling" not in body
    else:
        rows = list(load_workbook(io.BytesIO(response.content)).active.values)
        assert len(rows) == 2 and 4200 not in rows[1]


def test_finance_export_lists_every_dealer_with_basis_rate_amount_status(client, world, statements):
    body = csv_body(page(client, world.finance, "/rebates/", format="csv"))
    header, *rows = [line for line in body.lstrip("\ufeff").splitlines() if line]
    assert header.startswith("Dealer code,Dealer,Plan,Period,Period from,Period to,Basis,Rate (%),Amount,Status")
    assert len(rows) == 2 and any(row.startswith("ZJ-001,Baishun Trading,Quarterly volume,2026-Q1") for row in rows)


def test_statement_list_filters_by_dealer_search_and_state(client, world, statements):
    with time_machine.travel(AFTER_Q1, tick=False):
        assert "¥4,200.00" not in page(client, world.finance, "/rebates/", q="ZJ-001").content.decode()
        pending = page(client, world.finance, "/rebates/", state="pending").content.decode()
        assert "¥4,200.00" in pending and "¥1,200.00" in pending
        assert "¥4,200.00" not in page(client, world.finance, "/rebates/", state="settled").content.decode()


# --- Detail and settlement ----------------------------------------------------------------------
def test_statement_detail_shows_how_it_was_computed(client, world, statements):
    mine, _theirs = statements
    body = page(client, world.dealer_user, f"/rebates/statements/{mine.pk}/").content.decode()
    assert "¥120,000.00 × 1 % = ¥1,200.00" in body
    assert "¥80,000.00 more purchase in this period reaches the next tier" in body
    assert "Settle" not in body  # a dealer never sees the settlement form


@time_machine.travel(AFTER_Q1, tick=False)
def test_finance_settles_from_the_statement_page(client, world, statements):
    mine, _theirs = statements
    client.force_login(world.finance)
    assert b"Settle \xc2\xa51,200.00" in client.get(f"/rebates/statements/{mine.pk}/").content
    response = client.post(f"/rebates/statements/{mine.pk}/settle/", {"method": "credit_note", "reference": "CN-9"})
    assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.status == StatementStatus.SETTLED and mine.settlement_reference == "CN-9"
    assert "Rebate settled." in client.get(response.url).content.decode()


@time_machine.travel(AFTER_Q1, tick=False)
def test_settle_form_without_reference_shows_the_message_and_saves_nothing(client, world, statements):
    mine, _theirs = statements
    client.force_login(world.finance)
    response = client.post(f"/rebates/statements/{mine.pk}/settle/", {"method": "credit_note", "reference": ""})
    assert response.status_code == 400
    assert str(services.SETTLEMENT_REFERENCE_REQUIRED) in response.content.decode()
    mine.refresh_from_db()
    assert mine.status == StatementStatus.ACCRUED


@time_machine.travel(AFTER_Q1, tick=False)
@pytest.mark.parametrize("role", ["rep", "manager", "dealer"])
def test_settle_by_another_role_is_forbidden(client, world, statements, role):
    mine, _theirs = statements
    client.force_login(user_for(world, role))
    assert client.post(f"/rebates/statements/{mine.pk}/settle/", {"method": "payment", "reference": "X"}).status_code == 403


def test_settle_of_a_statement_out_of_scope_answers_404(client, world, statements):
    _mine, theirs = statements
    client.force_login(world.dealer_user)
    assert client.post(f"/rebates/statements/{theirs.pk}/settle/", {"method": "payment", "reference": "X"}).status_code == 404


# --- Plans --------------------------------------------------------------------------------------
def test_dealer_sees_only_plans_assigned_to_it(client, world):
    TieredPlanFactory(name="Secret plan")
    body = page(client, world.dealer_user, "/rebates/plans/").content.decode()
    assert "Quarterly volume" in body and "Secret plan" not in body


def test_plan_detail_lists_only_the_dealers_in_the_managers_scope(client, world):
    body = page(client, world.manager, f"/rebates/plans/{world.plan.pk}/").content.decode()
    assert "Baishun Trading" in body and "Jinling Sugar" not in body


# --- Query bounds --------------------------------------------------------------------------------
@pytest.mark.parametrize("count", [3, 30])
def test_statement_list_page_makes_a_bounded_number_of_queries(client, world, count, django_assert_max_num_queries):
    for _ in range(count):
        RebateStatementFactory(dealer=DealerFactory(rep=world.rep, region=world.region), plan=world.plan)
    client.force_login(world.rep)
    with django_assert_max_num_queries(12):
        response = client.get("/rebates/")
    assert response.status_code == 200 and response.content.decode().count('data-testid="statement-state"') == min(count, 25)


@pytest.mark.parametrize("count", [3, 30])
def test_dealer_statement_list_with_its_overview_makes_a_bounded_number_of_queries(client, world, count, django_assert_max_num_queries):
    for year in range(2000, 2000 + count):
        RebateStatementFactory(dealer=world.dealer, plan=world.plan, period_start=datetime.date(year, 1, 1),
                               period_end=datetime.date(year, 3, 31))
    client.force_login(world.dealer_user)
    with django_assert_max_num_queries(16):
        assert client.get("/rebates/").status_code == 200
