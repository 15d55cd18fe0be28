"""The visits API: list and create, the market-check gate (409), start and
complete, scope (404), notes, cancel and move, comments, plans, requests."""

import datetime

import pytest
from django.utils import timezone

from visits import services
from visits.models import MarketCheck, MarketObservation, Visit, VisitPlan, VisitStatus
from visits.tests.factories import VisitFactory, at, checked_visit

pytestmark = pytest.mark.django_db

VISITS = "/api/v1/visits/"


def test_visit_create_by_rep_for_own_dealer_is_planned(world, api_as):
    response = api_as(world.rep).post(VISITS, {"dealer": world.dealer.pk, "scheduled_for": at(world.tomorrow).isoformat()})
    assert response.status_code == 201, response.json()
    assert response.json()["status"] == "planned"
    assert response.json()["rep"] == world.rep.pk


def test_visit_create_other_reps_dealer_is_404(world, api_as):
    response = api_as(world.rep).post(VISITS, {"dealer": world.dealer_2.pk, "scheduled_for": at(world.tomorrow).isoformat()})
    assert response.status_code == 404
    assert not Visit.objects.exists()


def test_visit_create_in_the_past_is_400(world, api_as):
    yesterday = world.today - datetime.timedelta(days=1)
    response = api_as(world.rep).post(VISITS, {"dealer": world.dealer.pk, "scheduled_for": at(yesterday).isoformat()})
    assert response.status_code == 400
    assert response.json() == {"scheduled_for": [str(services.IN_THE_PAST)]}


def test_visit_create_by_manager_for_chosen_rep(world, api_as):
    response = api_as(world.manager).post(
        VISITS, {"dealer": world.dealer.pk, "scheduled_for": at(world.tomorrow).isoformat(), "rep": world.rep_2.pk}
    )
    assert response.status_code == 201
    assert response.json()["rep"] == world.rep_2.pk


def test_visit_list_rep_sees_only_own_visits(world, api_as):
    mine = VisitFactory(dealer=world.dealer)
    VisitFactory(dealer=world.dealer_2)
    response = api_as(world.rep).get(VISITS)
    assert [row["id"] for row in response.json()["results"]] == [mine.pk]


def test_visit_list_filters_by_status_and_dates(world, api_as):
    planned = VisitFactory(dealer=world.dealer, scheduled_for=at(world.tomorrow))
    VisitFactory(dealer=world.dealer, status=VisitStatus.COMPLETED, scheduled_for=at(world.today))
    response = api_as(world.manager).get(VISITS, {"status": "planned", "date_from": str(world.tomorrow)})
    assert [row["id"] for row in response.json()["results"]] == [planned.pk]


def test_visit_detail_other_reps_visit_is_404(world, api_as):
    visit = VisitFactory(dealer=world.dealer_2)
    assert api_as(world.rep).get(f"{VISITS}{visit.pk}/").status_code == 404
    assert api_as(world.rep).post(f"{VISITS}{visit.pk}/start/").status_code == 404


def test_visit_detail_manager_outside_region_is_404(world, api_as):
    visit = VisitFactory(dealer=world.dealer)
    assert api_as(world.other_manager).get(f"{VISITS}{visit.pk}/").status_code == 404
    assert api_as(world.manager).get(f"{VISITS}{visit.pk}/").status_code == 200


def test_visit_detail_dealer_user_is_404(world, api_as):
    visit = VisitFactory(dealer=world.dealer)
    assert api_as(world.dealer_user).get(f"{VISITS}{visit.pk}/").status_code == 404


def test_visit_start_without_market_check_is_409(world, api_as):
    visit = VisitFactory(dealer=world.dealer)
    response = api_as(world.rep).post(f"{VISITS}{visit.pk}/start/")
    assert response.status_code == 409
    assert response.json()["detail"] == str(services.START_NEEDS_CHECK)
    visit.refresh_from_db()
    assert visit.status == VisitStatus.PLANNED and visit.started_at is None


def test_visit_market_check_put_then_start_records_time_and_location(world, api_as):
    visit = VisitFactory(dealer=world.dealer)
    client = api_as(world.rep)
    response = client.put(f"{VISITS}{visit.pk}/market-check/", {
        "outlets_walked": 4, "notes": "Busy street",
        "observations": [{"kind": "price", "outlet": "Lianhua market", "product": world.product.pk,
                          "retail_price": "3.90", "in_stock": True}],
    }, format="json")
    assert response.status_code == 200, response.json()
    observation = response.json()["observations"][0]
    assert observation["guideline_price"] == "4.50" and observation["retail_price"] == "3.90"
    response = client.post(f"{VISITS}{visit.pk}/start/", {"latitude": "30.2741", "longitude": "120.1551", "accuracy": 12})
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "in_progress"
    assert response.json()["start_latitude"] == "30.274100"
    assert response.json()["start_accuracy_m"] == 12
    assert response.json()["started_at"]


