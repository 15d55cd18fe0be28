"""Demo rebate plans (flat yearly, tiered quarterly, a campaign), assigned to the
demo dealers, their statements computed from the demo shipments, and the ended
periods settled for part of the dealers (part of `seed_demo`).

Idempotent: plans are found by code, assignments by (plan, dealer); the
statements are a recomputation; only accrued statements of ended periods of
the chosen dealers are settled, so a second run changes nothing.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone

from accounts.models import Role, User
from common.demo import DemoWorld
from dealers.models import Dealer, DealerStatus, DealerTier
from inventory.models import Product
from rebates import services
from rebates.models import (
    PeriodKind,
    PlanKind,
    RebateAssignment,
    RebatePlan,
    RebateStatement,
    RebateTier,
    StatementStatus,
)

FLAT_CODE, TIERED_CODE, CAMPAIGN_CODE = "KA-2.5-Y", "VOL-Q", "AUTUMN-BEV"
TIERS = [("10000", "1"), ("25000", "2"), ("50000", "3")]
# Ended periods of this province's dealers are already settled; the others wait for finance.
SETTLED_PROVINCE = "浙江省"


def seed(world: DemoWorld) -> None:
    today = timezone.localdate()
    plans = _seed_plans(today)
    _seed_assignments(world, plans)
    services.rebate_statements_recompute(until=today)
    _settle_ended_periods(world, today)


def _seed_plans(today: datetime.date) -> dict[str, RebatePlan]:
    year_start = datetime.date(today.year, 1, 1)
    flat, _created = RebatePlan.objects.get_or_create(code=FLAT_CODE, defaults={
        "name": "KA 年度返利 2.5%", "kind": PlanKind.FLAT, "period_kind": PeriodKind.YEAR, "rate": Decimal("2.5"),
        "starts_on": year_start,
        "description": "按年度进货额（以发货为准）的 2.5% 返利，次年一季度内以货款抵扣方式结算（KA 合同条款）。",
    })
    tiered, created = RebatePlan.objects.get_or_create(code=TIERED_CODE, defaults={
        "name": "季度阶梯返利", "kind": PlanKind.TIERED, "period_kind": PeriodKind.QUARTER,
        "description": "季度进货额达到 1 万元返 1%，2.5 万元返 2%，5 万元返 3%，按达到的最高档计全额。",
    })
    if created:
        RebateTier.objects.bulk_create(
            RebateTier(plan=tiered, threshold=Decimal(threshold), rate=Decimal(rate)) for threshold, rate in TIERS
        )
    campaign_end = today - datetime.timedelta(days=20)
    campaign, created = RebatePlan.objects.get_or_create(code=CAMPAIGN_CODE, defaults={
        "name": "秋季饮料进货返利 3%", "kind": PlanKind.CAMPAIGN, "period_kind": PeriodKind.CAMPAIGN,
        "rate": Decimal("3"), "starts_on": campaign_end - datetime.timedelta(days=45), "ends_on": campaign_end,
        "description": "活动期间饮料类产品进货额的 3% 返利，活动结束后统一结算。",
    })
    if created:
        campaign.products.set(Product.objects.filter(category__name="饮料"))
    return {"flat": flat, "tiered": tiered, "campaign": campaign}


def _seed_assignments(world: DemoWorld, plans: dict[str, RebatePlan]) -> None:
    admin = User.objects.filter(role=Role.ADMIN).order_by("pk").first()
    dealers = list(Dealer.objects.filter(status__in=[DealerStatus.ACTIVE, DealerStatus.SUSPENDED]).select_related("region"))
    zhejiang = world.regions.get(SETTLED_PROVINCE)
    for dealer in dealers:
        wanted = [plans["tiered"]]
        if dealer.tier in (DealerTier.PROVINCE, DealerTier.CITY):
            wanted.append(plans["flat"])
        if zhejiang is not None and dealer.region.path.startswith(zhejiang.path):
            wanted.append(plans["campaign"])
        for plan in wanted:
            RebateAssignment.objects.get_or_create(plan=plan, dealer=dealer, defaults={"created_by": admin})


def _settle_ended_periods(world: DemoWorld, today: datetime.date) -> None:
    finance = world.users.get("finance") or User.objects.filter(role=Role.FINANCE, is_active=True).first()
    zhejiang = world.regions.get(SETTLED_PROVINCE)
    if finance is None or zhejiang is None:
        return
    due = (
        RebateStatement.objects.filter(
            status=StatementStatus.ACCRUED, period_end__lte=today - datetime.timedelta(days=2),
            dealer__region__path__startswith=zhejiang.path,
        )
        .exclude(plan__code=CAMPAIGN_CODE, dealer__code="ZJ-004")  # one campaign statement left pending
        .select_related("plan", "dealer")
        .order_by("period_start", "dealer__code", "plan__code")
    )
    for number, statement in enumerate(due, start=1):
        campaign = statement.plan.code == CAMPAIGN_CODE
        settled_on = min(statement.period_end + datetime.timedelta(days=8), today - datetime.timedelta(days=1))
        services.rebate_statement_settle(
            statement=statement, by=finance,
            method="payment" if campaign else "credit_note",
            reference=f"{'FL' if campaign else 'CN'}-{statement.period_end:%Y%m}-{statement.dealer.code}",
            note="抵扣下期货款" if number % 2 and not campaign else "",
            at=timezone.make_aware(datetime.datetime.combine(settled_on, datetime.time(10, 0))),
        )
