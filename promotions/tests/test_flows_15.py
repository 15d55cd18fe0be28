"""Flows mended (issue 15): a lead marked "becomes a prospect dealer" is a prospect in
one step; approving or ending a campaign with open preparation tasks warns and does
not block; the default checklist is shown in the reader's language."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from accounts.tests.factories import ManagerFactory
from dealers.models import Dealer, DealerStatus
from promotions import services
from promotions.calculations import DEFAULT_CHECKLISTS, checklist_title
from promotions.models import CampaignStatus, FollowUpOutcome, Interest, PreparationTask
from promotions.tests.factories import AttendeeFactory, CampaignFactory, PreparationTaskFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def lead(world):
    return AttendeeFactory(campaign=world.campaign, name="Wang Fang", phone="13800138000", company="Wang's Store",
                           email="wang@example.com", interest=Interest.HOT, assigned_to=world.rep,
                           assigned_at=timezone.now())


# --- A lead becomes a prospect dealer in one step --------------------------------------------------
def test_follow_up_becoming_a_prospect_creates_it_with_the_leads_details(world, lead):
    services.lead_follow_up_log(attendee=lead, by=world.rep, outcome=FollowUpOutcome.PROSPECT, note="Wants to sign")
    lead.refresh_from_db()
    prospect = lead.prospect
    assert prospect is not None and prospect.status == DealerStatus.PROSPECT
    assert (prospect.name, prospect.phone, prospect.decision_maker, prospect.region, prospect.rep) == (
        "Wang's Store", "13800138000", "Wang Fang", world.city, world.rep)
    assert prospect.onboarding.source == "campaign_lead"
    contact = prospect.contacts.get()
    assert (contact.name, contact.email, contact.is_primary) == ("Wang Fang", "wang@example.com", True)


def test_a_lead_already_a_prospect_is_not_made_twice(world, lead):
    for _ in range(2):
        services.lead_follow_up_log(attendee=lead, by=world.rep, outcome=FollowUpOutcome.PROSPECT, note="Again")
    assert Dealer.objects.filter(campaign_leads=lead).count() == 1
    assert services.lead_prospect_create(attendee=lead, by=world.rep) == Dealer.objects.get(campaign_leads=lead)


def test_a_prospect_without_a_region_to_go_to_asks_for_one_and_saves_nothing(world, lead):
    world.campaign.regions.set([world.city, world.elsewhere])  # two regions: no default
    with pytest.raises(ValidationError) as error:
        services.lead_follow_up_log(attendee=lead, by=world.rep, outcome=FollowUpOutcome.PROSPECT, note="Wants to sign")
    assert error.value.message_dict == {"prospect_region": [str(services.PROSPECT_REGION_REQUIRED)]}
    assert not lead.follow_ups.exists() and not Dealer.objects.filter(name="Wang's Store").exists()
    services.lead_follow_up_log(attendee=lead, by=world.rep, outcome=FollowUpOutcome.PROSPECT, note="Wants to sign",
                                prospect_region=world.elsewhere)
    lead.refresh_from_db()
    assert lead.prospect.region == world.elsewhere


def test_other_outcomes_make_no_prospect(world, lead):
    services.lead_follow_up_log(attendee=lead, by=world.rep, outcome=FollowUpOutcome.INTERESTED, note="Later")
    lead.refresh_from_db()
    assert lead.prospect is None


def test_lead_page_logs_a_prospect_and_opens_it(client, world, lead):
    client.force_login(world.rep)
    response = client.post(f"/promotions/leads/{lead.pk}/", {
        "channel": "call", "outcome": "prospect", "note": "Wants to sign", "prospect_region": world.city.pk,
    })
    lead.refresh_from_db()
    assert response.status_code == 302 and response.url == f"/dealers/{lead.prospect_id}/"
    body = client.get(response.url).content.decode()
    assert "Wang Fang" in body and f"/promotions/leads/{lead.pk}/" in body  # linked back to the lead
    assert f'href="/dealers/{lead.prospect_id}/"' in client.get(f"/promotions/leads/{lead.pk}/").content.decode()


def test_api_follow_up_becoming_a_prospect_names_it_on_the_lead(world, lead, api_as):
    client = api_as(world.rep)
    response = client.post(f"/api/v1/promotions/leads/{lead.pk}/follow-ups/",
                           {"outcome": "prospect", "note": "Wants to sign", "prospect_region": world.city.pk},
                           format="json")
    assert response.status_code == 201
    body = client.get(f"/api/v1/promotions/leads/{lead.pk}/").json()
    assert body["prospect"] == Dealer.objects.get(name="Wang's Store").pk


# --- Open preparation tasks: a warning, not a block -------------------------------------------------
def test_api_approve_with_open_tasks_succeeds_with_a_warning(world, api_as):
    campaign = CampaignFactory(owner=world.manager, regions=[world.city], status=CampaignStatus.DRAFT,
                               start_date=world.today + datetime.timedelta(days=10))
    PreparationTaskFactory(campaign=campaign, title="Book the hall")
    PreparationTaskFactory(campaign=campaign, title="Print flyers", done_at=timezone.now())
    response = api_as(world.manager).post(f"/api/v1/promotions/{campaign.pk}/approve/")
    assert response.status_code == 200 and response.json()["status"] == "approved"
    assert response.json()["warnings"] == ["1 of 2 preparation tasks are still open: Book the hall."]


def test_api_end_with_every_task_done_has_no_warning(world, api_as):
    PreparationTaskFactory(campaign=world.campaign, done_at=timezone.now())
    response = api_as(world.manager).post(f"/api/v1/promotions/{world.campaign.pk}/end/")
    assert response.status_code == 200 and response.json()["warnings"] == []


def test_page_end_with_open_tasks_ends_and_warns(client, world):
    PreparationTaskFactory(campaign=world.campaign, title="Collect the banners")
    client.force_login(world.manager)
    detail = client.get(f"/promotions/{world.campaign.pk}/").content.decode()
    assert "1 of 1 preparation tasks are still open. Go ahead anyway?" in detail  # asked before
    response = client.post(f"/promotions/{world.campaign.pk}/end/do/", follow=True)
    world.campaign.refresh_from_db()
    assert world.campaign.status == CampaignStatus.ENDED
    assert "1 of 1 preparation tasks are still open: Collect the banners." in response.content.decode()


# --- The default checklist in the reader's language ------------------------------------------------
def _campaign_by(author, world):
    start = world.today + datetime.timedelta(days=40)
    with translation.override(author.language or "en"):
        return services.campaign_create(by=author, name="Dealer evening", type="conference", theme="New flavours",
                                        objective_kind="leads", objective_target=10, start_date=start, end_date=start,
                                        regions=[world.city])


def test_default_tasks_keep_their_key_and_read_in_the_readers_language(world):
    campaign = _campaign_by(ManagerFactory(language="en", regions=[world.province]), world)
    keys = list(campaign.tasks.order_by("sort_order").values_list("template_key", flat=True))
    assert keys == [item.key for item in DEFAULT_CHECKLISTS["conference"]]
    venue = campaign.tasks.get(template_key="venue_booked")
    with translation.override("zh-hans"):
        assert venue.display_title == "预订场地" == checklist_title("venue_booked")
    with translation.override("en"):
        assert venue.display_title == "Book the venue"


def test_api_tasks_read_in_the_callers_language(world, api_as):
    campaign = _campaign_by(world.manager, world)
    chinese_manager = ManagerFactory(language="zh-hans", regions=[world.province])
    titles = [task["title"] for task in api_as(chinese_manager).get(f"/api/v1/promotions/{campaign.pk}/tasks/",
                                                                     HTTP_ACCEPT_LANGUAGE="zh-hans").json()]
    assert "彩排" in titles and "Rehearsal" not in titles


def test_a_renamed_default_task_is_shown_as_typed(world):
    campaign = _campaign_by(world.manager, world)
    task = campaign.tasks.get(template_key="rehearsal")
    services.preparation_task_update(task=task, by=world.manager, title="Full rehearsal with the band")
    task.refresh_from_db()
    assert task.template_key == "" and task.display_title == "Full rehearsal with the band"
    services.preparation_task_update(task=campaign.tasks.get(template_key="plan"), by=world.manager,
                                     title="Write the campaign plan")  # the same title: still the default task
    assert campaign.tasks.filter(template_key="plan").exists()


def test_task_due_reminder_names_the_task_in_the_recipients_language(world):
    owner = ManagerFactory(language="zh-hans", regions=[world.province])
    campaign = CampaignFactory(owner=owner, regions=[world.city], status=CampaignStatus.APPROVED,
                               start_date=world.today + datetime.timedelta(days=3))
    PreparationTask.objects.create(campaign=campaign, title="Rehearsal", template_key="rehearsal",
                                   due_date=world.today, owner=owner)
    services.follow_up_clock_run(today=world.today)
    notification = owner.notifications.get(kind="promotions.task")
    assert "彩排" in notification.title and "Rehearsal" not in notification.title
