"""Demo visits (part of `seed_demo`): a plan for every active dealer, about four
months of past visits (mostly completed, some missed or cancelled) with their
market checks — a couple of 窜货 / 砸价 findings among them, one turned into a
violation — the products each dealer carries, requests in every state, a
manager's comments, and the next four weeks generated from the plans.

Idempotent: a dealer's history is made once, together with its plan; requests
once per dealer; the generation of coming visits is idempotent by itself.
Stock counts are seeded by the stock-count seeder, not here.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from accounts.selectors import managers_for_region
from common.demo import DemoWorld
from dealers.models import Dealer, DealerStatus
from inventory.models import DealerProduct, Product
from visits import calculations, services
from visits.models import (
    DealerRequest,
    MarketCheck,
    MarketObservation,
    ObservationKind,
    PlanRule,
    RequestStatus,
    Visit,
    VisitComment,
    VisitPlan,
    VisitStatus,
)

HISTORY_DAYS = 120
OUTLETS = ["联华超市", "好又多便利店", "百家福副食", "永辉社区店", "华联生活超市", "天天鲜超市", "老街坊小卖部", "惠民便利"]
COMPETITORS = ["康师傅", "统一", "农夫山泉", "娃哈哈", "元气森林"]
POLICIES = ["传达四季度返利阶梯政策", "新品上市铺货奖励说明", "春节备货政策与账期安排", "陈列费用申报流程"]
FEEDBACK = ["到货偶有延迟，希望固定配送日", "希望增加小规格装", "竞品促销力度大，请求支持", "无"]
REQUESTS = [
    ("申请两个端架陈列架", False), ("破损 3 箱申请调换", False), ("对账差异 1,200 元请核实", False),
    ("希望节日期间额外 2% 折扣", True), ("申请延长账期至 45 天", True), ("需要新品试饮物料", False),
]


def _at(day: datetime.date, time: datetime.time) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, time))


def _plan_for(index: int, today: datetime.date) -> dict:
    starts_on = today - datetime.timedelta(days=HISTORY_DAYS + 10)
    kind = index % 3
    if kind == 0:
        return {"rule": PlanRule.MONTHLY_DAYS, "month_days": [10, 25], "weekdays": [], "interval_days": None,
                "starts_on": starts_on, "visit_time": datetime.time(10, 0)}
    if kind == 1:
        return {"rule": PlanRule.WEEKLY, "month_days": [], "weekdays": [index % 5], "interval_days": None,
                "starts_on": starts_on, "visit_time": datetime.time(14, 30)}
    return {"rule": PlanRule.EVERY_N_DAYS, "month_days": [], "weekdays": [], "interval_days": 14,
            "starts_on": starts_on, "visit_time": datetime.time(9, 30)}


def _carried(world: DemoWorld, dealer: Dealer, products: list[Product]) -> list[Product]:
    existing = list(Product.objects.filter(carried_by__dealer=dealer))
    if existing:
        return existing
    chosen = world.rng.sample(products, min(len(products), world.rng.randint(8, 15)))
    since = timezone.localdate() - datetime.timedelta(days=HISTORY_DAYS + 30)
    DealerProduct.objects.bulk_create(
        [DealerProduct(dealer=dealer, product=product, since=since) for product in chosen], ignore_conflicts=True
    )
    return chosen


def _observations(world: DemoWorld, carried: list[Product]) -> list[MarketObservation]:
    rng = world.rng
    rows = []
    for _ in range(rng.randint(1, 3)):
        product = rng.choice(carried) if carried else None
        guideline = product.guideline_price if product else None
        kind = rng.choice([ObservationKind.PRICE, ObservationKind.PRICE, ObservationKind.DISPLAY, ObservationKind.COMPETITOR])
        price = (guideline * Decimal(rng.choice(["0.95", "1.00", "1.00", "1.05"]))).quantize(Decimal("0.01")) if guideline else None
        rows.append(MarketObservation(
            kind=kind, outlet=rng.choice(OUTLETS), product=product if kind != ObservationKind.COMPETITOR else None,
            competitor_brand=rng.choice(COMPETITORS) if kind == ObservationKind.COMPETITOR else "",
            competitor_promotion="买二送一" if kind == ObservationKind.COMPETITOR and rng.random() < 0.5 else "",
            retail_price=price if kind == ObservationKind.PRICE else None,
            guideline_price=guideline if kind == ObservationKind.PRICE else None,
            in_stock=rng.random() > 0.15 if kind == ObservationKind.PRICE else None,
            display="端架两层" if kind == ObservationKind.DISPLAY else "",
        ))
    return rows


def _history(world: DemoWorld, dealer: Dealer, plan: VisitPlan, carried: list[Product], today: datetime.date) -> list[Visit]:
    """The plan's past occurrences as visits, with market checks, in a few bulk inserts."""
    rng = world.rng
    days = calculations.plan_occurrences(
        rule=plan.rule, start=today - datetime.timedelta(days=HISTORY_DAYS), end=today - datetime.timedelta(days=1),
        starts_on=plan.starts_on, month_days=plan.month_days, weekdays=plan.weekdays, interval_days=plan.interval_days,
    )
    visits = []
    for day in days:
        scheduled = _at(day, plan.visit_time)
        roll = rng.random()
        visit = Visit(dealer=dealer, rep=dealer.rep, plan=plan, plan_occurrence=day, scheduled_for=scheduled,
                      created_by=dealer.rep)
        if roll < 0.08:
            visit.status, visit.missed_at = VisitStatus.MISSED, _at(day + datetime.timedelta(days=1), datetime.time(0, 5))
        elif roll < 0.14:
            visit.status, visit.cancelled_at = VisitStatus.CANCELLED, scheduled - datetime.timedelta(days=1)
            visit.cancel_reason = rng.choice(["经销商外出进货", "台风停业", "改为电话沟通"])
        else:
            visit.status = VisitStatus.COMPLETED
            visit.started_at = scheduled + datetime.timedelta(minutes=rng.randint(-10, 20))
            visit.completed_at = visit.started_at + datetime.timedelta(minutes=rng.randint(40, 90))
            if dealer.latitude is not None and dealer.longitude is not None:
                visit.start_latitude = (dealer.latitude + Decimal(rng.randint(-200, 200)) / 100000).quantize(Decimal("0.000001"))
                visit.start_longitude = (dealer.longitude + Decimal(rng.randint(-200, 200)) / 100000).quantize(Decimal("0.000001"))
                visit.start_accuracy_m = rng.randint(8, 60)
            visit.policy_notes = rng.choice(POLICIES)
            visit.dealer_feedback = rng.choice(FEEDBACK)
            visit.display_notes = "建议主推品放在入口端架，先进先出" if rng.random() < 0.5 else ""
            visit.terminal_notes = "走访周边 3 家终端，动销正常" if rng.random() < 0.5 else ""
        visits.append(visit)
    Visit.objects.bulk_create(visits)
    checks, findings = [], []
    for visit in visits:
        if visit.status != VisitStatus.COMPLETED:
            continue
        skipped = rng.random() < 0.07
        check = MarketCheck(
            visit=visit, checked_at=visit.started_at - datetime.timedelta(minutes=rng.randint(30, 90)),
            outlets_walked=0 if skipped else rng.randint(2, 6), recorded_by=dealer.rep,
            skipped_reason="大雨，终端多数关门" if skipped else "", notes="" if skipped else "周边终端价格基本稳定",
        )
        checks.append(check)
        if not skipped:
            findings.append((check, _observations(world, carried)))
    MarketCheck.objects.bulk_create(checks)
    rows = []
    for check, observations in findings:
        for observation in observations:
            observation.market_check = check
            rows.append(observation)
    MarketObservation.objects.bulk_create(rows)
    return visits