def test_visit_market_check_skipped_with_reason_lets_start(world, api_as):
    visit = VisitFactory(dealer=world.dealer)
    client = api_as(world.rep)
    response = client.put(f"{VISITS}{visit.pk}/market-check/", {"skipped_reason": "Typhoon: shops closed"}, format="json")
    assert response.status_code == 200
    assert response.json()["is_skipped"] is True
    assert client.post(f"{VISITS}{visit.pk}/start/").status_code == 200


def test_visit_market_check_bad_observation_saves_nothing(world, api_as):
    visit = VisitFactory(dealer=world.dealer)
    response = api_as(world.rep).put(f"{VISITS}{visit.pk}/market-check/", {
        "observations": [{"kind": "price", "outlet": "A"}, {"kind": "price", "retail_price": "-1"}],
    }, format="json")
    assert response.status_code == 400
    assert not MarketCheck.objects.exists() and not MarketObservation.objects.exists()


def test_visit_market_check_empty_is_400(world, api_as):
    visit = VisitFactory(dealer=world.dealer)
    response = api_as(world.rep).put(f"{VISITS}{visit.pk}/market-check/", {}, format="json")
    assert response.status_code == 400
    assert response.json() == {"observations": [str(services.CHECK_EMPTY)]}


def test_visit_market_check_get_before_recorded_is_404(world, api_as):
    visit = VisitFactory(dealer=world.dealer)
    assert api_as(world.rep).get(f"{VISITS}{visit.pk}/market-check/").status_code == 404


def test_visit_market_check_by_manager_is_403(world, api_as):
    visit = VisitFactory(dealer=world.dealer)
    response = api_as(world.manager).put(f"{VISITS}{visit.pk}/market-check/", {"skipped_reason": "x"}, format="json")
    assert response.status_code == 403


def test_visit_complete_never_started_is_409(world, api_as):
    visit = checked_visit(dealer=world.dealer)
    response = api_as(world.rep).post(f"{VISITS}{visit.pk}/complete/")
    assert response.status_code == 409
    assert response.json()["detail"] == str(services.COMPLETE_NOT_STARTED)


def test_visit_complete_after_start_is_completed(world, api_as):
    visit = checked_visit(dealer=world.dealer)
    client = api_as(world.rep)
    client.post(f"{VISITS}{visit.pk}/start/")
    response = client.post(f"{VISITS}{visit.pk}/complete/")
    assert response.status_code == 200
    assert response.json()["status"] == "completed" and response.json()["completed_at"]


def test_visit_patch_notes_in_progress(world, api_as):
    visit = checked_visit(dealer=world.dealer)
    client = api_as(world.rep)
    client.post(f"{VISITS}{visit.pk}/start/")
    response = client.patch(f"{VISITS}{visit.pk}/", {"policy_notes": "Q4 rebate tiers", "after_sales_notes": "2 cases"})
    assert response.status_code == 200
    assert response.json()["policy_notes"] == "Q4 rebate tiers"


def test_visit_patch_notes_before_start_is_409(world, api_as):
    visit = VisitFactory(dealer=world.dealer)
    assert api_as(world.rep).patch(f"{VISITS}{visit.pk}/", {"policy_notes": "x"}).status_code == 409


def test_visit_patch_cancel_needs_reason(world, api_as):
    visit = VisitFactory(dealer=world.dealer)
    client = api_as(world.rep)
    response = client.patch(f"{VISITS}{visit.pk}/", {"status": "cancelled", "cancel_reason": ""})
    assert response.status_code == 400
    assert response.json() == {"cancel_reason": [str(services.REASON_REQUIRED)]}
    response = client.patch(f"{VISITS}{visit.pk}/", {"status": "cancelled", "cancel_reason": "Dealer travelling"})
    assert response.status_code == 200 and response.json()["status"] == "cancelled"


def test_visit_patch_move_missed_visit_plans_it_again(world, api_as):
    visit = VisitFactory(dealer=world.dealer, status=VisitStatus.MISSED, scheduled_for=at(world.today - datetime.timedelta(days=2)))
    response = api_as(world.rep).patch(f"{VISITS}{visit.pk}/", {"scheduled_for": at(world.tomorrow, 15).isoformat()})
    assert response.status_code == 200
    assert response.json()["status"] == "planned"


