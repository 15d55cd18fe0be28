"""Scope functions and the deliveries selector the suggested order depends on."""

import datetime

import pytest
from django.utils import timezone

from dealers.tests.factories import DealerFactory
from inventory.selectors import (
    DeliveryWindow,
    deliveries_between,
    deliveries_by_window,
    order_queryset_for,
    tier_price_queryset_for,
)
from inventory.tests.factories import OrderFactory, ProductFactory, ShipmentFactory, ShipmentLineFactory

pytestmark = pytest.mark.django_db

T0 = datetime.datetime(2026, 3, 1, 9, 0, tzinfo=datetime.UTC)


def hours(n: float) -> datetime.datetime:
    return T0 + datetime.timedelta(hours=n)


def ship(dealer, at, *lines):
    shipment = ShipmentFactory(dealer=dealer, shipped_at=at)
    for product, quantity in lines:
        ShipmentLineFactory(shipment=shipment, product=product, quantity=quantity)
    return shipment


# --- Deliveries -------------------------------------------------------------------------------
def test_deliveries_between_counts_start_exclusive_end_inclusive(world):
    cola, chips = world.cola, world.chips
    ship(world.dealer, hours(0), (cola, 100))  # exactly at start: excluded
    ship(world.dealer, hours(1), (cola, 10), (chips, 4))
    ship(world.dealer, hours(2), (cola, 5))  # exactly at end: included
    ship(world.dealer, hours(2.0001), (cola, 1000))  # after end: excluded
    ship(world.other, hours(1), (cola, 7))  # another dealer
    result = deliveries_between(windows=[(world.dealer.pk, hours(0), hours(2))])
    assert result == {(world.dealer.pk, cola.pk): 15, (world.dealer.pk, chips.pk): 4}


def test_deliveries_between_answers_many_dealers_in_one_query(world, django_assert_num_queries):
    dealers = [DealerFactory() for _ in range(30)]
    for index, dealer in enumerate(dealers):
        ship(dealer, hours(index % 5), (world.cola, index + 1))
    windows = [(dealer.pk, hours(-1), hours(2)) for dealer in dealers]  # keeps index % 5 in (0, 1, 2)
    with django_assert_num_queries(1):
        result = deliveries_between(windows=windows)
    expected = {(dealer.pk, world.cola.pk): index + 1 for index, dealer in enumerate(dealers) if index % 5 <= 2}
    assert result == expected


def test_deliveries_between_open_start_counts_everything_up_to_end(world):
    ship(world.dealer, hours(-1000), (world.cola, 3))
    ship(world.dealer, hours(5), (world.cola, 4))
    assert deliveries_between(windows=[(world.dealer.pk, None, hours(5))]) == {(world.dealer.pk, world.cola.pk): 7}


def test_deliveries_between_nothing_delivered_is_absent_and_empty_input_asks_nothing(world, django_assert_num_queries):
    assert deliveries_between(windows=[(world.dealer.pk, hours(0), hours(1))]) == {}
    with django_assert_num_queries(0):
        assert deliveries_between(windows=[]) == {}


def test_deliveries_between_refuses_two_windows_for_one_dealer(world):
    with pytest.raises(ValueError):
        deliveries_between(windows=[(world.dealer.pk, hours(0), hours(1)), (world.dealer.pk, hours(1), hours(2))])


def test_deliveries_by_window_handles_several_periods_of_one_dealer(world):
    ship(world.dealer, hours(1), (world.cola, 10))
    ship(world.dealer, hours(3), (world.cola, 20))
    ship(world.other, hours(3), (world.chips, 2))
    windows = [
        DeliveryWindow(world.dealer.pk, hours(0), hours(2)),
        DeliveryWindow(world.dealer.pk, hours(2), hours(4)),
        DeliveryWindow(world.dealer.pk, hours(0), hours(4)),
        DeliveryWindow(world.other.pk, None, hours(4)),
    ]
    assert deliveries_by_window(windows=windows) == {
        (0, world.cola.pk): 10, (1, world.cola.pk): 20, (2, world.cola.pk): 30, (3, world.chips.pk): 2,
    }


def test_deliveries_between_reads_times_in_any_time_zone(world):
    shanghai = datetime.timezone(datetime.timedelta(hours=8))
    ship(world.dealer, hours(1), (world.cola, 6))
    local_end = hours(1).astimezone(shanghai)  # the same moment, written in local time
    assert deliveries_between(windows=[(world.dealer.pk, hours(0).astimezone(shanghai), local_end)]) == {
        (world.dealer.pk, world.cola.pk): 6
    }


def test_deliveries_come_from_shipping_an_order(world):
    from inventory.tests.factories import order_in_state

    before = timezone.now()
    order = order_in_state("shipped", dealer=world.dealer, lines=[(world.cola, 12)])
    assert deliveries_between(windows=[(world.dealer.pk, before, order.shipped_at)]) == {
        (world.dealer.pk, world.cola.pk): 12
    }


# --- Scope ------------------------------------------------------------------------------------
@pytest.mark.parametrize("who, sees_own, sees_other", [
    ("admin", True, True), ("finance", True, True), ("warehouse", True, True),
    ("manager", True, False), ("rep", True, False), ("dealer_user", True, False),
    ("other_dealer_user", False, True), ("other_rep", False, True), ("other_manager", False, True),
])
def test_order_queryset_for_follows_the_dealer_scope(world, who, sees_own, sees_other):
    own, other = OrderFactory(dealer=world.dealer), OrderFactory(dealer=world.other)
    visible = set(order_queryset_for(getattr(world, who)))
    assert (own in visible, other in visible) == (sees_own, sees_other)


def test_tier_price_queryset_for_a_dealer_user_is_its_own_tier_of_products_on_sale(world):
    ProductFactory(is_active=False)
    prices = tier_price_queryset_for(world.dealer_user)
    assert {price.tier for price in prices} == {"city"}
    assert {price.product for price in prices} == {world.cola, world.chips}
    assert tier_price_queryset_for(world.rep).count() == 9
