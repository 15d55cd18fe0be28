"""The first-run path through the API only, as an integrator (an ERP and a rep's
app) would: on an empty install, HQ admin creates a region with just a name, a
product, its tier price and a dealer by their codes, a rep and a visit plan;
the rep does two visits and gets the suggested order. Sending the ERP's data
again changes nothing."""

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import User
from dealers.models import Dealer, DealerStatusChange
from inventory.models import Product, TierPrice

pytestmark = pytest.mark.django_db

ADMIN_PASSWORD = "Hq-admin-2026!"
REP_PASSWORD = "Visit-2026-tea!"


def token_client(username: str, password: str) -> APIClient:
    client = APIClient()
    response = client.post("/api/v1/auth/token/", {"username": username, "password": password}, format="json")
    assert response.status_code == 200, response.content
    client.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
    return client


def do_visit(rep: APIClient, visit_id: int, quantity: int, product_id: int) -> dict:
    assert rep.put(f"/api/v1/visits/{visit_id}/market-check/", {"outlets_walked": 2}, format="json").status_code == 200
    assert rep.post(f"/api/v1/visits/{visit_id}/start/").status_code == 200
    response = rep.post(f"/api/v1/visits/{visit_id}/stock-counts/",
                        {"lines": [{"product": product_id, "quantity": quantity}]}, format="json")
    assert response.status_code == 201, response.content
    suggestion = rep.get(f"/api/v1/visits/{visit_id}/suggested-order/")
    assert suggestion.status_code == 200
    return suggestion.json()


def test_api_only_first_run_with_the_upsert_endpoints():
    User.objects.create_superuser("boss", "boss@example.com", ADMIN_PASSWORD)
    hq = token_client("boss", ADMIN_PASSWORD)

    # The territory: a top-level region from its name alone, a city under it.
    province = hq.post("/api/v1/regions/", {"name": "Zhejiang", "kind": "province"}, format="json")
    assert province.status_code == 201 and province.json()["parent"] is None
    city = hq.post("/api/v1/regions/", {"name": "Hangzhou", "parent": province.json()["id"]}, format="json")
    assert city.status_code == 201 and city.json()["path"] == "Zhejiang/Hangzhou"

    # The ERP's catalogue and price list, by code; sending them twice changes nothing.
    product_body = {"name": "Iced tea 500ml", "category_name": "Drinks", "units_per_case": 24, "shelf_life_days": 270,
                    "guideline_price": "4.50", "floor_price": "3.80"}
    assert hq.put("/api/v1/products/by-sku/BEV-001/", product_body, format="json").status_code == 201
    assert hq.put("/api/v1/products/by-sku/BEV-001/", product_body, format="json").status_code == 200
    price = hq.put("/api/v1/tier-prices/by-key/city/BEV-001/", {"price": "33.00"}, format="json")
    assert price.status_code == 201 and price.json()["price"] == "33.00"
    assert hq.put("/api/v1/tier-prices/by-key/city/BEV-001/", {"price": "33.00"}, format="json").status_code == 200

    # The rep (Django's password validators apply), then the dealer from the ERP.
    weak = hq.post("/api/v1/users/", {"username": "rep_wei", "password": "rep_wei1", "role": "rep"}, format="json")
    assert weak.status_code == 400 and "password" in weak.json()
    rep_user = hq.post("/api/v1/users/", {"username": "rep_wei", "password": REP_PASSWORD, "role": "rep",
                                          "first_name": "Wei"}, format="json")
    assert rep_user.status_code == 201, rep_user.content
    dealer_body = {"name": "Baishun Trading", "region_path": "Zhejiang/Hangzhou", "tier": "city",
                   "rep_username": "rep_wei", "credit_limit": "200000.00", "carried_products": ["BEV-001"]}
    created = hq.put("/api/v1/dealers/by-code/ZJ-HZ-001/", dealer_body, format="json")
    assert created.status_code == 201, created.content
    assert created.json()["status"] == "active" and created.json()["rep"] == rep_user.json()["id"]
    assert hq.put("/api/v1/dealers/by-code/ZJ-HZ-001/", dealer_body, format="json").status_code == 200
    dealer_id = created.json()["id"]
    assert DealerStatusChange.objects.filter(dealer_id=dealer_id).count() == 1
    assert (Product.objects.count(), TierPrice.objects.count(), Dealer.objects.count()) == (1, 1, 1)

    # The visit plan: every 7 days from today.
    plan = hq.post("/api/v1/visit-plans/", {"dealer": dealer_id, "rule": "every_n_days", "interval_days": 7},
                   format="json")
    assert plan.status_code == 201 and plan.json()["cycle_days"] == 7

    # The rep: today's planned visit, a count of 80 — no previous count, no suggestion.
    rep = token_client("rep_wei", REP_PASSWORD)
    today = timezone.localdate().isoformat()
    visits = rep.get(f"/api/v1/visits/?dealer={dealer_id}").json()["results"]
    first = next(visit for visit in visits if visit["scheduled_for"].startswith(today))
    product_id = Product.objects.get(sku="BEV-001").pk
    suggestion = do_visit(rep, first["id"], 80, product_id)
    assert suggestion["lines"][0]["suggested_quantity"] is None
    assert "no_previous_count" in suggestion["lines"][0]["flags"]
    assert rep.post(f"/api/v1/visits/{first['id']}/complete/").status_code == 200

    # The same afternoon the dealer calls: a second visit, 30 left → 50 sold, × 1.5 = 75, − 30 = 45.
    second = rep.post("/api/v1/visits/", {"dealer": dealer_id, "scheduled_for": timezone.now().isoformat()},
                      format="json")
    assert second.status_code == 201, second.content
    line = do_visit(rep, second.json()["id"], 30, product_id)["lines"][0]
    assert (line["previous_stock"], line["current_stock"], line["period_sales"], line["suggested_quantity"]) == (
        80, 30, "50.00", 45)
    assert line["safety_stock"] == "75.00"
