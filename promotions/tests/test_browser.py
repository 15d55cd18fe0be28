"""A campaign from plan to review, as people do it: the manager creates and
approves it, the rep records leads at the event on a 360×740 phone, the manager
ends the event and assigns the leads, the rep logs a follow-up on the phone,
and the manager writes the review that closes the campaign."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.tests.factories import TEST_PASSWORD, ManagerFactory, RepFactory
from conftest import assert_no_sideways_scroll, browser_login
from dealers.tests.factories import DealerFactory
from promotions.models import Attendee, Campaign, CampaignStatus, LeadFollowUp
from regions.tests.factories import RegionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def open_campaign(page, name: str) -> None:
    page.goto("/promotions/")
    page.get_by_role("link", name=name).click()
    expect(page.get_by_role("heading", name=name)).to_be_visible()


def test_campaign_from_plan_to_review(phone, desktop):
    province = RegionFactory(name="Zhejiang")
    city = RegionFactory(name="Hangzhou", parent=province)
    ManagerFactory(username="manager_min", first_name="Min", last_name="Chen", regions=[province])
    RepFactory(username="rep_wei", first_name="Wei", last_name="Zhang")
    DealerFactory(name="Baishun Trading", region=city, rep=RepFactory._meta.model.objects.get(username="rep_wei"))
    today = timezone.localdate().isoformat()
    desktop.on("dialog", lambda dialog: dialog.accept())

    # The manager plans the event and approves it.
    browser_login(desktop, "manager_min", TEST_PASSWORD)
    desktop.goto("/promotions/")
    desktop.get_by_role("link", name="New campaign").click()
    desktop.get_by_label("Campaign name").fill("Autumn dealer evening")
    desktop.get_by_label("Type").select_option("conference")
    desktop.get_by_label("Theme").fill("New flavours")
    desktop.get_by_role("button", name="Create draft").click()
    expect(desktop.get_by_text("A campaign needs exactly one objective with a target number.").first).to_be_visible()
    assert not Campaign.objects.exists()
    desktop.get_by_label("Objective").select_option("leads")
    desktop.get_by_label("Target").fill("10")
    desktop.get_by_label("Start date").fill(today)
    desktop.get_by_label("End date").fill(today)
    desktop.get_by_label("Regions").select_option(label="Hangzhou")
    desktop.get_by_label("Budget").fill("3000")
    desktop.get_by_label("Manufacturer's share").fill("2000")
    desktop.get_by_label("Dealers' share").fill("1000")
    desktop.get_by_role("button", name="Create draft").click()
    expect(desktop.get_by_test_id("campaign-status")).to_have_text("Draft")
    expect(desktop.get_by_test_id("task-list")).to_contain_text("Rehearsal")
    dialogs = []
    desktop.on("dialog", lambda dialog: dialogs.append(dialog.message))
    desktop.get_by_role("button", name="Approve").click()
    expect(desktop.get_by_test_id("campaign-status")).to_have_text("Running")
    # Open preparation tasks warn (asked before, said after) but do not block the approval.
    assert "6 of 6 preparation tasks are still open" in dialogs[-1]
    expect(desktop.get_by_role("alert").filter(has_text="preparation tasks are still open")).to_be_visible()

    # At the event, the rep records leads on the phone.
    browser_login(phone, "rep_wei", TEST_PASSWORD)
    open_campaign(phone, "Autumn dealer evening")
    phone.get_by_role("link", name="Record at the event").click()
    assert_no_sideways_scroll(phone)
    for name, number, interest in (("Wang Fang", "138 0013 8000", "Hot"), ("Li Na", "13900000001", "Warm")):
        phone.get_by_role("textbox", name="Name", exact=True).fill(name)
        phone.get_by_label("Phone").fill(number)
        phone.get_by_label("Company").fill(f"{name}'s shop")
        phone.get_by_text(interest, exact=False).first.click()
        phone.get_by_role("button", name="Save and next").click()
        expect(phone.get_by_text(f"Saved: {name}.")).to_be_visible()
    phone.get_by_role("textbox", name="Name", exact=True).fill("No phone")
    phone.get_by_role("button", name="Save and next").click()
    expect(phone.get_by_text("Enter the person's phone number.")).to_be_visible()
    expect(phone.get_by_test_id("attendee-table")).to_contain_text("Wang Fang")
    assert_no_sideways_scroll(phone)
    assert Attendee.objects.count() == 2

    # After the event the manager ends it and assigns the leads.
    open_campaign(desktop, "Autumn dealer evening")
    desktop.get_by_role("button", name="End event").click()
    expect(desktop.get_by_test_id("campaign-status")).to_have_text("Ended")
    desktop.get_by_role("link", name="Assign leads").first.click()
    desktop.get_by_label("Rep for Wang Fang").select_option(label="Wei Zhang")
    desktop.get_by_label("Rep for Li Na").select_option(label="Wei Zhang")
    desktop.get_by_role("button", name="Save assignments").click()
    expect(desktop.get_by_text("2 leads assigned.")).to_be_visible()

    # The rep follows up a lead from the phone.
    phone.goto("/promotions/leads/")
    phone.get_by_role("link", name="Wang Fang").click()
    assert_no_sideways_scroll(phone)
    phone.get_by_label("How").select_option("call")
    phone.get_by_label("Outcome").select_option("prospect")
    phone.get_by_label("What was said").fill("Wants to become a county dealer; visit next week.")
    phone.get_by_role("button", name="Log follow-up").click()
    # "Becomes a prospect dealer" makes the prospect in the same step, with the lead's details.
    expect(phone.get_by_text("is now a prospect dealer in your pipeline")).to_be_visible()
    expect(phone.get_by_test_id("dealer-origin-lead")).to_contain_text("Wang Fang")
    lead = LeadFollowUp.objects.get().attendee
    assert lead.name == "Wang Fang" and lead.prospect is not None and lead.prospect.status == "prospect"
    assert lead.prospect.rep == lead.assigned_to and lead.prospect.phone == lead.phone

    # The manager writes the review, which closes the campaign.
    open_campaign(desktop, "Autumn dealer evening")
    desktop.get_by_role("link", name="Write the review").click()
    desktop.get_by_role("button", name="Save the review and close").click()
    expect(desktop.get_by_text("This part of the review is required.").first).to_be_visible()
    desktop.get_by_label("What worked").fill("Tastings at the door.")
    desktop.get_by_label("What did not work").fill("Parking was full.")
    desktop.get_by_label("Lessons").fill("Book the car park.")
    desktop.get_by_role("button", name="Save the review and close").click()
    expect(desktop.get_by_test_id("campaign-status")).to_have_text("Reviewed")
    campaign = Campaign.objects.get()
    assert campaign.status == CampaignStatus.REVIEWED and campaign.review.objective_actual == 2
