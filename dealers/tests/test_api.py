"""The dealers REST API: shapes promised in API.md, filters, the lifecycle and
assignment actions, prospects and documents, contracts, violations, applications."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import User
from accounts.tests.factories import AdminFactory, DealerUserFactory, FinanceFactory, ManagerFactory, RepFactory
from dealers import services
from dealers.models import (
    ApplicationStatus,
    CommunicationMemo,
    DealerApplication,
    DealerStatus,
    Evaluation,
    Onboarding,
    Violation,
    ViolationPhoto,
)
from dealers.tests.conftest import make_photo
from dealers.tests.factories import (
    DealerApplicationFactory,
    DealerFactory,
    DraftContractFactory,
    ProspectFactory,
    ViolationFactory,
    all_scores,
)
from regions.tests.factories import RegionFactory

pytestmark = pytest.mark.django_db


# --- dealers ---------------------------------------------------------------------------
def test_dealers_list_has_the_api_md_fields(api_as):
    DealerFactory(channel_types=["ka", "wholesale"])
    row = api_as(AdminFactory()).get("/api/v1/dealers/").json()["results"][0]
    for field in ("id", "code", "name", "region", "tier", "status", "rep", "credit_limit", "channel_types",
                  "latitude", "longitude", "current_grade"):
        assert field in row
    assert row["channel_types"] == ["ka", "wholesale"] and row["credit_limit"] == "100000.00"


def test_dealers_list_rows_equal_what_the_dealer_serializer_gives(api_as):
    """The list reads values() for speed; each row must be exactly the detail's representation."""
    from dealers.api.serializers import DealerSerializer
    from dealers.models import Dealer

    rep = RepFactory(first_name="Wei", last_name="Zhang")
    nameless_rep = RepFactory(first_name="", last_name="")
    DealerFactory(rep=rep, channel_types=["ka"], latitude=Decimal("30.274084"), longitude=Decimal("120.155070"),
                  current_grade="A", current_score=Decimal("4.25"), last_evaluated_at=timezone.now(), warehouse_area=800)
    DealerFactory(rep=None, channel_types=[], credit_limit=Decimal("0"))
    DealerFactory(rep=nameless_rep, other_industries=True, safety_coefficient=Decimal("1.8"))
    rows = api_as(AdminFactory()).get("/api/v1/dealers/?ordering=code").json()["results"]
    expected = [DealerSerializer(dealer).data for dealer in Dealer.objects.order_by("code")]
    assert rows == [dict(item) for item in expected]
    assert {row["rep_name"] for row in rows} == {"Wei Zhang", "", nameless_rep.username}


def test_dealers_filters_region_subtree_status_tier_rep_grade_and_search(api_as):
    east = RegionFactory()
    city = RegionFactory(parent=east)
    rep = RepFactory()
    a = DealerFactory(region=city, rep=rep, status="active", tier="county", name="Golden Dragon", current_grade="A")
    b = DealerFactory(region=east, status="suspended", tier="city", current_grade="B")
    DealerFactory(region=RegionFactory(), status="active")
    client = api_as(AdminFactory())

    def ids(query):
        return {row["id"] for row in client.get(f"/api/v1/dealers/?{query}").json()["results"]}

    assert ids(f"region={east.pk}") == {a.pk, b.pk}
    assert ids(f"region={east.pk}&status=suspended") == {b.pk}
    assert ids("status=active&status=suspended") >= {a.pk, b.pk}
    assert ids("tier=county") == {a.pk}
    assert ids(f"rep={rep.pk}") == {a.pk}
    assert ids("grade=A") == {a.pk}
    assert ids("search=dragon") == {a.pk}
    names = [row["current_grade"] for row in client.get("/api/v1/dealers/?ordering=-current_grade").json()["results"]]
    assert names[:2] == ["B", "A"]


def test_dealers_create_by_rep_is_a_prospect_they_own(api_as):
    rep, region = RepFactory(), RegionFactory()
    DealerFactory(rep=rep, region=region)  # the territory given to the rep
    response = api_as(rep).post("/api/v1/dealers/", {"name": "Street find", "region": region.pk, "source": "street_canvassing",
                                                     "channel_types": ["catering"]}, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["status"], body["rep"], body["code"]) == ("prospect", rep.pk, body["code"])
    assert Onboarding.objects.get(dealer_id=body["id"]).source == "street_canvassing"


