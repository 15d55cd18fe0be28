"""Pure rules: the lift arithmetic, the clock's calendar, the default checklists."""

import datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from promotions.calculations import (
    CLOCK_HORIZON_DAYS,
    DEFAULT_CHECKLISTS,
    ClockStep,
    achievement,
    clock_dates,
    clock_steps_due,
    comparison_period,
    costs_add_up,
    default_checklist,
    lift,
)
from promotions.models import CampaignType

D = datetime.date
amounts = st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False, allow_infinity=False)


# --- Lift ---------------------------------------------------------------------------------------
def test_lift_on_known_figures():
    result = lift(Decimal("200"), Decimal("260"))
    assert result.change == 60 and result.ratio == Decimal("0.3000")


def test_lift_of_a_fall_is_negative():
    assert lift(80, 60).ratio == Decimal("-0.2500")


def test_lift_from_nothing_has_no_ratio():
    result = lift(0, 40)
    assert result.change == 40 and result.ratio is None


def test_lift_of_negative_sell_in_is_refused():
    with pytest.raises(ValueError):
        lift(-1, 5)


@given(before=amounts, during=amounts)
def test_lift_change_is_during_minus_before(before, during):
    result = lift(before, during)
    assert result.before + result.change == result.during


@given(before=amounts.filter(lambda value: value > 0), during=amounts)
def test_lift_ratio_has_the_sign_of_the_change_and_is_at_least_minus_one(before, during):
    ratio = lift(before, during).ratio
    assert ratio >= -1
    if during > before:
        assert ratio >= 0
    if during < before:
        assert ratio <= 0
    assert abs(before * (1 + ratio) - during) <= before * Decimal("0.00005") + Decimal("0.01")


def test_achievement_on_known_figures():
    assert achievement(Decimal("45"), Decimal("60")) == Decimal("0.7500")
    assert achievement(None, 10) is None
    with pytest.raises(ValueError):
        achievement(1, 0)


@given(budget=amounts, share=st.decimals(min_value=0, max_value=1, places=2))
def test_costs_add_up_exactly_when_the_shares_make_the_budget(budget, share):
    manufacturer = (budget * share).quantize(Decimal("0.01"))
    assert costs_add_up(budget, manufacturer, budget - manufacturer)
    assert not costs_add_up(budget, manufacturer, budget - manufacturer + Decimal("0.01"))


# --- Periods and the clock -------------------------------------------------------------------------
def test_comparison_period_is_the_same_length_just_before():
    assert comparison_period(D(2026, 11, 10), D(2026, 11, 16)) == (D(2026, 11, 3), D(2026, 11, 9))
    assert comparison_period(D(2026, 3, 1), D(2026, 3, 1)) == (D(2026, 2, 28), D(2026, 2, 28))


@given(start=st.dates(min_value=D(2000, 1, 1), max_value=D(2090, 1, 1)), days=st.integers(0, 400))
def test_comparison_period_has_the_campaigns_length_and_ends_the_day_before(start, days):
    end = start + datetime.timedelta(days=days)
    first, last = comparison_period(start, end)
    assert (last - first) == (end - start) and last == start - datetime.timedelta(days=1)


def test_clock_steps_on_each_day():
    end = D(2026, 11, 10)

    def steps(n):
        return set(clock_steps_due(end, end + datetime.timedelta(days=n)))

    assert steps(-1) == steps(0) == set()
    assert steps(1) == steps(2) == {ClockStep.THANK_YOU}
    assert steps(3) == {ClockStep.THANK_YOU, ClockStep.UNASSIGNED_REMINDER}
    assert steps(5) == steps(3) | {ClockStep.FOLLOW_UP_REMINDER, ClockStep.REVIEW_REMINDER}
    assert steps(8) == steps(5) | {ClockStep.FOLLOW_UP_ESCALATION, ClockStep.REVIEW_ESCALATION}
    assert steps(CLOCK_HORIZON_DAYS) == steps(8) and steps(CLOCK_HORIZON_DAYS + 1) == set()


def test_clock_dates_of_an_event():
    dates = clock_dates(D(2026, 11, 10))
    assert (dates.thank_you_on, dates.assign_by, dates.follow_up_by, dates.review_by) == (
        D(2026, 11, 11), D(2026, 11, 13), D(2026, 11, 17), D(2026, 11, 17),
    )


# --- The default checklist -------------------------------------------------------------------------
def test_every_campaign_type_has_a_default_checklist():
    assert set(DEFAULT_CHECKLISTS) == set(CampaignType.values)


def test_default_checklist_counts_back_from_the_start_date():
    tasks = dict(default_checklist("ka_slot", D(2026, 12, 31), D(2026, 11, 1)))
    assert tasks["Stock ready before the slot"] == D(2026, 12, 26)
    assert tasks["Write the campaign plan"] == D(2026, 12, 10)


def test_default_checklist_of_a_late_plan_is_due_now_but_never_after_the_start():
    start = D(2026, 11, 20)
    tasks = dict(default_checklist("conference", start, D(2026, 11, 18)))
    assert tasks["Book the venue"] == D(2026, 11, 18) and tasks["Rehearsal"] == D(2026, 11, 19)
    past = dict(default_checklist("conference", D(2026, 1, 1), D(2026, 11, 18)))
    assert set(past.values()) == {D(2026, 1, 1)}
