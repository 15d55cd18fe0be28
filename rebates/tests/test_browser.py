"""On a 360×740 phone, the issue's flow extended to rebates: the dealer places an
order from its portal, the rep confirms it, finance pays in two parts, the
warehouse ships, and the dealer sees it shipped and its rebate accrued."""

import pytest
from playwright.sync_api import expect

from accounts.tests.factories import (
    DealerUserFactory,
    FinanceFactory,
    RepFactory,
    WarehouseFactory,
)
from conftest import assert_no_sideways_scroll, sign_in_as
from dealers.tests.factories import DealerFactory
from inventory.models import Order
from inventory.tests.factories import ProductFactory
from rebates.models import RebateStatement
from rebates.tests.factories import FlatPlanFactory, RebateAssignmentFactory, TieredPlanFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_order_to_shipment_accrues_the_rebate_the_dealer_sees_in_its_portal(phone):
    rep = RepFactory(username="rep_wei", first_name="Wei", last_name="Zhang")
    dealer = DealerFactory(name="杭州百顺商贸有限公司", tier="city", rep=rep)
    DealerUserFactory(username="dealer_hz", dealer=dealer, first_name="Lan")
    FinanceFactory(username="finance_yan")
    WarehouseFactory(username="warehouse_gang")
    ProductFactory(sku="BEV-001", name="Iced black tea 500ml", prices={"city": "55.00"})
    ProductFactory(sku="SNK-001", name="Potato chips 70g", prices={"city": "55.00"})
    RebateAssignmentFactory(plan=FlatPlanFactory(name="KA yearly 2.5 %", period_kind="year", rate="2.5"), dealer=dealer)
    RebateAssignmentFactory(plan=TieredPlanFactory(name="Quarterly volume"), dealer=dealer)  # ≥ 100,000 → 1 %

    # The dealer signs in, lands on its portal and places an order with the big button.
    sign_in_as(phone, "dealer_hz")
    expect(phone.get_by_role("heading", name="Hello, Lan")).to_be_visible()
    expect(phone.get_by_test_id("rebate-running")).to_have_text("¥0.00")
    assert_no_sideways_scroll(phone)
    phone.get_by_role("link", name="Place an order").click()
    phone.get_by_label("Iced black tea 500ml").fill("4")
    phone.get_by_label("Potato chips 70g").fill("2")
    phone.get_by_role("button", name="Submit order").click()
    expect(phone.get_by_test_id("order-status")).to_have_text("Submitted")
    order = Order.objects.get()
    order_url = f"/inventory/orders/{order.pk}/"

    # The rep confirms it.
    sign_in_as(phone, "rep_wei")
    phone.goto(order_url)
    phone.get_by_role("button", name="Confirm order").click()
    expect(phone.get_by_test_id("order-status")).to_have_text("Confirmed")

    # Finance records the payment in two parts.
    sign_in_as(phone, "finance_yan")
    phone.goto(order_url)
    phone.get_by_label("Amount").fill("200.00")
    phone.get_by_role("button", name="Record payment").click()
    expect(phone.get_by_test_id("amount-paid")).to_have_text("¥200.00")
    phone.get_by_label("Amount").fill("130.00")
    phone.get_by_role("button", name="Record payment").click()
    expect(phone.get_by_test_id("order-status")).to_have_text("Paid")

    # The warehouse picks and ships; nothing has accrued before that.
    assert not RebateStatement.objects.exists()
    sign_in_as(phone, "warehouse_gang")
    # The warehouse's worklist has the paid order to pick (it was also notified).
    phone.get_by_test_id("work-item-orders-to-pick").get_by_test_id("work-count").wait_for()
    expect(phone.get_by_test_id("work-item-orders-to-pick").get_by_test_id("work-count")).to_have_text("1")
    phone.get_by_test_id("worklist-orders").get_by_role("link", name=order.number, exact=False).click()
    phone.wait_for_url(f"**{order_url}")
    phone.get_by_role("button", name="Mark picked").click()
    expect(phone.get_by_test_id("order-status")).to_have_text("Picked")
    waybill = phone.get_by_label("Waybill or vehicle number")
    phone.get_by_role("button", name="Ship").click()  # no waybill: the form asks for it first
    assert waybill.evaluate("input => input.validity.valueMissing")
    expect(phone.get_by_test_id("order-status")).to_have_text("Picked")
    waybill.fill("SF1234567890")
    phone.get_by_role("button", name="Ship").click()
    expect(phone.get_by_test_id("order-status")).to_have_text("Shipped")

    # The dealer sees it shipped and its rebate accrued, on its portal.
    sign_in_as(phone, "dealer_hz")
    open_orders = phone.get_by_test_id("worklist-orders").get_by_role("listitem").filter(has_text=order.number)
    expect(open_orders).to_contain_text("Shipped · ¥330.00")
    expect(phone.get_by_test_id("rebate-running")).to_have_text("¥8.25")  # 330.00 × 2.5 %
    volume = phone.get_by_test_id("rebate-progress").filter(has_text="Quarterly volume")
    expect(volume.get_by_test_id("rebate-next-tier")).to_contain_text("Buy ¥99,670.00 more this period to earn 1 %.")
    assert_no_sideways_scroll(phone)

    # ... and how it was computed.
    phone.get_by_test_id("rebate-progress").filter(has_text="KA yearly 2.5 %").get_by_role("link", name="How it is computed").click()
    expect(phone.get_by_test_id("statement-basis")).to_have_text("¥330.00")
    expect(phone.get_by_test_id("statement-amount")).to_have_text("¥8.25")
    expect(phone.get_by_test_id("statement-orders")).to_contain_text(order.number)
    expect(phone.get_by_test_id("statement-state")).to_have_text("Accruing (period running)")
    assert_no_sideways_scroll(phone)
