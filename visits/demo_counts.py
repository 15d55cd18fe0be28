"""Demo stock counts and their suggested orders (part of `seed_demo`, after the
visits seeder): the products each active dealer carries, a stock count on each of
its completed visits (plausible quantities that follow the shipments, some
products out of stock, some near expiry) and the suggestion stored with each
count, so suggestions and warnings show at once.

Idempotent: a dealer with carried-product rows keeps them, and a dealer that already has a
stock count gets none (counts without a stored suggestion get theirs). Where a dealer has no completed visits yet (the visits
seeder has not run), four fortnightly completed visits are created for it.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from common.demo import DemoWorld
from dealers.models import Dealer, DealerStatus
from inventory.counting import suggestion_lines_store
from inventory.models import (
    CarrySource,
    DealerProduct,
    OrderLine,
    Product,
    StockCount,
    StockCountLine,
    SuggestedOrderLine,
)
from inventory.selectors import DeliveryWindow, carried_products, deliveries_by_window
from visits.models import Visit, VisitStatus

FOLLOW_REASONS = ["仓库已满", "资金紧张，下次补足", "该品下月有促销，届时再订"]
CARRIED_EXTRA = 6  # products carried besides those the dealer has ordered
FALLBACK_VISITS = 4
CYCLE_DAYS = 14


def seed(world: DemoWorld) -> None:
    rng = world.rng
    products = list(Product.objects.filter(is_active=True).order_by("sku"))
    if not products:
        return
    dealers = Dealer.objects.filter(status=DealerStatus.ACTIVE, rep__isnull=False).select_related("rep").order_by("code")
    counted = set(StockCount.objects.values_list("dealer_id", flat=True).distinct())
    for dealer in dealers:
        carried = _carry(dealer, products, rng)
        if dealer.pk in counted:
            continue
        visits = list(Visit.objects.filter(dealer=dealer, status=VisitStatus.COMPLETED).order_by("scheduled_for"))
        if not visits:
            visits = _fallback_visits(dealer)
        _counts(dealer, visits[-6:], carried, rng)
    # Counts another seeder wrote without their suggestion get it now (oldest first).
    for count in StockCount.objects.filter(suggestions__isnull=True).order_by("counted_at", "pk").distinct():
        suggestion_lines_store(count=count)


def _carry(dealer: Dealer, products: list[Product], rng) -> list[Product]:
    """The products the dealer's counts list: what it ordered (carried through its
    shipments, or by hand where nothing was shipped yet) and a few found on its shelf."""
    if DealerProduct.objects.filter(dealer=dealer).exists():  # seeded before: what it carries now
        carried = carried_products(dealer_ids=[dealer.pk])[dealer.pk]
        return [product for product in products if product.pk in carried]
    shipped = carried_products(dealer_ids=[dealer.pk])[dealer.pk]
    ordered = set(OrderLine.objects.filter(order__dealer=dealer).values_list("product_id", flat=True))
    chosen = [product for product in products if product.pk in ordered or product.pk in shipped]
    others = [product for product in products if product not in chosen]
    extras = rng.sample(others, min(CARRIED_EXTRA, len(others)))
    since = timezone.localdate() - datetime.timedelta(days=365)
    DealerProduct.objects.bulk_create(
        [DealerProduct(dealer=dealer, product=product, since=since, source=CarrySource.COUNT) for product in extras]
        + [DealerProduct(dealer=dealer, product=product, since=since, source=CarrySource.MANUAL)
           for product in chosen if product.pk not in shipped],
        ignore_conflicts=True,
    )
    return sorted(chosen + extras, key=lambda product: product.sku)


def _fallback_visits(dealer: Dealer) -> list[Visit]:
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    visits = []
    for index in range(FALLBACK_VISITS, 0, -1):
        at = now - datetime.timedelta(days=CYCLE_DAYS * index - 1)
        visits.append(Visit.objects.create(
            dealer=dealer, rep=dealer.rep, scheduled_for=at, status=VisitStatus.COMPLETED, started_at=at,
            completed_at=at + datetime.timedelta(hours=1),
        ))
    return visits


def _counts(dealer: Dealer, visits: list[Visit], carried: list[Product], rng) -> None:
    if not visits or not carried:
        return
    moments = [(visit.started_at or visit.scheduled_for) + datetime.timedelta(minutes=20) for visit in visits]
    windows = [DeliveryWindow(dealer.pk, moments[k - 1], moments[k]) for k in range(1, len(moments))]
    delivered = deliveries_by_window(windows=windows)
    rate = {product.pk: rng.randint(5, 40) for product in carried}
    stock = {product.pk: rng.randint(40, 150) for product in carried}
    today = timezone.localdate()
    last = len(visits) - 1
    for index, (visit, moment) in enumerate(zip(visits, moments, strict=True)):
        if index:
            for product in carried:
                arrived = delivered.get((index - 1, product.pk), 0)
                on_hand = stock[product.pk] + arrived
                sold = min(int(on_hand * 0.6), int(rate[product.pk] * rng.uniform(0.6, 1.4)))
                stock[product.pk] = stock[product.pk] + arrived - sold
        count = StockCount.objects.create(reference=visit.stock_count_reference, dealer=dealer, counted_at=moment,
                                          counted_by=visit.rep)
        lines = []
        for position, product in enumerate(carried):
            quantity = stock[product.pk]
            if index == last and position % 7 == 3:
                quantity = stock[product.pk] = 0  # sold out at the last count
            age = rng.randint(5, product.shelf_life_days // 2)
            if index == last and position % 5 == 1:
                age = int(product.shelf_life_days * 0.8)  # near expiry at the last count
            counted_on = timezone.localtime(moment).date()
            production_date = min(counted_on, today) - datetime.timedelta(days=age)
            lines.append(StockCountLine(stock_count=count, product=product, quantity=quantity,
                                        production_date=production_date, batch=production_date.strftime("%Y%m%d")))
        StockCountLine.objects.bulk_create(lines)
        suggestion_lines_store(count=count)
        if index < last and rng.random() < 0.7:
            _followed(count, rng)


def _followed(count: StockCount, rng) -> None:
    """The rep ordered what was suggested at this (past) count, changing a line
    now and then with the dealer's reason, so "suggested orders followed" shows."""
    changed = []
    for line in count.suggestions.filter(suggested_quantity__isnull=False):
        line.ordered_quantity = line.suggested_quantity
        if line.suggested_quantity and rng.random() < 0.2:
            line.ordered_quantity = max(0, line.suggested_quantity - rng.randint(1, line.suggested_quantity))
            line.change_reason = rng.choice(FOLLOW_REASONS)
        changed.append(line)
    SuggestedOrderLine.objects.bulk_update(changed, ["ordered_quantity", "change_reason"])
