"""Rebate arithmetic: flat and tiered plans at their boundaries, rounding, periods."""

import datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rebates import calculations
from rebates.calculations import Period, Tier

SPEC_TIERS = [Tier(Decimal("100000.00"), Decimal("1")), Tier(Decimal("200000.00"), Decimal("2"))]
CENTS = st.integers(min_value=0, max_value=10**11).map(lambda cents: Decimal(cents) / 100)
RATES = st.integers(min_value=1, max_value=100_000).map(lambda thousandths: Decimal(thousandths) / 1000)


# --- Flat --------------------------------------------------------------------------------
def test_flat_rebate_spec_example_two_and_a_half_percent_of_a_year():
    outcome = calculations.flat_rebate(basis=Decimal("1000000.00"), rate=Decimal("2.5"))
    assert outcome.amount == Decimal("25000.00") and outcome.rate == Decimal("2.5")
    assert outcome.tier is None and outcome.amount_to_next_tier is None


def test_rebate_amount_rounds_half_up_to_the_cent():
    assert calculations.rebate_amount(Decimal("1234.50"), Decimal("2.5")) == Decimal("30.86")  # 30.8625
    assert calculations.rebate_amount(Decimal("0.20"), Decimal("2.5")) == Decimal("0.01")  # 0.005 → 0.01
    assert calculations.rebate_amount(Decimal("0.19"), Decimal("2.5")) == Decimal("0.00")  # 0.00475


def test_rebate_amount_refuses_negative_inputs():
    with pytest.raises(ValueError):
        calculations.rebate_amount(Decimal("-1"), Decimal("2"))


@given(basis=CENTS, rate=RATES)
def test_flat_rebate_is_basis_times_rate_within_half_a_cent(basis, rate):
    amount = calculations.flat_rebate(basis=basis, rate=rate).amount
    assert amount == amount.quantize(Decimal("0.01"))
    assert abs(amount - basis * rate / 100) <= Decimal("0.005")


@given(basis=CENTS, extra=CENTS, rate=RATES)
def test_flat_rebate_never_falls_when_purchases_grow(basis, extra, rate):
    assert calculations.flat_rebate(basis=basis + extra, rate=rate).amount >= calculations.flat_rebate(basis=basis, rate=rate).amount


# --- Tiers at the boundaries -----------------------------------------------------------------
@pytest.mark.parametrize(
    ("basis", "rate", "amount", "to_next"),
    [
        ("0.00", "0", "0.00", "100000.00"),
        ("99999.99", "0", "0.00", "0.01"),
        ("100000.00", "1", "1000.00", "100000.00"),
        ("199999.99", "1", "2000.00", "0.01"),  # 1999.9999 → 2000.00
        ("200000.00", "2", "4000.00", None),
        ("250000.00", "2", "5000.00", None),
    ],
)
def test_tiered_rebate_spec_tiers_at_the_boundaries(basis, rate, amount, to_next):
    outcome = calculations.tiered_rebate(basis=Decimal(basis), tiers=SPEC_TIERS)
    assert outcome.rate == Decimal(rate)
    assert outcome.amount == Decimal(amount)
    assert outcome.amount_to_next_tier == (Decimal(to_next) if to_next else None)


def test_tiered_rebate_reached_rate_applies_to_the_whole_basis_not_the_part_above():
    outcome = calculations.tiered_rebate(basis=Decimal("200000.00"), tiers=SPEC_TIERS)
    assert outcome.amount == Decimal("4000.00")  # 2 % of 200,000, not 1 % + 2 % of slices
    assert outcome.tier == SPEC_TIERS[1] and outcome.next_tier is None


@st.composite
def tier_ladders(draw):
    thresholds = sorted(draw(st.sets(CENTS, min_size=1, max_size=5)))
    rates = sorted(draw(st.lists(RATES, min_size=len(thresholds), max_size=len(thresholds))))
    return [Tier(threshold, rate) for threshold, rate in zip(thresholds, rates, strict=True)]


