"""Visits recorded offline (issue 18), the server's side: the rep's day bundle,
steps sent later with the phone's time (`recorded_at`) and an Idempotency-Key,
every rule run as online, and the manager's review saying "recorded offline"."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from PIL import Image

from common.models import IdempotencyRecord
from inventory.models import StockCount
from inventory.tests.factories import ProductFactory
from visits import offline, services
from visits.models import MarketCheck, Visit, VisitPhoto, VisitStatus
from visits.offline import offline_bundle
from visits.tests.count_factories import carry, past_count, plan, ship
from visits.tests.factories import VisitFactory, checked_visit

pytestmark = pytest.mark.django_db

VISITS = "/api/v1/visits/"
BUNDLE = "/api/v1/visits/offline-bundle/"


def _key(client, key):
    client.credentials(HTTP_IDEMPOTENCY_KEY=key)
    return client


def _todays_visit(world, **kwargs):
    return VisitFactory(dealer=world.dealer, rep=world.rep, scheduled_for=timezone.now(), **kwargs)


# --- the bundle -----------------------------------------------------------------------------
def test_offline_bundle_has_own_visits_dealers_counts_deliveries_and_requests(world, api_as):
    now = timezone.now()
    carry(world.dealer, [world.product])
    plan(world.dealer, 7)
    old = past_count(world.dealer, now - datetime.timedelta(days=14), {world.product: 80})
    latest = past_count(world.dealer, now - datetime.timedelta(days=7), {world.product: 100})
    ship(world.dealer, now - datetime.timedelta(days=10), {world.product: 40})
    ship(world.dealer, now - datetime.timedelta(days=2), {world.product: 50})
    mine = _todays_visit(world)
    VisitFactory(dealer=world.dealer_2, rep=world.rep_2, scheduled_for=now)  # another rep's
    _todays_visit(world, status=VisitStatus.CANCELLED)
    request = services.dealer_request_create(dealer=world.dealer, by=world.rep, description="Posters",
                                             due_on=world.tomorrow)

    response = api_as(world.rep).get(BUNDLE)

    assert response.status_code == 200, response.json()
    bundle = response.json()
    assert [visit["id"] for visit in bundle["visits"]] == [mine.pk]
    assert bundle["visits"][0]["has_market_check"] is False
    (dealer,) = bundle["dealers"]
    assert dealer["id"] == world.dealer.pk and dealer["cycle_days"] == 7
    assert [product["id"] for product in dealer["products"]] == [world.product.pk]
    assert dealer["products"][0]["coefficient"] == "1.5"
    assert [count["id"] for count in dealer["counts"]] == [latest.pk, old.pk]
    assert dealer["counts"][0]["lines"] == {str(world.product.pk): 100}
    assert dealer["deliveries"] == [{str(world.product.pk): 50}, {str(world.product.pk): 40}]
    assert [item["id"] for item in bundle["requests"]] == [request.pk]
    assert bundle["rule"] == {"coefficient_default": "1.5", "lookback": 3, "near_expiry_threshold": [1, 3]}


def test_offline_bundle_queries_do_not_grow_with_visits(world):
    products = [ProductFactory() for _ in range(3)]
    now = timezone.now()

    def add_dealers(number):
        for _ in range(number):
            dealer = world.dealer.__class__.objects.create(
                code=f"D{Visit.objects.count()}", name="Shop", region=world.city, rep=world.rep)
            carry(dealer, products)
            past_count(dealer, now - datetime.timedelta(days=14), {product: 10 for product in products})
            past_count(dealer, now - datetime.timedelta(days=7), {product: 12 for product in products})
            ship(dealer, now - datetime.timedelta(days=3), {product: 5 for product in products})
            VisitFactory(dealer=dealer, rep=world.rep, scheduled_for=now)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            bundle = offline_bundle(user=world.rep)
        return len(captured), bundle

    add_dealers(1)
    one, _bundle = queries()
    add_dealers(5)
    six, bundle = queries()
    assert one == six <= 12
    assert len(bundle["visits"]) == 6 and all(len(dealer["products"]) == 3 for dealer in bundle["dealers"])
    assert all(len(dealer["counts"]) == 2 and len(dealer["deliveries"]) == 2 for dealer in bundle["dealers"])


def test_offline_bundle_bad_day_is_400(world, api_as):
    response = api_as(world.rep).get(BUNDLE, {"day": "tomorrow"})
    assert response.status_code == 400
    assert response.json() == {"day": ["YYYY-MM-DD"]}


def test_offline_bundle_is_in_the_schema(world, api_as):
    schema = api_as(world.admin).get("/api/schema/", HTTP_ACCEPT="application/json").json()
    assert "/api/v1/visits/offline-bundle/" in schema["paths"]
    start = schema["paths"]["/api/v1/visits/{id}/start/"]["post"]
    assert "Idempotency-Key" in [parameter["name"] for parameter in start["parameters"]]


# --- steps sent later -------------------------------------------------------------------------
def test_offline_steps_keep_the_phones_times_and_mark_the_visit(world, api_as):
    visit = _todays_visit(world)
    checked, started, done = (timezone.now() - datetime.timedelta(minutes=minutes) for minutes in (50, 40, 5))
    client = api_as(world.rep)
    assert client.put(f"{VISITS}{visit.pk}/market-check/", {"notes": "Walked three shops",
                      "recorded_at": checked.isoformat()}, format="json").status_code == 200
    assert client.post(f"{VISITS}{visit.pk}/start/", {"recorded_at": started.isoformat(), "latitude": "30.27",
                       "longitude": "120.15"}, format="json").status_code == 200
    response = client.post(f"{VISITS}{visit.pk}/complete/", {"recorded_at": done.isoformat()}, format="json")

    assert response.status_code == 200, response.json()
    assert response.json()["recorded_offline"] is True
    visit.refresh_from_db()
    assert (visit.market_check.checked_at, visit.started_at, visit.completed_at) == (checked, started, done)
    assert visit.offline_synced_at is not None


def test_online_steps_are_not_marked_offline(world, api_as):
    visit = checked_visit(dealer=world.dealer, rep=world.rep, scheduled_for=timezone.now())
    response = api_as(world.rep).post(f"{VISITS}{visit.pk}/start/")
    assert response.status_code == 200
    assert response.json()["recorded_offline"] is False


def test_offline_start_doubled_with_the_same_key_changes_nothing(world, api_as):
    visit = checked_visit(dealer=world.dealer, rep=world.rep, scheduled_for=timezone.now())
    started = timezone.now() - datetime.timedelta(minutes=10)
    client = _key(api_as(world.rep), "start-1")
    first = client.post(f"{VISITS}{visit.pk}/start/", {"recorded_at": started.isoformat()}, format="json")
    synced = Visit.objects.get(pk=visit.pk).offline_synced_at
    again = client.post(f"{VISITS}{visit.pk}/start/", {"recorded_at": started.isoformat()}, format="json")

    assert (first.status_code, again.status_code) == (200, 200)
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    assert Visit.objects.get(pk=visit.pk).offline_synced_at == synced


def test_offline_queue_sent_twice_saves_everything_once(world, api_as):
    carry(world.dealer, [world.product])
    visit = _todays_visit(world)
    now = timezone.now()
    queue = [
        ("put", f"{VISITS}{visit.pk}/market-check/", {"outlets_walked": 2, "recorded_at": (now - datetime.timedelta(minutes=30)).isoformat()}),
        ("post", f"{VISITS}{visit.pk}/start/", {"recorded_at": (now - datetime.timedelta(minutes=20)).isoformat()}),
        ("post", f"{VISITS}{visit.pk}/stock-counts/", {"lines": [{"product": world.product.pk, "quantity": 12}],
                                                       "counted_at": (now - datetime.timedelta(minutes=15)).isoformat()}),
        ("post", "/api/v1/requests/", {"dealer": world.dealer.pk, "visit": visit.pk, "description": "More posters",
                                       "due_on": world.tomorrow.isoformat()}),
        ("post", f"{VISITS}{visit.pk}/complete/", {"recorded_at": (now - datetime.timedelta(minutes=5)).isoformat()}),
    ]
    client = api_as(world.rep)
    answers = []
    for _round in range(2):
        for index, (method, url, body) in enumerate(queue):
            _key(client, f"queue-{index}")
            answers.append(getattr(client, method)(url, body, format="json").status_code)

    assert answers[:5] == [200, 200, 201, 201, 200]
    assert answers[5:] == [200, 200, 201, 201, 200]  # replays: the first answers again
    assert StockCount.objects.filter(reference=visit.stock_count_reference).count() == 1
    assert visit.requests.count() == 1
    assert Visit.objects.get(pk=visit.pk).status == VisitStatus.COMPLETED


def test_offline_start_of_a_visit_cancelled_meanwhile_is_409(world, api_as):
    visit = checked_visit(dealer=world.dealer, rep=world.rep, scheduled_for=timezone.now())
    services.visit_cancel(visit=visit, by=world.manager, reason="Dealer closed today")
    client = _key(api_as(world.rep), "start-cancelled")
    response = client.post(f"{VISITS}{visit.pk}/start/",
                           {"recorded_at": (timezone.now() - datetime.timedelta(minutes=5)).isoformat()}, format="json")

    assert response.status_code == 409
    assert response.json() == {"detail": services.VISIT_CANCELLED % {"reason": "Dealer closed today"}}
    assert Visit.objects.get(pk=visit.pk).status == VisitStatus.CANCELLED
    assert not IdempotencyRecord.objects.exists()  # a refusal is not kept: the rep may fix and resend


def test_offline_start_before_the_market_check_is_refused(world, api_as):
    visit = _todays_visit(world)
    MarketCheck.objects.create(visit=visit, checked_at=timezone.now() - datetime.timedelta(minutes=10))
    response = api_as(world.rep).post(f"{VISITS}{visit.pk}/start/", {
        "recorded_at": (timezone.now() - datetime.timedelta(minutes=20)).isoformat()}, format="json")
    assert response.status_code == 400
    assert response.json() == {"recorded_at": [str(services.RECORDED_BEFORE_CHECK)]}


def test_offline_start_without_market_check_is_409(world, api_as):
    visit = _todays_visit(world)
    response = api_as(world.rep).post(f"{VISITS}{visit.pk}/start/", {
        "recorded_at": (timezone.now() - datetime.timedelta(minutes=20)).isoformat()}, format="json")
    assert response.status_code == 409
    assert response.json() == {"detail": str(services.START_NEEDS_CHECK)}


@pytest.mark.parametrize(("shift", "message"), [
    (datetime.timedelta(hours=1), services.RECORDED_IN_FUTURE),
    (-datetime.timedelta(days=8), services.RECORDED_TOO_OLD % {"days": 7}),
])
def test_offline_recorded_time_out_of_range_is_400(world, api_as, shift, message):
    visit = checked_visit(dealer=world.dealer, rep=world.rep, scheduled_for=timezone.now())
    response = api_as(world.rep).post(f"{VISITS}{visit.pk}/start/",
                                      {"recorded_at": (timezone.now() + shift).isoformat()}, format="json")
    assert response.status_code == 400
    assert response.json() == {"recorded_at": [str(message)]}
    assert Visit.objects.get(pk=visit.pk).status == VisitStatus.PLANNED


def test_offline_visit_marked_missed_overnight_is_started_and_completed_on_its_day(world, api_as):
    yesterday = timezone.now() - datetime.timedelta(days=1)
    visit = checked_visit(dealer=world.dealer, rep=world.rep, scheduled_for=yesterday)
    MarketCheck.objects.filter(visit=visit).update(checked_at=yesterday - datetime.timedelta(minutes=30))
    services.visits_mark_missed()
    assert Visit.objects.get(pk=visit.pk).status == VisitStatus.MISSED
    client = api_as(world.rep)
    started = client.post(f"{VISITS}{visit.pk}/start/", {"recorded_at": yesterday.isoformat()}, format="json")
    completed = client.post(f"{VISITS}{visit.pk}/complete/", {
        "recorded_at": (yesterday + datetime.timedelta(minutes=40)).isoformat()}, format="json")
    assert (started.status_code, completed.status_code) == (200, 200), started.json()
    assert completed.json()["status"] == "completed" and completed.json()["missed_at"] is None


def test_offline_photo_keeps_taken_at_and_a_retry_adds_it_once(world, api_as, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path

    def _png():
        buffer = io.BytesIO()
        Image.new("RGB", (4, 4)).save(buffer, format="PNG")
        return SimpleUploadedFile("shelf.png", buffer.getvalue(), content_type="image/png")

    visit = _todays_visit(world)
    taken = timezone.now() - datetime.timedelta(minutes=25)
    client = _key(api_as(world.rep), "photo-1")
    answers = [
        client.post(f"{VISITS}{visit.pk}/photos/", {"stage": "market_check", "image": _png(),
                                                    "taken_at": taken.isoformat()}, format="multipart").status_code
        for _ in range(2)
    ]
    assert answers == [201, 201]
    assert [photo.taken_at for photo in VisitPhoto.objects.filter(visit=visit)] == [taken]


def test_review_page_shows_recorded_offline(world, client):
    visit = _todays_visit(world)
    services.market_check_save(visit=visit, by=world.rep, notes="ok",
                               recorded_at=timezone.now() - datetime.timedelta(minutes=3))
    client.force_login(world.manager)
    page = client.get(f"/visits/{visit.pk}/review/").content.decode()
    assert 'data-testid="recorded-offline"' in page and "recorded offline" in page

    online = _todays_visit(world)
    services.market_check_save(visit=online, by=world.rep, notes="ok")
    assert 'data-testid="recorded-offline"' not in client.get(f"/visits/{online.pk}/review/").content.decode()


def test_offline_start_of_a_visit_moved_meanwhile_is_409_until_sent_as_it_is(world, api_as):
    seen = timezone.now().replace(microsecond=0)
    visit = checked_visit(dealer=world.dealer, rep=world.rep, scheduled_for=seen)
    moved = seen + datetime.timedelta(days=2)
    services.visit_reschedule(visit=visit, by=world.manager, scheduled_for=moved)
    client = api_as(world.rep)
    body = {"recorded_at": (timezone.now() - datetime.timedelta(minutes=5)).isoformat(),
            "scheduled_for_seen": seen.isoformat()}

    refused = client.post(f"{VISITS}{visit.pk}/start/", body, format="json")
    assert refused.status_code == 409
    when = timezone.localtime(moved).strftime("%Y-%m-%d %H:%M")
    assert refused.json() == {"detail": services.VISIT_MOVED % {"when": when}}
    assert Visit.objects.get(pk=visit.pk).status == VisitStatus.PLANNED

    del body["scheduled_for_seen"]  # the rep did visit then: sent as it is
    assert client.post(f"{VISITS}{visit.pk}/start/", body, format="json").status_code == 200


def test_offline_bundle_day_far_away_is_400(world, api_as):
    response = api_as(world.rep).get(BUNDLE, {"day": "9999-12-31"})
    assert response.status_code == 400
    assert response.json() == {"day": [str(offline.DAY_OUT_OF_RANGE)]}
