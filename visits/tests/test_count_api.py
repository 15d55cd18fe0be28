"""The stock count and suggested order endpoints: shape (API.md), all or nothing,
409 when the visit is not in progress, 404 outside scope."""

import datetime

import pytest
from django.utils import timezone

from accounts.tests.factories import DealerUserFactory, RepFactory
from dealers.tests.factories import DealerFactory
from inventory.tests.factories import ProductFactory
from visits.models import StockCount, VisitStatus
from visits.tests.count_factories import InProgressVisitFactory, carry, cola_and_tea_world, past_count

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


@pytest.fixture
def world():
    return cola_and_tea_world()


def _payload(world, tea=20):
    return {"lines": [
        {"product": world["cola"].pk, "quantity": 120, "production_date": None},
        {"product": world["tea"].pk, "quantity": tea, "production_date": "2026-01-02"},
    ]}


def test_stock_counts_post_created_and_listed(world, api_as):
    client = api_as(world["rep"])
    url = f"/api/v1/visits/{world['visit'].pk}/stock-counts/"
    response = client.post(url, _payload(world), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["visit"] == world["visit"].pk and len(body["lines"]) == 2
    listed = client.get(url).json()
    assert [count["id"] for count in listed] == [body["id"]]


def test_stock_counts_post_bad_line_400_nothing_saved(world, api_as):
    response = api_as(world["rep"]).post(f"/api/v1/visits/{world['visit'].pk}/stock-counts/",
                                         _payload(world, tea=-3), format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["lines.1"]
    assert not StockCount.objects.filter(visit=world["visit"]).exists()


def test_stock_counts_post_visit_not_started_409(world, api_as):
    world["visit"].status = VisitStatus.PLANNED
    world["visit"].save()
    response = api_as(world["rep"]).post(f"/api/v1/visits/{world['visit'].pk}/stock-counts/", _payload(world),
                                         format="json")
    assert response.status_code == 409


def test_stock_counts_other_reps_visit_404(world, api_as):
    client = api_as(RepFactory())
    url = f"/api/v1/visits/{world['visit'].pk}/stock-counts/"
    assert client.post(url, _payload(world), format="json").status_code == 404
    assert client.get(url).status_code == 404
    assert client.get(f"/api/v1/visits/{world['visit'].pk}/suggested-order/").status_code == 404


def test_suggested_order_get_shape(world, api_as):
    client = api_as(world["rep"])
    client.post(f"/api/v1/visits/{world['visit'].pk}/stock-counts/", _payload(world), format="json")
    body = client.get(f"/api/v1/visits/{world['visit'].pk}/suggested-order/").json()
    assert body["coefficient_default"] == "1.5"
    lines = {line["product"]: line for line in body["lines"]}
    tea = lines[world["tea"].pk]
    assert {key: tea[key] for key in ("previous_stock", "deliveries", "current_stock", "period_sales", "coefficient",
                                      "safety_stock", "suggested_quantity", "flags")} == {
        "previous_stock": 80, "deliveries": 40, "current_stock": 20, "period_sales": "100.00",
        "coefficient": "1.50", "safety_stock": "150.00", "suggested_quantity": 130, "flags": ["near_expiry", "low_cover"]}


def test_suggested_order_place_via_api(world, api_as):
    client = api_as(world["rep"])
    client.post(f"/api/v1/visits/{world['visit'].pk}/stock-counts/", _payload(world), format="json")
    url = f"/api/v1/visits/{world['visit'].pk}/suggested-order/order/"
    refused = client.post(url, {"lines": [{"product": world["tea"].pk, "quantity": 90}]}, format="json")
    assert refused.status_code == 400
    response = client.post(url, {"lines": [{"product": world["tea"].pk, "quantity": 90, "reason": "Cash flow"}]},
                           format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["status"] == "submitted"
    assert [(line["product"], line["quantity"]) for line in response.json()["lines"]] == [(world["tea"].pk, 90)]
    assert client.post(url, {"lines": []}, format="json").status_code == 409


def test_suggested_order_dealer_user_404(world, api_as):
    client = api_as(DealerUserFactory(dealer=world["dealer"]))
    assert client.get(f"/api/v1/visits/{world['visit'].pk}/suggested-order/").status_code == 404


@pytest.mark.parametrize("products", [20, 200])
def test_suggested_order_get_bounded_queries(products, api_as, django_assert_max_num_queries):
    dealer = DealerFactory()
    items = ProductFactory.create_batch(products, prices={})
    carry(dealer, items)
    past_count(dealer, timezone.now() - 7 * DAY, dict.fromkeys(items, 30))
    visit = InProgressVisitFactory(dealer=dealer)
    client = api_as(dealer.rep)
    client.post(f"/api/v1/visits/{visit.pk}/stock-counts/",
                {"lines": [{"product": item.pk, "quantity": 10} for item in items]}, format="json")
    with django_assert_max_num_queries(8):
        response = client.get(f"/api/v1/visits/{visit.pk}/suggested-order/")
    assert len(response.json()["lines"]) == products


@pytest.mark.parametrize("counts", [1, 6])
def test_stock_counts_get_bounded_queries(counts, api_as, django_assert_max_num_queries):
    dealer = DealerFactory()
    items = ProductFactory.create_batch(5, prices={})
    carry(dealer, items)
    visit = InProgressVisitFactory(dealer=dealer)
    client = api_as(dealer.rep)
    for _ in range(counts):
        client.post(f"/api/v1/visits/{visit.pk}/stock-counts/",
                    {"lines": [{"product": item.pk, "quantity": 10} for item in items]}, format="json")
    with django_assert_max_num_queries(5):
        response = client.get(f"/api/v1/visits/{visit.pk}/stock-counts/")
    assert len(response.json()) == counts
