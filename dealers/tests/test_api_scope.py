"""The scope matrix (issue #3): each role × list / detail / create / update on dealers,
evaluations, contracts and violations, through the API — allowed, 403 (the role may
not) or 404 (outside the caller's scope), as API.md says.

The role is checked before the object is looked up, so a role that may never do
something gets 403 whatever the id: that reveals nothing about other dealers."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.tests.factories import (
    AdminFactory,
    DealerUserFactory,
    FinanceFactory,
    ManagerFactory,
    RepFactory,
    WarehouseFactory,
)
from dealers.models import Dealer
from dealers.tests.factories import ContractFactory, DealerFactory, DraftContractFactory, ViolationFactory, all_scores
from regions.tests.factories import RegionFactory

pytestmark = pytest.mark.django_db

ROLES = ["admin", "manager", "rep", "finance", "warehouse", "dealer"]


@pytest.fixture
def world():
    east, west = RegionFactory(name="East"), RegionFactory(name="West")
    east_city = RegionFactory(name="East City", parent=east)
    rep, other_rep = RepFactory(), RepFactory()
    mine = DealerFactory(region=east_city, rep=rep)
    other = DealerFactory(region=west, rep=other_rep)
    users = {
        "admin": AdminFactory(), "manager": ManagerFactory(regions=[east]), "rep": rep,
        "finance": FinanceFactory(), "warehouse": WarehouseFactory(), "dealer": DealerUserFactory(dealer=mine),
    }
    data = {"east": east, "west": west, "mine": mine, "other": other, "users": users}
    for key, dealer in (("mine", mine), ("other", other)):
        data[f"{key}_contract"] = ContractFactory(dealer=dealer)
        data[f"{key}_draft"] = DraftContractFactory(dealer=dealer)
        data[f"{key}_violation"] = ViolationFactory(dealer=dealer)
    return data


def contract_body(dealer):
    today = timezone.localdate()
    return {"dealer": dealer.pk, "territory": "County", "product_lines": "Drinks", "annual_target_amount": "100000.00",
            "annual_target_volume": 2000, "start_date": str(today), "end_date": str(today + timedelta(days=365))}


def violation_body(dealer):
    return {"dealer": dealer.pk, "type": "price_dumping", "evidence": "Sold below floor", "found_where": "Outlet 3"}


# Each case: (request maker, {role: expected status}). Roles missing from a case have no
# "outside" dealer (admin, finance and warehouse see every dealer).
CASES = {
    # dealers
    "dealers-list": (lambda w: ("get", "/api/v1/dealers/", None), dict.fromkeys(ROLES, 200)),
    "dealers-detail-in": (lambda w: ("get", f"/api/v1/dealers/{w['mine'].pk}/", None), dict.fromkeys(ROLES, 200)),
    "dealers-detail-out": (lambda w: ("get", f"/api/v1/dealers/{w['other'].pk}/", None),
                           {"manager": 404, "rep": 404, "dealer": 404}),
    "dealers-create": (lambda w: ("post", "/api/v1/dealers/", {"name": "New Co", "region": w["mine"].region_id}),
                       {"admin": 201, "manager": 201, "rep": 201, "finance": 403, "warehouse": 403, "dealer": 403}),
    "dealers-create-out": (lambda w: ("post", "/api/v1/dealers/", {"name": "Far Co", "region": w["west"].pk}),
                           {"manager": 400, "rep": 400}),
    "dealers-update-in": (lambda w: ("patch", f"/api/v1/dealers/{w['mine'].pk}/", {"phone": "0571-1234"}),
                          {"admin": 200, "manager": 200, "rep": 200, "finance": 403, "warehouse": 403, "dealer": 403}),
    "dealers-update-out": (lambda w: ("patch", f"/api/v1/dealers/{w['other'].pk}/", {"phone": "0571-1234"}),
                           {"manager": 404, "rep": 404, "dealer": 403}),
    # evaluations
    "evaluations-list-in": (lambda w: ("get", f"/api/v1/dealers/{w['mine'].pk}/evaluations/", None),
                            {"admin": 200, "manager": 200, "rep": 200, "finance": 200, "warehouse": 200, "dealer": 403}),
    "evaluations-list-out": (lambda w: ("get", f"/api/v1/dealers/{w['other'].pk}/evaluations/", None),
                             {"manager": 404, "rep": 404, "dealer": 404}),
    "evaluations-create-in": (lambda w: ("post", f"/api/v1/dealers/{w['mine'].pk}/evaluations/", {"scores": all_scores(3)}),
                              {"admin": 201, "manager": 201, "rep": 201, "finance": 403, "warehouse": 403, "dealer": 403}),
    "evaluations-create-out": (lambda w: ("post", f"/api/v1/dealers/{w['other'].pk}/evaluations/", {"scores": all_scores(3)}),
                               {"manager": 404, "rep": 404, "dealer": 404}),
    "evaluations-update": (lambda w: ("patch", f"/api/v1/dealers/{w['mine'].pk}/evaluations/1/", {"comment": "x"}),
                           {"admin": 405, "manager": 405, "rep": 405, "finance": 405, "warehouse": 405, "dealer": 405}),
    # contracts
    "contracts-list": (lambda w: ("get", "/api/v1/contracts/", None), dict.fromkeys(ROLES, 200)),
    "contracts-detail-in": (lambda w: ("get", f"/api/v1/contracts/{w['mine_contract'].pk}/", None), dict.fromkeys(ROLES, 200)),
    "contracts-detail-draft": (lambda w: ("get", f"/api/v1/contracts/{w['mine_draft'].pk}/", None),
                               {"admin": 200, "manager": 200, "rep": 200, "finance": 200, "warehouse": 200, "dealer": 404}),
    "contracts-detail-out": (lambda w: ("get", f"/api/v1/contracts/{w['other_contract'].pk}/", None),
                             {"manager": 404, "rep": 404, "dealer": 404}),
    "contracts-create-in": (lambda w: ("post", "/api/v1/contracts/", contract_body(w["mine"])),
                            {"admin": 201, "manager": 201, "rep": 201, "finance": 403, "warehouse": 403, "dealer": 403}),
    "contracts-create-out": (lambda w: ("post", "/api/v1/contracts/", contract_body(w["other"])),
                             {"manager": 404, "rep": 404, "dealer": 403}),
    "contracts-update-in": (lambda w: ("patch", f"/api/v1/contracts/{w['mine_draft'].pk}/", {"territory": "Two counties"}),
                            {"admin": 200, "manager": 200, "rep": 200, "finance": 403, "warehouse": 403, "dealer": 403}),
    "contracts-update-out": (lambda w: ("patch", f"/api/v1/contracts/{w['other_draft'].pk}/", {"territory": "x"}),
                             {"manager": 404, "rep": 404, "dealer": 403}),
    "contracts-sign-in": (lambda w: ("post", f"/api/v1/contracts/{w['mine_draft'].pk}/sign/", {}),
                          {"admin": 200, "manager": 409, "rep": 403, "finance": 403, "warehouse": 403, "dealer": 403}),
    # violations
    "violations-list": (lambda w: ("get", "/api/v1/violations/", None),
                        {"admin": 200, "manager": 200, "rep": 200, "finance": 200, "warehouse": 200, "dealer": 403}),
    "violations-detail-in": (lambda w: ("get", f"/api/v1/violations/{w['mine_violation'].pk}/", None),
                             {"admin": 200, "manager": 200, "rep": 200, "finance": 200, "warehouse": 200, "dealer": 403}),
    "violations-detail-out": (lambda w: ("get", f"/api/v1/violations/{w['other_violation'].pk}/", None),
                              {"manager": 404, "rep": 404, "dealer": 403}),
    "violations-create-in": (lambda w: ("post", "/api/v1/violations/", violation_body(w["mine"])),
                             {"admin": 201, "manager": 201, "rep": 201, "finance": 403, "warehouse": 403, "dealer": 403}),
    "violations-create-out": (lambda w: ("post", "/api/v1/violations/", violation_body(w["other"])),
                              {"manager": 404, "rep": 404, "dealer": 403}),
    "violations-update-in": (lambda w: ("patch", f"/api/v1/violations/{w['mine_violation'].pk}/", {"severity": "high"}),
                             {"admin": 200, "manager": 200, "rep": 200, "finance": 403, "warehouse": 403, "dealer": 403}),
    "violations-update-out": (lambda w: ("patch", f"/api/v1/violations/{w['other_violation'].pk}/", {"severity": "high"}),
                              {"manager": 404, "rep": 404, "dealer": 403}),
}


@pytest.mark.parametrize("case", CASES)
def test_scope_matrix(case, world, api_client):
    make_request, expected = CASES[case]
    actual = {}
    for role in expected:
        api_client.force_authenticate(world["users"][role])
        method, url, body = make_request(world)
        response = getattr(api_client, method)(url, body, format="json") if body is not None else getattr(api_client, method)(url)
        actual[role] = response.status_code
    assert actual == expected


@pytest.mark.parametrize(("role", "visible"), [
    ("admin", {"mine", "other"}), ("finance", {"mine", "other"}), ("warehouse", {"mine", "other"}),
    ("manager", {"mine"}), ("rep", {"mine"}), ("dealer", {"mine"}),
])
def test_scope_lists_hold_only_what_the_role_may_see(role, visible, world, api_as):
    client = api_as(world["users"][role])
    ids = {row["id"] for row in client.get("/api/v1/dealers/").json()["results"]}
    assert ids == {world[key].pk for key in visible}
    contract_dealers = {row["dealer"] for row in client.get("/api/v1/contracts/").json()["results"]}
    assert contract_dealers == {world[key].pk for key in visible}


def test_scope_dealer_user_sees_only_its_signed_contracts(world, api_as):
    rows = api_as(world["users"]["dealer"]).get("/api/v1/contracts/").json()["results"]
    assert [row["id"] for row in rows] == [world["mine_contract"].pk]


def test_scope_out_of_scope_create_saves_nothing(world, api_as):
    client = api_as(world["users"]["rep"])
    client.post("/api/v1/violations/", violation_body(world["other"]), format="json")
    client.post(f"/api/v1/dealers/{world['other'].pk}/evaluations/", {"scores": all_scores(3)}, format="json")
    assert world["other"].violations.count() == 1 and not world["other"].evaluations.exists()
    assert Dealer.objects.count() == 2
