"""Demo dealers: ~40 across the demo regions at every stage of the lifecycle, with
contacts, contracts (some ending soon), onboarding documents, evaluation history
(for the trend chart), a few violations and open applications. Idempotent: rows
are found by natural keys (dealer code, company name) and extras are added only
to dealers that have none yet."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from importlib import import_module

from django.utils import timezone

from accounts.demo import demo_user
from accounts.models import Role
from common.demo import DemoWorld
from dealers import services
from dealers.models import (
    ApplicationStatus,
    ChannelType,
    CommunicationMemo,
    ContactChannel,
    ContactLog,
    Contract,
    ContractStatus,
    CooperationProposal,
    Dealer,
    DealerApplication,
    DealerContact,
    DealerStatus,
    DealerStatusChange,
    DealerTier,
    EvaluationCriterion,
    InvitationKind,
    Onboarding,
    OnboardingStage,
    OperatingModel,
    ProspectSource,
    RepAssignment,
    SamplesInvitation,
    Severity,
    Violation,
    ViolationOutcome,
    ViolationType,
)

P, N, A, S, T = (DealerStatus.PROSPECT, DealerStatus.NEGOTIATING, DealerStatus.ACTIVE,
                 DealerStatus.SUSPENDED, DealerStatus.TERMINATED)
PROV, CITY, COUNTY = DealerTier.PROVINCE, DealerTier.CITY, DealerTier.COUNTY

DEALERS = [
    # code, name, region, tier, status, rep, credit limit
    ("ZJ-001", "杭州百顺商贸有限公司", "杭州市", CITY, A, "rep_zhang", 300000),
    ("ZJ-002", "余杭鑫达食品经营部", "余杭区", COUNTY, A, "rep_zhang", 80000),
    ("ZJ-003", "萧山永盛副食批发", "萧山区", COUNTY, N, "rep_zhang", 0),
    ("ZJ-004", "浙江恒通供应链有限公司", "浙江省", PROV, A, "rep_li", 1000000),
    ("ZJ-005", "宁波海曙联华商行", "海曙区", COUNTY, A, "rep_li", 60000),
    ("ZJ-006", "温州鹿城万家配送", "鹿城区", COUNTY, P, "rep_li", 0),
    ("JS-001", "南京金陵糖酒有限公司", "南京市", CITY, A, "rep_wang", 400000),
    ("JS-002", "江宁顺丰副食", "江宁区", COUNTY, S, "rep_wang", 50000),
    ("JS-003", "苏州姑苏汇源商贸", "姑苏区", COUNTY, A, "rep_zhao", 90000),
    ("JS-004", "无锡梁溪惠民批发部", "梁溪区", COUNTY, A, "rep_zhao", 70000),
    # the wider demo world
    ("ZJ-007", "西湖区嘉禾食品商行", "西湖区", COUNTY, A, "rep_zhang", 120000),
    ("ZJ-008", "杭州天禧酒店用品配送", "杭州市", CITY, A, "rep_zhang", 200000),
    ("ZJ-009", "余杭良渚旺佳批发部", "余杭区", COUNTY, P, "rep_zhang", 0),
    ("ZJ-010", "萧山瓜沥丰裕副食", "萧山区", COUNTY, N, "rep_zhang", 0),
    ("ZJ-011", "宁波鄞州瑞丰商贸", "鄞州区", COUNTY, A, "rep_li", 150000),
    ("ZJ-012", "宁波甬城供应链有限公司", "宁波市", CITY, A, "rep_li", 350000),
    ("ZJ-013", "鄞州百家乐超市配送", "鄞州区", COUNTY, S, "rep_li", 40000),
    ("ZJ-014", "温州瑞安宏达食品", "瑞安市", COUNTY, A, "rep_li", 90000),
    ("ZJ-015", "温州东瓯糖酒公司", "温州市", CITY, N, "rep_li", 0),
    ("ZJ-016", "瑞安塘下万隆批发", "瑞安市", COUNTY, P, "rep_li", 0),
    ("ZJ-017", "鹿城区五马副食店", "鹿城区", COUNTY, T, "rep_li", 0),
    ("ZJ-018", "海曙鼓楼特通配送中心", "海曙区", COUNTY, A, "rep_li", 70000),
    ("ZJ-019", "西湖区文新便利批发", "西湖区", COUNTY, P, "rep_zhang", 0),
    ("ZJ-020", "杭州拱宸物流配送有限公司", "杭州市", CITY, N, "rep_zhang", 0),
    ("JS-005", "南京玄武鼎盛商贸", "玄武区", COUNTY, A, "rep_wang", 110000),
    ("JS-006", "江宁东山旺角批发", "江宁区", COUNTY, P, "rep_wang", 0),
    ("JS-007", "江苏润通食品有限公司", "江苏省", PROV, A, "rep_wang", 900000),
    ("JS-008", "玄武区新街口酒水行", "玄武区", COUNTY, N, "rep_wang", 0),
    ("JS-009", "苏州昆山宏远副食", "昆山市", COUNTY, A, "rep_zhao", 100000),
    ("JS-010", "苏州吴越商贸有限公司", "苏州市", CITY, A, "rep_zhao", 300000),
    ("JS-011", "昆山周庄福源批发部", "昆山市", COUNTY, P, "rep_zhao", 0),
    ("JS-012", "无锡江阴恒昌食品", "江阴市", COUNTY, A, "rep_zhao", 85000),
    ("JS-013", "无锡太湖糖酒公司", "无锡市", CITY, S, "rep_zhao", 150000),
    ("JS-014", "江阴华士万家乐配送", "江阴市", COUNTY, N, "rep_zhao", 0),
    ("JS-015", "姑苏区平江路特产行", "姑苏区", COUNTY, T, "rep_zhao", 0),
    ("JS-016", "南京秦淮聚源商行", "南京市", CITY, A, "rep_wang", 130000),
    ("JS-017", "梁溪区崇安副食批发", "梁溪区", COUNTY, P, "rep_zhao", 0),
    ("JS-018", "苏州工业园区优品配送", "苏州市", CITY, A, "rep_zhao", 160000),
]

DEALER_USERS = [("dealer_hz", "ZJ-001"), ("dealer_nj", "JS-001")]

# Rough centres of the demo cities, for the dealers' map coordinates.
CENTRES = {
    "浙江": (30.27, 120.15), "杭州": (30.27, 120.15), "余杭": (30.42, 120.30), "萧山": (30.16, 120.26),
    "西湖": (30.26, 120.13), "宁波": (29.87, 121.55), "海曙": (29.86, 121.55), "鄞州": (29.82, 121.55),
    "温州": (28.00, 120.67), "鹿城": (28.01, 120.65), "瑞安": (27.78, 120.63), "江苏": (32.06, 118.79),
    "南京": (32.06, 118.79), "玄武": (32.05, 118.80), "江宁": (31.95, 118.84), "苏州": (31.30, 120.58),
    "姑苏": (31.31, 120.62), "昆山": (31.38, 120.98), "无锡": (31.49, 120.31), "梁溪": (31.57, 120.30),
    "江阴": (31.92, 120.28),
}
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗郑"
GIVEN = ["建国", "海涛", "丽华", "志强", "秀英", "国平", "晓东", "美玲", "春生", "德明", "红梅", "文斌"]
BRANDS = ["康师傅、统一", "娃哈哈、农夫山泉", "青岛啤酒、雪花", "洋河、今世缘", "旺旺、达利园", "伊利、蒙牛"]
STAGE_BY_CODE = {  # pipeline dealers: how far their onboarding got
    "ZJ-006": OnboardingStage.FIRST_MEETING, "ZJ-009": OnboardingStage.SOURCED, "ZJ-016": OnboardingStage.FIRST_MEETING,
    "ZJ-019": OnboardingStage.SOURCED, "JS-006": OnboardingStage.FIRST_MEETING, "JS-011": OnboardingStage.SOURCED,
    "JS-017": OnboardingStage.FIRST_MEETING, "ZJ-003": OnboardingStage.PROPOSAL, "ZJ-010": OnboardingStage.MEMO,
    "ZJ-015": OnboardingStage.SAMPLES, "ZJ-020": OnboardingStage.PROPOSAL, "JS-008": OnboardingStage.MEMO,
    "JS-014": OnboardingStage.SAMPLES,
}
ENDING_SOON = {"ZJ-002": 25, "ZJ-011": 50, "JS-005": 45, "JS-009": 12, "ZJ-007": 58}
VIOLATIONS = [
    ("ZJ-013", ViolationType.CROSS_TERRITORY, Severity.HIGH, ViolationOutcome.SUSPENSION,
     "在宁波市区发现本应供鄞州区的整箱货，箱码属该经销商批次。", "宁波市海曙区某超市"),
    ("JS-002", ViolationType.PRICE_DUMPING, Severity.MEDIUM, ViolationOutcome.WARNING,
     "终端零售价低于最低限价约8%，店主称系该经销商供货价。", "江宁区东山街道便利店"),
    ("ZJ-005", ViolationType.PROMO_DIVERSION, Severity.LOW, ViolationOutcome.PENDING,
     "堆头促销赠品未发放到终端，仓库内发现整箱赠品。", "海曙区经销商仓库"),
    ("JS-010", ViolationType.CROSS_TERRITORY, Severity.MEDIUM, ViolationOutcome.PENDING,
     "昆山市场发现带该经销商标记的货品。", "昆山市周市镇批发市场"),
]
APPLICATIONS = [
    ("杭州滨盛食品贸易有限公司", "陈立新", "13905710001", "chen.lixin@example.com", "杭州市", ApplicationStatus.SUBMITTED, ""),
    ("南京雨花台恒丰副食", "刘芳", "13705140002", "liu.fang@example.com", "南京市", ApplicationStatus.REVIEWED, "rep_wang"),
    ("温州快捷烟酒店", "周涛", "13605770003", "zhou.tao@example.com", "温州市", ApplicationStatus.REJECTED, "rep_li"),
]


def _centre(region_name: str) -> tuple[float, float]:
    for key, centre in CENTRES.items():
        if region_name.startswith(key):
            return centre
    return CENTRES["浙江"]


def _fill_profile(world: DemoWorld, dealer: Dealer) -> None:
    """Give a dealer a believable profile, once (only when its address is still empty)."""
    if dealer.address:
        return
    rng = world.rng
    lat, lng = _centre(dealer.region.name)
    boss = rng.choice(SURNAMES) + rng.choice(GIVEN)
    dealer.legal_entity = dealer.name if dealer.name.endswith("公司") else f"{dealer.name}（个体工商户）"
    dealer.address = f"{dealer.region.name}{rng.choice(['人民路', '建设路', '解放路', '中山路', '工业园路'])}{rng.randint(1, 300)}号"
    dealer.latitude = Decimal(f"{lat + rng.uniform(-0.05, 0.05):.6f}")
    dealer.longitude = Decimal(f"{lng + rng.uniform(-0.05, 0.05):.6f}")
    dealer.phone = f"0{rng.randint(510, 579)}-{rng.randint(80000000, 89999999)}"
    dealer.decision_maker = boss
    dealer.decision_maker_phone = f"13{rng.randint(100000000, 999999999)}"
    dealer.influencer = rng.choice(SURNAMES) + rng.choice(GIVEN)
    dealer.influencer_phone = f"15{rng.randint(100000000, 999999999)}"
    dealer.channel_types = rng.sample(ChannelType.values, rng.randint(1, 3))
    dealer.operating_model = rng.choice(OperatingModel.values)
    dealer.warehouse_area = rng.choice([300, 500, 800, 1200, 2000, 3500])
    dealer.vehicles = rng.randint(1, 12)
    dealer.sales_staff = rng.randint(2, 30)
    dealer.other_brands = rng.choice(BRANDS)
    dealer.other_industries = rng.random() < 0.15
    dealer.other_industries_note = "兼营建材" if dealer.other_industries else ""
    dealer.save()


def _history(world: DemoWorld, dealer: Dealer, created_on) -> None:
    if dealer.status_changes.exists():
        return
    manager = world.users["manager_zj" if dealer.code.startswith("ZJ") else "manager_js"]
    path = {P: [P], N: [P, N], A: [P, N, A], S: [P, N, A, S], T: [P, N, A, S, T]}[dealer.status]
    for step, status in enumerate(path):
        DealerStatusChange.objects.create(
            dealer=dealer, from_status=path[step - 1] if step else "", to_status=status, changed_by=manager,
            changed_at=timezone.make_aware(timezone.datetime.combine(created_on + timedelta(days=30 * step), timezone.datetime.min.time())),
            reason="创建" if not step else {N: "首次面谈后进入洽谈", A: "合同签订", S: "违规整改期间暂停供货", T: "合作终止"}[status],
        )
    RepAssignment.objects.create(dealer=dealer, to_rep=dealer.rep, assigned_by=manager, reason="创建",
                                 assigned_at=timezone.now() - timedelta(days=400))


def _contacts(world: DemoWorld, dealer: Dealer) -> None:
    if dealer.contacts.exists():
        return
    DealerContact.objects.create(dealer=dealer, name=dealer.decision_maker or "老板", position="总经理",
                                 phone=dealer.decision_maker_phone, is_primary=True)
    DealerContact.objects.create(dealer=dealer, name=world.rng.choice(SURNAMES) + world.rng.choice(GIVEN),
                                 position=world.rng.choice(["采购", "仓库主管", "财务"]),
                                 phone=f"18{world.rng.randint(100000000, 999999999)}", wechat=f"wx{world.rng.randint(10000, 99999)}")


def _onboarding(world: DemoWorld, dealer: Dealer, today) -> None:
    if Onboarding.objects.filter(dealer=dealer).exists():
        return
    rng = world.rng
    stage = STAGE_BY_CODE.get(dealer.code, OnboardingStage.SOURCED)
    order = list(OnboardingStage.values)
    sourced = today - timedelta(days=rng.randint(30, 90))
    dates, day = {}, sourced
    for value in order[1: order.index(stage) + 1]:
        day = day + timedelta(days=rng.randint(4, 10))
        dates[value] = min(day, today)
    cold = dealer.code in ("ZJ-009", "JS-006", "ZJ-010")  # demo prospects going cold
    last_contact = today - timedelta(days=rng.randint(16, 25)) if cold else min(max(dates.values(), default=sourced), today)
    Onboarding.objects.create(
        dealer=dealer, source=rng.choice([v for v in ProspectSource.values if v != ProspectSource.SELF_REGISTRATION]),
        stage=stage, sourced_on=sourced, first_meeting_on=dates.get(OnboardingStage.FIRST_MEETING),
        memo_on=dates.get(OnboardingStage.MEMO), proposal_on=dates.get(OnboardingStage.PROPOSAL),
        samples_on=dates.get(OnboardingStage.SAMPLES), last_contact_on=last_contact,
        next_follow_up_on=None if cold else today + timedelta(days=rng.randint(1, 10)),
    )
    ContactLog.objects.create(
        dealer=dealer, logged_by=dealer.rep, channel=ContactChannel.MEETING, summary="初次拜访，介绍公司和产品，老板有兴趣。",
        contacted_at=timezone.make_aware(timezone.datetime.combine(last_contact, timezone.datetime.min.time()) + timedelta(hours=10)),
    )
    if order.index(stage) >= order.index(OnboardingStage.MEMO):
        CommunicationMemo.objects.create(
            dealer=dealer, author=dealer.rep, written_on=dates[OnboardingStage.MEMO],
            introductions="双方介绍：我方为食品饮料厂家，老板从事批发十年，有自有车队。",
            market_situation="当地以流通渠道为主，KA卖场两家，竞品铺货率较高。",
            product_outline="主推三款常规品和一款新品，按地市代理价供货，季度返利。",
            other_concerns="老板担心账期和窜货保护。", parting_answers="账期按合同执行；区域保护写入合同。",
        )
    if order.index(stage) >= order.index(OnboardingStage.PROPOSAL):
        CooperationProposal.objects.create(
            dealer=dealer, author=dealer.rep, written_on=dates[OnboardingStage.PROPOSAL],
            market_opportunity="区域内无同价位强势品牌，春节档期是进入良机。",
            portfolio_fit="补足经销商现有产品线中的中高端空白。",
            market_walk_report="走访二十家终端：竞品缺货三家，价格混乱两家。",
            launch_plan="第一阶段：核心网点铺货；第二阶段：KA进场；第三阶段：餐饮渠道。",
            other_markets="邻近地市合作一年，销量增长30%，曾出现一次窜货，已处理。",
        )
    if order.index(stage) >= order.index(OnboardingStage.SAMPLES):
        SamplesInvitation.objects.create(
            dealer=dealer, author=dealer.rep, written_on=dates[OnboardingStage.SAMPLES],
            samples_sent="每名业务员一箱新品样品，共六箱。", invitation_kind=InvitationKind.FACTORY_VISIT,
            invitation="邀请老板和合伙人参观工厂并参加下月经销商大会。", event_on=today + timedelta(days=14),
        )


def _contract(world: DemoWorld, dealer: Dealer, today) -> None:
    if dealer.contracts.exists():
        return
    manager = world.users["manager_zj" if dealer.code.startswith("ZJ") else "manager_js"]
    days_left = ENDING_SOON.get(dealer.code, world.rng.randint(90, 330))
    end = today + timedelta(days=days_left)
    signed = dealer.status in (A, S, T)
    if not signed and STAGE_BY_CODE.get(dealer.code) != OnboardingStage.SAMPLES:
        return
    start = end - timedelta(days=365) if signed else today + timedelta(days=15)
    if not signed:
        end = start + timedelta(days=365)
    Contract.objects.create(
        dealer=dealer, number=f"HT-{start.year}-{dealer.code}", status=ContractStatus.SIGNED if signed else ContractStatus.DRAFT,
        territory=f"{dealer.region.name}全境（不含KA总部直供门店）", product_lines="常规饮料系列、休闲食品系列",
        annual_target_amount=Decimal(max(dealer.credit_limit, Decimal(100000)) * 4),
        annual_target_volume=int(max(dealer.credit_limit, Decimal(100000)) / 50),
        min_resale_price_policy="不得低于公司指导最低价；批量折扣最高3%。", marketing_support="新品进场费补贴50%，每季度一次促销支持。",
        start_date=start, end_date=end, termination_conditions="连续两次窜货或砸价；年度任务完成率低于60%。",
        created_by=dealer.rep, signed_by=manager if signed else None,
        signed_at=timezone.make_aware(timezone.datetime.combine(start, timezone.datetime.min.time())) if signed else None,
    )


# The six built-in criteria as their data migration writes them (code, English, Chinese, order).
BUILTIN_CRITERIA = import_module("dealers.migrations.0003_builtin_evaluation_criteria").CRITERIA


def _active_criteria_codes() -> list[str]:
    """The active criteria; on a database where none is active (all switched off, or a
    test database flushed of what migrations wrote) the built-in six, so the demo can score."""
    codes = list(EvaluationCriterion.objects.filter(active=True).values_list("code", flat=True))
    if codes:
        return codes
    for code, name_en, name_zh, order in BUILTIN_CRITERIA:
        criterion = EvaluationCriterion.objects.filter(code=code).first()
        if criterion is None:
            services.evaluation_criterion_create(code=code, name_en=name_en, name_zh=name_zh, order=order,
                                                 weight=Decimal("1.00"))
        else:
            services.evaluation_criterion_update(criterion=criterion, active=True)
    return [row[0] for row in BUILTIN_CRITERIA]


def _evaluations(world: DemoWorld, dealer: Dealer) -> None:
    if dealer.evaluations.exists() or dealer.status not in (A, S):
        return
    rng = world.rng
    codes = _active_criteria_codes()
    manager = world.users["manager_zj" if dealer.code.startswith("ZJ") else "manager_js"]
    base = rng.uniform(2.2, 4.4)
    drift = rng.uniform(-0.25, 0.3)
    count = rng.randint(3, 5)
    for index in range(count):
        level = base + drift * index
        scores = {code: max(1, min(5, round(level + rng.uniform(-0.9, 0.9)))) for code in codes}
        services.evaluation_create(
            dealer=dealer, evaluator=manager if index % 2 else dealer.rep, scores=scores,
            comment=rng.choice(["", "配合度高，执行到位。", "资金周转偏紧。", "网络覆盖有提升。"]),
            evaluated_at=timezone.now() - timedelta(days=90 * (count - index)),
        )


def _violations(world: DemoWorld) -> None:
    for code, kind, severity, outcome, evidence, where in VIOLATIONS:
        dealer = world.dealers[code]
        if Violation.objects.filter(dealer=dealer, type=kind).exists():
            continue
        manager = world.users["manager_zj" if code.startswith("ZJ") else "manager_js"]
        decided = outcome != ViolationOutcome.PENDING
        Violation.objects.create(
            dealer=dealer, type=kind, severity=severity, outcome=outcome, evidence=evidence, found_where=where,
            found_at=timezone.now() - timedelta(days=world.rng.randint(5, 60)), reported_by=dealer.rep,
            decided_by=manager if decided else None, decided_at=timezone.now() - timedelta(days=3) if decided else None,
            outcome_note="已约谈老板并书面警告。" if decided else "",
        )


def _applications(world: DemoWorld) -> None:
    for company, contact, phone, email, region, status, reviewer in APPLICATIONS:
        if DealerApplication.objects.filter(company_name=company).exists():
            continue
        DealerApplication.objects.create(
            company_name=company, contact_name=contact, phone=phone, email=email, region=world.regions[region],
            address=f"{region}解放路18号", channel_types=[ChannelType.WHOLESALE], operating_model=OperatingModel.DISTRIBUTOR,
            brands_carried="娃哈哈、康师傅", message="有仓库800平米、货车4辆，希望成为本地经销商。", language="zh-hans",
            status=status, reviewed_by=world.users[reviewer] if reviewer else None,
            reviewed_at=timezone.now() - timedelta(days=2) if reviewer else None,
            review_note="实地看过仓库，实力尚可，建议批准。" if reviewer else "",
            rejection_reason="经营范围为零售，不符合经销商条件。" if status == ApplicationStatus.REJECTED else "",
            decided_by=world.users["manager_zj"] if status == ApplicationStatus.REJECTED else None,
            decided_at=timezone.now() - timedelta(days=1) if status == ApplicationStatus.REJECTED else None,
        )


def seed(world: DemoWorld) -> None:
    today = timezone.localdate()
    for index, (code, name, region, tier, status, rep, credit) in enumerate(DEALERS):
        dealer, _created = Dealer.objects.get_or_create(
            code=code,
            defaults={
                "name": name, "region": world.regions[region], "tier": tier, "status": status,
                "rep": world.users[rep], "credit_limit": Decimal(credit),
            },
        )
        world.dealers[code] = dealer
        _fill_profile(world, dealer)
        _history(world, dealer, today - timedelta(days=500 - index * 5))
        _contacts(world, dealer)
        if dealer.status in (P, N):
            _onboarding(world, dealer, today)
        _contract(world, dealer, today)
        _evaluations(world, dealer)
    _violations(world)
    _applications(world)
    for username, code in DEALER_USERS:
        demo_user(world, username, Role.DEALER, dealer=world.dealers[code])
        world.add_login(username, Role.DEALER, world.dealers[code].name)
