import datetime
from decimal import Decimal

import pytest

from scorecards import calculations as calc
from scorecards.calculations import MONTH, QUARTER, YEAR, Period

TODAY = datetime.date(2026, 11, 15)


@pytest.mark.parametrize(("text", "start", "kind", "end"), [
    ("", datetime.date(2026, 10, 1), MONTH, datetime.date(2026, 11, 1)),  # the last complete month
    ("2026-10", datetime.date(2026, 10, 1), MONTH, datetime.date(2026, 11, 1)),
    ("2026-12", datetime.date(2026, 12, 1), MONTH, datetime.date(2027, 1, 1)),
    ("2026-Q4", datetime.date(2026, 10, 1), QUARTER, datetime.date(2027, 1, 1)),
    ("2026-q1", datetime.date(2026, 1, 1), QUARTER, datetime.date(2026, 4, 1)),
    ("2025", datetime.date(2025, 1, 1), YEAR, datetime.date(2026, 1, 1)),
])
def test_parse_period_valid_text_gives_period(text, start, kind, end):
    period = calc.parse_period(text, today=TODAY)
    assert (period.start, period.kind, period.end) == (start, kind, end)


@pytest.mark.parametrize("text", ["2026-13", "2026-Q5", "26", "October", "2026-10-01"])
def test_parse_period_bad_text_raises(text):
    with pytest.raises(ValueError, match="2026-Q4"):
        calc.parse_period(text, today=TODAY)


def test_period_keys_round_trip():
    for text in ["2026-03", "2026-Q2", "2024"]:
        assert calc.parse_period(text, today=TODAY).key == text


def test_previous_period_crosses_year():
    assert calc.previous_period(Period(datetime.date(2026, 1, 1))).key == "2025-12"
    assert calc.previous_period(Period(datetime.date(2026, 1, 1), QUARTER)).key == "2025-Q4"
    assert calc.previous_period(Period(datetime.date(2026, 1, 1), YEAR)).key == "2025"


def test_same_period_last_year():
    assert calc.same_period_last_year(Period(datetime.date(2026, 4, 1), QUARTER)).key == "2025-Q2"


def test_last_periods_twelve_months_oldest_first():
    periods = calc.last_periods(Period(datetime.date(2026, 10, 1)), 12)
    assert [p.key for p in periods[:2]] == ["2025-11", "2025-12"]
    assert periods[-1].key == "2026-10"
    assert len(periods) == 12


def test_period_months_of_a_quarter():
    assert Period(datetime.date(2026, 7, 1), QUARTER).months() == [
        datetime.date(2026, 7, 1), datetime.date(2026, 8, 1), datetime.date(2026, 9, 1)]


def test_prorated_target_partial_overlap():
    october = Period(datetime.date(2026, 10, 1))
    # The contract starts on 17 October: 15 days of October.
    assert calc.prorated_target(annual_target=Decimal("365000"), start=datetime.date(2026, 10, 17),
                                end=datetime.date(2027, 10, 16), period=october) == Decimal("15000.00")
    assert calc.prorated_target(annual_target=Decimal("365000"), start=datetime.date(2025, 1, 1),
                                end=datetime.date(2025, 12, 31), period=october) == Decimal("0.00")


def test_achievement_growth_penetration_rates():
    assert calc.achievement_percent(sales=Decimal("6600"), target=Decimal("31000")) == Decimal("21.3")
    assert calc.achievement_percent(sales=Decimal("5"), target=Decimal("0")) is None
    assert calc.growth_percent(current=Decimal("50"), base=Decimal("100")) == Decimal("-50.0")
    assert calc.growth_percent(current=Decimal("50"), base=Decimal("0")) is None
    assert calc.penetration(sales=Decimal("6600"), market_size=Decimal("66000")) == Decimal("0.1000")
    assert calc.penetration(sales=Decimal("1"), market_size=None) is None
    assert calc.rate_percent(part=3, whole=5) == Decimal("60.0")
    assert calc.rate_percent(part=3, whole=0) is None


def test_grade_trend_and_distribution():
    assert calc.grade_trend(current="A", previous="B") == "up"
    assert calc.grade_trend(current="C", previous="B") == "down"
    assert calc.grade_trend(current="B", previous="B") == "same"
    assert calc.grade_trend(current="B", previous="") == ""
    assert calc.grade_distribution(["A", "A", "C", "", "X"]) == {"A": 2, "B": 0, "C": 1, "D": 0, "": 2}


