"""The stock count and suggested order endpoints: shape (API.md, additive fields),
all or nothing with a message per line, 409 when the visit is not in progress, 404
outside scope, one count per visit, Idempotency-Key retries, plausibility."""

import datetime

import pytest
from django.utils import timezone

from accounts.tests.factories import DealerUserFactory, ManagerFactory, RepFactory
from common.idempotency import KEY_INVALID, KEY_REUSED
from common.models import IdempotencyRecord
from dealers.tests.factories import DealerFactory
from inventory import counting as stock
from inventory.models import StockCount
from inventory.tests.factories import ProductFactory
from visits.models import VisitStatus
from visits.tests.count_factories import InProgressVisitFactory, carry, cola_and_tea_world, past_count

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


@pytest.fixture
def world():
    return cola_and_tea_world()


def _url(world) -> str:
    return f"/api/v1/visits/{world['visit'].pk}/stock-counts/"


def _payload(world, tea=20, cola=120, **extra):
    return {"lines": [
        {"product": world["cola"].pk, "quantity": cola, "production_date": None},
        {"product": world["tea"].pk, "quantity": tea, "production_date": "2026-01-02"},
    ], **extra}


def _counts(world):
    return StockCount.objects.filter(reference=world["visit"].stock_count_reference)


def test_stock_counts_post_created_and_listed(world, api_as):
    client = api_as(world["rep"])
    response = client.post(_url(world), _payload(world), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["visit"] == world["visit"].pk and body["dealer"] == world["dealer"].pk and len(body["lines"]) == 2
    assert (body["replaces"], body["replaced_at"], body["is_current"]) == (None, None, True)
    listed = client.get(_url(world)).json()
    assert [count["id"] for count in listed] == [body["id"]]


@pytest.mark.parametrize(("quantity", "message"), [
    (-3, stock.LINE_QUANTITY_INVALID % {"product": "Tea"}),
    (1.5, stock.LINE_QUANTITY_INVALID % {"product": "Tea"}),
    ("ten", stock.LINE_QUANTITY_INVALID % {"product": "Tea"}),
    (None, stock.LINE_QUANTITY_INVALID % {"product": "Tea"}),
    (10**11, stock.LINE_QUANTITY_TOO_LARGE % {"product": "Tea", "quantity": "100,000,000,000",
                                               "limit": "2,147,483,647"}),
    (10**40, None),
])
def test_stock_counts_post_bad_quantity_400_per_line_nothing_saved(world, api_as, quantity, message):
    response = api_as(world["rep"]).post(_url(world), _payload(world, tea=quantity), format="json")
    assert response.status_code == 400
    body = response.json()
    assert list(body) == ["lines.1"]
    if message:
        assert body["lines.1"] == [str(message)]
    assert not _counts(world).exists()


def test_stock_counts_post_product_not_carried_400_unless_found(world, api_as):
    juice = ProductFactory(name="Juice")
    client = api_as(world["rep"])
    payload = _payload(world)
    payload["lines"].append({"product": juice.pk, "quantity": 4})
    refused = client.post(_url(world), payload, format="json")
    assert refused.status_code == 400
    assert refused.json() == {"lines.2": [str(stock.LINE_PRODUCT_NOT_CARRIED % {"product": "Juice"})]}
    payload["lines"][2]["found_on_shelf"] = True
    assert client.post(_url(world), payload, format="json").status_code == 201


def test_stock_counts_post_visit_not_started_409(world, api_as):
    world["visit"].status = VisitStatus.PLANNED
    world["visit"].save()
    response = api_as(world["rep"]).post(_url(world), _payload(world), format="json")
    assert response.status_code == 409
    assert not _counts(world).exists()


def test_stock_counts_other_reps_visit_404(world, api_as):
    client = api_as(RepFactory())
    assert client.post(_url(world), _payload(world), format="json").status_code == 404
    assert client.get(_url(world)).status_code == 404
    assert client.get(f"/api/v1/visits/{world['visit'].pk}/suggested-order/").status_code == 404
    assert not _counts(world).exists()


def test_stock_counts_recount_replaces_first(world, api_as):
    client = api_as(world["rep"])
    typo = client.post(_url(world), _payload(world, tea=2000, confirm_implausible=True), format="json").json()
    fixed = client.post(_url(world), _payload(world), format="json")
    assert fixed.status_code == 201
    assert fixed.json()["replaces"] == typo["id"]
    listed = {count["id"]: count for count in client.get(_url(world)).json()}
    assert listed[typo["id"]]["is_current"] is False and listed[typo["id"]]["replaced_at"]
    assert listed[fixed.json()["id"]]["is_current"] is True
    suggestion = client.get(f"/api/v1/visits/{world['visit'].pk}/suggested-order/").json()
    assert suggestion["stock_count"] == fixed.json()["id"]
    tea = next(line for line in suggestion["lines"] if line["product"] == world["tea"].pk)
    assert (tea["previous_stock"], tea["suggested_quantity"]) == (80, 130)


def test_stock_counts_double_post_saved_once(world, api_as):
    client = api_as(world["rep"])
    first = client.post(_url(world), _payload(world), format="json")
    second = client.post(_url(world), _payload(world), format="json")
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json()["id"] == second.json()["id"]
    assert _counts(world).count() == 1


def test_stock_counts_idempotency_key_retry_returns_first_result(world, api_as):
    client = api_as(world["rep"])
    first = client.post(_url(world), _payload(world), format="json", HTTP_IDEMPOTENCY_KEY="count-1")
    retry = client.post(_url(world), _payload(world), format="json", HTTP_IDEMPOTENCY_KEY="count-1")
    assert (first.status_code, retry.status_code) == (201, 201)
    assert retry.json() == first.json()
    assert retry.headers["Idempotent-Replayed"] == "true" and "Idempotent-Replayed" not in first.headers
    assert _counts(world).count() == 1


def test_stock_counts_idempotency_key_reused_with_other_body_422(world, api_as):
    client = api_as(world["rep"])
    client.post(_url(world), _payload(world), format="json", HTTP_IDEMPOTENCY_KEY="count-1")
    reused = client.post(_url(world), _payload(world, tea=21), format="json", HTTP_IDEMPOTENCY_KEY="count-1")
    assert reused.status_code == 422
    assert reused.json() == {"detail": str(KEY_REUSED)}
    assert _counts(world).count() == 1


def test_stock_counts_idempotency_key_after_refusal_may_be_sent_again(world, api_as):
    client = api_as(world["rep"])
    refused = client.post(_url(world), _payload(world, tea=-1), format="json", HTTP_IDEMPOTENCY_KEY="count-1")
    assert refused.status_code == 400
    assert not IdempotencyRecord.objects.exists()
    fixed = client.post(_url(world), _payload(world), format="json", HTTP_IDEMPOTENCY_KEY="count-1")
    assert fixed.status_code == 201


@pytest.mark.parametrize("key", ["", "x" * 256, "naïve", "tab\tkey"])
def test_stock_counts_idempotency_key_invalid_400(world, api_as, key):
    response = api_as(world["rep"]).post(_url(world), _payload(world), format="json", HTTP_IDEMPOTENCY_KEY=key)
    assert response.status_code == 400
    assert response.json() == {"detail": str(KEY_INVALID)}
    assert not _counts(world).exists()


def test_stock_counts_idempotency_key_scoped_to_user_and_path(world, api_as):
    rep_client = api_as(world["rep"])
    first = rep_client.post(_url(world), _payload(world), format="json", HTTP_IDEMPOTENCY_KEY="same")
    other_visit = InProgressVisitFactory(dealer=world["dealer"])
    other = rep_client.post(f"/api/v1/visits/{other_visit.pk}/stock-counts/", _payload(world, tea=21),
                            format="json", HTTP_IDEMPOTENCY_KEY="same")
    assert other.status_code == 201 and other.json()["id"] != first.json()["id"]
    assert IdempotencyRecord.objects.filter(key="same").count() == 2


def test_stock_counts_implausible_400_then_confirmed_201(world, api_as):
    client = api_as(world["rep"])
    questioned = client.post(_url(world), _payload(world, tea=99_999_999), format="json")
    assert questioned.status_code == 400
    body = questioned.json()
    assert set(body) == {"lines.1", "confirm_implausible"}
    assert body["lines.1"][0].startswith("Tea: 99,999,999 cases is more than 10 ×")
    assert not _counts(world).exists()
    confirmed = client.post(_url(world), _payload(world, tea=99_999_999, confirm_implausible=True), format="json")
    assert confirmed.status_code == 201


def test_suggested_order_get_shape_with_working(world, api_as):
    client = api_as(world["rep"])
    client.post(_url(world), _payload(world), format="json")
    body = client.get(f"/api/v1/visits/{world['visit'].pk}/suggested-order/").json()
    assert body["coefficient_default"] == "1.5"
    lines = {line["product"]: line for line in body["lines"]}
    tea = lines[world["tea"].pk]
    assert {key: tea[key] for key in ("previous_stock", "deliveries", "current_stock", "period_sales", "coefficient",
                                      "safety_stock", "suggested_quantity", "flags")} == {
        "previous_stock": 80, "deliveries": 40, "current_stock": 20, "period_sales": "100.00",
        "coefficient": "1.50", "safety_stock": "150.00", "suggested_quantity": 130, "flags": ["near_expiry", "low_cover"]}
    assert (tea["coefficient_source"], tea["median_of"]) == ("default", 1)
    [period] = tea["periods"]
    assert period == {
        "from": (timezone.localdate() - 14 * DAY).isoformat(), "to": timezone.localdate().isoformat(),
        "previous": 80, "delivered": 40, "current": 20, "days": 14, "sales": 100, "promotion": False,
        "scaled": False, "cycle_sales": "100.00", "promotion_excluded": False, "excluded": None, "used": True,
    }


def test_suggested_order_place_via_api(world, api_as):
    client = api_as(world["rep"])
    client.post(_url(world), _payload(world), format="json")
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


def test_stock_counts_manager_of_another_region_404(world, api_as):
    client = api_as(ManagerFactory())
    assert client.post(_url(world), _payload(world), format="json").status_code == 404


@pytest.mark.parametrize("products", [20, 200])
def test_stock_counts_post_bounded_queries(products, api_as, django_assert_max_num_queries):
    dealer = DealerFactory()
    items = ProductFactory.create_batch(products, prices={})
    carry(dealer, items)
    past_count(dealer, timezone.now() - 7 * DAY, dict.fromkeys(items, 30))
    visit = InProgressVisitFactory(dealer=dealer)
    client = api_as(dealer.rep)
    lines = [{"product": item.pk, "quantity": 10, "production_date": "2026-01-01"} for item in items]
    url = f"/api/v1/visits/{visit.pk}/stock-counts/"
    with django_assert_max_num_queries(25):
        assert client.post(url, {"lines": lines}, format="json").status_code == 201
    lines[0]["quantity"] = 11
    with django_assert_max_num_queries(25):  # a recount, with a key
        assert client.post(url, {"lines": lines}, format="json", HTTP_IDEMPOTENCY_KEY="k").status_code == 201


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
    for recount in range(counts):
        client.post(f"/api/v1/visits/{visit.pk}/stock-counts/",
                    {"lines": [{"product": item.pk, "quantity": 10 + recount} for item in items]}, format="json")
    with django_assert_max_num_queries(5):
        response = client.get(f"/api/v1/visits/{visit.pk}/stock-counts/")
    assert len(response.json()) == counts
    assert sum(count["is_current"] for count in response.json()) == 1