def _finding(dealer: Dealer, visit: Visit, kind: str, product: Product | None) -> MarketObservation | None:
    check = MarketCheck.objects.filter(visit=visit).first()
    if check is None or check.is_skipped:
        return None
    guideline = product.guideline_price if product else None
    return MarketObservation.objects.create(
        market_check=check, kind=kind, outlet="万家福超市" if kind == ObservationKind.CROSS_TERRITORY else "鑫隆批发部",
        product=product, guideline_price=guideline,
        retail_price=(guideline * Decimal("0.82")).quantize(Decimal("0.01")) if guideline and kind == ObservationKind.PRICE_DUMPING else None,
        notes="发现外区批号货品" if kind == ObservationKind.CROSS_TERRITORY else "低于最低限价销售",
    )


def _requests(world: DemoWorld, dealer: Dealer, visits: list[Visit], today: datetime.date) -> None:
    if DealerRequest.objects.filter(dealer=dealer).exists():
        return
    rng = world.rng
    completed = [visit for visit in visits if visit.status == VisitStatus.COMPLETED]
    manager = managers_for_region(dealer.region).first() if dealer.region_id else None
    for index, (text, beyond) in enumerate(rng.sample(REQUESTS, 3)):
        visit = completed[-1 - index] if len(completed) > index else None
        created = timezone.localtime(visit.completed_at).date() if visit else today - datetime.timedelta(days=5)
        item = DealerRequest(dealer=dealer, visit=visit, description=text, owner=dealer.rep, created_by=dealer.rep,
                             due_on=created + datetime.timedelta(days=rng.choice([3, 7, 10])))
        if beyond and manager is not None:
            item.beyond_authority, item.escalated_to = True, manager
            item.escalated_at = _at(created, datetime.time(17, 0))
            outcome = rng.choice([RequestStatus.ESCALATED, RequestStatus.APPROVED, RequestStatus.DECLINED])
            item.status = outcome
            if outcome != RequestStatus.ESCALATED:
                item.decided_by, item.decided_at = manager, item.escalated_at + datetime.timedelta(days=1)
                item.answer = "同意，按季度政策执行" if outcome == RequestStatus.APPROVED else "本季度预算已用完，下季度再议"
                if outcome == RequestStatus.DECLINED:
                    item.closed_at = item.decided_at
        elif item.due_on < today and rng.random() < 0.7:
            item.status, item.answer = RequestStatus.DONE, "已处理完毕"
            item.closed_at = _at(item.due_on, datetime.time(16, 0))
        else:
            item.status = RequestStatus.OPEN
        item.save()


