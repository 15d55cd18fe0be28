"""The evaluation's weighted total and grade, and the contract reminder thresholds (pure functions)."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dealers.calculations import GradeThresholds, contract_reminder_due, grade_for, weighted_total

DEFAULT = GradeThresholds()
TOTALS = st.decimals(min_value=Decimal("1.00"), max_value=Decimal("5.00"), places=2)
scores_and_weights = st.dictionaries(
    st.sampled_from(["a", "b", "c", "d", "e", "f", "g"]),
    st.tuples(st.integers(1, 5), st.decimals(min_value=Decimal("0.01"), max_value=Decimal("10"), places=2)),
    min_size=1,
)


@pytest.mark.parametrize(("total", "grade"), [
    ("5.00", "A"), ("4.00", "A"), ("3.99", "B"), ("3.00", "B"), ("2.99", "C"), ("2.00", "C"), ("1.99", "D"), ("1.00", "D"),
])
def test_grade_for_default_thresholds_at_the_boundaries(total, grade):
    assert grade_for(Decimal(total)) == grade


@given(TOTALS)
def test_grade_for_matches_the_spec_rule_for_every_total(total):
    expected = "A" if total >= 4 else "B" if total >= 3 else "C" if total >= 2 else "D"
    assert grade_for(total, DEFAULT) == expected


@given(TOTALS, TOTALS)
def test_grade_for_never_falls_when_the_total_rises(low, high):
    low, high = sorted([low, high])
    assert grade_for(low) >= grade_for(high)  # "A" < "B" as strings: a higher total never gives a worse letter


@given(st.decimals(min_value=Decimal("1.5"), max_value=Decimal("4.5"), places=1).flatmap(
    lambda a: st.tuples(st.just(a), st.decimals(min_value=Decimal("1.1"), max_value=a - Decimal("0.1"), places=1))
))
def test_grade_for_custom_thresholds_is_exact_at_the_a_and_b_edges(pair):
    a, b = pair
    thresholds = GradeThresholds(a=a, b=b, c=Decimal("1.0"))
    assert grade_for(a, thresholds) == "A"
    assert grade_for(a - Decimal("0.01"), thresholds) == "B"
    assert grade_for(b, thresholds) == "B"
    assert grade_for(b - Decimal("0.01"), thresholds) == "C"


def test_weighted_total_of_equal_weights_is_the_mean():
    assert weighted_total({"a": 4, "b": 5, "c": 3}, dict.fromkeys("abc", Decimal(1))) == Decimal("4.00")


def test_weighted_total_weights_each_score():
    # (5×3 + 1×1) / 4 = 4.00
    assert weighted_total({"a": 5, "b": 1}, {"a": Decimal(3), "b": Decimal(1)}) == Decimal("4.00")


def test_weighted_total_rounds_half_up_to_cents_and_the_grade_follows_the_shown_total():
    # (4×199 + 3×1) / 200 = 3.995 → shown 4.00 → grade A
    total = weighted_total({"a": 4, "b": 3}, {"a": Decimal(199), "b": Decimal(1)})
    assert total == Decimal("4.00") and grade_for(total) == "A"


@given(scores_and_weights)
def test_weighted_total_stays_between_the_lowest_and_highest_score(data):
    scores = {code: score for code, (score, _weight) in data.items()}
    weights = {code: weight for code, (_score, weight) in data.items()}
    total = weighted_total(scores, weights)
    assert min(scores.values()) <= total <= max(scores.values())
    assert total == total.quantize(Decimal("0.01"))


@given(st.integers(1, 5), st.integers(1, 8))
def test_weighted_total_of_one_score_everywhere_is_that_score(score, count):
    codes = [f"c{i}" for i in range(count)]
    assert weighted_total(dict.fromkeys(codes, score), dict.fromkeys(codes, Decimal("1.5"))) == Decimal(score)


def test_weighted_total_without_scores_is_refused():
    with pytest.raises(ValueError):
        weighted_total({}, {})


@pytest.mark.parametrize(("days_left", "due"), [
    (61, None), (60, 60), (45, 60), (31, 60), (30, 30), (1, 30), (0, 30), (-1, None),
])
def test_contract_reminder_due_picks_the_nearest_threshold(days_left, due):
    today = date(2026, 3, 1)
    assert contract_reminder_due(today + timedelta(days=days_left), today) == due