@pytest.mark.parametrize("body", [{"status": "active"}, {"rep": "other"}, {"credit_limit": "5000"}])
def test_dealers_create_by_rep_beyond_a_prospect_is_forbidden(api_as, body):
    rep, other = RepFactory(), RepFactory()
    data = {"name": "X", "region": RegionFactory().pk, **body}
    if data.get("rep") == "other":
        data["rep"] = other.pk
    assert api_as(rep).post("/api/v1/dealers/", data, format="json").status_code == 403


def test_dealers_patch_by_rep_with_commercial_fields_is_forbidden(api_as):
    dealer = DealerFactory()
    client = api_as(dealer.rep)
    assert client.patch(f"/api/v1/dealers/{dealer.pk}/", {"credit_limit": "999999"}, format="json").status_code == 403
    assert client.patch(f"/api/v1/dealers/{dealer.pk}/", {"tier": "province"}, format="json").status_code == 403
    dealer.refresh_from_db()
    assert dealer.credit_limit == Decimal("100000.00")


def test_dealers_patch_status_follows_the_lifecycle(api_as):
    dealer = DealerFactory(status="active")
    client = api_as(AdminFactory())
    response = client.patch(f"/api/v1/dealers/{dealer.pk}/", {"status": "prospect", "status_reason": "x"}, format="json")
    assert response.status_code == 400 and "status" in response.json()
    response = client.patch(f"/api/v1/dealers/{dealer.pk}/", {"status": "suspended", "status_reason": "Late payments"}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "suspended"
    assert dealer.status_changes.get().reason == "Late payments"


def test_dealers_patch_status_without_reason_saves_nothing(api_as):
    dealer = DealerFactory(status="active")
    response = api_as(AdminFactory()).patch(f"/api/v1/dealers/{dealer.pk}/", {"status": "suspended", "phone": "1"}, format="json")
    assert response.status_code == 400 and response.json() == {"reason": [str(services.REASON_REQUIRED)]}
    dealer.refresh_from_db()
    assert dealer.status == "active" and dealer.phone == ""


def test_dealers_status_action_lets_a_rep_only_move_a_prospect_to_negotiating(api_as):
    prospect = ProspectFactory()
    client = api_as(prospect.rep)
    url = f"/api/v1/dealers/{prospect.pk}/status/"
    assert client.post(url, {"status": "terminated", "reason": "lost"}, format="json").status_code == 403
    response = client.post(url, {"status": "negotiating", "reason": "Second meeting went well"}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "negotiating"


def test_dealers_assign_and_history(api_as):
    dealer = DealerFactory()
    new_rep = RepFactory()
    manager = ManagerFactory(regions=[dealer.region])
    client = api_as(manager)
    assert api_as(dealer.rep).post(f"/api/v1/dealers/{dealer.pk}/assign/", {"rep": new_rep.pk, "reason": "x"}, format="json").status_code == 403
    client = api_as(manager)
    response = client.post(f"/api/v1/dealers/{dealer.pk}/assign/", {"rep": new_rep.pk, "reason": "Rebalance"}, format="json")
    assert response.status_code == 200 and response.json()["rep"] == new_rep.pk
    history = client.get(f"/api/v1/dealers/{dealer.pk}/history/").json()
    assert history["assignments"][0]["to_rep"] == new_rep.pk and history["assignments"][0]["reason"] == "Rebalance"


def test_dealers_reassign_endpoint_moves_a_leaving_reps_dealers(api_as):
    region = RegionFactory()
    leaving, taking = RepFactory(), RepFactory()
    DealerFactory.create_batch(3, rep=leaving, region=region)
    response = api_as(ManagerFactory(regions=[region])).post(
        "/api/v1/dealers/reassign/", {"from_rep": leaving.pk, "to_rep": taking.pk, "reason": "Left the company"}, format="json")
    assert response.status_code == 200 and response.json() == {"moved": 3}
    assert api_as(RepFactory()).post("/api/v1/dealers/reassign/", {}, format="json").status_code == 403


# --- evaluations -----------------------------------------------------------------------------
def test_evaluations_post_returns_the_api_md_shape(api_as):
    dealer = DealerFactory()
    scores = {**all_scores(4), "management": 5, "reputation": 3}
    response = api_as(dealer.rep).post(f"/api/v1/dealers/{dealer.pk}/evaluations/", {"scores": scores, "comment": "Solid"}, format="json")
    assert response.status_code == 201
    body = response.json()
    assert {"id", "total", "grade", "scores", "created_at"} <= set(body)
    assert (body["total"], body["grade"], body["scores"], body["comment"]) == ("4.00", "A", scores, "Solid")
    history = api_as(ManagerFactory(regions=[dealer.region])).get(f"/api/v1/dealers/{dealer.pk}/evaluations/").json()
    assert history["count"] == 1 and history["results"][0]["scores"] == scores


@pytest.mark.parametrize(("scores", "message"), [
    ({**all_scores(4), "charm": 4}, "Unknown criterion code: charm."),
    ({**all_scores(4), "cooperation": 7}, "The score for cooperation must be a whole number from 1 to 5."),
    ({**all_scores(4), "cooperation": -1}, "The score for cooperation must be a whole number from 1 to 5."),
])
def test_evaluations_post_bad_scores_answer_400_and_save_nothing(api_as, scores, message):
    dealer = DealerFactory()
    response = api_as(dealer.rep).post(f"/api/v1/dealers/{dealer.pk}/evaluations/", {"scores": scores}, format="json")
    assert response.status_code == 400 and message in response.json()["scores"]
    assert not Evaluation.objects.exists()


def test_evaluations_post_non_integer_score_answers_400(api_as):
    dealer = DealerFactory()
    response = api_as(dealer.rep).post(f"/api/v1/dealers/{dealer.pk}/evaluations/",
                                       {"scores": {**all_scores(4), "management": "great"}}, format="json")
    assert response.status_code == 400 and not Evaluation.objects.exists()


def test_evaluation_criteria_are_listed_with_their_weights(api_as):
    rows = api_as(RepFactory()).get("/api/v1/evaluation-criteria/").json()["results"]
    assert [row["code"] for row in rows] == ["marketing_awareness", "market_coverage", "management",
                                            "financial_strength", "reputation", "cooperation"]
    assert api_as(RepFactory()).post("/api/v1/evaluation-criteria/", {"code": "execution", "name_en": "Execution"}, format="json").status_code == 403
    response = api_as(AdminFactory()).post("/api/v1/evaluation-criteria/", {"code": "execution", "name_en": "Execution", "name_zh": "执行力", "weight": "2"}, format="json")
    assert response.status_code == 201


# --- prospects and documents ----------------------------------------------------------------------
def test_prospects_create_list_by_stage_and_move(api_as):
    rep = RepFactory()
    client = api_as(rep)
    territory = DealerFactory(rep=rep).region
    response = client.post("/api/v1/prospects/", {"name": "Fair lead", "region": territory.pk, "source": "trade_show",
                                                  "next_follow_up_on": str(timezone.localdate() + timedelta(days=2))}, format="json")
    assert response.status_code == 201, response.json()
    prospect_id = response.json()["id"]
    assert response.json()["rep"] == rep.pk and response.json()["stage"] == "sourced"
    assert [row["id"] for row in client.get("/api/v1/prospects/?stage=sourced").json()["results"]] == [prospect_id]
    response = client.patch(f"/api/v1/prospects/{prospect_id}/", {"stage": "first_meeting"}, format="json")
    assert response.status_code == 200 and response.json()["first_meeting_on"] == str(timezone.localdate())
    assert client.patch(f"/api/v1/prospects/{prospect_id}/", {"stage": "signed"}, format="json").status_code == 400


def test_prospect_memo_put_writes_it_and_moves_the_stage(api_as):
    prospect = ProspectFactory()
    client = api_as(prospect.rep)
    url = f"/api/v1/prospects/{prospect.pk}/memo/"
    assert client.get(url).json()["introductions"] == ""
    body = {"written_on": str(timezone.localdate()), "introductions": "We met", "market_situation": "Busy market",
            "product_outline": "Three SKUs", "other_concerns": "Credit", "parting_answers": "Yes"}
    response = client.put(url, body, format="json")
    assert response.status_code == 200 and response.json()["introductions"] == "We met"
    assert CommunicationMemo.objects.get(dealer=prospect).author == prospect.rep
    assert client.get(f"/api/v1/prospects/{prospect.pk}/").json()["stage"] == "memo"
    incomplete = client.put(f"/api/v1/prospects/{prospect.pk}/proposal/", {"market_opportunity": "Only this"}, format="json")
    assert incomplete.status_code == 400 and "portfolio_fit" in incomplete.json()
    assert api_as(FinanceFactory()).put(url, body, format="json").status_code == 403


# --- contracts ------------------------------------------------------------------------------------
def test_contract_ending_before_it_starts_answers_400(api_as):
    dealer = DealerFactory()
    today = timezone.localdate()
    response = api_as(dealer.rep).post("/api/v1/contracts/", {
        "dealer": dealer.pk, "territory": "t", "product_lines": "p", "annual_target_amount": "1", "annual_target_volume": 1,
        "start_date": str(today), "end_date": str(today - timedelta(days=10))}, format="json")
    assert response.status_code == 400 and "end_date" in response.json()
    assert not dealer.contracts.exists()


def test_contract_sign_activates_the_prospect_and_cannot_repeat(api_as):
    prospect = ProspectFactory(status=DealerStatus.NEGOTIATING)
    contract = DraftContractFactory(dealer=prospect)
    client = api_as(ManagerFactory(regions=[prospect.region]))
    response = client.post(f"/api/v1/contracts/{contract.pk}/sign/")
    assert response.status_code == 200 and response.json()["status"] == "signed"
    assert client.get(f"/api/v1/dealers/{prospect.pk}/").json()["status"] == "active"
    assert client.post(f"/api/v1/contracts/{contract.pk}/sign/").status_code == 409
    assert client.patch(f"/api/v1/contracts/{contract.pk}/", {"territory": "x"}, format="json").status_code == 409


# --- violations -------------------------------------------------------------------------------------
def test_violation_multipart_with_photos_and_download_in_scope_only(api_client):
    dealer = DealerFactory()
    api_client.force_authenticate(dealer.rep)
    response = api_client.post("/api/v1/violations/", {
        "dealer": dealer.pk, "type": "promo_diversion", "evidence": "Gifts in the warehouse", "found_where": "Warehouse",
        "upload_photos": [make_photo("a.png"), make_photo("b.png")]}, format="multipart")
    assert response.status_code == 201, response.json()
    photos = response.json()["photos"]
    assert len(photos) == 2
    download = api_client.get(photos[0]["url"])
    assert download.status_code == 200 and download["Content-Type"] == "image/png"
    api_client.force_authenticate(RepFactory())
    assert api_client.get(photos[0]["url"]).status_code == 404


def test_violation_upload_of_a_non_image_answers_400_and_saves_nothing(api_client):
    dealer = DealerFactory()
    api_client.force_authenticate(dealer.rep)
    fake = SimpleUploadedFile("evil.png", b"<?php echo 1; ?>", content_type="image/png")
    response = api_client.post("/api/v1/violations/", {
        "dealer": dealer.pk, "type": "other", "evidence": "e", "found_where": "w", "upload_photos": [make_photo(), fake]},
        format="multipart")
    assert response.status_code == 400 and "photos" in response.json()
    assert not Violation.objects.exists() and not ViolationPhoto.objects.exists()


def test_violation_photos_action_and_decide(api_client, photo):
    violation = ViolationFactory()
    api_client.force_authenticate(violation.dealer.rep)
    response = api_client.post(f"/api/v1/violations/{violation.pk}/photos/", {"photos": [photo]}, format="multipart")
    assert response.status_code == 201 and len(response.json()) == 1
    assert api_client.post(f"/api/v1/violations/{violation.pk}/decide/", {"outcome": "warning"}, format="json").status_code == 403
    api_client.force_authenticate(ManagerFactory(regions=[violation.dealer.region]))
    response = api_client.post(f"/api/v1/violations/{violation.pk}/decide/", {"outcome": "termination", "note": "Third time"}, format="json")
    assert response.status_code == 200 and response.json()["outcome"] == "termination"
    violation.dealer.refresh_from_db()
    assert violation.dealer.status == "terminated"


# --- applications --------------------------------------------------------------------------------------
APPLICATION = {"company_name": "Sunrise Foods", "contact_name": "Zhou Tao", "phone": "13600000000",
               "email": "zhou@example.com", "channel_types": ["wholesale"]}


def test_application_public_post_needs_no_login_and_tells_the_managers():
    region = RegionFactory()
    manager = ManagerFactory(regions=[region])
    response = APIClient().post("/api/v1/dealer-applications/", {**APPLICATION, "region": region.pk}, format="json")
    assert response.status_code == 201
    application = DealerApplication.objects.get()
    assert application.status == ApplicationStatus.SUBMITTED and application.ip_address == "127.0.0.1"
    assert manager.notifications.get().kind == "application"


def test_application_public_post_with_the_honeypot_filled_saves_nothing():
    response = APIClient().post("/api/v1/dealer-applications/", {**APPLICATION, "region": RegionFactory().pk, "website": "http://spam"}, format="json")
    assert response.status_code == 201 and not DealerApplication.objects.exists()


def test_application_public_post_over_the_rate_limit_answers_429(settings):
    settings.DEALER_APPLICATIONS_PER_HOUR = 2
    region = RegionFactory()
    statuses = [APIClient().post("/api/v1/dealer-applications/", {**APPLICATION, "region": region.pk}, format="json").status_code
                for _ in range(3)]
    assert statuses == [201, 201, 429] and DealerApplication.objects.count() == 2


def test_application_anonymous_list_is_refused():
    assert APIClient().get("/api/v1/dealer-applications/").status_code == 401


def test_application_review_then_approval_by_the_manager(api_as, django_capture_on_commit_callbacks):
    province = RegionFactory()
    city = RegionFactory(parent=province)
    rep = RepFactory()
    DealerFactory(rep=rep, region=city)  # the rep works in this city
    manager = ManagerFactory(regions=[province])
    application = DealerApplicationFactory(region=city, email="newdealer@example.com")
    far_away = DealerApplicationFactory(region=RegionFactory())
    rep_client = api_as(rep)
    assert [row["id"] for row in rep_client.get("/api/v1/dealer-applications/").json()["results"]] == [application.pk]
    assert rep_client.get(f"/api/v1/dealer-applications/{far_away.pk}/").status_code == 404
    assert rep_client.post(f"/api/v1/dealer-applications/{application.pk}/review/", {"note": "Good warehouse"}, format="json").status_code == 200
    assert rep_client.post(f"/api/v1/dealer-applications/{application.pk}/approve/", {"region": city.pk, "tier": "county"}, format="json").status_code == 403
    manager_client = api_as(manager)
    with django_capture_on_commit_callbacks(execute=True):
        response = manager_client.post(f"/api/v1/dealer-applications/{application.pk}/approve/", {"region": city.pk, "tier": "county"}, format="json")
    assert response.status_code == 200, response.json()
    assert (response.json()["status"], response.json()["rep"], response.json()["tier"]) == ("prospect", rep.pk, "county")
    assert User.objects.get(username="newdealer@example.com").dealer_id == response.json()["id"]
    assert any(message.to == ["newdealer@example.com"] for message in mail.outbox)
    again = manager_client.post(f"/api/v1/dealer-applications/{application.pk}/approve/", {"region": city.pk, "tier": "county"}, format="json")
    assert again.status_code == 409


def test_application_reject_after_review_is_a_managers_decision(api_as):
    application = DealerApplicationFactory(status=ApplicationStatus.REVIEWED)
    admin = api_as(AdminFactory())
    assert admin.post(f"/api/v1/dealer-applications/{application.pk}/reject/", {}, format="json").status_code == 400
    response = admin.post(f"/api/v1/dealer-applications/{application.pk}/reject/", {"reason": "Retail shop"}, format="json")
    assert response.status_code == 200 and response.json()["rejection_reason"] == "Retail shop"
    assert api_as(DealerUserFactory()).get("/api/v1/dealer-applications/").status_code == 403


def test_dealers_patch_rep_by_a_manager_reassigns_with_history_and_null_is_refused(api_as):
    dealer = DealerFactory()
    new_rep = RepFactory()
    client = api_as(ManagerFactory(regions=[dealer.region]))
    response = client.patch(f"/api/v1/dealers/{dealer.pk}/", {"rep": new_rep.pk, "rep_reason": "Closer to the market"}, format="json")
    assert response.status_code == 200 and response.json()["rep"] == new_rep.pk
    assert dealer.rep_assignments.get().reason == "Closer to the market"
    assert client.patch(f"/api/v1/dealers/{dealer.pk}/", {"rep": None}, format="json").status_code == 400
    assert api_as(new_rep).patch(f"/api/v1/dealers/{dealer.pk}/", {"rep": RepFactory().pk}, format="json").status_code == 403
