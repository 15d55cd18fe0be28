"""A rep's visit on a 360×740 phone: log in, land on the day, open today's visit,
try to start it (refused until the market check), record a market check with one
observation, start the visit, take policy notes and complete it."""

from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.tests.factories import TEST_PASSWORD, RepFactory
from conftest import assert_no_sideways_scroll, browser_login
from dealers.tests.factories import DealerFactory
from inventory.tests.factories import ProductFactory
from regions.tests.factories import RegionFactory
from visits.models import MarketObservation, Visit, VisitStatus

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_rep_records_market_check_starts_and_completes_visit_on_phone(phone):
    rep = RepFactory(username="rep_wei", first_name="Wei", last_name="Zhang")
    dealer = DealerFactory(name="Baishun Trading", region=RegionFactory(name="Hangzhou"), rep=rep)
    ProductFactory(sku="TEA-500", name="Green tea 500 ml")
    Visit.objects.create(dealer=dealer, rep=rep, scheduled_for=timezone.localtime().replace(second=0, microsecond=0))

    browser_login(phone, "rep_wei", TEST_PASSWORD)
    expect(phone.get_by_role("heading", name="My day")).to_be_visible()  # the worklist's card
    assert_no_sideways_scroll(phone)
    phone.get_by_test_id("worklist-field-work").locator("a[href^='/visits/']", has_text="Baishun Trading").click()
    expect(phone.get_by_test_id("visit-status")).to_have_text("Planned")
    assert_no_sideways_scroll(phone)

    # Until the market check is recorded, "Start visit" is visibly disabled and says why.
    expect(phone.get_by_role("button", name="Start visit")).to_be_disabled()
    expect(phone.get_by_text("Record the market check (or why none was possible) before starting the visit.").first).to_be_visible()
    expect(phone.get_by_test_id("visit-status")).to_have_text("Planned")

    phone.get_by_role("link", name="Record the market check").click()
    assert_no_sideways_scroll(phone)
    phone.get_by_label("Kind of finding").select_option("price")
    phone.get_by_label("Outlet", exact=True).fill("Lianhua market")
    phone.get_by_label("Our product").select_option(label="TEA-500 Green tea 500 ml")
    phone.get_by_label("Retail price seen").fill("3.90")
    phone.get_by_label("At the outlet").select_option("true")
    phone.get_by_label("Outlets walked").fill("3")
    phone.get_by_role("button", name="Save market check").click()
    expect(phone.get_by_text("Market check recorded.")).to_be_visible()
    expect(phone.get_by_test_id("observations")).to_contain_text("Lianhua market")

    phone.get_by_role("button", name="Start visit").click()
    expect(phone.get_by_test_id("visit-status")).to_have_text("In progress")
    assert_no_sideways_scroll(phone)
    phone.get_by_label("Policies communicated").fill("Q4 rebate tiers")
    phone.get_by_test_id("step-policy").get_by_role("button", name="Save notes").click()
    expect(phone.get_by_text("Notes saved.")).to_be_visible()
    phone.get_by_role("button", name="Complete visit").click()
    # Asked first: the steps left empty are listed.
    expect(phone.get_by_test_id("empty-steps")).to_contain_text("Stock count")
    expect(phone.get_by_test_id("empty-steps")).not_to_contain_text("Policies and dealer feedback")
    assert_no_sideways_scroll(phone)
    phone.get_by_role("button", name="Complete anyway").click()
    expect(phone.get_by_test_id("visit-status")).to_have_text("Completed")

    visit = Visit.objects.get()
    assert visit.status == VisitStatus.COMPLETED and visit.policy_notes == "Q4 rebate tiers"
    assert visit.market_check.checked_at <= visit.started_at
    assert MarketObservation.objects.get().retail_price == Decimal("3.90")


def test_manager_pages_fit_a_phone(phone):
    from accounts.tests.factories import ManagerFactory
    from visits.models import DealerRequest, MarketCheck

    province = RegionFactory(name="Zhejiang")
    city = RegionFactory(name="Hangzhou", parent=province)
    ManagerFactory(username="manager_min", regions=[province])
    rep = RepFactory(username="rep_wei", first_name="Wei", last_name="Zhang")
    dealer = DealerFactory(name="Baishun Trading Company of Greater Hangzhou", region=city, rep=rep,
                           latitude=Decimal("30.274085"), longitude=Decimal("120.155070"))
    now = timezone.localtime()
    visit = Visit.objects.create(dealer=dealer, rep=rep, scheduled_for=now, status=VisitStatus.COMPLETED,
                                 started_at=now, completed_at=now, start_latitude=Decimal("30.275"),
                                 start_longitude=Decimal("120.156"), start_accuracy_m=15)
    check = MarketCheck.objects.create(visit=visit, outlets_walked=3, recorded_by=rep)
    MarketObservation.objects.create(market_check=check, kind="price_dumping", outlet="Wanjia supermarket",
                                     retail_price=Decimal("3.10"), guideline_price=Decimal("4.50"))
    DealerRequest.objects.create(dealer=dealer, description="Two display racks for the entrance", owner=rep,
                                 due_on=timezone.localdate())
    browser_login(phone, "manager_min", TEST_PASSWORD)
    for path in ("/visits/", f"/visits/{visit.pk}/", f"/visits/{visit.pk}/review/", "/visits/requests/",
                 "/visits/discipline/", f"/visits/plans/{dealer.pk}/", f"/dealers/{dealer.pk}/"):
        phone.goto(path)
        assert_no_sideways_scroll(phone)
    phone.goto(f"/visits/{visit.pk}/review/")
    expect(phone.get_by_test_id("distance")).to_contain_text("m from the dealer's address")
    phone.get_by_role("button", name="Record as violation").click()
    expect(phone.get_by_role("link", name="Violation recorded")).to_be_visible()
    phone.get_by_label("Comment").fill("Good catch on the dumping.")
    phone.get_by_role("button", name="Add comment").click()
    expect(phone.get_by_test_id("comments")).to_contain_text("Good catch on the dumping.")
