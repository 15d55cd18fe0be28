"""Placing orders and moving them through the workflow (inventory.services)."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from common.exceptions import StateConflict
from inventory import services
from inventory.models import Order, OrderSource, OrderStatus, Payment, Shipment, ShipmentLine, TierPrice
from inventory.services import OrderLineInput
from inventory.signals import order_status_changed
from inventory.tests.factories import OrderFactory, ProductFactory, order_in_state
from notifications.models import Notification

pytestmark = pytest.mark.django_db


def lines_error(excinfo) -> list[str]:
    return [str(message) for message in excinfo.value.message_dict["lines"]]


# --- Placing an order -------------------------------------------------------------------
def test_order_create_prices_lines_from_the_dealer_tier_and_keeps_them(world):
    order = services.order_create(
        dealer=world.dealer, placed_by=world.dealer_user,
        lines=[OrderLineInput(product=world.cola, quantity=3), OrderLineInput(product=world.chips.pk, quantity=2)],
    )
    assert order.status == OrderStatus.SUBMITTED and order.source == OrderSource.PORTAL
    assert [(line.unit_price, line.line_total) for line in order.lines.order_by("id")] == [
        (Decimal("55.00"), Decimal("165.00")), (Decimal("55.00"), Decimal("110.00")),
    ]
    assert order.total == Decimal("275.00")
    TierPrice.objects.filter(tier="city").update(price=Decimal("99.00"))
    assert order.lines.first().unit_price == Decimal("55.00")  # kept from submission
    (transition,) = order.transitions.all()
    assert (transition.from_status, transition.to_status, transition.by) == ("", "submitted", world.dealer_user)


def test_order_create_by_a_rep_is_on_the_dealers_behalf(world):
    order = services.order_create(
        dealer=world.dealer, placed_by=world.rep, lines=[OrderLineInput(product=world.cola, quantity=1)]
    )
    assert order.source == OrderSource.ON_BEHALF and order.placed_by == world.rep


def test_order_create_from_a_suggestion_keeps_suggested_quantity_and_reason(world):
    order = services.order_create(
        dealer=world.dealer, placed_by=world.rep, source=OrderSource.SUGGESTION,
        lines=[
            OrderLineInput(product=world.cola, quantity=20, suggested_quantity=20),
            OrderLineInput(product=world.chips, quantity=5, suggested_quantity=8, change_reason="Dealer short of cash"),
        ],
    )
    assert order.source == OrderSource.SUGGESTION
    assert list(order.lines.order_by("id").values_list("suggested_quantity", "change_reason")) == [
        (20, ""), (8, "Dealer short of cash"),
    ]


def test_order_create_changed_suggestion_without_reason_is_refused(world):
    with pytest.raises(ValidationError) as excinfo:
        services.order_create(
            dealer=world.dealer, placed_by=world.rep,
            lines=[OrderLineInput(product=world.cola, quantity=5, suggested_quantity=8)],
        )
    assert lines_error(excinfo) == [services.LINE_CHANGE_REASON_NEEDED % {"line": 1}]
    assert not Order.objects.exists()


@pytest.mark.parametrize("quantity", [0, -3, 2.5, "4", True, None])
def test_order_create_quantity_not_a_positive_whole_number_is_refused(world, quantity):
    with pytest.raises(ValidationError) as excinfo:
        services.order_create(
            dealer=world.dealer, placed_by=world.dealer_user,
            lines=[OrderLineInput(product=world.chips, quantity=1), OrderLineInput(product=world.cola, quantity=quantity)],
        )
    assert lines_error(excinfo) == [services.LINE_QUANTITY_NOT_POSITIVE % {"line": 2}]
    assert not Order.objects.exists()


def test_order_create_unknown_inactive_unpriced_and_repeated_products_are_all_reported(world):
    inactive = ProductFactory(name="Old soda", is_active=False)
    unpriced = ProductFactory(name="New tea", prices={"province": "40.00"})
    with pytest.raises(ValidationError) as excinfo:
        services.order_create(
            dealer=world.dealer, placed_by=world.dealer_user,
            lines=[
                OrderLineInput(product=world.cola, quantity=1),
                OrderLineInput(product=999999, quantity=1),
                OrderLineInput(product=inactive, quantity=1),
                OrderLineInput(product=unpriced, quantity=1),
                OrderLineInput(product=world.cola.pk, quantity=4),
            ],
        )
    assert lines_error(excinfo) == [
        services.LINE_PRODUCT_UNKNOWN % {"line": 2},
        services.LINE_PRODUCT_INACTIVE % {"line": 3, "product": "Old soda"},
        services.LINE_PRODUCT_NOT_PRICED % {"line": 4, "product": "New tea", "tier": "City agent"},
        services.LINE_PRODUCT_REPEATED % {"line": 5, "product": "Cola 500ml", "first": 1},
    ]
    assert not Order.objects.exists()


def test_order_create_without_lines_is_refused(world):
    with pytest.raises(ValidationError) as excinfo:
        services.order_create(dealer=world.dealer, placed_by=world.dealer_user, lines=[])
    assert lines_error(excinfo) == [str(services.ORDER_NEEDS_LINES)]


def test_order_create_for_an_inactive_dealer_is_refused(world):
    world.dealer.status = "suspended"
    world.dealer.save()
    with pytest.raises(ValidationError) as excinfo:
        services.order_create(dealer=world.dealer, placed_by=world.rep, lines=[OrderLineInput(product=world.cola, quantity=1)])
    assert excinfo.value.message_dict["dealer"] == [services.DEALER_NOT_ACTIVE % {"dealer": "Baishun Trading"}]


@pytest.mark.parametrize("who", ["other_dealer_user", "other_rep", "other_manager", "finance", "warehouse"])
def test_order_create_for_a_dealer_outside_the_placers_scope_or_role_is_refused(world, who):
    with pytest.raises(PermissionDenied):
        services.order_create(
            dealer=world.dealer, placed_by=getattr(world, who), lines=[OrderLineInput(product=world.cola, quantity=1)]
        )
    assert not Order.objects.exists()


def test_order_create_note_too_long_is_refused(world):
    with pytest.raises(ValidationError) as excinfo:
        services.order_create(
            dealer=world.dealer, placed_by=world.rep, note="x" * 1001,
            lines=[OrderLineInput(product=world.cola, quantity=1)],
        )
    assert "note" in excinfo.value.message_dict
    assert not Order.objects.exists()


# --- Payments -------------------------------------------------------------------------------
def test_order_record_payment_partial_payments_add_up_until_paid(world):
    order = order_in_state("confirmed", dealer=world.dealer, lines=[(world.cola, 10)])  # 550.00
    services.order_record_payment(order=order, by=world.finance, amount=Decimal("200.00"), reference="B1")
    order.refresh_from_db()
    assert (order.status, order.amount_paid, order.amount_due) == ("confirmed", Decimal("200.00"), Decimal("350.00"))
    services.order_record_payment(order=order, by=world.finance, amount="350.00")
    order.refresh_from_db()
    assert (order.status, order.amount_paid) == ("paid", Decimal("550.00"))
    assert order.paid_at is not None
    assert list(order.payments.values_list("amount", flat=True)) == [Decimal("200.00"), Decimal("350.00")]
    assert order.transitions.filter(from_status="confirmed", to_status="paid", by=world.finance).count() == 1


@pytest.mark.parametrize("amount, message", [
    ("0", services.PAYMENT_NOT_POSITIVE),
    ("-5.00", services.PAYMENT_NOT_POSITIVE),
    ("abc", services.PAYMENT_NOT_A_NUMBER),
    ("1.005", services.PAYMENT_NOT_A_NUMBER),
    ("NaN", services.PAYMENT_NOT_A_NUMBER),
])
def test_order_record_payment_not_positive_or_not_money_is_refused(world, amount, message):
    order = order_in_state("confirmed", dealer=world.dealer, lines=[(world.cola, 10)])
    with pytest.raises(ValidationError) as excinfo:
        services.order_record_payment(order=order, by=world.finance, amount=amount)
    assert excinfo.value.message_dict["amount"] == [str(message)]
    assert not Payment.objects.exists()


def test_order_record_payment_above_the_amount_due_is_refused(world):
    order = order_in_state("confirmed", dealer=world.dealer, lines=[(world.cola, 10)])
    services.order_record_payment(order=order, by=world.finance, amount="500.00")
    with pytest.raises(ValidationError) as excinfo:
        services.order_record_payment(order=order, by=world.finance, amount="50.01")
    assert excinfo.value.message_dict["amount"] == [
        services.PAYMENT_ABOVE_DUE % {"amount": "¥50.01", "due": "¥50.00"}
    ]
    order.refresh_from_db()
    assert order.amount_paid == Decimal("500.00") and order.payments.count() == 1


# --- Credit limit -----------------------------------------------------------------------------
def test_order_confirm_blocked_when_open_receivables_plus_order_exceed_credit_limit(world):
    world.dealer.credit_limit = Decimal("1000.00")
    world.dealer.save()
    earlier = order_in_state("confirmed", dealer=world.dealer, lines=[(world.cola, 10)])  # 550 owed
    services.order_record_payment(order=earlier, by=world.finance, amount="100.00")  # 450 owed
    order_in_state("received", dealer=world.dealer, lines=[(world.cola, 10)])  # paid: owes nothing
    order_in_state("cancelled", dealer=world.dealer, lines=[(world.cola, 10)])  # not a receivable
    order = OrderFactory(dealer=world.dealer, lines=[(world.chips, 11)])  # 605
    with pytest.raises(StateConflict) as excinfo:
        services.order_confirm(order=order, by=world.rep)
    assert str(excinfo.value) == services.CREDIT_LIMIT_EXCEEDED % {
        "dealer": "Baishun Trading", "open": "¥450.00", "total": "¥605.00", "sum": "¥1,055.00", "limit": "¥1,000.00",
    }
    order.refresh_from_db()
    assert order.status == "submitted" and order.transitions.count() == 1


def test_order_confirm_allowed_when_exactly_at_credit_limit(world):
    world.dealer.credit_limit = Decimal("1055.00")
    world.dealer.save()
    order_in_state("confirmed", dealer=world.dealer, lines=[(world.cola, 10)], payments=[])  # 550 owed
    order = OrderFactory(dealer=world.dealer, lines=[(world.chips, 9)])  # 495 → 1045
    services.order_confirm(order=order, by=world.rep)
    order.refresh_from_db()
    assert order.status == "confirmed"


def test_order_confirm_api_answers_409_with_the_credit_message(world, api_as):
    world.dealer.credit_limit = Decimal("100.00")
    world.dealer.save()
    order = OrderFactory(dealer=world.dealer, lines=[(world.cola, 2)])  # 110
    response = api_as(world.rep).post(f"/api/v1/orders/{order.pk}/confirm/")
    assert response.status_code == 409
    assert "Credit limit exceeded" in response.json()["detail"]


@time_machine.travel(datetime.datetime(2026, 3, 10, 23, 30, tzinfo=datetime.timezone(datetime.timedelta(hours=8))), tick=False)
def test_order_confirm_sets_payment_due_from_the_local_confirmation_day(world, settings):
    settings.ORDER_PAYMENT_TERMS_DAYS = 30
    order = OrderFactory(dealer=world.dealer)
    services.order_confirm(order=order, by=world.manager)
    order.refresh_from_db()
    assert order.payment_due_date == datetime.date(2026, 4, 9)
    assert order.confirmed_at == timezone.now()


def test_overdue_orders_are_the_unpaid_ones_past_their_due_date(world):
    late = order_in_state("confirmed", dealer=world.dealer, at=timezone.now() - datetime.timedelta(days=40))
    order_in_state("paid", dealer=world.dealer, at=timezone.now() - datetime.timedelta(days=40))
    order_in_state("confirmed", dealer=world.dealer)
    assert list(Order.objects.overdue()) == [late]
    assert late.is_overdue


# --- Reject, cancel, ship, receive ----------------------------------------------------------
def test_order_reject_needs_a_reason(world):
    order = OrderFactory(dealer=world.dealer)
    with pytest.raises(ValidationError) as excinfo:
        services.order_reject(order=order, by=world.rep, reason="   ")
    assert excinfo.value.message_dict["reason"] == [str(services.REASON_REQUIRED)]
    services.order_reject(order=order, by=world.rep, reason="Out of stock until May")
    order.refresh_from_db()
    assert (order.status, order.reason) == ("rejected", "Out of stock until May")


def test_order_cancel_after_a_partial_payment_is_a_conflict(world):
    order = order_in_state("confirmed", dealer=world.dealer)
    services.order_record_payment(order=order, by=world.finance, amount="1.00")
    with pytest.raises(StateConflict) as excinfo:
        services.order_cancel(order=order, by=world.rep, reason="Changed plan")
    assert str(excinfo.value) == str(services.PAID_ORDER_NOT_CANCELLABLE)


def test_order_ship_records_every_line_and_the_time(world):
    order = order_in_state("picked", dealer=world.dealer, lines=[(world.cola, 7), (world.chips, 3)])
    moment = timezone.now().replace(microsecond=0)
    services.order_ship(order=order, by=world.warehouse, reference="WB-42", at=moment)
    order.refresh_from_db()
    shipment = Shipment.objects.get(order=order)
    assert (order.status, order.shipped_at, shipment.shipped_at) == ("shipped", moment, moment)
    assert (shipment.dealer, shipment.shipped_by, shipment.reference) == (world.dealer, world.warehouse, "WB-42")
    assert sorted(shipment.lines.values_list("product__sku", "quantity")) == [("BEV-001", 7), ("SNK-001", 3)]
    # Its value: every line shipped at its order line's price (the scorecards' sales).
    prices = dict(order.lines.values_list("product__sku", "unit_price"))
    assert shipment.value == 7 * prices["BEV-001"] + 3 * prices["SNK-001"] == order.total


def test_shipment_values_refresh_works_out_each_value_from_the_lines_at_order_prices(world):
    """Shipments written by hand (a data load, a test world) get the value order_ship gives:
    a line of a product the order never had is worth nothing; no line, nothing."""
    order = OrderFactory(dealer=world.dealer, lines=[(world.cola, 4)])
    price = order.lines.get().unit_price
    shipped = Shipment.objects.create(order=order, dealer=world.dealer, shipped_by=world.warehouse)
    ShipmentLine.objects.bulk_create([ShipmentLine(shipment=shipped, product=world.cola, quantity=3),
                                      ShipmentLine(shipment=shipped, product=world.chips, quantity=5)])
    empty = Shipment.objects.create(order=order, dealer=world.dealer, shipped_by=world.warehouse, value=Decimal("9.99"))
    untouched = Shipment.objects.create(order=order, dealer=world.dealer, shipped_by=world.warehouse,
                                        value=Decimal("1.00"))

    assert services.shipment_values_refresh(shipment_ids=[shipped.pk, empty.pk]) == 2

    values = dict(Shipment.objects.values_list("pk", "value"))
    assert (values[shipped.pk], values[empty.pk], values[untouched.pk]) == (3 * price, Decimal("0.00"), Decimal("1.00"))
    assert services.shipment_values_refresh() == 3 and Shipment.objects.get(pk=untouched.pk).value == Decimal("0.00")


def test_order_receive_by_another_dealers_user_is_refused(world):
    order = order_in_state("shipped", dealer=world.dealer)
    with pytest.raises(PermissionDenied):
        services.order_receive(order=order, by=world.other_dealer_user)
    services.order_receive(order=order, by=world.dealer_user)
    order.refresh_from_db()
    assert order.status == "received" and order.received_at is not None


def test_order_transition_by_a_rep_outside_scope_is_refused(world):
    order = OrderFactory(dealer=world.dealer)
    with pytest.raises(PermissionDenied):
        services.order_confirm(order=order, by=world.other_rep)


def test_order_in_state_walks_the_whole_history(world):
    order = order_in_state("received", dealer=world.dealer, payments=["100.00", "10.00"], lines=[(world.cola, 2)])
    assert list(order.transitions.values_list("from_status", "to_status", "amount")) == [
        ("", "submitted", None), ("submitted", "confirmed", None),
        ("confirmed", "confirmed", Decimal("100.00")),  # a partial payment keeps the status
        ("confirmed", "paid", Decimal("10.00")), ("paid", "picked", None),
        ("picked", "shipped", None), ("shipped", "received", None),
    ]
    assert order.payments.count() == 2 and order.shipments.count() == 1


def test_order_status_changed_signal_is_sent_for_each_transition(world):
    seen = []

    def receiver(sender, order, from_status, to_status, by, at, **kwargs):
        seen.append((from_status, to_status))

    order_status_changed.connect(receiver)
    try:
        order_in_state("shipped", dealer=world.dealer)
    finally:
        order_status_changed.disconnect(receiver)
    assert seen[0] == ("submitted", "confirmed") and seen[-1] == ("picked", "shipped")


# --- Notifications ----------------------------------------------------------------------------
def test_order_confirmed_notifies_dealer_users_and_finance_once(world):
    colleague = world.dealer_user.__class__.objects.create(username="dealer2", role="dealer", dealer=world.dealer)
    order = OrderFactory(dealer=world.dealer)
    services.order_confirm(order=order, by=world.rep)
    keys = set(Notification.objects.values_list("recipient__username", "key"))
    assert keys == {
        ("dealer_user", f"order:{order.pk}:confirmed"),
        (colleague.username, f"order:{order.pk}:confirmed"),
        ("finance", f"order:{order.pk}:awaiting-payment"),
    }
    note = Notification.objects.get(recipient=world.dealer_user)
    assert note.title == f"Order {order.number} confirmed" and note.url == f"/inventory/orders/{order.pk}/"
    services._notify(order=order)  # a repeated delivery changes nothing
    assert Notification.objects.count() == 3
    assert not Notification.objects.filter(recipient=world.other_dealer_user).exists()


def test_finance_notification_of_an_order_awaiting_payment_opens_that_order(world, client):
    order = OrderFactory(dealer=world.dealer)
    services.order_confirm(order=order, by=world.rep)
    note = Notification.objects.get(recipient=world.finance, key=f"order:{order.pk}:awaiting-payment")
    assert note.url == f"/inventory/orders/{order.pk}/"
    client.force_login(world.finance)
    opened = client.post(f"/notifications/{note.pk}/open/")
    assert opened.status_code == 302 and opened["Location"] == note.url
    assert client.get(note.url).status_code == 200


def test_order_shipped_and_rejected_notify_the_dealer_in_its_language(world):
    world.dealer_user.language = "zh-hans"
    world.dealer_user.save()
    shipped = order_in_state("shipped", dealer=world.dealer)
    rejected = order_in_state("rejected", dealer=world.dealer, reason="No stock")
    titles = dict(Notification.objects.filter(recipient=world.dealer_user).values_list("key", "title"))
    assert f"order:{shipped.pk}:shipped" in titles and f"order:{rejected.pk}:rejected" in titles
    assert titles[f"order:{shipped.pk}:shipped"] == f"订单 {shipped.number} 已发货"
    body = Notification.objects.get(key=f"order:{rejected.pk}:rejected").body
    assert "No stock" in body


def test_order_paid_in_full_tells_the_warehouse_once_in_its_language(world):
    from accounts.tests.factories import WarehouseFactory

    chinese = WarehouseFactory(username="cangku", language="zh-hans")
    order = order_in_state("confirmed", dealer=world.dealer)
    services.order_record_payment(order=order, by=world.finance, amount=Decimal("1.00"))
    assert not world.warehouse.notifications.filter(key=f"order:{order.pk}:paid").exists()  # not paid in full yet
    order.refresh_from_db()
    services.order_record_payment(order=order, by=world.finance, amount=order.amount_due)
    english = world.warehouse.notifications.get(key=f"order:{order.pk}:paid")
    assert english.title == f"Order {order.number} paid: ready to pick" and english.url.endswith(f"/{order.pk}/")
    assert chinese.notifications.get(key=f"order:{order.pk}:paid").title == f"订单 {order.number} 已付款：可以配货"
    order.refresh_from_db()
    services._notify(order=order)  # found again: delivered once
    assert world.warehouse.notifications.filter(key=f"order:{order.pk}:paid").count() == 1


def test_order_ship_without_a_waybill_is_refused(world):
    order = order_in_state("picked", dealer=world.dealer)
    with pytest.raises(ValidationError) as error:
        services.order_ship(order=order, by=world.warehouse, reference=" ")
    assert error.value.message_dict == {"reference": [str(services.WAYBILL_REQUIRED)]}
