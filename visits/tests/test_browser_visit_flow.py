"""The whole visit as the issue describes it, on a 360×740 phone: the rep logs in,
opens today's visit, records the market check, starts the visit, counts the stock,
sees the suggested order with its working, turns it into an order, and completes
the visit."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.tests.factories import RepFactory
from conftest import assert_no_sideways_scroll, sign_in_as
from dealers.tests.factories import DealerFactory
from inventory.tests.factories import ProductFactory
from regions.tests.factories import RegionFactory
from visits.models import Visit, VisitStatus
from visits.tests.count_factories import carry, past_count, ship

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
DAY = datetime.timedelta(days=1)


def test_rep_market_check_start_count_suggested_order_and_order_on_a_phone(phone):
    rep = RepFactory(username="rep_wei", first_name="Wei", last_name="Zhang")
    dealer = DealerFactory(name="Baishun Trading", region=RegionFactory(name="Hangzhou"), rep=rep, tier="city")
    tea = ProductFactory(sku="BEV-001", name="Iced tea 500ml", prices={"city": "33.00"})
    carry(dealer, [tea])
    now = timezone.now()
    past_count(dealer, now - 14 * DAY, {tea: 80})
    ship(dealer, now - 7 * DAY, {tea: 40})
    visit = Visit.objects.create(dealer=dealer, rep=rep, scheduled_for=timezone.localtime().replace(second=0, microsecond=0))

    sign_in_as(phone, "rep_wei")
    phone.get_by_test_id("worklist-field-work").locator("a[href^='/visits/']", has_text="Baishun Trading").click()

    # 1. The market check first: "Start visit" is visibly disabled until it is recorded.
    expect(phone.get_by_role("button", name="Start visit")).to_be_disabled()
    expect(phone.get_by_text("Record the market check (or why none was possible) before starting the visit.").first).to_be_visible()
    phone.get_by_role("link", name="Record the market check").click()
    phone.get_by_label("Kind of finding").select_option("price")
    phone.get_by_label("Outlet", exact=True).fill("Lianhua market")
    phone.get_by_label("Our product").select_option(label="BEV-001 Iced tea 500ml")
    phone.get_by_label("Retail price seen").fill("3.90")
    phone.get_by_label("Outlets walked").fill("2")
    phone.get_by_role("button", name="Save market check").click()
    expect(phone.get_by_text("Market check recorded.")).to_be_visible()

    # 2. Start, then 3. count the stock from the visit page.
    phone.get_by_role("button", name="Start visit").click()
    expect(phone.get_by_test_id("visit-status")).to_have_text("In progress")
    phone.get_by_test_id("step-stock-count").get_by_role("link", name="Count stock").click()
    assert_no_sideways_scroll(phone)
    phone.get_by_label("Stock of Iced tea 500ml (cases)").fill("20")
    phone.get_by_role("button", name="Save the count").click()

    # 4. The suggestion with its working: 80 + 40 − 20 = 100 sold; × 1.5 = 150; 150 − 20 = 130.
    row = phone.get_by_test_id("suggestion-row").filter(has_text="Iced tea 500ml")
    for figure in ("80", "40", "20", "100.00", "1.50", "150.00", "130"):
        expect(row).to_contain_text(figure)
    assert_no_sideways_scroll(phone)
    phone.get_by_role("button", name="Place order").click()
    expect(phone.get_by_test_id("order-status")).to_have_text("Submitted")

    # Back on the visit: the order is linked; the visit is completed.
    visit.refresh_from_db()
    assert list(visit.order.lines.values_list("product__sku", "quantity")) == [("BEV-001", 130)]
    phone.goto(f"/visits/{visit.pk}/")
    expect(phone.get_by_test_id("step-suggested-order")).to_contain_text("Ordered")
    # Completing asks first, listing the steps left empty (notes were not taken).
    expect(phone.get_by_test_id("empty-steps")).to_contain_text("Policies and dealer feedback")
    phone.get_by_role("button", name="Complete visit").click()
    expect(phone.get_by_role("heading", name="Complete the visit?")).to_be_visible()
    expect(phone.get_by_test_id("empty-steps")).to_contain_text("Terminal market walk and talk")
    expect(phone.get_by_test_id("empty-steps")).not_to_contain_text("Stock count")
    assert_no_sideways_scroll(phone)
    phone.get_by_role("button", name="Complete anyway").click()
    expect(phone.get_by_test_id("visit-status")).to_have_text("Completed")
    visit.refresh_from_db()
    assert visit.status == VisitStatus.COMPLETED and visit.market_check.checked_at <= visit.started_at