def test_visit_comments_manager_posts_and_rep_is_told(world, api_as):
    visit = VisitFactory(dealer=world.dealer, status=VisitStatus.COMPLETED)
    response = api_as(world.manager).post(f"{VISITS}{visit.pk}/comments/", {"body": "Photo of the end-cap please"})
    assert response.status_code == 201
    assert world.rep.notifications.filter(kind="visit").count() == 1
    assert len(api_as(world.rep).get(f"{VISITS}{visit.pk}/comments/").json()) == 1


def test_visit_plan_post_generates_visits(world, api_as):
    response = api_as(world.rep).post("/api/v1/visit-plans/", {
        "dealer": world.dealer.pk, "rule": "weekly", "weekdays": [0], "starts_on": str(world.today),
    }, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["cycle_days"] == 7
    plan = VisitPlan.objects.get(dealer=world.dealer)
    assert plan.visits.count() == 4


def test_visit_plan_post_for_other_reps_dealer_is_404(world, api_as):
    response = api_as(world.rep).post("/api/v1/visit-plans/", {
        "dealer": world.dealer_2.pk, "rule": "every_n_days", "interval_days": 14}, format="json")
    assert response.status_code == 404


def test_visit_list_endpoint_queries_are_bounded(world, api_as, django_assert_max_num_queries):
    client = api_as(world.manager)
    for size in (2, 20):
        for index in range(size):
            VisitFactory(dealer=world.dealer, scheduled_for=at(world.today + datetime.timedelta(days=index % 5)))
        with django_assert_max_num_queries(6):
            response = client.get(VISITS, {"page_size": 100})
        assert response.status_code == 200


def test_request_api_escalate_decide_done_flow(world, api_as):
    response = api_as(world.rep).post("/api/v1/requests/", {
        "dealer": world.dealer.pk, "description": "Extra 2 % discount for the festival",
        "due_on": str(world.today + datetime.timedelta(days=3)), "beyond_authority": True,
    })
    assert response.status_code == 201, response.json()
    assert response.json()["status"] == "escalated" and response.json()["escalated_to"] == world.manager.pk
    pk = response.json()["id"]
    assert api_as(world.rep).post(f"/api/v1/requests/{pk}/decide/", {"approve": True}).status_code == 403
    response = api_as(world.manager).post(f"/api/v1/requests/{pk}/decide/", {"approve": False, "answer": ""})
    assert response.status_code == 400
    response = api_as(world.manager).post(f"/api/v1/requests/{pk}/decide/", {"approve": False, "answer": "Not this quarter"})
    assert response.status_code == 200 and response.json()["status"] == "declined"
    rows = api_as(world.dealer_user).get("/api/v1/requests/").json()["results"]
    assert [(row["id"], row["answer"]) for row in rows] == [(pk, "Not this quarter")]


def test_request_api_other_manager_is_404(world, api_as):
    response = api_as(world.rep).post("/api/v1/requests/", {
        "dealer": world.dealer.pk, "description": "Display rack", "due_on": str(world.tomorrow)})
    pk = response.json()["id"]
    assert api_as(world.other_manager).get(f"/api/v1/requests/{pk}/").status_code == 404


def test_request_api_done_twice_is_409(world, api_as):
    client = api_as(world.rep)
    pk = client.post("/api/v1/requests/", {"dealer": world.dealer.pk, "description": "Rack", "due_on": str(world.tomorrow)}).json()["id"]
    assert client.post(f"/api/v1/requests/{pk}/done/", {"answer": "Delivered"}).status_code == 200
    assert client.post(f"/api/v1/requests/{pk}/done/", {"answer": "Again"}).status_code == 409


def test_visit_api_times_are_local(world, api_as):
    visit = VisitFactory(dealer=world.dealer, scheduled_for=at(world.tomorrow, 9, 30))
    data = api_as(world.rep).get(f"{VISITS}{visit.pk}/").json()
    assert timezone.localtime(datetime.datetime.fromisoformat(data["scheduled_for"])).hour == 9


def test_visit_photos_api_refuses_non_image_and_serves_scoped(world, api_as, settings, tmp_path):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    settings.MEDIA_ROOT = tmp_path
    visit = checked_visit(dealer=world.dealer, status=VisitStatus.IN_PROGRESS)
    client = api_as(world.rep)
    bad = SimpleUploadedFile("x.jpg", b"text, not a photo", content_type="image/jpeg")
    response = client.post(f"{VISITS}{visit.pk}/photos/", {"stage": "display", "image": bad}, format="multipart")
    assert response.status_code == 400 and "image" in response.json()
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4)).save(buffer, format="JPEG")
    good = SimpleUploadedFile("shelf.jpg", buffer.getvalue(), content_type="image/jpeg")
    response = client.post(f"{VISITS}{visit.pk}/photos/", {"stage": "display", "image": good}, format="multipart")
    assert response.status_code == 201
    photo_id = response.json()["id"]
    assert client.get(f"{VISITS}{visit.pk}/photos/{photo_id}/").status_code == 200
    assert api_as(world.rep_2).get(f"{VISITS}{visit.pk}/photos/{photo_id}/").status_code == 404