def seed(world: DemoWorld) -> None:
    products = list(Product.objects.filter(is_active=True).order_by("sku"))
    if not products:
        return
    today = timezone.localdate()
    dealers = list(
        Dealer.objects.filter(status=DealerStatus.ACTIVE, rep__isnull=False).select_related("rep", "region").order_by("code")
    )
    with_plans = set(VisitPlan.objects.filter(dealer__in=dealers).values_list("dealer_id", flat=True))
    findings_made = 0
    for index, dealer in enumerate(dealers):
        carried = _carried(world, dealer, products)
        if dealer.pk in with_plans:
            continue
        with transaction.atomic():
            fields = _plan_for(index, today)
            plan = VisitPlan.objects.create(
                dealer=dealer, created_by=dealer.rep, cycle_days=calculations.cycle_days_for(
                    fields["rule"], month_days=fields["month_days"], weekdays=fields["weekdays"],
                    interval_days=fields["interval_days"]),
                **fields,
            )
            visits = _history(world, dealer, plan, carried, today)
            completed = [visit for visit in visits if visit.status == VisitStatus.COMPLETED]
            if findings_made < 2 and len(completed) >= 2:
                kind = ObservationKind.CROSS_TERRITORY if findings_made == 0 else ObservationKind.PRICE_DUMPING
                observation = _finding(dealer, completed[-2], kind, carried[0] if carried else None)
                if observation is not None:
                    findings_made += 1
                    if kind == ObservationKind.CROSS_TERRITORY:
                        services.observation_violation_record(observation=observation, by=dealer.rep)
            manager = managers_for_region(dealer.region).first() if dealer.region_id else None
            if manager is not None and completed:
                VisitComment.objects.create(visit=completed[-1], author=manager, body="陈列照片很好，下次拍一下竞品端架。")
            _requests(world, dealer, visits, today)
    services.visits_generate(today=today)
