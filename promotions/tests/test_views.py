"""Pages: scope (404 outside), roles (403), the forms refusing bad input, and
bounded queries on the lists."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from common.sections import sections_for
from promotions import services
from promotions.models import (
    Attendee,
    Campaign,
    CampaignStatus,
    Interest,
    LeadFollowUp,
    ObjectiveKind,
    PreparationTask,
)
from promotions.tests.factories import AttendeeFactory, CampaignFactory, PreparationTaskFactory

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(f"promotions:{name}", args=args)


def campaign_post(world, **changes):
    data = {
        "name": "Spring launch", "type": "conference", "theme": "New flavours", "objective_kind": "leads",
        "objective_target": "40", "start_date": str(world.today + datetime.timedelta(days=20)),
        "end_date": str(world.today + datetime.timedelta(days=20)), "venue": "Hangzhou Hotel",
        "regions": [world.city.pk], "budget": "5000", "manufacturer_cost": "4000", "dealer_cost": "1000",
        "materials": "Banners", "description": "",
        "products-TOTAL_FORMS": "1", "products-INITIAL_FORMS": "0", "products-MIN_NUM_FORMS": "0",
        "products-MAX_NUM_FORMS": "100", "products-0-product": "", "products-0-promotion_price": "",
        "products-0-expected_volume": "",
    }
    data.update(changes)
    return data


# --- Lists and scope ------------------------------------------------------------------------------
def test_campaign_list_shows_the_campaigns_in_scope(client, world):
    CampaignFactory(name="Jiangsu fair", regions=[world.elsewhere])
    client.force_login(world.rep)
    html = client.get(url("list")).content.decode()
    assert "Autumn tasting" in html and "Jiangsu fair" not in html


def test_campaign_list_filters_and_searches(client, world):
    CampaignFactory(name="Winter draft", regions=[world.city], status=CampaignStatus.DRAFT)
    client.force_login(world.manager)
    html = client.get(url("list"), {"status": "draft"}).content.decode()
    assert "Winter draft" in html and "Autumn tasting" not in html
    html = client.get(url("list"), {"q": "autumn", "when": "current"}).content.decode()
    assert "Autumn tasting" in html and "Winter draft" not in html


@pytest.mark.parametrize("count", [3, 30])
def test_campaign_list_runs_bounded_queries(client, world, django_assert_max_num_queries, count):
    for index in range(count):
        campaign = CampaignFactory(name=f"C{index}", regions=[world.city])
        PreparationTaskFactory(campaign=campaign)
        AttendeeFactory(campaign=campaign)
    client.force_login(world.manager)
    with django_assert_max_num_queries(13):  # + the menu's figures (one query)
        assert client.get(url("list")).status_code == 200


def test_campaign_detail_outside_scope_is_404(client, world):
    client.force_login(world.outsider_rep)
    assert client.get(url("detail", world.campaign.pk)).status_code == 404
    client.force_login(world.outsider_user)
    assert client.get(url("detail", world.campaign.pk)).status_code == 404


def test_campaign_detail_for_staff_shows_objective_tasks_and_clock(client, world):
    PreparationTaskFactory(campaign=world.campaign, title="Book the venue")
    client.force_login(world.manager)
    html = client.get(url("detail", world.campaign.pk)).content.decode()
    assert "Book the venue" in html and 'data-testid="follow-up-clock"' in html and "0 of 1 done" in html
    assert "End event" in html


def test_campaign_detail_for_a_dealer_user_hides_the_internals(client, world):
    client.force_login(world.dealer_user)
    response = client.get(url("detail", world.campaign.pk))
    html = response.content.decode()
    assert response.status_code == 200 and "Autumn tasting" in html
    assert 'data-testid="follow-up-clock"' not in html and "Manufacturer&#x27;s share" not in html


def test_dealer_user_sees_no_attendees_effect_or_leads(client, world):
    client.force_login(world.dealer_user)
    for page in (url("attendees", world.campaign.pk), url("effect", world.campaign.pk), url("my_leads"),
                 url("assign", world.campaign.pk), url("export", world.campaign.pk)):
        assert client.get(page).status_code == 404, page


# --- Creating and approving -----------------------------------------------------------------------
def test_campaign_create_page_drafts_with_the_default_checklist(client, world):
    client.force_login(world.manager)
    response = client.post(url("create"), campaign_post(world))
    campaign = Campaign.objects.get(name="Spring launch")
    assert response.status_code == 302 and response.url == url("detail", campaign.pk)
    assert campaign.status == CampaignStatus.DRAFT and campaign.owner == world.manager
    assert list(campaign.regions.all()) == [world.city]
    assert PreparationTask.objects.filter(campaign=campaign, title="Rehearsal").exists()


def test_campaign_create_page_without_objective_saves_nothing(client, world):
    client.force_login(world.manager)
    response = client.post(url("create"), campaign_post(world, objective_kind="", objective_target=""))
    assert response.status_code == 200
    assert str(services.NO_OBJECTIVE) in response.content.decode()
    assert not Campaign.objects.filter(name="Spring launch").exists()


def test_campaign_create_page_shows_every_problem_at_once(client, world):
    client.force_login(world.manager)
    response = client.post(url("create"), campaign_post(
        world, objective_target="0", end_date=str(world.today), start_date=str(world.today + datetime.timedelta(days=3)),
        dealer_cost="500",
    ))
    html = response.content.decode()
    for message in (services.TARGET_NOT_POSITIVE, services.END_BEFORE_START):
        assert str(message) in html
    assert "must add up to the budget" in html
    assert not Campaign.objects.filter(name="Spring launch").exists()


def test_campaign_create_ka_slot_needs_priced_products(client, world):
    client.force_login(world.manager)
    response = client.post(url("create"), campaign_post(world, type="ka_slot", **{"products-0-product": str(world.product.pk)}))
    assert "give TEA-500 Green tea 500 ml its promotion supply price" in response.content.decode()
    response = client.post(url("create"), campaign_post(world, type="ka_slot", **{
        "products-0-product": str(world.product.pk), "products-0-promotion_price": "48.00",
        "products-0-expected_volume": "300",
    }))
    assert response.status_code == 302
    line = Campaign.objects.get(name="Spring launch").product_lines.get()
    assert (line.promotion_price, line.expected_volume) == (48, 300)


def test_rep_drafts_for_their_dealers_only(client, world):
    client.force_login(world.rep)
    data = campaign_post(world, dealers=[world.dealer.pk])
    del data["regions"]
    assert client.post(url("create"), data).status_code == 302
    data["dealers"] = [world.outsider.pk]
    data["name"] = "Sneaky"
    response = client.post(url("create"), data)
    assert response.status_code == 200 and not Campaign.objects.filter(name="Sneaky").exists()


@pytest.mark.parametrize("role", ["dealer_user", "admin_finance"])
def test_campaign_create_page_refuses_roles_that_may_not(client, world, role):
    from accounts.tests.factories import FinanceFactory

    client.force_login(world.dealer_user if role == "dealer_user" else FinanceFactory())
    assert client.get(url("create")).status_code == 403


def test_manager_approves_a_draft_and_it_follows_its_dates(client, world):
    draft = CampaignFactory(status=CampaignStatus.DRAFT, regions=[world.city], owner=world.rep,
                            start_date=world.today, end_date=world.today)
    client.force_login(world.manager)
    response = client.post(url("transition", draft.pk, "approve"))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == CampaignStatus.RUNNING and draft.approved_by == world.manager


def test_rep_cannot_approve(client, world):
    draft = CampaignFactory(status=CampaignStatus.DRAFT, dealers=[world.dealer], owner=world.rep)
    client.force_login(world.rep)
    assert client.post(url("transition", draft.pk, "approve")).status_code == 403


def test_transition_not_allowed_from_the_status_shows_a_message(client, world):
    client.force_login(world.manager)
    response = client.post(url("transition", world.campaign.pk, "approve"), follow=True)
    assert "This step is not possible while the campaign is Running." in response.content.decode()


def test_edit_page_changes_a_draft(client, world):
    draft = CampaignFactory(status=CampaignStatus.DRAFT, regions=[world.city], owner=world.manager, name="Old")
    client.force_login(world.manager)
    response = client.post(url("edit", draft.pk), campaign_post(world, name="New name"))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.name == "New name"


def test_edit_page_of_a_running_campaign_is_refused(client, world):
    client.force_login(world.manager)
    assert client.get(url("edit", world.campaign.pk)).status_code == 403


# --- Tasks -------------------------------------------------------------------------------------
def test_task_toggle_with_htmx_swaps_the_list(client, world):
    task = PreparationTaskFactory(campaign=world.campaign, title="Stock ready")
    client.force_login(world.manager)
    response = client.post(url("task_toggle", world.campaign.pk, task.pk), HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "1 of 1 done" in response.content.decode()
    task.refresh_from_db()
    assert task.is_done and task.done_by == world.manager


def test_task_owner_may_check_off_but_others_may_not(client, world):
    task = PreparationTaskFactory(campaign=world.campaign, owner=world.rep)
    client.force_login(world.rep_2)
    assert client.post(url("task_toggle", world.campaign.pk, task.pk)).status_code == 403
    client.force_login(world.rep)
    assert client.post(url("task_toggle", world.campaign.pk, task.pk)).status_code == 302
    task.refresh_from_db()
    assert task.is_done


def test_task_add_page(client, world):
    client.force_login(world.manager)
    client.post(url("task_add", world.campaign.pk), {"title": "Print flyers", "due_date": str(world.today),
                                                    "owner": world.rep.pk})
    assert PreparationTask.objects.get(title="Print flyers").owner == world.rep


# --- Attendees at the event ---------------------------------------------------------------------
def test_attendee_fast_form_saves_and_returns_to_an_empty_form(client, world):
    client.force_login(world.rep)
    response = client.post(url("attendees", world.campaign.pk), {
        "name": "Wang Fang", "phone": "138 0013 8000", "company": "Fang's Shop", "interest": "hot", "email": "",
    }, follow=True)
    assert "Saved: Wang Fang." in response.content.decode()
    attendee = Attendee.objects.get()
    assert attendee.phone == "13800138000" and attendee.recorded_by == world.rep and attendee.interest == Interest.HOT


def test_attendee_without_name_or_phone_is_refused(client, world):
    client.force_login(world.rep)
    response = client.post(url("attendees", world.campaign.pk), {"name": "", "phone": "", "interest": "warm"})
    html = response.content.decode()
    assert str(services.NAME_REQUIRED).replace("'", "&#x27;") in html
    assert str(services.PHONE_REQUIRED).replace("'", "&#x27;") in html
    assert not Attendee.objects.exists()


def test_attendee_edit_page_corrects_a_person(client, world):
    attendee = AttendeeFactory(campaign=world.campaign, recorded_by=world.rep, name="Wnag")
    client.force_login(world.rep_2)
    assert client.get(url("attendee_edit", world.campaign.pk, attendee.pk)).status_code == 403
    client.force_login(world.rep)
    response = client.post(url("attendee_edit", world.campaign.pk, attendee.pk), {
        "name": "Wang", "phone": attendee.phone, "company": "", "interest": "hot", "email": "", "note": "",
    })
    assert response.status_code == 302
    attendee.refresh_from_db()
    assert (attendee.name, attendee.interest) == ("Wang", Interest.HOT)


@pytest.mark.parametrize("count", [3, 40])
def test_attendee_page_runs_bounded_queries(client, world, django_assert_max_num_queries, count):
    AttendeeFactory.create_batch(count, campaign=world.campaign, assigned_to=world.rep)
    client.force_login(world.manager)
    with django_assert_max_num_queries(14):
        assert client.get(url("attendees", world.campaign.pk)).status_code == 200


def test_attendee_import_page_reports_bad_rows_and_saves_nothing(client, world):
    client.force_login(world.rep)
    csv = "name,phone,company,interest\nLi Na,13900000001,Shop A,hot\n,13900000002,Shop B,warm\nZhao,123,Shop C,maybe\n"
    response = client.post(url("import", world.campaign.pk), {"file": SimpleUploadedFile("leads.csv", csv.encode())})
    html = response.content.decode()
    assert "Nothing was imported: 3 problems in the file." in html
    assert not Attendee.objects.exists()


def test_attendee_import_page_imports_a_good_file(client, world):
    client.force_login(world.rep)
    csv = "姓名,电话,公司,意向\n李娜,139 0000 0001,百顺,高\n赵强,13900000002,,无\n".encode("gb18030")
    response = client.post(url("import", world.campaign.pk), {"file": SimpleUploadedFile("leads.csv", csv)})
    assert response.status_code == 302
    assert dict(Attendee.objects.values_list("name", "interest")) == {"李娜": "hot", "赵强": "none"}


def test_leads_export_is_a_csv_of_the_campaign_people(client, world):
    AttendeeFactory(campaign=world.campaign, name="Wang Fang", interest=Interest.HOT, assigned_to=world.rep)
    AttendeeFactory(campaign=CampaignFactory(regions=[world.city]), name="Other campaign")
    client.force_login(world.manager)
    response = client.get(url("export", world.campaign.pk))
    body = b"".join(response.streaming_content).decode()
    assert response["Content-Type"].startswith("text/csv")
    assert "Wang Fang" in body and "Other campaign" not in body and "Hot" in body


def test_leads_export_outside_scope_is_404(client, world):
    client.force_login(world.other_manager)
    assert client.get(url("export", world.campaign.pk)).status_code == 404


# --- Assignment and follow-up ------------------------------------------------------------------------
def test_assign_page_gives_leads_to_reps(client, world):
    lead = AttendeeFactory(campaign=world.campaign, interest=Interest.HOT)
    other = AttendeeFactory(campaign=world.campaign, interest=Interest.WARM)
    AttendeeFactory(campaign=world.campaign, interest=Interest.NONE, name="Just a guest")
    client.force_login(world.manager)
    page = client.get(url("assign", world.campaign.pk)).content.decode()
    assert "Just a guest" not in page and "2 leads waiting for a rep" in page
    response = client.post(url("assign", world.campaign.pk), {f"rep-{lead.pk}": world.rep.pk, f"rep-{other.pk}": ""})
    assert response.status_code == 302
    lead.refresh_from_db()
    assert lead.assigned_to == world.rep and lead.assigned_by == world.manager
    client.post(url("assign", world.campaign.pk), {"pick": [lead.pk, other.pk], "bulk_rep": world.rep_2.pk})
    assert set(Attendee.objects.leads().values_list("assigned_to", flat=True)) == {world.rep_2.pk}


@pytest.mark.parametrize("count", [3, 40])
def test_assign_page_runs_bounded_queries(client, world, django_assert_max_num_queries, count):
    AttendeeFactory.create_batch(count, campaign=world.campaign, assigned_to=world.rep)
    AttendeeFactory.create_batch(count, campaign=world.campaign)
    client.force_login(world.manager)
    with django_assert_max_num_queries(13):  # + the menu's figures (one query)
        assert client.get(url("assign", world.campaign.pk)).status_code == 200


def test_assign_page_refuses_a_rep_outside_the_managers_reach(client, world):
    lead = AttendeeFactory(campaign=world.campaign)
    client.force_login(world.manager)
    response = client.post(url("assign", world.campaign.pk), {f"rep-{lead.pk}": world.outsider_rep.pk})
    assert str(services.ASSIGN_REP_NOT_ALLOWED) in response.content.decode()
    lead.refresh_from_db()
    assert lead.assigned_to is None


def test_assign_page_is_for_those_who_manage_the_campaign(client, world):
    client.force_login(world.rep)
    assert client.get(url("assign", world.campaign.pk)).status_code == 403


def test_rep_logs_a_follow_up_on_their_lead(client, world):
    lead = AttendeeFactory(campaign=world.campaign, assigned_to=world.rep)
    client.force_login(world.rep)
    assert lead.name in client.get(url("my_leads")).content.decode()
    response = client.post(url("lead", lead.pk), {"channel": "call", "outcome": "interested", "note": "Wants samples"})
    assert response.status_code == 302
    assert LeadFollowUp.objects.get().by == world.rep
    assert lead.name not in client.get(url("my_leads")).content.decode()  # no longer waiting
    assert lead.name in client.get(url("my_leads"), {"state": "done"}).content.decode()


def test_follow_up_on_a_lead_assigned_to_someone_else_is_404(client, world):
    lead = AttendeeFactory(campaign=world.campaign, assigned_to=world.rep)
    client.force_login(world.rep_2)
    response = client.post(url("lead", lead.pk), {"channel": "call", "outcome": "interested", "note": "Sneaky"})
    assert response.status_code == 404 and not LeadFollowUp.objects.exists()


def test_manager_sees_a_lead_but_may_not_log_its_follow_up(client, world):
    lead = AttendeeFactory(campaign=world.campaign, assigned_to=world.rep)
    client.force_login(world.manager)
    assert client.get(url("lead", lead.pk)).status_code == 200
    assert client.post(url("lead", lead.pk), {"channel": "call", "outcome": "interested", "note": "x"}).status_code == 403


def test_follow_up_without_a_note_is_refused(client, world):
    lead = AttendeeFactory(campaign=world.campaign, assigned_to=world.rep)
    client.force_login(world.rep)
    response = client.post(url("lead", lead.pk), {"channel": "call", "outcome": "interested", "note": ""})
    assert str(services.FOLLOW_UP_NOTE_REQUIRED) in response.content.decode() and not LeadFollowUp.objects.exists()


@pytest.mark.parametrize("count", [3, 40])
def test_my_leads_runs_bounded_queries(client, world, django_assert_max_num_queries, count):
    AttendeeFactory.create_batch(count, campaign=world.campaign, assigned_to=world.rep)
    client.force_login(world.rep)
    with django_assert_max_num_queries(10):
        assert client.get(url("my_leads")).status_code == 200


# --- Review and effect ------------------------------------------------------------------------
def test_review_page_closes_an_ended_campaign(client, world):
    Campaign.objects.filter(pk=world.campaign.pk).update(status=CampaignStatus.ENDED)
    client.force_login(world.manager)
    response = client.post(url("review", world.campaign.pk), {
        "what_worked": "Tastings", "what_did_not_work": "Late stock", "lessons": "Ship earlier",
    })
    assert response.status_code == 302
    world.campaign.refresh_from_db()
    assert world.campaign.status == CampaignStatus.REVIEWED and world.campaign.review.lessons == "Ship earlier"


def test_review_page_without_the_parts_saves_nothing(client, world):
    Campaign.objects.filter(pk=world.campaign.pk).update(status=CampaignStatus.ENDED)
    client.force_login(world.manager)
    response = client.post(url("review", world.campaign.pk), {"what_worked": "", "what_did_not_work": "", "lessons": ""})
    assert str(services.REVIEW_PART_REQUIRED) in response.content.decode()
    world.campaign.refresh_from_db()
    assert world.campaign.status == CampaignStatus.ENDED


def test_review_page_for_new_dealers_asks_the_actual(client, world):
    Campaign.objects.filter(pk=world.campaign.pk).update(status=CampaignStatus.ENDED,
                                                         objective_kind=ObjectiveKind.NEW_DEALERS)
    client.force_login(world.manager)
    response = client.post(url("review", world.campaign.pk), {
        "objective_actual": "", "what_worked": "a", "what_did_not_work": "b", "lessons": "c",
    })
    assert str(services.REVIEW_ACTUAL_REQUIRED) in response.content.decode()


def test_effect_page_renders_the_chart_data(client, world):
    from inventory.tests.factories import OrderFactory, ShipmentFactory, ShipmentLineFactory

    order = OrderFactory(dealer=world.dealer, lines=[(world.product, 12)])
    shipment = ShipmentFactory(dealer=world.dealer, order=order)
    ShipmentLineFactory(shipment=shipment, product=world.product, quantity=12)
    client.force_login(world.manager)
    html = client.get(url("effect", world.campaign.pk)).content.decode()
    assert 'id="effect-data"' in html and "chart.umd.min.js" in html and "Baishun Trading" in html
    assert '"during": [12]' in html


# --- Sections on other apps' pages ------------------------------------------------------------
def promotions_sections(page, **kwargs):
    return [section for section in sections_for(page, **kwargs) if section.template.startswith("promotions/")]


def test_dealer_detail_section_lists_the_dealers_campaigns_for_the_viewer(rf, world):
    CampaignFactory(name="Jiangsu fair", regions=[world.elsewhere])
    request = rf.get("/")
    request.user = world.rep
    [section] = promotions_sections("dealer_detail", request=request, dealer=world.dealer)
    assert [campaign.name for campaign in section.context["campaigns"]] == ["Autumn tasting"]


def test_portal_section_lists_live_campaigns_with_promotion_prices(client, rf, world):
    CampaignFactory(name="Draft plan", regions=[world.city], status=CampaignStatus.DRAFT)
    request = rf.get("/")
    request.user = world.dealer_user
    [section] = promotions_sections("portal_home", request=request, dealer=world.dealer)
    assert [campaign.name for campaign in section.context["campaigns"]] == ["Autumn tasting"]
    from django.template.loader import render_to_string

    html = render_to_string(section.template, {**section.context, "section": section})
    assert "Green tea 500 ml" in html and "Now" in html


def test_pages_speak_chinese(client, world):
    world.manager.language = "zh-hans"
    world.manager.save(update_fields=["language"])
    AttendeeFactory(campaign=world.campaign, assigned_to=world.rep)
    client.force_login(world.manager)
    assert "筹备" in client.get(url("detail", world.campaign.pk)).content.decode()
    assert "到场人员与线索" in client.get(url("attendees", world.campaign.pk)).content.decode()
    assert "分配线索" in client.get(url("assign", world.campaign.pk)).content.decode()
    assert "对进货的效果" in client.get(url("effect", world.campaign.pk)).content.decode()
    response = client.post(url("create"), campaign_post(world, objective_kind="", objective_target=""))
    assert "每个活动必须有且只有一个带目标值的目标。" in response.content.decode()


def test_dealer_page_shows_the_dealers_campaigns(client, world):
    client.force_login(world.rep)
    html = client.get(reverse("dealers:detail", args=[world.dealer.pk])).content.decode()
    assert 'data-testid="dealer-campaigns"' in html and "Autumn tasting" in html


def test_portal_home_shows_my_promotions(client, world):
    client.force_login(world.dealer_user)
    html = client.get(reverse("portal:home")).content.decode()
    assert 'data-testid="portal-campaigns"' in html and "Autumn tasting" in html and "Green tea 500 ml" in html
    client.force_login(world.outsider_user)
    assert "Autumn tasting" not in client.get(reverse("portal:home")).content.decode()


def test_campaign_list_page_applies_the_filters_it_can_read(client, world):
    """The page filters with the API's FilterSet (promotions.filters.CampaignFilter)."""
    client.force_login(world.manager)
    html = client.get(url("list"), {"when": "past"}).content.decode()
    assert "Autumn tasting" not in html
    html = client.get(url("list"), {"when": "nonsense", "q": "autumn"}).content.decode()
    assert "Autumn tasting" in html  # a filter it cannot read is ignored, the others apply
