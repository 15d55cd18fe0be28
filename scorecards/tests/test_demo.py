"""seed_demo's scorecards part: market sizes for the demo regions, so the manager's
scorecard shows a penetration index at once; a second run changes nothing."""

import pytest
from django.core.management import call_command

from accounts.models import Role, User
from scorecards.models import MarketSize
from scorecards.selectors import default_period, region_scorecard

pytestmark = pytest.mark.django_db


def test_seed_demo_market_sizes_give_the_scorecard_a_penetration_and_twice_changes_nothing():
    call_command("seed_demo", "--quiet-logins")
    count = MarketSize.objects.count()
    assert count > 0
    manager = User.objects.filter(role=Role.MANAGER).first()
    rows = region_scorecard(user=manager, period=default_period())
    assert rows and all(row.market_size for row in rows if row.region_id)
    assert any(row.penetration is not None for row in rows)
    call_command("seed_demo", "--quiet-logins")
    assert MarketSize.objects.count() == count
