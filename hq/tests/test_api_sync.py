"""ERP sync: upsert by code, one at a time and in bulk (all or nothing), HQ admin only."""

import pytest

from accounts.tests.factories import AdminFactory, ManagerFactory, RepFactory
from dealers.models import Dealer, DealerStatusChange
from inventory.models import FLOOR_ABOVE_GUIDELINE, DealerProduct, Product, TierPrice
from inventory.tests.factories import ProductFactory
from regions.tests.factories import RegionFactory

pytestmark = pytest.mark.django_db

TEA = {"name": "Iced tea 500ml", "category_name": "Drinks", "shelf_life_days": 270,
       "guideline_price": "4.50", "floor_price": "3.80"}


@pytest.fixture
def admin(api_as):
    return api_as(AdminFactory())


def test_product_by_sku_creates_201_then_200_and_same_body_changes_nothing(admin):
    first = admin.put("/api/v1/products/by-sku/BEV-001/", TEA, format="json")
    assert first.status_code == 201, first.content
    assert first.json()["sku"] == "BEV-001" and first.json()["category_name"] == "Drinks"
    stamp = Product.objects.get().updated_at
    again = admin.put("/api/v1/products/by-sku/BEV-001/", TEA, format="json")
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    assert Product.objects.get().updated_at == stamp
    renamed = admin.put("/api/v1/products/by-sku/BEV-001/", {"name": "Iced tea 0.5 l"}, format="json")
    assert renamed.status_code == 200 and renamed.json()["name"] == "Iced tea 0.5 l"
    assert renamed.json()["floor_price"] == "3.80"


def test_product_by_sku_without_category_goes_to_the_default_one(admin):
    body = {key: value for key, value in TEA.items() if key != "category_name"}
    response = admin.put("/api/v1/products/by-sku/BEV-002/", body, format="json")
    assert response.status_code == 201 and response.json()["category_name"]


def test_product_by_sku_refuses_floor_above_guideline_and_negative_prices(admin):
    response = admin.put("/api/v1/products/by-sku/X/", {**TEA, "floor_price": "5.00"}, format="json")
    assert response.status_code == 400
    assert response.json()["floor_price"] == [str(FLOOR_ABOVE_GUIDELINE % {"floor": "5.00", "guideline": "4.50"})]
    response = admin.put("/api/v1/products/by-sku/X/", {**TEA, "guideline_price": "-1.00"}, format="json")
    assert response.status_code == 400 and "guideline_price" in response.json()
    response = admin.put("/api/v1/products/by-sku/X/", {"name": "Only a name"}, format="json")
    assert response.status_code == 400 and "shelf_life_days" in response.json()
    assert not Product.objects.exists()


@pytest.mark.parametrize("factory", [RepFactory, ManagerFactory])
def test_upsert_endpoints_are_for_hq_admin_only(api_as, factory):
    client = api_as(factory())
    assert client.put("/api/v1/products/by-sku/X/", TEA, format="json").status_code == 403
    assert client.put("/api/v1/products/bulk/", {"items": [{"sku": "X", **TEA}]}, format="json").status_code == 403
    assert client.put("/api/v1/dealers/by-code/D1/", {"name": "X"}, format="json").status_code == 403
    assert client.put("/api/v1/tier-prices/by-key/city/X/", {"price": "1"}, format="json").status_code == 403
    assert not Product.objects.exists()


def test_products_bulk_saves_all_or_nothing_and_names_every_bad_item(admin):
    items = [{"sku": "A", **TEA}, {"sku": "B", **TEA, "floor_price": "9.00"}, {"sku": "A", **TEA},
             {"sku": "C", **TEA, "guideline_price": "abc"}]
    response = admin.put("/api/v1/products/bulk/", {"items": items}, format="json")
    assert response.status_code == 400
    assert set(response.json()["items"]) == {"3"}  # a type error is found before the rules
    response = admin.put("/api/v1/products/bulk/", {"items": items[:3]}, format="json")
    assert response.status_code == 400
    assert set(response.json()["items"]) == {"1", "2"} and "nothing was saved" in response.json()["detail"]
    assert not Product.objects.exists()
    good = [{"sku": "A", **TEA}, {"sku": "B", **TEA}]
    dry = admin.put("/api/v1/products/bulk/", {"items": good, "dry_run": True}, format="json").json()
    assert dry["created"] == 2 and not Product.objects.exists()
    done = admin.put("/api/v1/products/bulk/", {"items": good}, format="json").json()
    assert (done["created"], done["updated"], done["unchanged"]) == (2, 0, 0)
    again = admin.put("/api/v1/products/bulk/", {"items": good}, format="json").json()
    assert (again["created"], again["unchanged"]) == (0, 2)