@given(tiers=tier_ladders(), data=st.data())
def test_tiered_rebate_at_a_threshold_earns_that_tier_and_a_cent_less_the_one_below(tiers, data):
    tier = data.draw(st.sampled_from(tiers))
    at = calculations.tiered_rebate(basis=tier.threshold, tiers=tiers)
    assert at.rate == tier.rate and at.tier == tier
    if tier.threshold > 0:
        below = calculations.tiered_rebate(basis=tier.threshold - Decimal("0.01"), tiers=tiers)
        lower = [t for t in tiers if t.threshold < tier.threshold]
        assert below.rate == (lower[-1].rate if lower else Decimal("0"))
        assert below.next_tier == tier
        assert below.amount_to_next_tier == Decimal("0.01")


@given(tiers=tier_ladders(), basis=CENTS, extra=CENTS)
def test_tiered_rebate_never_falls_when_purchases_grow(tiers, basis, extra):
    assert calculations.tiered_rebate(basis=basis + extra, tiers=tiers).amount >= calculations.tiered_rebate(basis=basis, tiers=tiers).amount


@given(tiers=tier_ladders(), basis=CENTS)
def test_tiered_rebate_reaching_the_next_tier_takes_exactly_the_distance(tiers, basis):
    outcome = calculations.tiered_rebate(basis=basis, tiers=tiers)
    if outcome.next_tier is None:
        assert basis >= tiers[-1].threshold
    else:
        assert outcome.amount_to_next_tier > 0
        reached = calculations.tiered_rebate(basis=basis + outcome.amount_to_next_tier, tiers=tiers)
        assert reached.tier == outcome.next_tier


def test_tiers_are_consistent_refuses_a_falling_rate_or_a_repeated_threshold():
    assert calculations.tiers_are_consistent(SPEC_TIERS)
    assert not calculations.tiers_are_consistent([Tier(Decimal("1"), Decimal("2")), Tier(Decimal("2"), Decimal("1"))])
    assert not calculations.tiers_are_consistent([Tier(Decimal("1"), Decimal("1")), Tier(Decimal("1"), Decimal("2"))])


# --- Periods ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("kind", "day", "start", "end"),
    [
        ("month", "2024-02-10", "2024-02-01", "2024-02-29"),
        ("month", "2025-12-31", "2025-12-01", "2025-12-31"),
        ("quarter", "2026-05-15", "2026-04-01", "2026-06-30"),
        ("quarter", "2026-12-01", "2026-10-01", "2026-12-31"),
        ("year", "2026-07-04", "2026-01-01", "2026-12-31"),
    ],
)
def test_period_containing_gives_the_calendar_period(kind, day, start, end):
    date = datetime.date.fromisoformat
    assert calculations.period_containing(kind, date(day)) == Period(date(start), date(end))


@given(day=st.dates(min_value=datetime.date(2000, 1, 1), max_value=datetime.date(2100, 12, 31)),
       kind=st.sampled_from(["month", "quarter", "year"]))
def test_period_containing_contains_the_day_and_the_next_period_starts_the_day_after(day, kind):
    period = calculations.period_containing(kind, day)
    assert period.contains(day)
    following = calculations.period_containing(kind, period.end + datetime.timedelta(days=1))
    assert following.start == period.end + datetime.timedelta(days=1)


def test_accrual_windows_cut_periods_to_the_plan_and_assignment_dates():
    windows = calculations.accrual_windows(
        period_kind="quarter", since=datetime.date(2026, 1, 1), until=datetime.date(2026, 6, 30),
        plan_starts=datetime.date(2026, 2, 15), assigned_until=datetime.date(2026, 5, 10),
    )
    assert [(w.period.start, w.counted.start, w.counted.end) for w in windows] == [
        (datetime.date(2026, 1, 1), datetime.date(2026, 2, 15), datetime.date(2026, 3, 31)),
        (datetime.date(2026, 4, 1), datetime.date(2026, 4, 1), datetime.date(2026, 5, 10)),
    ]


def test_accrual_windows_of_a_campaign_are_its_dates_when_they_overlap():
    kwargs = {"period_kind": "campaign", "plan_starts": datetime.date(2026, 3, 1), "plan_ends": datetime.date(2026, 4, 15)}
    (window,) = calculations.accrual_windows(since=datetime.date(2026, 4, 1), until=datetime.date(2026, 4, 1), **kwargs)
    assert window.period == Period(datetime.date(2026, 3, 1), datetime.date(2026, 4, 15)) == window.counted
    assert calculations.accrual_windows(since=datetime.date(2026, 5, 1), until=datetime.date(2026, 5, 2), **kwargs) == []
