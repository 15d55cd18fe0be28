"""The suggested order computed on the phone (static/js/offline-suggest.js) is the
server's rule (inventory.calculations.suggest): the JavaScript runs in Chromium on
the same inputs as Python — the seed's worked examples, thousands of random
periods, and a random world of dealers whose day bundle (visits.offline) the
phone reads, compared with what the server stores when the same count arrives."""

import datetime
import random
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from accounts.tests.factories import RepFactory
from dealers.tests.factories import DealerFactory
from inventory import calculations
from inventory.models import SuggestedOrderLine
from inventory.tests.factories import ProductFactory
from promotions.models import CampaignStatus
from promotions.tests.factories import CampaignFactory
from visits.models import MarketCheck, Visit, VisitStatus
from visits.offline import offline_bundle
from visits.services import counting
from visits.tests.count_factories import carry, past_count, plan, ship

pytestmark = [pytest.mark.browser]
SCRIPT = Path(settings.BASE_DIR) / "static" / "js" / "offline-suggest.js"


@pytest.fixture
def js(browser):
    page = browser.new_page()
    page.add_script_tag(path=str(SCRIPT))
    yield page
    page.close()


def _python(case: dict) -> dict:
    result = calculations.suggest(
        current_stock=case["current_stock"], periods=[tuple(period) for period in case["periods"]],
        coefficient=Decimal(case["coefficient"]), cycle_days=case.get("cycle_days"),
        lookback=case.get("lookback", 3), near_expiry=case.get("near_expiry", False),
    )
    return {
        "period_sales": None if result.period_sales is None else str(result.period_sales),
        "safety_stock": None if result.safety_stock is None else str(result.safety_stock),
        "suggested_quantity": result.suggested_quantity, "flags": list(result.flags),
    }


def _javascript(js, cases: list[dict]) -> list[dict]:
    return js.evaluate("cases => cases.map(c => OfflineSuggest.suggest(c))", cases)


SEED_EXAMPLES = [
    # SPEC §3: previous 100, delivered 50, current 120 → sales 30, safety 45, no order.
    {"current_stock": 120, "periods": [[100, 50, 120, 7, False]], "coefficient": "1.5"},
    # previous 80, delivered 40, current 20 → sales 100, safety 150, order 130.
    {"current_stock": 20, "periods": [[80, 40, 20, 7, False]], "coefficient": "1.5"},
    {"current_stock": 0, "periods": [], "coefficient": "1.5"},
    {"current_stock": 50, "periods": [[10, 0, 50, 7, False]], "coefficient": "1.5"},
    {"current_stock": 20, "periods": [[80, 40, 20, 10, False], [60, 30, 80, 14, True], [70, 0, 60, 14, False]],
     "coefficient": "2.0", "cycle_days": 14},
    {"current_stock": 1, "periods": [[1, 1, 1, 3, False]], "coefficient": "1.5", "cycle_days": 7, "near_expiry": True},
]


@pytest.mark.django_db
def test_offline_rule_matches_the_server_on_the_seed_examples(js):
    assert _javascript(js, SEED_EXAMPLES) == [_python(case) for case in SEED_EXAMPLES]
    assert _javascript(js, SEED_EXAMPLES[1:2])[0]["suggested_quantity"] == 130


def _random_case(rng: random.Random) -> dict:
    count = rng.randint(0, 4)
    periods, later = [], rng.randint(0, 400)
    current = later
    for _ in range(count):
        earlier = rng.randint(0, 400)
        periods.append([earlier, rng.choice([0, rng.randint(0, 300)]), later, rng.choice([0, 1, 3, 7, 9, 13, 14, 15, 31]),
                        rng.random() < 0.25])
        later = earlier
    return {
        "current_stock": current, "periods": periods,
        "coefficient": rng.choice(["1.5", "1.25", "2", "1.33", "3.0", "1.7"]),
        "cycle_days": rng.choice([None, 3, 7, 10, 14, 30]), "lookback": rng.choice([1, 2, 3, 4]),
        "near_expiry": rng.random() < 0.1,
    }