def test_tier_price_by_key_upserts_and_404s_an_unknown_sku_or_tier(admin):
    ProductFactory(sku="BEV-001", prices={})
    assert admin.put("/api/v1/tier-prices/by-key/city/BEV-001/", {"price": "33.00"}, format="json").status_code == 201
    assert admin.put("/api/v1/tier-prices/by-key/city/BEV-001/", {"price": "33.00"}, format="json").status_code == 200
    assert admin.put("/api/v1/tier-prices/by-key/city/NOPE/", {"price": "33.00"}, format="json").status_code == 404
    assert admin.put("/api/v1/tier-prices/by-key/moon/BEV-001/", {"price": "33.00"}, format="json").status_code == 404
    response = admin.put("/api/v1/tier-prices/by-key/county/BEV-001/", {"price": "-1"}, format="json")
    assert response.status_code == 400 and "price" in response.json()
    assert list(TierPrice.objects.values_list("tier", "price")) == [("city", 33)]


def test_tier_prices_bulk_all_or_nothing(admin):
    ProductFactory(sku="BEV-001", prices={})
    items = [{"tier": "city", "sku": "BEV-001", "price": "33"}, {"tier": "county", "sku": "NOPE", "price": "1"}]
    response = admin.put("/api/v1/tier-prices/bulk/", {"items": items}, format="json")
    assert response.status_code == 400 and set(response.json()["items"]) == {"1"}
    assert not TierPrice.objects.exists()


def test_dealer_by_code_creates_with_region_path_rep_username_and_carried_products(admin):
    province = RegionFactory(name="Zhejiang")
    city = RegionFactory(name="Hangzhou", parent=province)
    RepFactory(username="rep_zhang")
    ProductFactory(sku="BEV-001")
    body = {"name": "Baishun Trading", "region_path": "Zhejiang/Hangzhou", "tier": "city",
            "rep_username": "rep_zhang", "credit_limit": "200000.00", "carried_products": ["BEV-001"]}
    response = admin.put("/api/v1/dealers/by-code/ZJ-001/", body, format="json")
    assert response.status_code == 201, response.content
    dealer = Dealer.objects.get(code="ZJ-001")
    assert (dealer.region, dealer.status, dealer.rep.username) == (city, "active", "rep_zhang")
    assert list(DealerProduct.objects.filter(dealer=dealer).values_list("product__sku", flat=True)) == ["BEV-001"]
    again = admin.put("/api/v1/dealers/by-code/ZJ-001/", body, format="json")
    assert again.status_code == 200 and DealerStatusChange.objects.filter(dealer=dealer).count() == 1


def test_dealer_by_code_refuses_a_manager_as_rep_an_unknown_path_and_a_status_jump(admin):
    region = RegionFactory(name="Hangzhou")
    manager = ManagerFactory(username="boss")
    response = admin.put("/api/v1/dealers/by-code/D1/", {"name": "X", "region": region.pk, "rep": manager.pk},
                         format="json")
    assert response.status_code == 400 and "rep" in response.json()
    response = admin.put("/api/v1/dealers/by-code/D1/", {"name": "X", "region_path": "Nowhere"}, format="json")
    assert response.status_code == 400 and "region_path" in response.json()
    admin.put("/api/v1/dealers/by-code/D1/", {"name": "X", "region": region.pk, "status": "terminated"}, format="json")
    response = admin.put("/api/v1/dealers/by-code/D1/", {"status": "active"}, format="json")
    assert response.status_code == 400 and "status" in response.json()


def test_dealers_bulk_all_or_nothing(admin):
    region = RegionFactory(name="Hangzhou")
    items = [{"code": "D1", "name": "One", "region": region.pk}, {"code": "D2", "name": "Two"}]
    response = admin.put("/api/v1/dealers/bulk/", {"items": items}, format="json")
    assert response.status_code == 400 and set(response.json()["items"]) == {"1"}
    assert not Dealer.objects.exists()
    items[1]["region"] = region.pk
    body = admin.put("/api/v1/dealers/bulk/", {"items": items}, format="json").json()
    assert body["created"] == 2 and Dealer.objects.count() == 2


def test_bulk_refuses_more_than_a_thousand_items(admin):
    items = [{"sku": f"S{n}", **TEA} for n in range(1001)]
    assert admin.put("/api/v1/products/bulk/", {"items": items}, format="json").status_code == 400


@pytest.mark.parametrize("body", [{"items": []}, {"items": ["not an object"]}, {"items": [None]}, {}, [],
                                  {"items": [{}], "dry_run": "maybe"}])
@pytest.mark.parametrize("kind", ["products", "tier-prices", "dealers"])
def test_bulk_with_a_malformed_body_answers_the_bulk_error_format(admin, kind, body):
    """Found by `make fuzz`: every 400 of a bulk form is `{"detail", "items": {index: {field: [..]}}}`."""
    response = admin.put(f"/api/v1/{kind}/bulk/", body, format="json")
    assert response.status_code == 400
    error = response.json()
    assert isinstance(error["detail"], str) and error["detail"]
    assert isinstance(error["items"], dict)
    for item in error["items"].values():
        assert isinstance(item, dict) and all(isinstance(messages, list) for messages in item.values())
