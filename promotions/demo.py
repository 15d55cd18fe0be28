"""Demo campaigns (part of `seed_demo`): one of each type, one finished with its
review, one mid-way through its follow-up clock, and a draft awaiting approval.

Idempotent: campaigns are found by name and only made once; their dates are set
relative to the day of the first seeding. Everything goes through the services,
so checklists, history, assignments, follow-ups and the review agree. Runs after
the inventory seeder (products, shipments for the effect).
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import F
from django.utils import timezone

from common.demo import DemoWorld
from inventory.models import Product
from promotions import services
from promotions.models import (
    Attendee,
    Campaign,
    CampaignStatus,
    CampaignTransition,
    FollowUpChannel,
    FollowUpOutcome,
    Interest,
    ObjectiveKind,
    PreparationTask,
    ThankYou,
    ThankYouStatus,
)
from promotions.workflow import CampaignAction

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高"
GIVEN = ["伟", "芳", "娜", "敏", "静", "强", "磊", "军", "洋", "勇", "艳", "杰", "涛", "明", "超", "霞", "平", "刚", "辉", "玲"]
SHOPS = [
    "好又多便利店", "联华超市西湖店", "百家福副食", "万家乐批发部", "鑫源食品商行", "惠民便利", "金穗粮油店",
    "天天鲜超市", "华联生活超市", "阳光副食", "永辉社区店", "老街坊小卖部", "顺发烟酒店", "新世纪商贸",
]
INTERESTS = [Interest.HOT, Interest.WARM, Interest.WARM, Interest.COLD, Interest.NONE]


def _days(n: int) -> datetime.timedelta:
    return datetime.timedelta(days=n)


def _products(*skus: str) -> list[Product]:
    found = {product.sku: product for product in Product.objects.filter(sku__in=skus)}
    products = [found[sku] for sku in skus if sku in found]
    if len(products) < len(skus):  # another demo catalogue: take what there is
        products = list(Product.objects.filter(is_active=True).order_by("sku")[: len(skus)])
    return products


def _person(world: DemoWorld, index: int) -> dict:
    rng = world.rng
    name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))
    return {
        "name": name,
        "phone": f"13{rng.randint(5, 9)}{rng.randint(10_000_000, 99_999_999)}",
        "company": rng.choice(SHOPS) if rng.random() < 0.85 else "",
        "email": f"guest{index}@example.com" if rng.random() < 0.4 else "",
        "interest": rng.choice(INTERESTS),
    }


def _record_people(world: DemoWorld, campaign: Campaign, by, count: int) -> list[Attendee]:
    people = []
    for index in range(count):
        try:
            people.append(services.attendee_record(campaign=campaign, by=by, **_person(world, campaign.pk * 100 + index)))
        except ValidationError:  # the rare repeated random phone: skip it
            continue
    return people


def _backdate(campaign: Campaign, moments: dict[str, datetime.datetime]) -> None:
    """History at the moments it would have happened, not at seeding time."""
    for status, moment in moments.items():
        CampaignTransition.objects.filter(campaign=campaign, to_status=status).update(at=moment)


def _at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=timezone.get_current_timezone())


def seed(world: DemoWorld) -> None:
    if not Product.objects.exists():
        return
    users, regions, dealers = world.users, world.regions, world.dealers
    today = timezone.localdate()
    world.extra["campaigns"] = campaigns = {}
    existing = {campaign.name: campaign for campaign in Campaign.objects.all()}

    def make(name: str, *, by, approve_by=None, **fields) -> Campaign | None:
        if name in existing:
            campaigns[name] = existing[name]
            return None
        campaign = services.campaign_create(by=by, name=name, **fields)
        if approve_by is not None:
            campaign = services.campaign_transition(campaign=campaign, action=CampaignAction.APPROVE, by=approve_by)
        campaigns[name] = campaign
        return campaign

    # 1. In-store promotion, running now, mostly prepared.
    campaign = make(
        "杭州门店秋季试饮", by=users["manager_hz"], approve_by=users["manager_hz"], owner=users["rep_zhang"],
        type="in_store", theme="家庭装买二送一", objective_kind=ObjectiveKind.SELL_IN_VOLUME, objective_target=600,
        start_date=today - _days(5), end_date=today + _days(9), regions=[regions["杭州市"]],
        products=_products("BEV-001", "BEV-002"), budget="18000", manufacturer_cost="12000", dealer_cost="6000",
        materials="试饮台 4 套\n堆头海报 20 张\n赠品杯 500 个", venue="杭州各门店",
    )
    if campaign:
        tasks = list(campaign.tasks.order_by("due_date", "sort_order"))
        for task in tasks[:-1]:
            services.preparation_task_update(task=task, by=users["rep_zhang"], done=True)

    # 2. KA slot (档期), approved, coming up.
    make(
        "华润万家年货档期", by=users["manager_js"], approve_by=users["manager_js"], type="ka_slot", theme="年货节堆头",
        objective_kind=ObjectiveKind.SELL_IN_AMOUNT, objective_target="80000",
        start_date=today + _days(20), end_date=today + _days(33), dealers=[dealers["JS-001"]],
        products=[
            {"product": product, "promotion_price": price, "expected_volume": volume}
            for product, price, volume in zip(_products("SNK-003", "SNK-004"), (Decimal("80.00"), Decimal("94.00")), (400, 300), strict=False)
        ],
        budget="30000", manufacturer_cost="24000", dealer_cost="6000", materials="端架 2 个\n价格牌\n导购员 2 名",
        venue="华润万家南京新街口店",
    )

    # 3. Dealer conference, finished, reviewed.
    campaign = make(
        "2026 浙江经销商大会", by=users["manager_zj"], approve_by=users["manager_zj"], type="conference",
        theme="新品发布与渠道政策", objective_kind=ObjectiveKind.NEW_DEALERS, objective_target=3,
        start_date=today - _days(40), end_date=today - _days(39), regions=[regions["浙江省"]],
        budget="120000", manufacturer_cost="100000", dealer_cost="20000", venue="杭州西湖国宾馆",
        materials="邀请函 80 份\n新品样品\n政策手册",
    )
    if campaign:
        _finish_conference(world, campaign, today)

    # 4. Trade show, ended four days ago: thanked, leads partly assigned and followed up.
    campaign = make(
        "杭州国际食品博览会", by=users["manager_zj"], approve_by=users["manager_zj"], type="trade_show",
        theme="休闲食品新品", objective_kind=ObjectiveKind.LEADS, objective_target=30,
        start_date=today - _days(6), end_date=today - _days(4), regions=[regions["浙江省"]],
        products=_products("SNK-001", "SNK-002"), budget="60000", manufacturer_cost="60000", dealer_cost="0",
        venue="杭州国际博览中心 3 号馆", materials="展位 36㎡\n试吃品\n宣传册 2000 份",
    )
    if campaign:
        _mid_clock(world, campaign, today)

    # 5. A rep's draft waiting for the manager.
    make(
        "宁波海曙社区团购推广", by=users["rep_li"], type="in_store", theme="社区团购首单立减",
        objective_kind=ObjectiveKind.SELL_IN_VOLUME, objective_target=150,
        start_date=today + _days(14), end_date=today + _days(27), dealers=[dealers["ZJ-005"]],
        products=_products("DAI-001"), budget="5000", manufacturer_cost="3000", dealer_cost="2000",
    )


def _finish_conference(world: DemoWorld, campaign: Campaign, today: datetime.date) -> None:
    users = world.users
    PreparationTask.objects.filter(campaign=campaign).update(done_at=F("created_at"), done_by=users["manager_zj"])
    people = _record_people(world, campaign, users["manager_zj"], 14)
    leads = [person for person in people if person.is_lead]
    reps = [users["rep_zhang"], users["rep_li"]]
    if leads:
        services.leads_assign(
            campaign=campaign, by=users["manager_zj"],
            assignments={lead.pk: reps[index % 2].pk for index, lead in enumerate(leads)},
        )
    end = campaign.end_date
    for index, lead in enumerate(Attendee.objects.filter(pk__in=[lead.pk for lead in leads]).order_by("pk")):
        services.lead_follow_up_log(
            attendee=lead, by=lead.assigned_to, at=_at(end + _days(2 + index % 4), 15),
            channel=FollowUpChannel.CALL if index % 2 else FollowUpChannel.VISIT,
            outcome=[FollowUpOutcome.INTERESTED, FollowUpOutcome.PROSPECT, FollowUpOutcome.NEEDS_INFO][index % 3],
            note="电话回访，介绍了新品和首批进货政策。" if index % 2 else "上门拜访，看了门店陈列，约定下周送样品。",
        )
    for person in people:  # the thank-you went out the day after (long before this seeding)
        ThankYou.objects.get_or_create(attendee=person, defaults={
            "message": f"{person.name}，感谢您参加{campaign.name}！", "email": person.email,
            "status": ThankYouStatus.SENT if person.email else ThankYouStatus.RECORDED,
            "created_at": _at(end + _days(1), 9), "sent_at": _at(end + _days(1), 9) if person.email else None,
        })
    services.campaign_review_write(
        campaign=campaign, by=users["manager_zj"], objective_actual=2,
        what_worked="新品现场试吃反响好；政策讲解清楚，当场有 5 家意向签约。",
        what_did_not_work="会场偏远，县级经销商到会率只有六成；资料袋不够。",
        lessons="下次选在高铁站附近；提前两周电话确认到会；资料多备两成。",
    )
    _backdate(campaign, {
        CampaignStatus.DRAFT: _at(campaign.start_date - _days(30)),
        CampaignStatus.APPROVED: _at(campaign.start_date - _days(28)),
        CampaignStatus.RUNNING: _at(campaign.start_date, 0),
        CampaignStatus.ENDED: _at(end + _days(1), 0),
        CampaignStatus.REVIEWED: _at(end + _days(6), 17),
    })
    Campaign.objects.filter(pk=campaign.pk).update(approved_at=_at(campaign.start_date - _days(28)))


def _mid_clock(world: DemoWorld, campaign: Campaign, today: datetime.date) -> None:
    users = world.users
    PreparationTask.objects.filter(campaign=campaign).update(done_at=F("created_at"), done_by=users["manager_zj"])
    people = _record_people(world, campaign, users["rep_zhang"], 20)
    leads = [person for person in people if person.is_lead]
    reps = [users["rep_zhang"], users["rep_li"]]
    half = leads[: len(leads) // 2]
    if half:
        services.leads_assign(
            campaign=campaign, by=users["manager_zj"],
            assignments={lead.pk: reps[index % 2].pk for index, lead in enumerate(half)},
        )
    for lead in Attendee.objects.filter(pk__in=[lead.pk for lead in half[:3]]).select_related("assigned_to"):
        services.lead_follow_up_log(
            attendee=lead, by=lead.assigned_to, at=_at(today - _days(1), 11), outcome=FollowUpOutcome.INTERESTED,
            note="电话联系，对薯片新口味感兴趣，要价格表。",
        )
    _backdate(campaign, {
        CampaignStatus.DRAFT: _at(campaign.start_date - _days(45)),
        CampaignStatus.APPROVED: _at(campaign.start_date - _days(40)),
        CampaignStatus.RUNNING: _at(campaign.start_date, 0),
        CampaignStatus.ENDED: _at(campaign.end_date + _days(1), 0),
    })
    # The clock's steps so far (thank-you, reminders), as the beat would have done them.
    services.follow_up_clock_run(today=today)
