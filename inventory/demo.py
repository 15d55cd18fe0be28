"""Demo products, tier price lists and a few months of orders (part of `seed_demo`).

Idempotent: products are found by SKU, prices by (tier, product), and a dealer
that already has orders gets no more. Orders go through the real workflow
services, so their payments, shipments, history and notifications agree.
Every active dealer takes part, so dealers added by other seeders are picked up.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone

from accounts.models import Role, User
from common.demo import DemoWorld
from common.exceptions import StateConflict
from dealers.models import Dealer, DealerStatus, DealerTier
from inventory import services
from inventory.calculations import money
from inventory.models import Order, OrderStatus, Product, ProductCategory, TierPrice
from inventory.services import OrderLineInput
from notifications.models import EmailStatus, Notification

CATEGORIES = [("饮料", 10), ("休闲食品", 20), ("乳制品", 30), ("调味品", 40)]

PRODUCTS = [
    # sku, name, category, specification, unit, units per case, shelf life (days),
    # guideline retail price per piece, floor resale price per piece, county price per case, safety coefficient
    ("BEV-001", "冰红茶", "饮料", "500ml×15", "case", 15, 365, "3.00", "2.40", "33.00", None),
    ("BEV-002", "茉莉绿茶", "饮料", "500ml×15", "case", 15, 365, "3.00", "2.40", "33.00", None),
    ("BEV-003", "天然矿泉水", "饮料", "550ml×24", "case", 24, 540, "2.00", "1.40", "30.00", "2.00"),
    ("BEV-004", "鲜橙多果汁饮料", "饮料", "450ml×15", "case", 15, 365, "3.50", "2.80", "39.00", None),
    ("BEV-005", "可乐（罐装）", "饮料", "330ml×24", "case", 24, 365, "3.00", "2.30", "52.00", None),
    ("BEV-006", "柠檬茶", "饮料", "250ml×24", "case", 24, 270, "2.50", "1.90", "42.00", None),
    ("BEV-007", "维生素功能饮料", "饮料", "250ml×24", "case", 24, 365, "6.00", "4.80", "108.00", None),
    ("BEV-008", "凉茶", "饮料", "310ml×24", "case", 24, 540, "3.50", "2.70", "64.00", None),
    ("SNK-001", "原味薯片", "休闲食品", "70g×22", "case", 22, 270, "6.50", "5.20", "108.00", None),
    ("SNK-002", "番茄味薯片", "休闲食品", "70g×22", "case", 22, 270, "6.50", "5.20", "108.00", None),
    ("SNK-003", "苏打饼干", "休闲食品", "400g×12", "case", 12, 360, "9.90", "7.90", "88.00", None),
    ("SNK-004", "巧克力夹心饼干", "休闲食品", "300g×16", "case", 16, 360, "8.50", "6.80", "102.00", None),
    ("SNK-005", "香辣味面筋", "休闲食品", "106g×40", "case", 40, 180, "2.50", "1.90", "72.00", "1.20"),
    ("SNK-006", "五香瓜子", "休闲食品", "250g×20", "case", 20, 300, "7.00", "5.60", "104.00", None),
    ("SNK-007", "鸡蛋沙琪玛", "休闲食品", "470g×10", "case", 10, 180, "12.80", "10.20", "96.00", "1.20"),
    ("SNK-008", "五香牛肉干", "休闲食品", "100g×30", "case", 30, 240, "19.90", "16.00", "450.00", None),
    ("DAI-001", "纯牛奶", "乳制品", "250ml×24", "case", 24, 180, "3.20", "2.60", "58.00", None),
    ("DAI-002", "低脂高钙牛奶", "乳制品", "250ml×24", "case", 24, 180, "3.50", "2.80", "64.00", None),
    ("DAI-003", "原味风味酸奶", "乳制品", "200g×16", "case", 16, 21, "4.50", "3.60", "54.00", "1.20"),
    ("DAI-004", "草莓果粒酸奶", "乳制品", "200g×16", "case", 16, 21, "5.00", "4.00", "60.00", "1.20"),
    ("DAI-005", "乳酸菌饮品", "乳制品", "100ml×40", "case", 40, 30, "1.50", "1.10", "44.00", "1.20"),
    ("DAI-006", "早餐奶（核桃味）", "乳制品", "250ml×24", "case", 24, 180, "3.80", "3.00", "68.00", None),
    ("DAI-007", "儿童成长牛奶", "乳制品", "190ml×24", "case", 24, 180, "4.50", "3.60", "79.00", None),
    ("CON-001", "特级生抽酱油", "调味品", "500ml×12", "case", 12, 720, "9.80", "7.80", "84.00", "2.00"),
    ("CON-002", "红烧老抽", "调味品", "500ml×12", "case", 12, 720, "8.80", "7.00", "76.00", "2.00"),
    ("CON-003", "镇江香醋", "调味品", "500ml×12", "case", 12, 720, "7.50", "6.00", "64.00", "2.00"),
    ("CON-004", "黄酒料酒", "调味品", "500ml×12", "case", 12, 540, "6.50", "5.20", "56.00", None),
    ("CON-005", "蚝油", "调味品", "510g×12", "case", 12, 540, "11.80", "9.40", "102.00", None),
    ("CON-006", "鸡精", "调味品", "200g×40", "case", 40, 540, "6.80", "5.40", "196.00", None),
    ("CON-007", "加碘精制食用盐", "调味品", "400g×40", "bag", 40, 1080, "2.00", "1.60", "58.00", "2.00"),
]

# Lower tiers buy dearer: a provincial agent gets the best price (SPEC §3, seed 003).
TIER_FACTORS = {DealerTier.PROVINCE: Decimal("0.90"), DealerTier.CITY: Decimal("0.95"), DealerTier.COUNTY: Decimal("1.00")}

HISTORY_DAYS = 120
# Notifications about orders older than this are history: marked read, not emailed.
FRESH_DAYS = 10


def seed(world: DemoWorld) -> None:
    products = _seed_products(world)
    admin = User.objects.filter(Q(is_superuser=True) | Q(role=Role.ADMIN), is_active=True).order_by("pk").first()
    if admin is None:
        return
    people = _People(world, admin)
    now = timezone.now().replace(second=0, microsecond=0)
    created: list[Order] = []
    dealers = list(Dealer.objects.filter(status=DealerStatus.ACTIVE).select_related("rep").order_by("code"))
    for dealer in dealers:
        if Order.objects.filter(dealer=dealer).exists():
            continue  # seeded before (or real orders): leave it alone
        created += _seed_dealer_orders(world, dealer, products, people, now)
    if created:
        _ensure_every_state(world, dealers, products, people, now, created)
        _quiet_old_notifications(created, now)


def _seed_products(world: DemoWorld) -> list[Product]:
    categories = {}
    for name, order in CATEGORIES:
        categories[name], _created = ProductCategory.objects.get_or_create(name=name, defaults={"sort_order": order})
    products = []
    for sku, name, category, spec, unit, per_case, shelf, guideline, floor, county, coefficient in PRODUCTS:
        product, _created = Product.objects.get_or_create(sku=sku, defaults={
            "name": name, "category": categories[category], "specification": spec, "unit": unit,
            "units_per_case": per_case, "shelf_life_days": shelf, "guideline_price": Decimal(guideline),
            "floor_price": Decimal(floor), "safety_coefficient": Decimal(coefficient) if coefficient else None,
        })
        for tier, factor in TIER_FACTORS.items():
            TierPrice.objects.get_or_create(tier=tier, product=product, defaults={"price": money(Decimal(county) * factor)})
        products.append(product)
    world.extra["products"] = {product.sku: product for product in products}
    return products


class _People:
    """Who does each step for a dealer: its rep (else HQ admin), finance, warehouse, its portal user."""

    def __init__(self, world: DemoWorld, admin: User):
        self.admin = admin
        self.finance = world.users.get("finance") or User.objects.filter(role=Role.FINANCE, is_active=True).first() or admin
        self.warehouse = (
            world.users.get("warehouse") or User.objects.filter(role=Role.WAREHOUSE, is_active=True).first() or admin
        )

    def seller(self, dealer: Dealer) -> User:
        return dealer.rep if dealer.rep_id and dealer.rep.is_active else self.admin

    def dealer_user(self, dealer: Dealer) -> User | None:
        return User.objects.filter(dealer=dealer, role=Role.DEALER, is_active=True).order_by("pk").first()


def _status_for_age(age_days: float, rng) -> str:
    if age_days > 30:
        return rng.choices([OrderStatus.RECEIVED, OrderStatus.CANCELLED, OrderStatus.REJECTED], [86, 7, 7])[0]
    if age_days > 14:
        return rng.choice([OrderStatus.RECEIVED, OrderStatus.RECEIVED, OrderStatus.SHIPPED])
    if age_days > 7:
        return rng.choice([OrderStatus.SHIPPED, OrderStatus.PICKED, OrderStatus.PAID])
    if age_days > 3:
        return rng.choice([OrderStatus.PAID, OrderStatus.CONFIRMED])
    return rng.choice([OrderStatus.SUBMITTED, OrderStatus.CONFIRMED])


def _seed_dealer_orders(world, dealer, products, people, now) -> list[Order]:
    rng = world.rng
    orders = []
    moment = now - datetime.timedelta(days=HISTORY_DAYS - rng.randint(0, 6), hours=rng.randint(0, 8))
    while moment < now - datetime.timedelta(hours=6):
        age = (now - moment).total_seconds() / 86400
        order = _demo_order(world, dealer, products, people, moment, _status_for_age(age, rng), now)
        if order is not None:
            orders.append(order)
        moment += datetime.timedelta(days=rng.randint(9, 16), hours=rng.randint(-4, 4))
    return orders


def _demo_order(world, dealer, products, people, at, status, now, *, partial_payment: bool = False) -> Order | None:
    """One order placed at `at` and walked through the workflow to `status` (None if the credit limit blocks it)."""
    rng = world.rng
    dealer_user = people.dealer_user(dealer)
    placer = dealer_user if dealer_user is not None and rng.random() < 0.5 else people.seller(dealer)
    scale = {DealerTier.PROVINCE: 4, DealerTier.CITY: 2, DealerTier.COUNTY: 1}[dealer.tier]
    chosen = rng.sample(products, rng.randint(3, 6))
    lines = [OrderLineInput(product=product, quantity=rng.randint(2, 12) * scale) for product in chosen]
    order = services.order_create(
        dealer=dealer, placed_by=placer, lines=lines, at=at,
        note=rng.choice(["", "", "", "周五前送到", "请提前电话联系仓库", "配合周末促销"]),
    )
    clock = at

    def later(hours_min: float, hours_max: float) -> datetime.datetime:
        nonlocal clock
        clock = min(clock + datetime.timedelta(hours=rng.uniform(hours_min, hours_max)), now - datetime.timedelta(minutes=5))
        return clock

    if status == OrderStatus.SUBMITTED:
        return order
    if status == OrderStatus.REJECTED:
        services.order_reject(order=order, by=people.seller(dealer), at=later(2, 20),
                              reason=rng.choice(["部分产品暂时缺货，请调整后重新下单", "超出本区域授权产品范围"]))
        return order
    if status == OrderStatus.CANCELLED:
        canceller = placer if placer.effective_role == Role.DEALER else people.seller(dealer)
        services.order_cancel(order=order, by=canceller, at=later(1, 10), reason="经销商调整订货计划")
        return order
    try:
        services.order_confirm(order=order, by=people.seller(dealer), at=later(2, 24))
    except StateConflict:
        return order  # over its credit limit: stays submitted, as in real life
    if status == OrderStatus.CONFIRMED:
        if partial_payment or rng.random() < 0.3:
            services.order_record_payment(order=order, by=people.finance, at=later(20, 72),
                                          amount=money(order.total * Decimal("0.4")), reference=_reference(rng))
        return order
    order.refresh_from_db()
    if rng.random() < 0.35:  # paid in two parts
        first = money(order.total * Decimal(rng.choice(["0.3", "0.5", "0.6"])))
        services.order_record_payment(order=order, by=people.finance, amount=first, at=later(20, 60), reference=_reference(rng))
        order.refresh_from_db()
    services.order_record_payment(order=order, by=people.finance, amount=order.amount_due, at=later(20, 72),
                                  reference=_reference(rng))
    if status == OrderStatus.PAID:
        return order
    services.order_pick(order=order, by=people.warehouse, at=later(4, 30))
    if status == OrderStatus.PICKED:
        return order
    services.order_ship(order=order, by=people.warehouse, at=later(2, 12), reference=f"浙A·{rng.randint(10000, 99999)}")
    if status == OrderStatus.SHIPPED:
        return order
    receiver = people.dealer_user(dealer) or people.admin
    services.order_receive(order=order, by=receiver, at=later(12, 48))
    return order


def _reference(rng) -> str:
    return f"银行回单 {rng.randint(100000, 999999)}"


def _ensure_every_state(world, dealers, products, people, now, created) -> None:
    """Make sure the demo shows every state, and one payment overdue (for the scorecard)."""
    if not dealers:
        return
    present = set(Order.objects.values_list("status", flat=True).distinct())
    for offset, status in enumerate(OrderStatus.values):
        if status not in present:
            dealer = dealers[offset % len(dealers)]
            order = _demo_order(world, dealer, products, people, now - datetime.timedelta(days=2, hours=offset), status, now)
            if order is not None:
                created.append(order)
    if not Order.objects.overdue().exists():
        dealer = dealers[1 % len(dealers)]
        order = _demo_order(world, dealer, products, people, now - datetime.timedelta(days=45), OrderStatus.CONFIRMED, now,
                            partial_payment=True)
        if order is not None:
            created.append(order)


def _quiet_old_notifications(created: list[Order], now) -> None:
    """Notifications about old demo orders are history: read, and never emailed."""
    cutoff = now - datetime.timedelta(days=FRESH_DAYS)
    old_keys = Q(pk__in=[])
    for order in created:
        if order.submitted_at < cutoff:
            old_keys |= Q(key__startswith=f"order:{order.pk}:")
    Notification.objects.filter(old_keys, kind="order").update(read_at=now, email_status=EmailStatus.NONE)
