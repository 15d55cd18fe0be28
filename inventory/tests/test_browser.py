"""On a 360×740 phone: the dealer places an order, the rep confirms it, finance
records two partial payments, the warehouse picks and ships, and the dealer
sees it shipped and confirms receipt."""

import re

import pytest
from playwright.sync_api import expect

from accounts.tests.factories import (
    DealerUserFactory,
    FinanceFactory,
    RepFactory,
    WarehouseFactory,
)
from conftest import assert_no_sideways_scroll, menu_go, sign_in_as
from dealers.tests.factories import DealerFactory
from inventory.models import Order
from inventory.tests.factories import ProductFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_order_from_portal_to_receipt_on_a_phone(phone):
    rep = RepFactory(username="rep_wei", first_name="Wei", last_name="Zhang")
    dealer = DealerFactory(name="杭州百顺商贸有限公司", tier="city", rep=rep)
    DealerUserFactory(username="dealer_hz", dealer=dealer)
    FinanceFactory(username="finance_yan")
    WarehouseFactory(username="warehouse_gang")
    ProductFactory(sku="BEV-001", name="Iced black tea 500ml", prices={"city": "55.00", "province": "50.00"})
    ProductFactory(sku="SNK-001", name="Potato chips 70g", prices={"city": "55.00"})
    ProductFactory(sku="DAI-001", name="Whole milk 250ml", prices={"province": "40.00"})  # not on its tier's list

    # The dealer places an order from the menu.
    sign_in_as(phone, "dealer_hz")
    menu_go(phone, "Orders")
    phone.get_by_role("link", name="New order").click()
    expect(phone.get_by_text("Whole milk 250ml")).to_have_count(0)
    assert_no_sideways_scroll(phone)
    phone.get_by_label("Iced black tea 500ml").fill("4")
    phone.get_by_label("Potato chips 70g").fill("2")
    expect(phone.locator("#order-estimate")).to_have_text("¥330.00")
    phone.get_by_role("button", name="Submit order").click()
    expect(phone.get_by_test_id("order-status")).to_have_text("Submitted")
    expect(phone.get_by_test_id("order-total")).to_have_text("¥330.00")
    assert_no_sideways_scroll(phone)
    order = Order.objects.get()
    order_url = f"/inventory/orders/{order.pk}/"

    # The rep confirms it.
    sign_in_as(phone, "rep_wei")
    phone.goto(order_url)
    phone.get_by_role("button", name="Confirm order").click()
    expect(phone.get_by_text("Order confirmed.")).to_be_visible()
    expect(phone.get_by_test_id("order-status")).to_have_text("Confirmed")

    # Finance records the payment in two parts.
    sign_in_as(phone, "finance_yan")
    phone.goto(order_url)
    phone.get_by_label("Amount").fill("100.00")
    phone.get_by_label("Reference").fill("BANK-001")
    phone.get_by_role("button", name="Record payment").click()
    expect(phone.get_by_test_id("amount-paid")).to_have_text("¥100.00")
    expect(phone.get_by_test_id("order-status")).to_have_text("Confirmed")
    phone.get_by_label("Amount").fill("230.00")
    phone.get_by_role("button", name="Record payment").click()
    expect(phone.get_by_test_id("order-status")).to_have_text("Paid")
    expect(phone.get_by_test_id("amount-due")).to_have_text("¥0.00")
    assert_no_sideways_scroll(phone)

    # The warehouse picks and ships.
    sign_in_as(phone, "warehouse_gang")
    phone.goto(order_url)
    phone.get_by_role("button", name="Mark picked").click()
    expect(phone.get_by_test_id("order-status")).to_have_text("Picked")
    phone.get_by_label("Waybill or vehicle number").fill("浙A·12345")
    phone.get_by_role("button", name="Ship").click()
    expect(phone.get_by_test_id("order-status")).to_have_text("Shipped")

    # The dealer sees it shipped, with the shipment, and confirms receipt.
    sign_in_as(phone, "dealer_hz")
    menu_go(phone, "Orders")
    row = phone.get_by_test_id("order-table").get_by_role("row").filter(has_text=order.number)
    expect(row.get_by_test_id("order-status")).to_have_text("Shipped")
    assert_no_sideways_scroll(phone)
    row.get_by_role("link", name=order.number).click()
    expect(phone.get_by_test_id("order-shipments")).to_contain_text("浙A·12345")
    expect(phone.get_by_test_id("unread-count")).to_contain_text("2")  # confirmed, shipped
    history = phone.get_by_test_id("order-history")
    expect(history).to_contain_text(re.compile(r"Picked\s*→\s*Shipped"))
    phone.on("dialog", lambda dialog: dialog.accept())
    phone.get_by_role("button", name="Confirm receipt").click()
    expect(phone.get_by_test_id("order-status")).to_have_text("Received")
    order.refresh_from_db()
    assert order.status == "received" and order.payments.count() == 2 and order.shipments.count() == 1
