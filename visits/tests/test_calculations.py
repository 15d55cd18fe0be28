"""The pure arithmetic of visits: plan occurrences, the visit cycle, distances, working days."""

import datetime

from hypothesis import given
from hypothesis import strategies as st

from visits import calculations as c

dates = st.dates(min_value=datetime.date(2020, 1, 1), max_value=datetime.date(2035, 12, 31))


def test_plan_occurrences_monthly_days_10_and_25():
    got = c.plan_occurrences(rule=c.MONTHLY_DAYS, start=datetime.date(2026, 3, 1), end=datetime.date(2026, 4, 30),
                             starts_on=datetime.date(2026, 1, 1), month_days=[25, 10])
    assert got == [datetime.date(2026, 3, 10), datetime.date(2026, 3, 25), datetime.date(2026, 4, 10),
                   datetime.date(2026, 4, 25)]


def test_plan_occurrences_monthly_day_31_is_last_day_of_short_months():
    got = c.plan_occurrences(rule=c.MONTHLY_DAYS, start=datetime.date(2026, 2, 1), end=datetime.date(2026, 4, 30),
                             starts_on=datetime.date(2026, 1, 1), month_days=[31])
    assert got == [datetime.date(2026, 2, 28), datetime.date(2026, 3, 31), datetime.date(2026, 4, 30)]


def test_plan_occurrences_weekly_every_monday():
    got = c.plan_occurrences(rule=c.WEEKLY, start=datetime.date(2026, 11, 30), end=datetime.date(2026, 12, 20),
                             starts_on=datetime.date(2026, 1, 1), weekdays=[0])
    assert got == [datetime.date(2026, 11, 30), datetime.date(2026, 12, 7), datetime.date(2026, 12, 14)]


def test_plan_occurrences_every_n_days_counts_from_starts_on():
    got = c.plan_occurrences(rule=c.EVERY_N_DAYS, start=datetime.date(2026, 1, 10), end=datetime.date(2026, 1, 31),
                             starts_on=datetime.date(2026, 1, 1), interval_days=7)
    assert got == [datetime.date(2026, 1, 15), datetime.date(2026, 1, 22), datetime.date(2026, 1, 29)]


def test_plan_occurrences_never_before_starts_on():
    got = c.plan_occurrences(rule=c.WEEKLY, start=datetime.date(2026, 1, 1), end=datetime.date(2026, 1, 31),
                             starts_on=datetime.date(2026, 1, 20), weekdays=[0, 2])
    assert min(got) >= datetime.date(2026, 1, 20)


def test_cycle_days_for_each_rule():
    assert c.cycle_days_for(c.MONTHLY_DAYS, month_days=[10, 25]) == 15
    assert c.cycle_days_for(c.MONTHLY_DAYS, month_days=[1]) == 30
    assert c.cycle_days_for(c.WEEKLY, weekdays=[0]) == 7
    assert c.cycle_days_for(c.WEEKLY, weekdays=[0, 3]) == 4
    assert c.cycle_days_for(c.WEEKLY, weekdays=list(range(7))) == 1
    assert c.cycle_days_for(c.EVERY_N_DAYS, interval_days=10) == 10


@given(start=dates, length=st.integers(0, 120), days=st.sets(st.integers(1, 31), min_size=1, max_size=5))
def test_plan_occurrences_monthly_within_window_sorted_unique(start, length, days):
    end = start + datetime.timedelta(days=length)
    got = c.plan_occurrences(rule=c.MONTHLY_DAYS, start=start, end=end, starts_on=datetime.date(2019, 1, 1), month_days=days)
    assert got == sorted(set(got))
    assert all(start <= day <= end for day in got)
    for day in got:
        last = (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1) - datetime.timedelta(days=1)
        assert day.day in days or (day == last and any(wanted > last.day for wanted in days))


@given(start=dates, weeks=st.integers(1, 20), weekdays=st.sets(st.integers(0, 6), min_size=1))
def test_plan_occurrences_weekly_count_is_weeks_times_days(start, weeks, weekdays):
    end = start + datetime.timedelta(days=7 * weeks - 1)
    got = c.plan_occurrences(rule=c.WEEKLY, start=start, end=end, starts_on=datetime.date(2019, 1, 1), weekdays=weekdays)
    assert len(got) == weeks * len(weekdays)
    assert all(day.weekday() in weekdays for day in got)


