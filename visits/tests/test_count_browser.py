"""On a 360×740 phone: a rep, on a visit already in progress, counts the stock,
sees the suggested order with its working, changes one line with a reason and
places the order; the order page shows it."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.tests.factories import TEST_PASSWORD, RepFactory
from conftest import assert_no_sideways_scroll, browser_login
from dealers.tests.factories import DealerFactory
from inventory.models import OrderSource
from inventory.tests.factories import ProductFactory
from visits.models import SuggestedOrderLine
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
    expect(phone.get_by_text("Last count: 100")).to_be_visible()
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
