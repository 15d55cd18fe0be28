"""Factories for rebate plans, assignments and statements, and `shipped_order`,
which makes an order with its shipment records (what rebates accrue on)
without walking the order workflow."""

from __future__ import annotations

import datetime
from decimal import Decimal

import factory
from django.utils import timezone

from inventory.models import OrderStatus, Shipment, ShipmentLine
from inventory.services import shipment_values_refresh
from inventory.tests.factories import OrderFactory, ProductFactory
from rebates.models import (
    PeriodKind,
    PlanKind,
    RebateAssignment,
    RebatePlan,
    RebateStatement,
    RebateTier,
    StatementStatus,
)


class RebatePlanFactory(factory.django.DjangoModelFactory):
    """A flat 2.5 % quarterly plan; `FlatPlanFactory`, `TieredPlanFactory`, `CampaignPlanFactory` for the kinds."""

    class Meta:
        model = RebatePlan
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"RP{n:04d}")
    name = factory.Sequence(lambda n: f"Rebate plan {n}")
    kind = PlanKind.FLAT
    period_kind = PeriodKind.QUARTER
    rate = Decimal("2.5")


FlatPlanFactory = RebatePlanFactory


class TieredPlanFactory(RebatePlanFactory):
    """Volume tiers: ≥ 100,000 → 1 %, ≥ 200,000 → 2 % of the quarter (SPEC's example), or `tiers=[(threshold, rate)]`."""

    kind = PlanKind.TIERED
    rate = None

    @factory.post_generation
    def tiers(self, create, extracted, **kwargs):
        if not create:
            return
        for threshold, rate in extracted if extracted is not None else [("100000", "1"), ("200000", "2")]:
            RebateTier.objects.create(plan=self, threshold=Decimal(threshold), rate=Decimal(rate))


class CampaignPlanFactory(RebatePlanFactory):
    """A campaign: `rate` % on purchases of `products=[...]` between its dates (this month by default)."""

    kind = PlanKind.CAMPAIGN
    period_kind = PeriodKind.CAMPAIGN
    rate = Decimal("3")
    starts_on = factory.LazyFunction(lambda: timezone.localdate().replace(day=1))
    ends_on = factory.LazyAttribute(lambda plan: plan.starts_on + datetime.timedelta(days=27))

    @factory.post_generation
    def products(self, create, extracted, **kwargs):
        if create:
            self.products.set(extracted if extracted is not None else [ProductFactory()])


class RebateAssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RebateAssignment

    plan = factory.SubFactory(RebatePlanFactory)
    dealer = factory.SubFactory("dealers.tests.factories.DealerFactory")


class RebateStatementFactory(factory.django.DjangoModelFactory):
    """A bare statement row (for scope and list tests); real ones come from services.rebate_statements_recompute."""

    class Meta:
        model = RebateStatement

    dealer = factory.SubFactory("dealers.tests.factories.DealerFactory")
    plan = factory.SubFactory(RebatePlanFactory)
    period_start = datetime.date(2025, 1, 1)
    period_end = datetime.date(2025, 3, 31)
    basis = Decimal("10000.00")
    rate = Decimal("2.5")
    amount = Decimal("250.00")
    status = StatementStatus.ACCRUED
    computation = factory.LazyAttribute(
        lambda s: {"counted": {"from": s.period_start.isoformat(), "to": s.period_end.isoformat()}}
    )


def shipped_order(*, dealer, lines=None, at: datetime.datetime | None = None, status=OrderStatus.SHIPPED):
    """An order of `lines=[(product, quantity)]` priced from the dealer's tier,
    shipped at `at` (default now) with its shipment records."""
    at = at or timezone.now()
    order = OrderFactory(dealer=dealer, lines=lines, submitted_at=at - datetime.timedelta(days=1))
    order.status = status
    order.amount_paid = order.total
    order.shipped_at = at
    order.save(update_fields=["status", "amount_paid", "shipped_at"])
    shipment = Shipment.objects.create(order=order, dealer=dealer, shipped_at=at, shipped_by=order.placed_by)
    ShipmentLine.objects.bulk_create(
        ShipmentLine(shipment=shipment, product_id=line.product_id, quantity=line.quantity) for line in order.lines.all()
    )
    shipment_values_refresh(shipment_ids=[shipment.pk])
    return order


def local_dt(year: int, month: int, day: int, hour: int = 12, minute: int = 0) -> datetime.datetime:
    """An aware datetime in the company's time zone."""
    return timezone.make_aware(datetime.datetime(year, month, day, hour, minute))