@pytest.mark.django_db
def test_offline_rule_matches_the_server_on_random_periods(js):
    rng = random.Random(18)
    cases = [_random_case(rng) for _ in range(3000)]
    assert _javascript(js, cases) == [_python(case) for case in cases]


@pytest.mark.django_db
def test_offline_rule_from_the_day_bundle_matches_the_servers_stored_suggestion(js):
    """A random world: each dealer counted a few times, shipments between, its own
    cycle and coefficients; the phone computes from the bundle, then the same count
    arrives at the server, whose stored suggestion must be the phone's."""
    rng = random.Random(1818)
    rep = RepFactory()
    now = timezone.now()
    products = [ProductFactory(shelf_life_days=rng.choice([90, 180, 365]),
                               safety_coefficient=rng.choice([None, None, Decimal("1.8")])) for _ in range(4)]
    visits, counted = [], {}
    for index in range(8):
        dealer = DealerFactory(rep=rep, safety_coefficient=rng.choice([None, Decimal("1.6"), Decimal("2.0")]))
        carried = rng.sample(products, rng.randint(1, 4))
        carry(dealer, carried)
        if index % 3:
            plan(dealer, rng.choice([7, 14]))
        moment = now - datetime.timedelta(days=rng.randint(30, 60))
        for _ in range(0 if index == 0 else rng.randint(2, 4)):
            past_count(dealer, moment, {product: rng.randint(0, 200) for product in carried if rng.random() < 0.9})
            moment += datetime.timedelta(days=rng.randint(3, 12), hours=rng.randint(0, 5))
            ship(dealer, moment - datetime.timedelta(days=1), {product: rng.randint(1, 150) for product in carried})
        if index % 2:  # a promotion during one of its periods
            CampaignFactory(status=CampaignStatus.APPROVED, dealers=[dealer],
                            start_date=timezone.localdate() - datetime.timedelta(days=rng.randint(5, 40)),
                            end_date=timezone.localdate() - datetime.timedelta(days=rng.randint(1, 4)))
        visit = Visit.objects.create(dealer=dealer, rep=rep, scheduled_for=now)
        MarketCheck.objects.create(visit=visit, checked_at=now)
        visits.append(visit)
        counted[visit.pk] = [
            {"product": product.pk, "quantity": rng.randint(0, 250),
             "production_date": rng.choice([None, (timezone.localdate() - datetime.timedelta(days=rng.randint(0, 300))).isoformat()])}
            for product in carried
        ]

    bundle = offline_bundle(user=rep)
    day = timezone.localdate().isoformat()
    on_the_phone = js.evaluate(
        """([bundle, counted, day]) => bundle.visits.map(v => OfflineSuggest.suggestForDealer(
               bundle, bundle.dealers.find(d => d.id === v.dealer), counted[v.id], day))""",
        [bundle, {str(key): value for key, value in counted.items()}, day],
    )

    compared, seen = 0, set()
    for visit, phone_lines in zip(visits, on_the_phone, strict=True):
        Visit.objects.filter(pk=visit.pk).update(status=VisitStatus.IN_PROGRESS, started_at=now)
        visit.refresh_from_db()
        saved = counting.stock_count_create(visit=visit, user=rep, lines=counted[visit.pk], confirm_implausible=True)
        server = {line.product_id: line for line in SuggestedOrderLine.objects.filter(stock_count=saved.count)}
        for line in phone_lines:
            stored = server[line["product"]]
            assert (line["suggested_quantity"], line["period_sales"], line["safety_stock"], line["flags"]) == (
                stored.suggested_quantity,
                None if stored.period_sales is None else str(stored.period_sales),
                None if stored.safety_stock is None else str(stored.safety_stock),
                list(stored.flags),
            ), (visit.dealer_id, line)
            compared += 1
            seen.update(line["flags"])
    assert compared >= 10
    # The world exercised the rule's refinements, not only "no previous count".
    assert {"median_of_periods", "scaled_to_cycle", "no_previous_count", "promotion_excluded"} <= seen, seen
