"""The catalogue's services (categories, products, tier prices) and its API
contract: one rule for the page, the API and the import."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from accounts.tests.factories import AdminFactory, RepFactory
from common.upsert import BulkInvalid, Outcome
from inventory import catalogue
from inventory.models import FLOOR_ABOVE_GUIDELINE, Product, ProductCategory, TierPrice
from inventory.tests.factories import ProductCategoryFactory, ProductFactory

pytestmark = pytest.mark.django_db

TEA = {"sku": "BEV-001", "name": "Iced tea 500ml", "shelf_life_days": 270,
       "guideline_price": Decimal("4.50"), "floor_price": Decimal("3.80")}


def test_product_create_without_category_goes_to_the_default_category_created_on_demand():
    product = catalogue.product_create(**TEA)
    assert product.category.name == str(catalogue.DEFAULT_CATEGORY_NAME)
    assert catalogue.product_create(**{**TEA, "sku": "BEV-002"}).category == product.category
    assert ProductCategory.objects.count() == 1


def test_product_create_with_floor_above_guideline_is_refused_and_saves_nothing():
    with pytest.raises(ValidationError) as error:
        catalogue.product_create(**{**TEA, "floor_price": Decimal("5.00")})
    assert error.value.message_dict["floor_price"] == [
        FLOOR_ABOVE_GUIDELINE % {"floor": Decimal("5.00"), "guideline": Decimal("4.50")}]
    assert not Product.objects.exists() and not ProductCategory.objects.exists()


@pytest.mark.parametrize("field", ["guideline_price", "floor_price"])
def test_product_create_with_a_negative_price_is_refused(field):
    with pytest.raises(ValidationError) as error:
        catalogue.product_create(**{**TEA, field: Decimal("-1.00"), "floor_price": Decimal("-2.00")})
    assert field in error.value.message_dict


def test_product_create_with_tier_prices_sets_them_and_a_bad_one_saves_nothing():
    product = catalogue.product_create(**TEA, tier_prices={"city": Decimal("33.00")})
    assert list(product.tier_prices.values_list("tier", "price")) == [("city", Decimal("33.00"))]
    with pytest.raises(ValidationError) as error:
        catalogue.product_create(**{**TEA, "sku": "BEV-009"}, tier_prices={"city": Decimal("-3")})
    assert "price_city" in error.value.message_dict
    assert not Product.objects.filter(sku="BEV-009").exists()


def test_product_update_floor_above_guideline_is_refused():
    product = ProductFactory(guideline_price=Decimal("4.50"), floor_price=Decimal("3.80"))
    with pytest.raises(ValidationError):
        catalogue.product_update(product=product, guideline_price=Decimal("3.00"))
    product.refresh_from_db()
    assert product.guideline_price == Decimal("4.50")


def test_products_upsert_creates_updates_and_leaves_unchanged_by_sku():
    category = ProductCategoryFactory(name="Drinks")
    ProductFactory(sku="A", name="Old name", category=category, guideline_price=Decimal("4.50"), floor_price=Decimal("3.00"))
    ProductFactory(sku="B", name="Same", category=category, guideline_price=Decimal("4.50"), floor_price=Decimal("3.00"))
    results = catalogue.products_upsert(rows=[
        {"sku": "A", "name": "New name"},
        {"sku": "B", "name": "Same", "guideline_price": Decimal("4.5")},
        {**TEA, "sku": "C", "category_name": "Snacks"},
    ])
    assert [result.outcome for result in results] == [Outcome.UPDATE, Outcome.UNCHANGED, Outcome.CREATE]
    assert Product.objects.get(sku="A").name == "New name"
    assert Product.objects.get(sku="C").category.name == "Snacks"
    again = catalogue.products_upsert(rows=[{"sku": "A", "name": "New name"}, {**TEA, "sku": "C", "category_name": "snacks"}])
    assert [result.outcome for result in again] == [Outcome.UNCHANGED, Outcome.UNCHANGED]


def test_products_upsert_with_one_bad_row_saves_nothing_and_names_every_bad_row():
    with pytest.raises(BulkInvalid) as error:
        catalogue.products_upsert(rows=[
            {**TEA, "sku": "OK-1"},
            {**TEA, "sku": "BAD-1", "floor_price": Decimal("9.00")},
            {**TEA, "sku": "OK-1"},
            {**TEA, "sku": "BAD-2", "guideline_price": Decimal("-1")},
        ])
    assert set(error.value.errors) == {1, 2, 3}
    assert "floor_price" in error.value.errors[1] and "sku" in error.value.errors[2]
    assert not Product.objects.exists()


def test_products_upsert_dry_run_writes_nothing():
    results = catalogue.products_upsert(rows=[{**TEA, "category_name": "New"}], dry_run=True)
    assert results[0].outcome == Outcome.CREATE
    assert not Product.objects.exists() and not ProductCategory.objects.exists()


def test_products_upsert_makes_a_fixed_number_of_queries(django_assert_max_num_queries):
    ProductCategoryFactory(name="Drinks")
    for size in (5, 50):
        rows = [{**TEA, "sku": f"S{size}-{n}", "category_name": "Drinks"} for n in range(size)]
        with django_assert_max_num_queries(12):
            catalogue.products_upsert(rows=rows)
        with django_assert_max_num_queries(12):
            catalogue.products_upsert(rows=[{**row, "name": "Renamed"} for row in rows])


def test_tier_prices_upsert_by_tier_and_sku_refuses_unknown_sku_negative_price_and_bad_tier():
    ProductFactory(sku="A", prices={})
    results = catalogue.tier_prices_upsert(rows=[{"tier": "city", "sku": "A", "price": Decimal("33.00")}])
    assert results[0].outcome == Outcome.CREATE
    assert catalogue.tier_prices_upsert(rows=[{"tier": "city", "sku": "A", "price": Decimal("33")}])[0].outcome == "unchanged"
    with pytest.raises(BulkInvalid) as error:
        catalogue.tier_prices_upsert(rows=[
            {"tier": "city", "sku": "A", "price": Decimal("34.00")},
            {"tier": "city", "sku": "NOPE", "price": Decimal("1.00")},
            {"tier": "county", "sku": "A", "price": Decimal("-1.00")},
            {"tier": "planet", "sku": "A", "price": Decimal("1.00")},
        ])
    assert set(error.value.errors) == {1, 2, 3}
    assert TierPrice.objects.get().price == Decimal("33.00")


# --- API ------------------------------------------------------------------------------------
def test_product_categories_api_admin_creates_and_renames_others_read_only(api_as):
    admin = api_as(AdminFactory())
    response = admin.post("/api/v1/product-categories/", {"name": "Drinks"})
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    assert admin.patch(f"/api/v1/product-categories/{pk}/", {"name": "Beverages"}).json()["name"] == "Beverages"
    assert admin.post("/api/v1/product-categories/", {"name": "beverages"}).status_code == 400
    rep = api_as(RepFactory())
    assert rep.get("/api/v1/product-categories/").status_code == 200
    assert rep.post("/api/v1/product-categories/", {"name": "X"}).status_code == 403


def test_products_api_create_without_category_uses_the_default(api_as):
    body = {key: str(value) for key, value in TEA.items()}
    response = api_as(AdminFactory()).post("/api/v1/products/", body)
    assert response.status_code == 201, response.content
    assert response.json()["category_name"] == str(catalogue.DEFAULT_CATEGORY_NAME)


def test_products_api_floor_above_guideline_and_negative_prices_answer_400(api_as):
    client = api_as(AdminFactory())
    body = {key: str(value) for key, value in TEA.items()}
    response = client.post("/api/v1/products/", {**body, "floor_price": "5.00"})
    assert response.status_code == 400 and "floor_price" in response.json()
    response = client.post("/api/v1/products/", {**body, "guideline_price": "-1.00"})
    assert response.status_code == 400 and "guideline_price" in response.json()
    product = ProductFactory(guideline_price=Decimal("4.50"), floor_price=Decimal("3.80"))
    response = client.patch(f"/api/v1/products/{product.pk}/", {"floor_price": "4.60"})
    assert response.status_code == 400 and "floor_price" in response.json()
    assert not Product.objects.filter(sku="BEV-001").exists()


def test_tier_prices_api_negative_price_answers_400(api_as):
    product = ProductFactory(prices={})
    response = api_as(AdminFactory()).post("/api/v1/tier-prices/", {"tier": "city", "product": product.pk, "price": "-3"})
    assert response.status_code == 400 and "price" in response.json()