@pytest.mark.parametrize("size", [2, 20])
def test_request_list_endpoint_queries_are_bounded(size, world, api_as, django_assert_max_num_queries):
    from visits.tests.factories import DealerRequestFactory

    for index in range(size):
        DealerRequestFactory(dealer=world.dealer if index % 2 else world.dealer_2)
    with django_assert_max_num_queries(5):
        response = api_as(world.manager).get("/api/v1/requests/")
    assert response.json()["count"] == size


def test_observation_violation_api_records_once(world, api_as):
    from dealers.models import Violation
    from visits.tests.factories import MarketCheckFactory, MarketObservationFactory

    visit = VisitFactory(dealer=world.dealer)
    observation = MarketObservationFactory(market_check=MarketCheckFactory(visit=visit), kind="cross_territory")
    client = api_as(world.rep)
    path = f"{VISITS}{visit.pk}/observations/{observation.pk}/violation/"
    first = client.post(path)
    assert first.status_code == 201
    second = client.post(path)
    assert second.status_code == 200 and second.json()["violation"] == first.json()["violation"]
    assert Violation.objects.count() == 1
    assert api_as(world.rep_2).post(path).status_code == 404


def test_discipline_api_lists_reps_in_scope_against_targets(world, api_as):
    rows = api_as(world.manager).get("/api/v1/visit-discipline/", {"month": f"{world.today:%Y-%m}"}).json()
    assert {row["rep"] for row in rows} == {world.rep.pk, world.rep_2.pk}
    assert {"contacts_per_day_met", "share_met", "visits_met", "market_checks_met"} <= set(rows[0])
    assert api_as(world.manager).get("/api/v1/visit-discipline/", {"month": "nope"}).status_code == 400
    assert api_as(world.dealer_user).get("/api/v1/visit-discipline/").status_code == 404


@pytest.mark.parametrize("size", [2, 20])
def test_visit_plan_list_endpoint_queries_are_bounded(size, world, api_as, django_assert_max_num_queries):
    from dealers.tests.factories import DealerFactory
    from visits.tests.factories import VisitPlanFactory

    for _ in range(size):
        VisitPlanFactory(dealer=DealerFactory(region=world.dealer.region, rep=world.rep))
    with django_assert_max_num_queries(5):
        response = api_as(world.manager).get("/api/v1/visit-plans/", {"page_size": 100})
    assert response.status_code == 200 and response.json()["count"] >= size


def test_visit_patch_move_and_notes_refused_on_notes_commits_nothing(world, api_as):
    """A manager may move a visit but not take its notes: the PATCH is refused
    (403) as a whole and the visit keeps its time (one transaction, not two)."""
    visit = VisitFactory(dealer=world.dealer, scheduled_for=at(world.tomorrow))
    response = api_as(world.manager).patch(
        f"{VISITS}{visit.pk}/", {"scheduled_for": at(world.tomorrow, 15).isoformat(), "policy_notes": "x"}
    )
    assert response.status_code == 403
    visit.refresh_from_db()
    assert visit.scheduled_for == at(world.tomorrow)
    assert visit.policy_notes == ""


def test_visit_patch_cancel_and_notes_conflict_on_notes_commits_nothing(world, api_as):
    """Cancelling and taking notes at once: the notes are refused (409, a cancelled
    visit takes no notes), so the visit is not cancelled either."""
    visit = VisitFactory(dealer=world.dealer)
    response = api_as(world.rep).patch(
        f"{VISITS}{visit.pk}/", {"status": "cancelled", "cancel_reason": "Dealer travelling", "policy_notes": "x"}
    )
    assert response.status_code == 409
    visit.refresh_from_db()
    assert visit.status == VisitStatus.PLANNED
    assert visit.cancel_reason == ""
