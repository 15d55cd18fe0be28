"""The suggested-order rule (SPEC §3), pure arithmetic: the seed's worked examples,
the refinements, and hypothesis properties."""

import datetime
import math
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from hypothesis import assume, given
from hypothesis import strategies as st

from inventory.calculations import (
    Excluded,
    Flag,
    Period,
    coefficient_for,
    is_near_expiry,
    median,
    period_sales,
    plausible_limit,
    suggest,
)

D = Decimal
ONE_FIVE = D("1.5")


def test_suggest_seed_first_example_no_order():
    result = suggest(current_stock=120, periods=[Period(100, 50, 120)], coefficient=ONE_FIVE)
    assert (result.period_sales, result.safety_stock, result.suggested_quantity) == (D("30.00"), D("45.00"), 0)
    assert result.flags == ()


def test_suggest_seed_second_example_orders_130():
    result = suggest(current_stock=20, periods=[Period(80, 40, 20)], coefficient=ONE_FIVE)
    assert (result.period_sales, result.safety_stock, result.suggested_quantity) == (D("100.00"), D("150.00"), 130)
    assert Flag.LOW_COVER in result.flags


def test_rule_parts_seed_numbers():
    assert period_sales(80, 40, 20) == 100
    assert period_sales(100, 50, 120) == 30
    assert median([D("30"), 10, 50]) == 30
    assert median([10, 50]) == 30


def test_suggest_rounds_the_shortfall_up():
    # sales 7 → safety 10.5 → 10.5 − 0 = 10.5 → 11
    assert suggest(current_stock=0, periods=[Period(7, 0, 0)], coefficient=ONE_FIVE).suggested_quantity == 11


def test_suggest_no_previous_count_no_suggestion_flagged():
    result = suggest(current_stock=30, periods=[], coefficient=ONE_FIVE)
    assert result.suggested_quantity is None and result.period_sales is None
    assert result.flags == (Flag.NO_PREVIOUS_COUNT,)


def test_suggest_negative_sales_flagged_not_zero():
    result = suggest(current_stock=200, periods=[Period(100, 50, 200)], coefficient=ONE_FIVE)
    assert result.suggested_quantity is None and result.period_sales is None
    assert Flag.NEGATIVE_SALES in result.flags


def test_suggest_out_of_stock_and_near_expiry_flags():
    result = suggest(current_stock=0, periods=[Period(10, 0, 0)], coefficient=ONE_FIVE, near_expiry=True)
    assert {Flag.OUT_OF_STOCK, Flag.NEAR_EXPIRY, Flag.LOW_COVER} <= set(result.flags)
    assert result.suggested_quantity == 15


def test_coefficient_for_larger_override_applies_and_says_whose():
    assert coefficient_for() == (D("1.5"), "default")
    assert coefficient_for(product=D("2.0")) == (D("2.0"), "product")
    assert coefficient_for(dealer=D("1.2")) == (D("1.2"), "dealer")
    assert coefficient_for(product=D("1.8"), dealer=D("2.2")) == (D("2.2"), "dealer")
    assert coefficient_for(product=D("2.5"), dealer=D("2.2")) == (D("2.5"), "product")
    assert coefficient_for(default=D("1.7")) == (D("1.7"), "default")


def test_suggest_scaled_to_cycle_when_gap_differs():
    # 30 sold in 10 days; the cycle is 14 days → 42 per cycle.
    result = suggest(current_stock=20, periods=[Period(50, 0, 20, days=10)], coefficient=ONE_FIVE, cycle_days=14)
    assert result.period_sales == D("42.00")
    assert result.safety_stock == D("63.00")
    assert result.suggested_quantity == 43
    assert Flag.SCALED_TO_CYCLE in result.flags


def test_suggest_no_plan_no_scaling():
    result = suggest(current_stock=20, periods=[Period(50, 0, 20, days=10)], coefficient=ONE_FIVE, cycle_days=None)
    assert result.period_sales == D("30.00")
    assert Flag.SCALED_TO_CYCLE not in result.flags


def test_suggest_median_of_last_three_normal_periods():
    periods = [Period(50, 0, 40), Period(100, 0, 50), Period(130, 0, 100), Period(500, 0, 130)]
    # sales 10, 50, 30 (the fourth is beyond the look-back) → median 30
    result = suggest(current_stock=40, periods=periods, coefficient=ONE_FIVE)
    assert result.period_sales == D("30.00")
    assert result.suggested_quantity == 5
    assert Flag.MEDIAN_OF_PERIODS in result.flags
    # The working: what each period sold, which ones the median was taken of, and why the fourth was not.
    assert [(period.sales, period.used, period.excluded) for period in result.periods] == [
        (10, True, None), (50, True, None), (30, True, None), (370, False, Excluded.OLDER)]
    assert result.median_of == 3


def test_suggest_plain_tuples_are_periods():
    assert suggest(current_stock=20, periods=[(80, 40, 20, 14, False)], coefficient=ONE_FIVE) == suggest(
        current_stock=20, periods=[Period(80, 40, 20, days=14)], coefficient=ONE_FIVE)


def test_suggest_promotion_periods_excluded():
    periods = [Period(50, 0, 40), Period(200, 0, 50, promotion=True), Period(70, 0, 200 - 180)]
    # normal: 10 and 50 → median 30 (the promotion's 150 left out)
    result = suggest(current_stock=40, periods=periods, coefficient=ONE_FIVE)
    assert result.period_sales == D("30.00")
    assert Flag.PROMOTION_EXCLUDED in result.flags
    assert [period.excluded for period in result.periods] == [None, Excluded.PROMOTION, None]