def test_near_expiry_less_than_a_third_left():
    on = datetime.date(2026, 10, 16)
    assert calc.near_expiry(production_date=datetime.date(2026, 1, 1), shelf_life_days=365, on=on)
    assert not calc.near_expiry(production_date=datetime.date(2026, 10, 1), shelf_life_days=365, on=on)
    assert not calc.near_expiry(production_date=None, shelf_life_days=365, on=on)


def test_sparkline_points_scale_to_the_highest_value():
    from scorecards.sections import sparkline_points

    assert sparkline_points([]) == ""
    points = sparkline_points([0.0, 50.0, 100.0], width=100, height=20).split()
    assert points == ["0.0,19.0", "50.0,10.0", "100.0,1.0"]
    assert sparkline_points([0.0, 0.0], width=10, height=10) == "0.0,9.0 10.0,9.0"


# --- Periods that do not mislead: the last complete month by default, like for like to date ----------
def test_last_complete_month_is_the_month_before_today():
    assert calc.last_complete_month(datetime.date(2026, 10, 7)).key == "2026-09"
    assert calc.last_complete_month(datetime.date(2026, 1, 1)).key == "2025-12"


def test_to_date_cuts_a_running_period_at_today_and_leaves_others():
    running = calc.to_date(Period(datetime.date(2026, 10, 1)), datetime.date(2026, 10, 7))
    assert running.is_partial and running.last_day == datetime.date(2026, 10, 7) and running.key == "2026-10"
    over = Period(datetime.date(2026, 9, 1))
    assert calc.to_date(over, datetime.date(2026, 10, 7)) == over and not over.is_partial


def test_a_period_to_date_is_compared_with_the_same_days_before_and_last_year():
    october_to_7th = calc.to_date(Period(datetime.date(2026, 10, 1)), datetime.date(2026, 10, 7))
    before = calc.previous_period(october_to_7th)
    last_year = calc.same_period_last_year(october_to_7th)
    assert (before.start, before.last_day) == (datetime.date(2026, 9, 1), datetime.date(2026, 9, 7))
    assert (last_year.start, last_year.last_day) == (datetime.date(2025, 10, 1), datetime.date(2025, 10, 7))


def test_a_month_to_date_longer_than_the_month_before_stops_at_its_end():
    march = calc.to_date(Period(datetime.date(2026, 3, 1)), datetime.date(2026, 3, 30))
    assert calc.previous_period(march).last_day == datetime.date(2026, 2, 28)


def test_a_quarter_to_date_counts_its_months_by_the_share_covered():
    quarter = calc.to_date(Period(datetime.date(2026, 10, 1), QUARTER), datetime.date(2026, 11, 15))
    assert quarter.month_weights() == [(datetime.date(2026, 10, 1), Decimal(1)),
                                       (datetime.date(2026, 11, 1), Decimal(15) / Decimal(30))]
    assert calc.previous_period(quarter).last_day == datetime.date(2026, 8, 15)


def test_the_target_of_a_month_to_date_is_pro_rated_to_its_days():
    seventh = calc.to_date(Period(datetime.date(2026, 10, 1)), datetime.date(2026, 10, 7))
    target = calc.prorated_target(annual_target=Decimal("36500"), start=datetime.date(2026, 1, 1),
                                  end=datetime.date(2026, 12, 31), period=seventh)
    assert target == Decimal("700.00")


@pytest.mark.parametrize(("first", "last", "username"), [
    ("Li", "Wang", "lwang"), ("伟", "张", "zhangwei"), ("", "张", "zhang"), ("Wei", "", "w"), ("", "", "nobody"),
    ("  Li ", " Wang ", "x"), (None, None, "plain"),
])
def test_a_scorecard_names_a_rep_as_everywhere_else(first, last, username):
    """The rows, the export and the filter's choices all say what str(user) says ("张伟", not "伟 张")."""
    from accounts.models import User

    user = User(first_name=first or "", last_name=last or "", username=username)
    assert calc.rep_label(first, last, username) == str(user)
