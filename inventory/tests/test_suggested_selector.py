"""The set-based suggested-order selector on a small world checked by hand, its
query count (the same for 20 and 200 products), replaced counts never read as
"previous stock", and the working of every period. No visits: inventory's own
stock factories."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from dealers.tests.factories import DealerFactory
from inventory.calculations import Flag
from inventory.models import ShipmentLine, StockCount
from inventory.selectors import latest_stock_count_ids, suggested_orders, suggested_orders_for_latest_counts
from inventory.tests.factories import ProductFactory
from inventory.tests.stock_factories import carry, count_at, cycles, ship
from promotions.models import CampaignStatus
from promotions.tests.factories import CampaignFactory

pytestmark = pytest.mark.django_db
D = Decimal
DAY = datetime.timedelta(days=1)


@pytest.fixture
def world():
    now = timezone.now().replace(microsecond=0)
    dealer = DealerFactory()
    cola, tea, juice, new = (ProductFactory(name=name) for name in ("Cola", "Tea", "Juice", "New"))
    carry(dealer, [cola, tea, juice, new])
    first = count_at(dealer, now - 14 * DAY, {cola: 100, tea: 80, juice: 10})
    ship(dealer, now - 7 * DAY, {cola: 50, tea: 40})
    ship(dealer, now - 20 * DAY, {cola: 999})  # before the previous count: not in the period
    second = count_at(dealer, now, {cola: 120, tea: 20, juice: 0, new: 5})
    ship(dealer, now + DAY, {tea: 999})  # after the count
    return dict(now=now, dealer=dealer, cola=cola, tea=tea, juice=juice, new=new, first=first, second=second)


def _by_product(lines):
    return {line.product_id: line for line in lines}


def test_suggested_orders_small_world_by_hand(world):
    lines = _by_product(suggested_orders(stock_count_ids=[world["second"].pk])[world["second"].pk])
    cola, tea, juice, new = (lines[world[name].pk] for name in ("cola", "tea", "juice", "new"))
    assert (cola.previous_stock, cola.deliveries, cola.current_stock) == (100, 50, 120)
    assert (cola.period_sales, cola.coefficient, cola.safety_stock, cola.suggested_quantity) == (
        D("30.00"), D("1.5"), D("45.00"), 0)
    assert (tea.previous_stock, tea.deliveries, tea.current_stock) == (80, 40, 20)
    assert (tea.period_sales, tea.safety_stock, tea.suggested_quantity) == (D("100.00"), D("150.00"), 130)
    assert juice.suggested_quantity == 15 and Flag.OUT_OF_STOCK in juice.flags
    assert new.suggested_quantity is None and new.flags == (Flag.NO_PREVIOUS_COUNT,)
    first = suggested_orders(stock_count_ids=[world["first"].pk])[world["first"].pk]
    assert all(line.flags[0] == Flag.NO_PREVIOUS_COUNT for line in first)


def test_suggested_orders_overrides_larger_applies(world):
    world["tea"].safety_coefficient = D("2.00")
    world["tea"].save()
    world["dealer"].safety_coefficient = D("1.80")
    world["dealer"].save()
    lines = _by_product(suggested_orders(stock_count_ids=[world["second"].pk])[world["second"].pk])
    assert lines[world["tea"].pk].coefficient == D("2.00")
    assert lines[world["tea"].pk].suggested_quantity == 180
    assert lines[world["cola"].pk].coefficient == D("1.80")


def test_suggested_orders_scaled_to_visit_cycle(world):
    with cycles({world["dealer"].pk: 7}):
        lines = _by_product(suggested_orders(stock_count_ids=[world["second"].pk])[world["second"].pk])
    tea = lines[world["tea"].pk]
    assert tea.period_sales == D("50.00")  # 100 in 14 days → 50 per 7-day cycle
    assert tea.suggested_quantity == 55
    assert Flag.SCALED_TO_CYCLE in tea.flags


def test_suggested_orders_promotion_period_excluded_median_of_three(world):
    now, dealer, tea = world["now"], world["dealer"], world["tea"]
    # Earlier periods for tea: −42d: 60 → −28d: 30 (sales 30), −28d: 30 → −14d: 80 with 150 delivered (sales 100,
    # during a promotion) → left out; latest sales 100. Normal: 100 and 30 → median 65.
    count_at(dealer, now - 42 * DAY, {tea: 60})
    count_at(dealer, now - 28 * DAY, {tea: 30})
    ship(dealer, now - 21 * DAY, {tea: 150})
    CampaignFactory(
        status=CampaignStatus.APPROVED, dealers=[dealer],
        start_date=timezone.localdate() - datetime.timedelta(days=22),
        end_date=timezone.localdate() - datetime.timedelta(days=20))
    lines = _by_product(suggested_orders(stock_count_ids=[world["second"].pk])[world["second"].pk])
    line = lines[tea.pk]
    assert line.period_sales == D("65.00")
    assert {Flag.PROMOTION_EXCLUDED, Flag.MEDIAN_OF_PERIODS} <= set(line.flags)
    assert line.suggested_quantity == 78  # ceil(97.5 − 20)


def test_suggested_orders_negative_sales_flagged(world):
    dealer, now, cola = world["dealer"], world["now"], world["cola"]
    count = count_at(dealer, now + 2 * DAY, {cola: 500})
    line = _by_product(suggested_orders(stock_count_ids=[count.pk])[count.pk])[cola.pk]
    assert line.suggested_quantity is None and Flag.NEGATIVE_SALES in line.flags


def test_suggested_orders_near_expiry(world):
    dealer, now, cola = world["dealer"], world["now"], world["cola"]
    old = timezone.localdate() - datetime.timedelta(days=300)  # shelf life 365: 67 days left < 121.7
    count = count_at(dealer, now + DAY, {cola: 110}, production_dates={cola: old})
    line = _by_product(suggested_orders(stock_count_ids=[count.pk])[count.pk])[cola.pk]
    assert Flag.NEAR_EXPIRY in line.flags


def test_suggested_orders_for_latest_counts_per_dealer(world):
    other = DealerFactory()
    count = count_at(other, world["now"], {world["cola"]: 3})
    result = suggested_orders_for_latest_counts()
    assert set(result) >= {world["dealer"].pk, other.pk}
    assert {line.stock_count_id for line in result[world["dealer"].pk]} == {world["second"].pk}
    assert latest_stock_count_ids(dealer_ids=[other.pk]) == {other.pk: count.pk}
    assert suggested_orders_for_latest_counts(dealer_ids=[]) == {}


@pytest.mark.parametrize("products", [20, 200])
def test_suggested_orders_query_count_fixed(products, django_assert_max_num_queries):
    now = timezone.now()
    dealers = [DealerFactory() for _ in range(2)]
    items = ProductFactory.create_batch(products, prices={})
    for dealer in dealers:
        for weeks in (6, 4, 2, 0):
            count_at(dealer, now - weeks * 7 * DAY, dict.fromkeys(items, 10 + weeks))
        ship(dealer, now - 3 * DAY, dict.fromkeys(items[:5], 4))
    with django_assert_max_num_queries(9):
        result = suggested_orders_for_latest_counts(dealer_ids=[dealer.pk for dealer in dealers])
    assert all(len(lines) == products for lines in result.values())


def test_suggested_orders_agree_with_the_rule_on_a_random_world():
    """The SQL pivot feeds inventory.calculations.suggest exactly what the counts and
    shipments say: recompute every line from the ORM, period by period, and compare."""
    import random

    from inventory.calculations import Period, coefficient_for, is_near_expiry, suggest

    rng = random.Random(5)
    now = timezone.now().replace(microsecond=0)
    products = [ProductFactory(prices={}, shelf_life_days=rng.choice([30, 180, 365]),
                               safety_coefficient=rng.choice([None, D("2.00")])) for _ in range(5)]
    dealers = [DealerFactory(safety_coefficient=rng.choice([None, D("1.20"), D("1.80")])) for _ in range(3)]
    for dealer in dealers:
        days_back = [rng.randint(50, 60), rng.randint(35, 45), rng.randint(20, 30), rng.randint(8, 15), 0]
        for back in days_back:
            chosen = rng.sample(products, rng.randint(3, 5))
            count_at(dealer, now - back * DAY, {product: rng.randint(0, 60) for product in chosen},
                       production_dates={product: timezone.localdate() - rng.randint(0, 200) * DAY
                                         for product in chosen if rng.random() < 0.5})
            ship(dealer, now - (back + 3) * DAY, {product: rng.randint(1, 40) for product in rng.sample(products, 2)})
    CampaignFactory(status=CampaignStatus.APPROVED, dealers=[dealers[1]],
                    start_date=timezone.localdate() - 27 * DAY, end_date=timezone.localdate() - 25 * DAY)
    latest = latest_stock_count_ids(dealer_ids=[dealer.pk for dealer in dealers])
    with cycles({dealers[0].pk: 7}):
        computed = suggested_orders(stock_count_ids=latest.values())
    from promotions.selectors import campaign_windows_for_dealers

    seen = set()
    for dealer in dealers:
        counts = list(StockCount.objects.filter(dealer=dealer).order_by("-counted_at", "-id")[:4])
        quantities = [{line.product_id: line for line in count.lines.all()} for count in counts]
        dates = [timezone.localtime(count.counted_at).date() for count in counts]
        windows = campaign_windows_for_dealers(dealer_ids=[dealer.pk], start=dates[-1], end=dates[0]).get(dealer.pk, [])
        cycle = 7 if dealer == dealers[0] else None
        for line in computed[counts[0].pk]:
            periods = []
            for k in range(1, len(counts)):
                start_line = quantities[k].get(line.product_id)
                if start_line is None:
                    break
                shipped = sum(
                    shipment_line.quantity
                    for shipment_line in ShipmentLine.objects.filter(
                        shipment__dealer=dealer, product_id=line.product_id,
                        shipment__shipped_at__gt=counts[k].counted_at, shipment__shipped_at__lte=counts[k - 1].counted_at)
                )
                promotion = any(first <= dates[k - 1] and last > dates[k] for first, last in windows)
                periods.append(Period(start_line.quantity, shipped, quantities[k - 1][line.product_id].quantity,
                                      (dates[k - 1] - dates[k]).days, promotion))
            product = next(product for product in products if product.pk == line.product_id)
            current = quantities[0][line.product_id]
            expected = suggest(
                current_stock=current.quantity, periods=periods, cycle_days=cycle,
                coefficient=coefficient_for(product=product.safety_coefficient, dealer=dealer.safety_coefficient).value,
                near_expiry=is_near_expiry(production_date=current.production_date,
                                           shelf_life_days=product.shelf_life_days, counted_on=dates[0]),
            )
            assert (line.period_sales, line.safety_stock, line.suggested_quantity, line.flags) == (
                expected.period_sales, expected.safety_stock, expected.suggested_quantity, expected.flags)
            seen.update(line.flags)
    assert {Flag.MEDIAN_OF_PERIODS, Flag.SCALED_TO_CYCLE, Flag.PROMOTION_EXCLUDED} <= seen


def test_suggested_orders_follow_the_settings(world, settings):
    settings.SUGGESTED_ORDER_DEFAULT_COEFFICIENT = "2"
    settings.SUGGESTED_ORDER_NEAR_EXPIRY_THRESHOLD = "1/2"
    lines = _by_product(suggested_orders(stock_count_ids=[world["second"].pk])[world["second"].pk])
    assert lines[world["tea"].pk].coefficient == D("2")
    assert lines[world["tea"].pk].suggested_quantity == 180


def test_suggested_orders_lookback_one_period_no_median(world, settings):
    now, dealer, tea = world["now"], world["dealer"], world["tea"]
    count_at(dealer, now - 28 * DAY, {tea: 200})  # an older period with sales 120
    lines = _by_product(suggested_orders(stock_count_ids=[world["second"].pk])[world["second"].pk])
    assert lines[tea.pk].period_sales == D("110.00")  # median of 100 and 120
    settings.SUGGESTED_ORDER_LOOKBACK_PERIODS = 1
    lines = _by_product(suggested_orders(stock_count_ids=[world["second"].pk])[world["second"].pk])
    assert lines[tea.pk].period_sales == D("100.00")
    assert Flag.MEDIAN_OF_PERIODS not in lines[tea.pk].flags


def test_suggested_orders_replaced_count_never_previous_stock(world):
    """A recount at the same reference replaces the typo: the next count reads the
    recount as its previous stock, and the typo is not a period at all."""
    now, dealer, tea = world["now"], world["dealer"], world["tea"]
    typo = count_at(dealer, now + DAY, {tea: 99_999_999}, reference="visit:77")
    StockCount.objects.filter(pk=typo.pk).update(replaced_at=now + DAY)
    count_at(dealer, now + DAY + datetime.timedelta(minutes=5), {tea: 15}, reference="visit:77")
    later = count_at(dealer, now + 8 * DAY, {tea: 5})
    line = _by_product(suggested_orders(stock_count_ids=[later.pk], working=True)[later.pk])[tea.pk]
    assert line.previous_stock == 15
    assert [period[0] for period in line.periods] == [15, 20, 80]
    assert latest_stock_count_ids(dealer_ids=[dealer.pk]) == {dealer.pk: later.pk}


def test_suggested_orders_latest_count_skips_replaced(world):
    now, dealer = world["now"], world["dealer"]
    replaced = count_at(dealer, now + DAY, {world["tea"]: 1})
    StockCount.objects.filter(pk=replaced.pk).update(replaced_at=now + DAY)
    assert latest_stock_count_ids(dealer_ids=[dealer.pk]) == {dealer.pk: world["second"].pk}


def test_suggested_orders_working_of_every_period(world):
    now, dealer, tea = world["now"], world["dealer"], world["tea"]
    count_at(dealer, now - 28 * DAY, {tea: 200})  # an older period: 200 → 80, sales 120
    with cycles({dealer.pk: 7}):
        line = _by_product(suggested_orders(stock_count_ids=[world["second"].pk], working=True)[world["second"].pk])[
            tea.pk]
    assert line.coefficient_source == "default" and line.cycle_days == 7
    today = timezone.localdate()
    assert line.periods_json() == [[80, 40, 20, 14, False], [200, 0, 80, 14, False]]
    assert line.period_dates_json() == [[(today - 14 * DAY).isoformat(), today.isoformat()],
                                        [(today - 28 * DAY).isoformat(), (today - 14 * DAY).isoformat()]]
    working = [(period.sales, period.cycle_sales, period.scaled, period.used) for period in line.working]
    assert working == [(100, D(50), True, True), (120, D(60), True, True)]
    assert line.period_sales == D("55.00") and line.median_of == 2
