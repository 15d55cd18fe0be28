"""The promotions API: scope (404), roles (403), status conflicts (409), bad
input (400, nothing saved) and bounded queries on the lists."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from promotions import services
from promotions.models import Attendee, Campaign, CampaignStatus, Interest, LeadFollowUp, PreparationTask
from promotions.tests.factories import AttendeeFactory, CampaignFactory, LeadFollowUpFactory, PreparationTaskFactory

pytestmark = pytest.mark.django_db

BASE = "/api/v1/promotions/"


def payload(world, **changes):
    data = {
        "name": "Trade show 2027", "type": "trade_show", "theme": "Meet the new range",
        "objective_kind": "leads", "objective_target": "50",
        "start_date": str(world.today + datetime.timedelta(days=40)),
        "end_date": str(world.today + datetime.timedelta(days=42)),
        "regions": [world.city.pk], "dealers": [world.dealer.pk],
        "products": [{"product": world.product.pk}],
        "budget": "20000.00", "manufacturer_cost": "15000.00", "dealer_cost": "5000.00",
    }
    data.update(changes)
    return data


# --- Campaigns ---------------------------------------------------------------------------------
def test_api_create_campaign_returns_the_draft_with_its_checklist(api_as, world):
    response = api_as(world.manager).post(BASE, payload(world), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "draft" and body["objective_kind"] == "leads" and body["objective_target"] == "50.00"
    assert body["task_progress"] == {"done": 0, "total": 5}
    assert body["products"][0]["sku"] == "TEA-500"
    assert body["objective"]["measured"] is True and body["objective"]["actual"] == "0.00"


def test_api_create_without_objective_is_400_and_saves_nothing(api_as, world):
    response = api_as(world.manager).post(BASE, payload(world, objective_kind="", objective_target=None), format="json")
    assert response.status_code == 400
    assert response.json()["objective_kind"] == [str(services.NO_OBJECTIVE)]
    assert not Campaign.objects.filter(name="Trade show 2027").exists()


def test_api_create_with_a_dealer_outside_scope_is_400(api_as, world):
    response = api_as(world.manager).post(BASE, payload(world, dealers=[world.outsider.pk]), format="json")
    assert response.status_code == 400 and "dealers" in response.json()


def test_api_create_by_a_dealer_user_is_403(api_as, world):
    assert api_as(world.dealer_user).post(BASE, payload(world), format="json").status_code == 403


def test_api_list_in_scope_with_filters(api_as, world):
    CampaignFactory(name="Jiangsu fair", regions=[world.elsewhere], status=CampaignStatus.APPROVED)
    body = api_as(world.rep).get(BASE).json()
    assert [row["name"] for row in body["results"]] == ["Autumn tasting"]
    body = api_as(world.admin).get(BASE, {"status": "approved"}).json()
    assert [row["name"] for row in body["results"]] == ["Jiangsu fair"]
    body = api_as(world.admin).get(BASE, {"dealer": world.dealer.pk, "active_on": str(world.today)}).json()
    assert [row["name"] for row in body["results"]] == ["Autumn tasting"]


@pytest.mark.parametrize("count", [3, 40])
def test_api_list_runs_bounded_queries(api_as, world, django_assert_max_num_queries, count):
    for index in range(count):
        campaign = CampaignFactory(name=f"C{index}", regions=[world.city], dealers=[world.dealer], products=[world.product])
        PreparationTaskFactory(campaign=campaign)
    client = api_as(world.manager)
    with django_assert_max_num_queries(10):
        response = client.get(BASE, {"page_size": 100})
    assert response.status_code == 200 and response.json()["count"] == count + 1


def test_api_dealer_user_sees_its_campaigns_without_internals(api_as, world):
    CampaignFactory(name="Draft", regions=[world.city], status=CampaignStatus.DRAFT)
    body = api_as(world.dealer_user).get(BASE).json()
    assert [row["name"] for row in body["results"]] == ["Autumn tasting"]
    assert "budget" not in body["results"][0] and "owner" not in body["results"][0]
    assert api_as(world.outsider_user).get(f"{BASE}{world.campaign.pk}/").status_code == 404


def test_api_detail_outside_scope_is_404(api_as, world):
    assert api_as(world.other_manager).get(f"{BASE}{world.campaign.pk}/").status_code == 404
    assert api_as(world.outsider_rep).post(f"{BASE}{world.campaign.pk}/end/").status_code == 404


def test_api_approve_then_conflict(api_as, world):
    draft = CampaignFactory(status=CampaignStatus.DRAFT, regions=[world.city], owner=world.rep,
                            start_date=world.today + datetime.timedelta(days=5),
                            end_date=world.today + datetime.timedelta(days=6))
    assert api_as(world.rep).post(f"{BASE}{draft.pk}/approve/").status_code == 403
    client = api_as(world.manager)
    response = client.post(f"{BASE}{draft.pk}/approve/")
    assert response.status_code == 200 and response.json()["status"] == "approved"
    response = client.post(f"{BASE}{draft.pk}/approve/")
    assert response.status_code == 409
    assert response.json()["detail"] == "This step is not possible while the campaign is Approved."
    assert client.post(f"{BASE}{draft.pk}/start/").status_code == 409  # before its start date


def test_api_patch_a_draft_and_a_running_campaign(api_as, world):
    draft = CampaignFactory(status=CampaignStatus.DRAFT, regions=[world.city], owner=world.manager, products=[world.product])
    client = api_as(world.manager)
    response = client.patch(f"{BASE}{draft.pk}/", {"theme": "Changed", "dealer_cost": "2000.00",
                                                   "manufacturer_cost": "8000.00"}, format="json")
    assert response.status_code == 200 and response.json()["theme"] == "Changed", response.json()
    response = client.patch(f"{BASE}{world.campaign.pk}/", {"theme": "Too late"}, format="json")
    assert response.status_code == 409


# --- Tasks ---------------------------------------------------------------------------------------
def test_api_tasks_add_and_check_off(api_as, world):
    client = api_as(world.manager)
    response = client.post(f"{BASE}{world.campaign.pk}/tasks/", {"title": "Book buses", "due_date": str(world.today)},
                           format="json")
    assert response.status_code == 201
    task_id = response.json()["id"]
    response = client.patch(f"{BASE}{world.campaign.pk}/tasks/{task_id}/", {"done": True}, format="json")
    assert response.status_code == 200 and response.json()["done"] is True
    assert [task["title"] for task in client.get(f"{BASE}{world.campaign.pk}/tasks/").json()] == ["Book buses"]


def test_api_tasks_are_not_for_dealer_users(api_as, world):
    assert api_as(world.dealer_user).get(f"{BASE}{world.campaign.pk}/tasks/").status_code == 403


def test_api_task_of_another_campaign_is_404(api_as, world):
    other = PreparationTaskFactory(campaign=CampaignFactory(regions=[world.city]))
    response = api_as(world.manager).patch(f"{BASE}{world.campaign.pk}/tasks/{other.pk}/", {"done": True}, format="json")
    assert response.status_code == 404 and not PreparationTask.objects.get(pk=other.pk).is_done


# --- Attendees, import, assignment --------------------------------------------------------------------
def test_api_record_attendee_and_refuse_a_bad_one(api_as, world):
    client = api_as(world.rep)
    response = client.post(f"{BASE}{world.campaign.pk}/attendees/", {"name": "Li Na", "phone": "13900000001",
                                                                     "interest": "hot"}, format="json")
    assert response.status_code == 201 and response.json()["is_lead"] is True
    response = client.post(f"{BASE}{world.campaign.pk}/attendees/", {"name": "", "phone": "13900000001"}, format="json")
    assert response.status_code == 400
    assert response.json() == {"name": [str(services.NAME_REQUIRED)], "phone": [str(services.PHONE_TAKEN)]}
    assert Attendee.objects.count() == 1


def test_api_correct_an_attendee(api_as, world):
    attendee = AttendeeFactory(campaign=world.campaign, recorded_by=world.rep, name="Wnag")
    response = api_as(world.rep).patch(f"{BASE}{world.campaign.pk}/attendees/{attendee.pk}/", {"name": "Wang"},
                                       format="json")
    assert response.status_code == 200 and response.json()["name"] == "Wang"
    response = api_as(world.rep_2).patch(f"{BASE}{world.campaign.pk}/attendees/{attendee.pk}/", {"name": "X"},
                                         format="json")
    assert response.status_code == 403


@pytest.mark.parametrize("count", [3, 40])
def test_api_attendee_list_runs_bounded_queries_and_filters(api_as, world, django_assert_max_num_queries, count):
    AttendeeFactory.create_batch(count, campaign=world.campaign, interest=Interest.HOT)
    AttendeeFactory(campaign=world.campaign, interest=Interest.NONE, name="Solo visitor")
    client = api_as(world.manager)
    with django_assert_max_num_queries(10):
        body = client.get(f"{BASE}{world.campaign.pk}/attendees/", {"is_lead": "true", "page_size": 100}).json()
    assert body["count"] == count and "Solo visitor" not in {row["name"] for row in body["results"]}
    assert client.get(f"{BASE}{world.campaign.pk}/attendees/", {"search": "solo"}).json()["count"] == 1


def test_api_attendees_are_not_for_finance_or_dealers(api_as, world):
    from accounts.tests.factories import FinanceFactory

    assert api_as(FinanceFactory()).get(f"{BASE}{world.campaign.pk}/attendees/").status_code == 403
    assert api_as(world.dealer_user).get(f"{BASE}{world.campaign.pk}/attendees/").status_code == 403


def test_api_import_reports_rows_and_saves_nothing(api_as, world):
    upload = SimpleUploadedFile("people.csv", b"name,phone\nLi,13900000001\nZhao,\n")
    response = api_as(world.rep).post(f"{BASE}{world.campaign.pk}/attendees/import/", {"file": upload}, format="multipart")
    assert response.status_code == 400
    assert response.json() == {"rows": [{"row": 3, "field": "phone", "message": str(services.PHONE_REQUIRED)}]}
    assert not Attendee.objects.exists()
    upload = SimpleUploadedFile("people.csv", b"name,phone\nLi,13900000001\nZhao,13900000002\n")
    response = api_as(world.rep).post(f"{BASE}{world.campaign.pk}/attendees/import/", {"file": upload}, format="multipart")
    assert response.status_code == 201 and response.json() == {"created": 2}


def test_api_assignments(api_as, world):
    lead = AttendeeFactory(campaign=world.campaign)
    client = api_as(world.manager)
    response = client.post(f"{BASE}{world.campaign.pk}/assignments/",
                           {"assignments": [{"attendee": lead.pk, "rep": world.rep.pk}]}, format="json")
    assert response.status_code == 200 and response.json() == {"changed": 1}
    response = client.post(f"{BASE}{world.campaign.pk}/assignments/",
                           {"assignments": [{"attendee": lead.pk, "rep": world.outsider_rep.pk}]}, format="json")
    assert response.status_code == 400
    lead.refresh_from_db()
    assert lead.assigned_to == world.rep


# --- Leads and follow-ups -----------------------------------------------------------------------------
def test_api_rep_lists_and_follows_up_their_leads(api_as, world):
    mine = AttendeeFactory(campaign=world.campaign, assigned_to=world.rep)
    AttendeeFactory(campaign=world.campaign, assigned_to=world.rep_2)
    client = api_as(world.rep)
    body = client.get(f"{BASE}leads/", {"followed_up": "false"}).json()
    assert [row["id"] for row in body["results"]] == [mine.pk]
    response = client.post(f"{BASE}leads/{mine.pk}/follow-ups/",
                           {"outcome": "interested", "note": "Sent the price list", "channel": "wechat"}, format="json")
    assert response.status_code == 201 and response.json()["by"] == world.rep.pk
    assert client.get(f"{BASE}leads/", {"followed_up": "false"}).json()["count"] == 0


def test_api_follow_up_on_a_lead_assigned_to_someone_else_is_404(api_as, world):
    theirs = AttendeeFactory(campaign=world.campaign, assigned_to=world.rep_2)
    response = api_as(world.rep).post(f"{BASE}leads/{theirs.pk}/follow-ups/",
                                      {"outcome": "interested", "note": "x"}, format="json")
    assert response.status_code == 404 and not LeadFollowUp.objects.exists()


def test_api_manager_reads_follow_ups_but_may_not_log(api_as, world):
    lead = AttendeeFactory(campaign=world.campaign, assigned_to=world.rep)
    LeadFollowUpFactory(attendee=lead)
    client = api_as(world.manager)
    assert len(client.get(f"{BASE}leads/{lead.pk}/follow-ups/").json()) == 1
    assert client.post(f"{BASE}leads/{lead.pk}/follow-ups/", {"outcome": "interested", "note": "x"},
                       format="json").status_code == 403


@pytest.mark.parametrize("count", [3, 40])
def test_api_lead_list_runs_bounded_queries(api_as, world, django_assert_max_num_queries, count):
    for lead in AttendeeFactory.create_batch(count, campaign=world.campaign, assigned_to=world.rep):
        LeadFollowUpFactory(attendee=lead)
    client = api_as(world.manager)
    with django_assert_max_num_queries(8):
        assert client.get(f"{BASE}leads/", {"page_size": 100}).json()["count"] == count


# --- Review and effect ----------------------------------------------------------------------------------
def test_api_review_closes_the_campaign(api_as, world):
    client = api_as(world.manager)
    assert client.get(f"{BASE}{world.campaign.pk}/review/").status_code == 404
    assert client.put(f"{BASE}{world.campaign.pk}/review/", {"what_worked": "a", "what_did_not_work": "b",
                                                           "lessons": "c"}, format="json").status_code == 409
    Campaign.objects.filter(pk=world.campaign.pk).update(status=CampaignStatus.ENDED)
    response = client.put(f"{BASE}{world.campaign.pk}/review/", {"what_worked": "", "what_did_not_work": "b",
                                                               "lessons": "c"}, format="json")
    assert response.status_code == 400 and response.json()["what_worked"] == [str(services.REVIEW_PART_REQUIRED)]
    response = client.put(f"{BASE}{world.campaign.pk}/review/", {"what_worked": "a", "what_did_not_work": "b",
                                                               "lessons": "c"}, format="json")
    assert response.status_code == 201 and response.json()["lessons"] == "c"
    assert client.get(f"{BASE}{world.campaign.pk}/").json()["status"] == "reviewed"


def test_api_effect(api_as, world):
    from inventory.tests.factories import OrderFactory, ShipmentFactory, ShipmentLineFactory

    order = OrderFactory(dealer=world.dealer, lines=[(world.product, 12)])
    ShipmentLineFactory(shipment=ShipmentFactory(dealer=world.dealer, order=order), product=world.product, quantity=12)
    body = api_as(world.manager).get(f"{BASE}{world.campaign.pk}/effect/").json()
    assert body["totals"]["quantity"] == {"before": "0.00", "during": "12.00", "change": "12.00", "ratio": None}
    assert body["rows"] == [{
        "dealer": world.dealer.pk, "product": world.product.pk,
        "quantity": {"before": "0.00", "during": "12.00", "change": "12.00", "ratio": None},
        "amount": {"before": "0.00", "during": "660.00", "change": "660.00", "ratio": None},
    }]
    assert body["objective"]["actual"] == "12.00"
    assert api_as(world.dealer_user).get(f"{BASE}{world.campaign.pk}/effect/").status_code == 403


def test_api_list_filters_as_the_page_does_when_and_q(api_as, world):
    """The page's filters are the API's (promotions.filters.CampaignFilter): when= and q= too."""
    CampaignFactory(name="Winter draft", regions=[world.city], status=CampaignStatus.DRAFT,
                    start_date=world.today + datetime.timedelta(days=30), end_date=world.today + datetime.timedelta(days=31))
    client = api_as(world.manager)
    assert [row["name"] for row in client.get(BASE, {"when": "upcoming"}).json()["results"]] == ["Winter draft"]
    assert [row["name"] for row in client.get(BASE, {"when": "current", "q": "autumn"}).json()["results"]] == [
        "Autumn tasting"]
    assert client.get(BASE, {"when": "someday"}).status_code == 400