@given(starts_on=dates, offset=st.integers(0, 400), length=st.integers(0, 200), n=st.integers(1, 60))
def test_plan_occurrences_every_n_days_are_n_apart_from_starts_on(starts_on, offset, length, n):
    start = starts_on + datetime.timedelta(days=offset)
    end = start + datetime.timedelta(days=length)
    got = c.plan_occurrences(rule=c.EVERY_N_DAYS, start=start, end=end, starts_on=starts_on, interval_days=n)
    assert all((day - starts_on).days % n == 0 and start <= day <= end for day in got)
    assert all((b - a).days == n for a, b in zip(got, got[1:], strict=False))
    assert len(got) in (length // n, length // n + 1)


@given(start=dates, weeks=st.integers(1, 8), days=st.sets(st.integers(0, 6), min_size=1))
def test_cycle_days_weekly_matches_average_gap(start, weeks, days):
    cycle = c.cycle_days_for(c.WEEKLY, weekdays=days)
    assert cycle >= 1 and abs(cycle - 7 / len(days)) <= 0.5


def test_haversine_one_thousandth_degree_of_latitude_is_111_m():
    assert c.haversine_m(30, 120, 30.001, 120) == 111
    assert c.haversine_m(30, 120, 30, 120) == 0


def test_working_days_of_a_month():
    assert c.working_days(datetime.date(2026, 11, 1), datetime.date(2026, 11, 30)) == 21
    assert c.working_days(datetime.date(2026, 11, 2), datetime.date(2026, 11, 1)) == 0


@given(first=dates, length=st.integers(0, 60))
def test_working_days_matches_a_day_by_day_count(first, length):
    last = first + datetime.timedelta(days=length)
    expected = sum(1 for i in range(length + 1) if (first + datetime.timedelta(days=i)).weekday() < 5)
    assert c.working_days(first, last) == expected


def test_discipline_row_marks_targets():
    row = c.discipline_row(contact_days=63, working_days_count=21, dealers_contacted=5, dealers_assigned=10,
                           visits_completed=10, visits_planned=12, market_checks_before=9, visits_started=10)
    assert row["contacts_per_day"] == 3 and row["contacts_per_day_met"]
    assert row["share_met"] and row["share_contacted_percent"] == 50
    assert row["visits_met"] and not row["market_checks_met"]


def test_discipline_row_mid_month_is_on_track_or_behind_never_missed():
    # 5 of 22 working days gone: 3 visits against 2.3 by now (10 a month) is on track,
    # 30 % of dealers contacted against a pro-rated 11 % is on track.
    row = c.discipline_row(contact_days=5, working_days_count=5, dealers_contacted=3, dealers_assigned=10,
                           visits_completed=3, visits_planned=12, market_checks_before=2, visits_started=3,
                           working_days_in_month=22)
    assert not row["month_complete"]
    assert row["visits_status"] == "on_track" and row["share_status"] == "on_track"
    assert row["contacts_per_day_status"] == "behind" and row["market_checks_status"] == "behind"
    assert "missed" not in {row[key] for key in row if key.endswith("_status")}
    behind = c.discipline_row(contact_days=0, working_days_count=11, dealers_contacted=0, dealers_assigned=10,
                              visits_completed=1, visits_planned=12, market_checks_before=0, visits_started=0,
                              working_days_in_month=22)
    assert behind["visits_status"] == "behind" and behind["share_status"] == "behind"


def test_discipline_row_of_a_complete_month_is_met_or_missed():
    row = c.discipline_row(contact_days=21, working_days_count=21, dealers_contacted=2, dealers_assigned=10,
                           visits_completed=4, visits_planned=12, market_checks_before=4, visits_started=4,
                           working_days_in_month=21)
    assert row["month_complete"]
    assert (row["visits_status"], row["share_status"], row["contacts_per_day_status"]) == ("missed", "missed", "missed")
    assert row["market_checks_status"] == "met"
