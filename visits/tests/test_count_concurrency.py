"""Ten identical stock counts of one visit posted at once, on ten PostgreSQL
connections (a double tap, a phone retrying on a weak network): the visit row lock
makes them wait for one another, so one count is saved and every answer names it
(SPEC §3 "Retries are harmless"). Likewise with one Idempotency-Key."""

import datetime

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from common.models import IdempotencyRecord
from dealers.tests.factories import DealerFactory
from inventory.models import StockCount, SuggestedOrderLine
from inventory.tests.factories import ProductFactory
from tests.helpers import run_in_threads, skip_unless_postgresql
from visits.tests.count_factories import InProgressVisitFactory, carry, past_count, ship

pytestmark = pytest.mark.django_db(transaction=True)
DAY = datetime.timedelta(days=1)
PARALLEL = 10


@pytest.fixture(autouse=True)
def postgresql_only():
    skip_unless_postgresql()


@pytest.fixture
def counting_world():
    now = timezone.now()
    dealer = DealerFactory()
    products = ProductFactory.create_batch(30, prices={})
    carry(dealer, products)
    past_count(dealer, now - 14 * DAY, dict.fromkeys(products, 80))
    ship(dealer, now - 7 * DAY, dict.fromkeys(products, 40))
    visit = InProgressVisitFactory(dealer=dealer)
    payload = {"lines": [{"product": product.pk, "quantity": 20} for product in products]}
    return visit, payload


def _poster(visit, payload, **headers):
    def post():
        client = APIClient()
        client.force_authenticate(user=visit.rep)
        response = client.post(f"/api/v1/visits/{visit.pk}/stock-counts/", payload, format="json", **headers)
        return response.status_code, response.json()["id"]

    return post


def test_ten_identical_posts_at_once_save_one_count(counting_world):
    visit, payload = counting_world
    outcomes = run_in_threads(*[_poster(visit, payload) for _ in range(PARALLEL)])
    assert all(isinstance(outcome, tuple) for outcome in outcomes), outcomes
    counts = StockCount.objects.filter(reference=visit.stock_count_reference)
    assert counts.count() == 1
    count = counts.get()
    assert {count_id for _status, count_id in outcomes} == {count.pk}
    assert sorted(status for status, _id in outcomes) == [200] * (PARALLEL - 1) + [201]
    assert SuggestedOrderLine.objects.filter(stock_count=count).count() == 30
    assert set(SuggestedOrderLine.objects.filter(stock_count=count).values_list("suggested_quantity", flat=True)) == {130}


def test_ten_posts_with_one_idempotency_key_at_once_save_one_count(counting_world):
    visit, payload = counting_world
    outcomes = run_in_threads(*[_poster(visit, payload, HTTP_IDEMPOTENCY_KEY="tap-1") for _ in range(PARALLEL)])
    assert all(isinstance(outcome, tuple) for outcome in outcomes), outcomes
    count = StockCount.objects.get(reference=visit.stock_count_reference)
    assert outcomes == [(201, count.pk)] * PARALLEL  # the first answer, replayed
    assert IdempotencyRecord.objects.filter(key="tap-1").count() == 1
