"""seed_demo scores its dealers on any install: where no evaluation criterion is
active (HQ switched them all off, or a test database was flushed of what the data
migrations wrote), the demo puts the six built-in criteria back first."""

import pytest

from dealers.demo import BUILTIN_CRITERIA, _active_criteria_codes
from dealers.models import EvaluationCriterion

pytestmark = pytest.mark.django_db


def test_demo_criteria_are_the_active_ones_when_there_are_some():
    EvaluationCriterion.objects.exclude(code="management").update(active=False)
    assert _active_criteria_codes() == ["management"]


def test_demo_criteria_switched_off_are_switched_on_again():
    EvaluationCriterion.objects.update(active=False)
    assert sorted(_active_criteria_codes()) == sorted(row[0] for row in BUILTIN_CRITERIA)
    assert EvaluationCriterion.objects.filter(active=True).count() == len(BUILTIN_CRITERIA)


def test_demo_criteria_on_a_flushed_database_are_created():
    EvaluationCriterion.objects.all().delete()
    codes = _active_criteria_codes()
    assert sorted(codes) == sorted(row[0] for row in BUILTIN_CRITERIA)
    assert EvaluationCriterion.objects.get(code="reputation").name_zh == "信誉"
