"""inventory 0004 gives every shipment already shipped its value (issue #16): migrate
back to before the column, ship goods the way the old code did (lines only), migrate
forward, and find each shipment worth its lines at the order's prices."""

from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from accounts.tests.factories import WarehouseFactory
from dealers.tests.factories import DealerFactory
from inventory.models import Shipment
from inventory.tests.factories import ProductFactory

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("inventory", "0003_order_history_payments")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return MigrationExecutor(connection).loader.project_state(targets).apps


@pytest.fixture(autouse=True)
def back_to_the_latest_layout():
    yield
    _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


def test_migration_values_every_shipment_from_its_lines_at_the_order_prices():
    old = _migrate(BEFORE)
    Order, OrderLine = old.get_model("inventory", "Order"), old.get_model("inventory", "OrderLine")
    OldShipment, OldLine = old.get_model("inventory", "Shipment"), old.get_model("inventory", "ShipmentLine")
    dealer, warehouse = DealerFactory(), WarehouseFactory()
    cola, chips, extra = ProductFactory(), ProductFactory(), ProductFactory()
    order = Order.objects.create(dealer_id=dealer.pk, placed_by_id=warehouse.pk, status="shipped",
                                 submitted_at=timezone.now(), total=Decimal("131.00"))
    OrderLine.objects.create(order=order, product_id=cola.pk, quantity=7, unit_price=Decimal("12.50"),
                             line_total=Decimal("87.50"))
    OrderLine.objects.create(order=order, product_id=chips.pk, quantity=3, unit_price=Decimal("14.50"),
                             line_total=Decimal("43.50"))
    full = OldShipment.objects.create(order=order, dealer_id=dealer.pk, shipped_by_id=warehouse.pk)
    OldLine.objects.create(shipment=full, product_id=cola.pk, quantity=7)
    OldLine.objects.create(shipment=full, product_id=chips.pk, quantity=3)
    part = OldShipment.objects.create(order=order, dealer_id=dealer.pk, shipped_by_id=warehouse.pk)
    OldLine.objects.create(shipment=part, product_id=chips.pk, quantity=2)
    OldLine.objects.create(shipment=part, product_id=extra.pk, quantity=9)  # not on the order: never sold
    empty = OldShipment.objects.create(order=order, dealer_id=dealer.pk, shipped_by_id=warehouse.pk)

    _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    values = dict(Shipment.objects.values_list("pk", "value"))
    assert values == {full.pk: Decimal("131.00"), part.pk: Decimal("29.00"), empty.pk: Decimal("0.00")}
