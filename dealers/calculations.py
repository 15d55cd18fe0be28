"""Pure arithmetic of the dealers app: the evaluation's weighted total and grade,
and which contract-end reminder is due. Decimal throughout, no ORM."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

SCORE_MIN = 1
SCORE_MAX = 5
TOTAL_PLACES = Decimal("0.01")

# Days before a contract's end date at which the rep and managers are reminded (SPEC §1).
CONTRACT_REMINDER_DAYS = (60, 30)


@dataclass(frozen=True)
class GradeThresholds:
    """Lowest weighted total for each grade; below `c` is D (SPEC §1: A ≥ 4.0, B ≥ 3.0, C ≥ 2.0)."""

    a: Decimal = Decimal("4.0")
    b: Decimal = Decimal("3.0")
    c: Decimal = Decimal("2.0")


DEFAULT_THRESHOLDS = GradeThresholds()


def weighted_total(scores: Mapping[str, int], weights: Mapping[str, Decimal]) -> Decimal:
    """Σ(score × weight) / Σ(weight) over the scored criteria, rounded half-up to 0.01.

    The grade is given from this rounded total, so the number shown and the
    grade always agree (a total shown as 4.00 is an A).
    """
    if not scores:
        raise ValueError("no scores")
    weight_sum = sum((Decimal(weights[code]) for code in scores), Decimal(0))
    if weight_sum <= 0:
        raise ValueError("the weights of the scored criteria add up to zero")
    weighted = sum((Decimal(score) * Decimal(weights[code]) for code, score in scores.items()), Decimal(0))
    return (weighted / weight_sum).quantize(TOTAL_PLACES, rounding=ROUND_HALF_UP)


def grade_for(total: Decimal, thresholds: GradeThresholds = DEFAULT_THRESHOLDS) -> str:
    """The grade of a weighted total: A, B, C or D."""
    if total >= thresholds.a:
        return "A"
    if total >= thresholds.b:
        return "B"
    if total >= thresholds.c:
        return "C"
    return "D"


def contract_reminder_due(end_date: date, today: date) -> int | None:
    """Which reminder (60 or 30 days before the end) is due today, if any.

    The nearest threshold the contract is within: 60 days before the end until
    31 days before, then 30 until the end date itself. A contract found for the
    first time 20 days before its end gets only the 30-day reminder.
    """
    days_left = (end_date - today).days
    if days_left < 0:
        return None
    due = None
    for threshold in sorted(CONTRACT_REMINDER_DAYS, reverse=True):
        if days_left <= threshold:
            due = threshold
    return due