def test_suggest_only_promotion_periods_used_rather_than_nothing():
    result = suggest(current_stock=10, periods=[Period(50, 0, 10, promotion=True)], coefficient=ONE_FIVE)
    assert result.period_sales == D("40.00")
    assert Flag.PROMOTION_EXCLUDED not in result.flags


def test_suggest_older_negative_period_not_normal():
    periods = [Period(50, 0, 40), Period(10, 0, 50), Period(60, 0, 10)]
    # sales 10, −40 (left out), 50 → median of 10 and 50 = 30
    result = suggest(current_stock=40, periods=periods, coefficient=ONE_FIVE)
    assert result.period_sales == D("30.00")
    assert result.periods[1] == (-40, None, False, Excluded.NEGATIVE)


def test_suggest_scaled_period_shows_its_cycle_sales():
    result = suggest(current_stock=20, periods=[Period(50, 0, 20, days=10)], coefficient=ONE_FIVE, cycle_days=14)
    [period] = result.periods
    assert (period.sales, period.cycle_sales, period.scaled, period.used) == (30, D(42), True, True)


def test_plausible_limit_multiple_of_reference_never_below_floor():
    assert plausible_limit(reference=150) == 1500
    assert plausible_limit(reference=0) == 1000
    assert plausible_limit(reference=150, multiple=5, floor=10) == 750


def test_is_near_expiry_threshold_one_third():
    counted = datetime.date(2026, 6, 1)
    # shelf life 300 days: near expiry when fewer than 100 days remain
    assert not is_near_expiry(production_date=counted - datetime.timedelta(days=200), shelf_life_days=300,
                              counted_on=counted)
    assert is_near_expiry(production_date=counted - datetime.timedelta(days=201), shelf_life_days=300,
                          counted_on=counted)
    assert not is_near_expiry(production_date=None, shelf_life_days=300, counted_on=counted)
    assert is_near_expiry(production_date=counted - datetime.timedelta(days=151), shelf_life_days=300,
                          counted_on=counted, threshold=Fraction(1, 2))


stock = st.integers(min_value=0, max_value=10_000)
coefficients = st.decimals(min_value=D("0.5"), max_value=D("5"), places=2)


@given(previous=stock, delivered=stock, current=stock, coefficient=coefficients)
def test_suggest_never_negative(previous, delivered, current, coefficient):
    result = suggest(current_stock=current, periods=[Period(previous, delivered, current)], coefficient=coefficient)
    assert result.suggested_quantity is None or result.suggested_quantity >= 0


@given(previous=stock, delivered=stock, low=stock, high=stock, coefficient=coefficients,
       older=st.lists(st.tuples(stock, stock, stock, st.booleans()), max_size=3),
       cycle=st.one_of(st.none(), st.integers(1, 60)), days=st.integers(1, 60))
def test_suggest_monotone_in_current_stock(previous, delivered, low, high, coefficient, older, cycle, days):
    assume(low <= high)
    rest = [Period(a, b, c, days=days, promotion=p) for a, b, c, p in older]

    def suggested(current):
        periods = [Period(previous, delivered, current, days=days), *rest]
        return suggest(current_stock=current, periods=periods, coefficient=coefficient,
                       cycle_days=cycle).suggested_quantity

    more, less = suggested(low), suggested(high)
    if more is not None and less is not None:
        assert less <= more


@given(sales=st.integers(min_value=0, max_value=10_000), days=st.integers(1, 120), cycle=st.integers(1, 120))
def test_suggest_scaling_proportional(sales, days, cycle):
    [scaled] = suggest(current_stock=0, periods=[Period(sales, 0, 0, days=days)], coefficient=ONE_FIVE,
                       cycle_days=cycle).periods
    assert abs(scaled.cycle_sales * days - D(sales) * cycle) < D("1e-20")
    assert scaled.scaled == (days != cycle)
    [unscaled] = suggest(current_stock=0, periods=[Period(sales, 0, 0, days=days)], coefficient=ONE_FIVE).periods
    assert unscaled.cycle_sales == sales and not unscaled.scaled


@given(periods=st.lists(st.tuples(stock, stock, stock, st.integers(1, 60), st.booleans()), min_size=1, max_size=3),
       current=stock, coefficient=coefficients, cycle=st.one_of(st.none(), st.integers(1, 60)))
def test_suggest_working_redoes_the_number_by_hand(periods, current, coefficient, cycle):
    """What the working shows is enough to redo the suggestion: the median of the
    used periods' cycle sales × the coefficient − current stock, rounded up."""
    periods = [(periods[0][0], periods[0][1], current, *periods[0][3:]), *periods[1:]]
    result = suggest(current_stock=current, periods=periods, coefficient=coefficient, cycle_days=cycle)
    if result.suggested_quantity is None:
        return
    used = [period.cycle_sales for period in result.periods if period.used]
    assert len(used) == result.median_of
    normal = median(used)
    assert result.period_sales == normal.quantize(D("0.01"), ROUND_HALF_UP)
    assert result.suggested_quantity == max(0, math.ceil(normal * coefficient - current))


@given(sales=st.integers(min_value=0, max_value=5_000), days=st.integers(1, 60), current=st.integers(0, 5_000))
def test_suggest_doubling_gap_halves_period_sales(sales, days, current):
    cycle = 14
    one = suggest(current_stock=current, periods=[Period(sales + current, 0, current, days=days)],
                  coefficient=ONE_FIVE, cycle_days=cycle)
    two = suggest(current_stock=current, periods=[Period(sales + current, 0, current, days=2 * days)],
                  coefficient=ONE_FIVE, cycle_days=cycle)
    assert abs(two.period_sales * 2 - one.period_sales) <= D("0.01")
