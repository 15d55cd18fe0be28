"""A contract names its rebate plan; signing it assigns the plan for the contract's term."""

from datetime import date

import pytest

from accounts.tests.factories import AdminFactory, ManagerFactory
from dealers.services import contract_sign
from dealers.tests.factories import DealerFactory, DraftContractFactory
from rebates.models import RebateAssignment
from rebates.tests.factories import CampaignPlanFactory, RebateAssignmentFactory, RebatePlanFactory

pytestmark = pytest.mark.django_db


def test_contract_sign_with_a_plan_assigns_it_for_the_contract_term():
    plan = RebatePlanFactory()
    contract = DraftContractFactory(rebate_plan=plan, start_date=date(2026, 1, 1), end_date=date(2026, 12, 31))
    contract_sign(contract=contract, signed_by=AdminFactory())
    assignment = RebateAssignment.objects.get(plan=plan, dealer=contract.dealer)
    assert (assignment.starts_on, assignment.ends_on, assignment.contract_id) == (date(2026, 1, 1), date(2026, 12, 31), contract.pk)


def test_contract_renewal_with_the_same_plan_extends_the_assignment():
    plan = RebatePlanFactory()
    dealer = DealerFactory()
    RebateAssignmentFactory(plan=plan, dealer=dealer, starts_on=date(2025, 1, 1), ends_on=date(2025, 12, 31))
    renewal = DraftContractFactory(dealer=dealer, rebate_plan=plan, start_date=date(2026, 1, 1), end_date=date(2026, 12, 31))
    contract_sign(contract=renewal, signed_by=AdminFactory())
    assignment = RebateAssignment.objects.get(plan=plan, dealer=dealer)
    assert (assignment.starts_on, assignment.ends_on, assignment.contract_id) == (date(2025, 1, 1), date(2026, 12, 31), renewal.pk)


def test_contract_sign_without_a_plan_assigns_nothing():
    contract = DraftContractFactory()
    contract_sign(contract=contract, signed_by=AdminFactory())
    assert not RebateAssignment.objects.exists()


def test_contract_api_refuses_a_campaign_or_inactive_plan(api_as):
    dealer = DealerFactory()
    manager = ManagerFactory(regions=[dealer.region])
    payload = {
        "dealer": dealer.pk, "territory": "County", "product_lines": "Drinks", "annual_target_amount": "100000.00",
        "annual_target_volume": 1000, "start_date": "2027-01-01", "end_date": "2027-12-31",
    }
    client = api_as(manager)
    for plan in (CampaignPlanFactory(), RebatePlanFactory(is_active=False)):
        response = client.post("/api/v1/contracts/", {**payload, "rebate_plan": plan.pk}, format="json")
        assert response.status_code == 400 and "rebate_plan" in response.json()
    plan = RebatePlanFactory()
    response = client.post("/api/v1/contracts/", {**payload, "rebate_plan": plan.pk}, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["rebate_plan"] == plan.pk
