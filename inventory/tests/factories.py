"""Factories for products, prices, orders, payments and shipments.

`ProductFactory()` also creates a price for every dealer tier (pass
`prices={"city": "55.00"}` for only some, `prices={}` for none).
`OrderFactory(dealer=..., lines=[(product, 10), ...])` makes a submitted order
with lines priced from the dealer's tier; to get an order in a later state with
consistent payments, shipments and history, use `order_in_state(...)`, which
walks the real workflow services.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

import factory
from django.utils import timezone

from dealers.models import DealerTier
from inventory.models import (
    Order,
    OrderLine,
    OrderSource,
    OrderStatus,
    OrderTransition,
    Payment,
    Product,
    ProductCategory,
    Shipment,
    ShipmentLine,
    TierPrice,
)

DEFAULT_TIER_PRICES = {
    DealerTier.PROVINCE: Decimal("50.00"),
    DealerTier.CITY: Decimal("55.00"),
    DealerTier.COUNTY: Decimal("60.00"),
}


class ProductCategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProductCategory
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Category {n}")


class ProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Product
        skip_postgeneration_save = True

    sku = factory.Sequence(lambda n: f"SKU{n:05d}")
    name = factory.Sequence(lambda n: f"Product {n}")
    category = factory.SubFactory(ProductCategoryFactory)
    specification = "500 ml × 24"
    units_per_case = 24
    shelf_life_days = 365
    guideline_price = Decimal("4.50")
    floor_price = Decimal("3.80")
    safety_coefficient = None
    is_active = True

    @factory.post_generation
    def prices(self, create, extracted, **kwargs):
        """A price per tier: the defaults, or `prices={tier: price}` (an empty dict: none)."""
        if not create:
            return
        prices = DEFAULT_TIER_PRICES if extracted is None else extracted
        for tier, price in prices.items():
            TierPrice.objects.update_or_create(tier=tier, product=self, defaults={"price": Decimal(price)})


class TierPriceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TierPrice
        django_get_or_create = ["tier", "product"]

    tier = DealerTier.CITY
    product = factory.SubFactory(ProductFactory, prices={})
    price = Decimal("55.00")


class OrderFactory(factory.django.DjangoModelFactory):
    """A submitted order; `lines=[(product, quantity), ...]` (default: one new product × 10)."""

    class Meta:
        model = Order
        skip_postgeneration_save = True

    dealer = factory.SubFactory("dealers.tests.factories.DealerFactory")
    placed_by = factory.LazyAttribute(lambda order: order.dealer.rep or _a_rep())
    source = OrderSource.ON_BEHALF
    status = OrderStatus.SUBMITTED
    submitted_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def lines(self, create, extracted, **kwargs):
        if not create:
            return
        wanted = extracted if extracted is not None else [(ProductFactory(), 10)]
        total = Decimal("0.00")
        for product, quantity in wanted:
            price = TierPrice.objects.get(tier=self.dealer.tier, product=product).price
            line = OrderLine.objects.create(
                order=self, product=product, quantity=quantity, unit_price=price, line_total=price * quantity
            )
            total += line.line_total
        self.total = total
        self.save(update_fields=["total"])
        OrderTransition.objects.create(
            order=self, from_status="", to_status=OrderStatus.SUBMITTED, by=self.placed_by, at=self.submitted_at
        )


def _a_rep():
    from accounts.tests.factories import RepFactory

    return RepFactory()


class OrderLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrderLine

    order = factory.SubFactory(OrderFactory, lines=[])
    product = factory.SubFactory(ProductFactory)
    quantity = 5
    unit_price = Decimal("55.00")
    line_total = factory.LazyAttribute(lambda line: line.unit_price * line.quantity)


class OrderTransitionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrderTransition

    order = factory.SubFactory(OrderFactory)
    from_status = OrderStatus.SUBMITTED
    to_status = OrderStatus.CONFIRMED
    by = factory.LazyAttribute(lambda transition: transition.order.placed_by)


class PaymentFactory(factory.django.DjangoModelFactory):
    """A bare payment row (does not update the order: use services.order_record_payment for that)."""

    class Meta:
        model = Payment

    order = factory.SubFactory(OrderFactory)
    amount = Decimal("100.00")
    recorded_by = factory.SubFactory("accounts.tests.factories.FinanceFactory")
    reference = factory.Sequence(lambda n: f"BANK-{n:06d}")


class ShipmentFactory(factory.django.DjangoModelFactory):
    """A bare shipment (for delivery windows in tests): `ShipmentFactory(dealer=d, shipped_at=t)`,
    then `ShipmentLineFactory(shipment=s, product=p, quantity=q)`."""

    class Meta:
        model = Shipment

    order = factory.SubFactory(OrderFactory, dealer=factory.SelfAttribute("..dealer"))
    dealer = factory.SubFactory("dealers.tests.factories.DealerFactory")
    shipped_at = factory.LazyFunction(timezone.now)
    shipped_by = factory.SubFactory("accounts.tests.factories.WarehouseFactory")
    reference = factory.Sequence(lambda n: f"WB{n:06d}")


class ShipmentLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ShipmentLine

    shipment = factory.SubFactory(ShipmentFactory)
    product = factory.SubFactory(ProductFactory)
    quantity = 10

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        """The line, and its shipment's value worked out again (as order_ship stores it)."""
        from inventory import services

        line = super()._create(model_class, *args, **kwargs)
        services.shipment_values_refresh(shipment_ids=[line.shipment_id])
        return line


def order_in_state(
    status: str,
    *,
    dealer=None,
    lines=None,
    at: datetime.datetime | None = None,
    by=None,
    reason: str = "Test reason",
    payments: list[Decimal] | None = None,
) -> Order:
    """An order brought to `status` through the real workflow services, so its
    history, payments, shipment and timestamps are consistent.

    `at` is when it was submitted (later steps follow one hour apart);
    `payments` splits the payment (default: one payment of the total);
    `by` is an HQ admin by default (allowed every step).
    """
    from accounts.tests.factories import AdminFactory
    from dealers.tests.factories import DealerFactory
    from inventory import services

    by = by or AdminFactory()
    order = OrderFactory(
        dealer=dealer or DealerFactory(), lines=lines, submitted_at=at or timezone.now(),
    )
    clock = order.submitted_at
    path = {
        OrderStatus.SUBMITTED: [],
        OrderStatus.REJECTED: ["reject"],
        OrderStatus.CANCELLED: ["cancel"],
        OrderStatus.CONFIRMED: ["confirm"],
        OrderStatus.PAID: ["confirm", "pay"],
        OrderStatus.PICKED: ["confirm", "pay", "pick"],
        OrderStatus.SHIPPED: ["confirm", "pay", "pick", "ship"],
        OrderStatus.RECEIVED: ["confirm", "pay", "pick", "ship", "receive"],
    }[OrderStatus(status)]
    for action in path:
        clock = clock + datetime.timedelta(hours=1)
        if action == "pay":
            for amount in payments or [order.total]:
                services.order_record_payment(order=order, by=by, amount=Decimal(amount), at=clock)
                order.refresh_from_db()
            continue
        services.order_transition(order=order, action=action, by=by, reason=reason, at=clock,
                                  reference=f"WB-{order.pk:06d}" if action == "ship" else "")
        order.refresh_from_db()
    return order
