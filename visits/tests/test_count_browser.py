"""On a 360×740 phone: a rep, on a visit already in progress, counts the stock,
sees the suggested order with its working, changes one line with a reason and
places the order; a mistyped count is questioned, and counting again in the same
visit gives the right suggestion with the working in full."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.tests.factories import TEST_PASSWORD, RepFactory
from conftest import assert_no_sideways_scroll, browser_login
from dealers.tests.factories import DealerFactory
from inventory.models import OrderSource, StockCount, SuggestedOrderLine
from inventory.tests.factories import ProductFactory
from visits.tests.count_factories import InProgressVisitFactory, carry, past_count, ship

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
DAY = datetime.timedelta(days=1)


def test_stock_count_to_suggested_order_to_order_on_a_phone(phone):
    rep = RepFactory(username="rep_li")
    dealer = DealerFactory(name="杭州百顺商贸有限公司", tier="city", rep=rep)
    cola = ProductFactory(sku="BEV-005", name="Cola 330ml", prices={"city": "52.00"})
    tea = ProductFactory(sku="BEV-001", name="Iced tea 500ml", prices={"city": "33.00"})
    carry(dealer, [cola, tea])
    now = timezone.now()
    past_count(dealer, now - 14 * DAY, {cola: 100, tea: 80})
    ship(dealer, now - 7 * DAY, {cola: 50, tea: 40})
    visit = InProgressVisitFactory(dealer=dealer, rep=rep)

    browser_login(phone, "rep_li", TEST_PASSWORD)
    phone.goto(f"/visits/{visit.pk}/stock-count/")
    expect(phone.get_by_role("heading", name="Stock count")).to_be_visible()
    expect(phone.get_by_text("Last count: 100 cases")).to_be_visible()
    assert_no_sideways_scroll(phone)
    # A negative count is refused, nothing saved, the line says why.
    phone.get_by_label("Stock of Cola 330ml (cases)").fill("120")
    phone.get_by_label("Stock of Iced tea 500ml (cases)").fill("-1")
    phone.get_by_role("button", name="Save the count").click()
    expect(phone.get_by_text("Iced tea 500ml: enter the stock as a whole number of cases, zero or more.")).to_be_visible()
    phone.get_by_label("Stock of Iced tea 500ml (cases)").fill("20")
    phone.get_by_role("button", name="Save the count").click()

    # The suggested order with its working: previous 80 + delivered 40 − current 20 = 100; × 1.5 = 150; 150 − 20 = 130.
    expect(phone.get_by_role("heading", name="Suggested order")).to_be_visible()
    tea_row = phone.get_by_test_id("suggestion-row").filter(has_text="Iced tea 500ml")
    for text in ("80", "40", "20", "100.00", "1.50", "150.00", "130"):
        expect(tea_row).to_contain_text(text)
    expect(tea_row).to_contain_text("Low cover")
    assert_no_sideways_scroll(phone)
    reason = phone.get_by_label("Reason for changing Iced tea 500ml")
    expect(reason).to_be_hidden()
    phone.get_by_label("Order of Iced tea 500ml (cases)").fill("100")
    expect(reason).to_be_visible()
    reason.fill("")
    phone.get_by_role("button", name="Place order").click()
    expect(phone.get_by_test_id("order-errors")).to_contain_text("give a reason")
    reason.fill("Warehouse space")
    phone.get_by_role("button", name="Place order").click()

    expect(phone.get_by_test_id("order-status")).to_have_text("Submitted")
    visit.refresh_from_db()
    order = visit.order
    assert order.source == OrderSource.SUGGESTION
    assert phone.url.endswith(f"/inventory/orders/{order.pk}/")
    assert list(order.lines.values_list("product__sku", "quantity", "change_reason")) == [
        ("BEV-001", 100, "Warehouse space")]
    assert SuggestedOrderLine.objects.get(product=tea).ordered_quantity == 100
    assert_no_sideways_scroll(phone)


def test_mistype_then_count_again_gives_the_right_suggestion_with_working_on_a_phone(phone):
    rep = RepFactory(username="rep_zhao")
    dealer = DealerFactory(name="Xinda Foods", tier="city", rep=rep)
    tea = ProductFactory(sku="BEV-001", name="Iced tea 500ml", prices={"city": "33.00"})
    carry(dealer, [tea])
    now = timezone.now()
    past_count(dealer, now - 14 * DAY, {tea: 80})
    ship(dealer, now - 7 * DAY, {tea: 40})
    visit = InProgressVisitFactory(dealer=dealer, rep=rep)
    browser_login(phone, "rep_zhao", TEST_PASSWORD)

    # The typo: 99999999 cases. The page asks "are you sure?", naming the line and why.
    phone.goto(f"/visits/{visit.pk}/stock-count/")
    stock = phone.get_by_label("Stock of Iced tea 500ml (cases)")
    stock.fill("99999999")
    phone.get_by_role("button", name="Save the count").click()
    expect(phone.get_by_test_id("line-error")).to_contain_text(
        "Iced tea 500ml: 99,999,999 cases is more than 10 × the most this dealer recently had")
    expect(phone.get_by_test_id("confirm-implausible")).to_be_visible()
    assert not StockCount.objects.filter(reference=visit.stock_count_reference).exists()
    assert_no_sideways_scroll(phone)
    # In a hurry the rep confirms it anyway: the suggestion shows negative sales, no order.
    phone.get_by_label("I have checked: these quantities are right.").check()
    phone.get_by_role("button", name="Save the count anyway").click()
    row = phone.get_by_test_id("suggestion-row").filter(has_text="Iced tea 500ml")
    expect(row).to_contain_text("Negative sales")

    # Count again in the same visit: the form starts from the typo; correct it.
    phone.get_by_role("link", name="Count again").click()
    expect(phone.get_by_test_id("count-again-note")).to_be_visible()
    expect(stock).to_have_value("99999999")
    expect(phone.get_by_text("Last count: 80 cases")).to_be_visible()
    stock.fill("20")
    phone.get_by_role("button", name="Save the count").click()
    expect(phone.get_by_text("Stock count saved: it replaces the earlier count of this visit.")).to_be_visible()

    # The right suggestion, with the working a rep can redo by hand.
    row = phone.get_by_test_id("suggestion-row").filter(has_text="Iced tea 500ml")
    expect(row.get_by_test_id("suggested")).to_have_text("130")
    working = row.get_by_test_id("working")
    working.locator("summary").click()
    period = working.get_by_test_id("working-period")
    expect(period).to_contain_text("80 + 40 delivered − 20 = 100 sold")
    expect(period).to_contain_text("14 days")
    expect(working).to_contain_text("100.00 × 1.50")
    expect(working).to_contain_text("coefficient: the default")
    expect(working).to_contain_text("150.00 − 20 = 130.00")
    assert_no_sideways_scroll(phone)
    phone.screenshot(path="test-artifacts/count-again-working-phone.png", full_page=True)
    counts = StockCount.objects.filter(reference=visit.stock_count_reference)
    assert counts.count() == 2 and counts.current().get().lines.get().quantity == 20
