"""products/, tier-prices/, orders/ (API.md), payments/ and shipments/."""

from decimal import Decimal

import pytest

from dealers.tests.factories import DealerFactory
from inventory import services
from inventory.api.views import DEALER_REQUIRED
from inventory.models import Order, Product, TierPrice
from inventory.tests.factories import OrderFactory, ProductFactory, order_in_state

pytestmark = pytest.mark.django_db


# --- Products and prices -------------------------------------------------------------------
def test_products_api_lists_spec_fields_as_decimal_strings(world, api_as):
    world.cola.safety_coefficient = Decimal("2.00")
    world.cola.save()
    body = api_as(world.rep).get("/api/v1/products/?search=BEV").json()
    (product,) = body["results"]
    assert product["sku"] == "BEV-001" and product["unit"] == "case" and product["units_per_case"] == 24
    assert (product["guideline_price"], product["floor_price"], product["safety_coefficient"]) == ("4.50", "3.80", "2.00")
    assert product["shelf_life_days"] == 365


def test_product_categories_api_lists_categories(world, api_as):
    names = {row["name"] for row in api_as(world.dealer_user).get("/api/v1/product-categories/").json()["results"]}
    assert names == {world.cola.category.name, world.chips.category.name}


def test_products_api_hq_admin_creates_others_may_not(world, api_as):
    data = {
        "sku": "DAI-009", "name": "Yoghurt", "category": world.cola.category_id, "unit": "case",
        "units_per_case": 12, "shelf_life_days": 21, "guideline_price": "6.50", "floor_price": "5.90",
    }
    assert api_as(world.manager).post("/api/v1/products/", data, format="json").status_code == 403
    response = api_as(world.admin).post("/api/v1/products/", data, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["safety_coefficient"] is None


@pytest.mark.parametrize("field, value", [("units_per_case", 0), ("shelf_life_days", -1), ("guideline_price", "-1.00")])
def test_products_api_refuses_non_positive_numbers(world, api_as, field, value):
    data = {
        "sku": "X-1", "name": "X", "category": world.cola.category_id, "units_per_case": 12,
        "shelf_life_days": 30, "guideline_price": "1.00", "floor_price": "0.50", field: value,
    }
    response = api_as(world.admin).post("/api/v1/products/", data, format="json")
    assert response.status_code == 400 and field in response.json()
    assert not Product.objects.filter(sku="X-1").exists()


def test_products_api_dealer_user_sees_only_products_on_sale(world, api_as):
    ProductFactory(sku="OLD-1", is_active=False)
    skus = {row["sku"] for row in api_as(world.dealer_user).get("/api/v1/products/").json()["results"]}
    assert skus == {"BEV-001", "SNK-001"}


def test_tier_prices_api_dealer_user_sees_only_its_tier(world, api_as):
    rows = api_as(world.dealer_user).get("/api/v1/tier-prices/?page_size=200").json()["results"]
    assert {row["tier"] for row in rows} == {"city"} and len(rows) == 2
    other_tier = TierPrice.objects.get(tier="province", product=world.cola)
    assert api_as(world.dealer_user).get(f"/api/v1/tier-prices/{other_tier.pk}/").status_code == 404
    assert api_as(world.dealer_user).get("/api/v1/tier-prices/?tier=province").json()["count"] == 0


def test_tier_prices_api_admin_sets_a_price_once_per_tier_and_product(world, api_as):
    product = ProductFactory(prices={})
    client = api_as(world.admin)
    response = client.post("/api/v1/tier-prices/", {"tier": "county", "product": product.pk, "price": "61.50"}, format="json")
    assert response.status_code == 201 and response.json()["price"] == "61.50"
    again = client.post("/api/v1/tier-prices/", {"tier": "county", "product": product.pk, "price": "62.00"}, format="json")
    assert again.status_code == 400
    negative = client.post("/api/v1/tier-prices/", {"tier": "city", "product": product.pk, "price": "-1"}, format="json")
    assert negative.status_code == 400 and "price" in negative.json()
    assert api_as(world.rep).post("/api/v1/tier-prices/", {"tier": "city", "product": product.pk, "price": "1"}).status_code == 403


# --- Placing orders ------------------------------------------------------------------------
def test_orders_api_dealer_user_places_an_order_without_naming_the_dealer(world, api_as):
    response = api_as(world.dealer_user).post(
        "/api/v1/orders/", {"lines": [{"product": world.cola.pk, "quantity": 4}]}, format="json"
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["dealer"] == world.dealer.pk and body["status"] == "submitted" and body["source"] == "portal"
    assert body["total"] == "220.00" and body["amount_paid"] == "0.00"
    assert body["lines"][0] | {"id": 0} == {
        "id": 0, "product": world.cola.pk, "product_sku": "BEV-001", "product_name": "Cola 500ml", "quantity": 4,
        "unit_price": "55.00", "line_total": "220.00", "suggested_quantity": None, "change_reason": "",
    }
    assert [step["to_status"] for step in body["history"]] == ["submitted"]


def test_orders_api_dealer_user_naming_another_dealer_gets_404(world, api_as):
    response = api_as(world.dealer_user).post(
        "/api/v1/orders/", {"dealer": world.other.pk, "lines": [{"product": world.cola.pk, "quantity": 4}]}, format="json"
    )
    assert response.status_code == 404
    assert not Order.objects.exists()


def test_orders_api_rep_orders_on_behalf_of_own_dealer_only(world, api_as):
    client = api_as(world.rep)
    line = [{"product": world.chips.pk, "quantity": 2}]
    assert client.post("/api/v1/orders/", {"lines": line}, format="json").json() == {"dealer": [str(DEALER_REQUIRED)]}
    assert client.post("/api/v1/orders/", {"dealer": world.other.pk, "lines": line}, format="json").status_code == 404
    response = client.post("/api/v1/orders/", {"dealer": world.dealer.pk, "lines": line}, format="json")
    assert response.status_code == 201 and response.json()["source"] == "on_behalf"


@pytest.mark.parametrize("who", ["finance", "warehouse"])
def test_orders_api_finance_and_warehouse_may_not_place_orders(world, api_as, who):
    response = api_as(getattr(world, who)).post(
        "/api/v1/orders/", {"dealer": world.dealer.pk, "lines": [{"product": world.cola.pk, "quantity": 1}]}, format="json"
    )
    assert response.status_code == 403


def test_orders_api_bad_lines_answer_400_with_every_message_and_save_nothing(world, api_as):
    inactive = ProductFactory(name="Old soda", is_active=False)
    response = api_as(world.dealer_user).post("/api/v1/orders/", {"lines": [
        {"product": world.cola.pk, "quantity": 0},
        {"product": 424242, "quantity": 1},
        {"product": inactive.pk, "quantity": 1},
        {"product": world.chips.pk, "quantity": -2},
        {"product": world.chips.pk, "quantity": 1},
    ]}, format="json")
    assert response.status_code == 400
    assert response.json() == {"lines": [
        services.LINE_QUANTITY_NOT_POSITIVE % {"line": 1},
        services.LINE_PRODUCT_UNKNOWN % {"line": 2},
        services.LINE_PRODUCT_INACTIVE % {"line": 3, "product": "Old soda"},
        services.LINE_QUANTITY_NOT_POSITIVE % {"line": 4},
        services.LINE_PRODUCT_REPEATED % {"line": 5, "product": "Potato chips", "first": 4},
    ]}
    assert not Order.objects.exists()


def test_orders_api_quantity_that_is_not_an_integer_answers_400(world, api_as):
    response = api_as(world.dealer_user).post(
        "/api/v1/orders/", {"lines": [{"product": world.cola.pk, "quantity": "lots"}]}, format="json"
    )
    assert response.status_code == 400 and "lines" in response.json()
    assert not Order.objects.exists()


# --- Reading orders -------------------------------------------------------------------------
def test_orders_api_detail_has_lines_total_paid_status_and_history(world, api_as):
    order = order_in_state("shipped", dealer=world.dealer, lines=[(world.cola, 2)], payments=["10.00", "100.00"])
    body = api_as(world.dealer_user).get(f"/api/v1/orders/{order.pk}/").json()
    assert (body["status"], body["total"], body["amount_paid"], body["amount_due"]) == ("shipped", "110.00", "110.00", "0.00")
    assert [(step["from_status"], step["to_status"], step["amount"]) for step in body["history"]] == [
        ("", "submitted", None), ("submitted", "confirmed", None),
        ("confirmed", "confirmed", "10.00"),  # the partial payment is a step of the history
        ("confirmed", "paid", "100.00"), ("paid", "picked", None), ("picked", "shipped", None),
    ]
    assert [payment["amount"] for payment in body["payments"]] == ["10.00", "100.00"]
    assert body["shipments"][0]["lines"] == [{"product": world.cola.pk, "quantity": 2}]


@pytest.mark.parametrize("who", ["other_dealer_user", "other_rep", "other_manager"])
def test_orders_api_another_dealers_order_answers_404_everywhere(world, api_as, who):
    order = order_in_state("shipped", dealer=world.dealer)
    client = api_as(getattr(world, who))
    assert client.get(f"/api/v1/orders/{order.pk}/").status_code == 404
    for action in ("confirm", "pay", "pick", "ship", "receive", "reject", "cancel"):
        assert client.post(f"/api/v1/orders/{order.pk}/{action}/", {"reason": "x", "amount": "1"}).status_code == 404
    assert order.pk not in [row["id"] for row in client.get("/api/v1/orders/").json()["results"]]
    # A filter by someone else's order answers as one by an order that does not exist (issue #12).
    for path in ("payments", "shipments"):
        forged, missing = client.get(f"/api/v1/{path}/?order={order.pk}"), client.get(f"/api/v1/{path}/?order=999999999")
        assert (forged.status_code, forged.json()) == (missing.status_code, missing.json()) and "results" not in forged.json()


def test_orders_api_filters_by_status_dealer_dates_and_searches(world, api_as):
    shipped = order_in_state("shipped", dealer=world.dealer)
    submitted = OrderFactory(dealer=world.dealer)
    elsewhere = OrderFactory(dealer=world.other)
    client = api_as(world.admin)

    def ids(query):
        return {row["id"] for row in client.get(f"/api/v1/orders/?{query}").json()["results"]}

    assert ids("status=shipped") == {shipped.pk}
    assert ids("status=shipped&status=submitted") == {shipped.pk, submitted.pk, elsewhere.pk}
    assert ids(f"dealer={world.other.pk}") == {elsewhere.pk}
    assert ids("search=Jinling") == {elsewhere.pk}
    assert ids(f"number={submitted.number}") == {submitted.pk}
    assert ids("submitted_after=2000-01-01&submitted_before=2000-01-31") == set()
    assert client.get("/api/v1/orders/?ordering=-total").status_code == 200


def test_orders_api_pay_above_due_answers_400(world, api_as):
    order = order_in_state("confirmed", dealer=world.dealer, lines=[(world.cola, 2)])  # 110
    client = api_as(world.finance)
    first = client.post(f"/api/v1/orders/{order.pk}/pay/", {"amount": "60.00"}, format="json")
    assert first.status_code == 200 and first.json()["amount_paid"] == "60.00" and first.json()["status"] == "confirmed"
    too_much = client.post(f"/api/v1/orders/{order.pk}/pay/", {"amount": "50.01"}, format="json")
    assert too_much.status_code == 400 and too_much.json() == {
        "amount": [services.PAYMENT_ABOVE_DUE % {"amount": "¥50.01", "due": "¥50.00"}]
    }
    zero = client.post(f"/api/v1/orders/{order.pk}/pay/", {"amount": "0"}, format="json")
    assert zero.status_code == 400 and zero.json() == {"amount": [str(services.PAYMENT_NOT_POSITIVE)]}
    rest = client.post(f"/api/v1/orders/{order.pk}/pay/", {"amount": "50.00", "reference": "B-2"}, format="json")
    assert rest.json()["status"] == "paid" and rest.json()["amount_paid"] == "110.00"


def test_orders_api_reject_without_a_reason_answers_400(world, api_as):
    order = OrderFactory(dealer=world.dealer)
    response = api_as(world.rep).post(f"/api/v1/orders/{order.pk}/reject/", {}, format="json")
    assert response.status_code == 400 and response.json() == {"reason": [str(services.REASON_REQUIRED)]}


def _orders_for(dealers, count):
    products = [ProductFactory() for _ in range(3)]
    for index in range(count):
        OrderFactory(dealer=dealers[index % len(dealers)], lines=[(product, index + 1) for product in products])


@pytest.mark.parametrize("count", [3, 40])
@pytest.mark.parametrize("who", ["admin", "manager", "rep", "dealer_user"])
def test_orders_api_list_makes_a_bounded_number_of_queries(world, api_as, django_assert_max_num_queries, count, who):
    _orders_for([world.dealer], count)
    client = api_as(getattr(world, who))
    with django_assert_max_num_queries(6):
        body = client.get("/api/v1/orders/?page_size=200").json()
    assert body["count"] == count and len(body["results"][0]["lines"]) == 3


@pytest.mark.parametrize("count", [3, 40])
def test_payments_and_shipments_api_lists_make_a_bounded_number_of_queries(world, api_as, django_assert_max_num_queries, count):
    dealers = [DealerFactory(tier="city") for _ in range(2)]
    for index in range(count // 3 + 1):
        order_in_state("shipped", dealer=dealers[index % 2], lines=[(world.cola, 1), (world.chips, 2)])
    client = api_as(world.finance)
    with django_assert_max_num_queries(4):
        assert client.get("/api/v1/payments/?page_size=200").status_code == 200
    with django_assert_max_num_queries(4):
        shipments = client.get("/api/v1/shipments/?page_size=200").json()
    assert len(shipments["results"][0]["lines"]) == 2


def test_orders_api_ship_without_a_waybill_answers_400_and_ships_nothing(world, api_as):
    order = order_in_state("picked", dealer=world.dealer)
    client = api_as(world.warehouse)
    for body in ({}, {"reference": "   "}):
        response = client.post(f"/api/v1/orders/{order.pk}/ship/", body, format="json")
        assert response.status_code == 400
        assert response.json() == {"reference": [str(services.WAYBILL_REQUIRED)]}
    order.refresh_from_db()
    assert order.status == "picked" and not order.shipments.exists()
    response = client.post(f"/api/v1/orders/{order.pk}/ship/", {"reference": "SF1234567"}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "shipped"


def test_orders_api_filters_open_orders(world, api_as):
    open_order = order_in_state("paid", dealer=world.dealer)
    order_in_state("received", dealer=world.dealer)
    order_in_state("cancelled", dealer=world.dealer)
    ids = {row["id"] for row in api_as(world.dealer_user).get("/api/v1/orders/?open=true").json()["results"]}
    assert ids == {open_order.pk}
