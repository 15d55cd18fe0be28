"""The scorecard table's rows are formatted once in Python (scorecards.table): the same
strings the template's filters printed before, and the page shows them."""

import datetime

import pytest
from django.urls import reverse

from common.templatetags.crm import money, percent
from scorecards.calculations import Period
from scorecards.selectors import region_scorecard
from scorecards.table import TREND_ARROWS, table_rows

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("on_world_day")]
OCTOBER = Period(datetime.date(2026, 10, 1))


def _pct(value) -> str:  # what the page's `pct` filter printed before the table was formatted in Python
    return "—" if value is None else f"{value} %"


def test_table_rows_print_every_figure_as_the_filters_did(world):
    rows = region_scorecard(user=world.manager, period=OCTOBER)
    table = table_rows(rows, period_key=OCTOBER.key)
    assert [shown.dealer_id for shown in table] == [row.dealer_id for row in rows]
    for row, shown in zip(rows, table, strict=True):
        assert shown.url == f"{reverse('scorecards:dealer', args=[row.dealer_id])}?period=2026-10"
        assert (shown.name, shown.code, shown.region_name, shown.grade, shown.previous_grade, shown.trend) == (
            row.name, row.code, row.region_name, row.grade, row.previous_grade, row.trend)
        assert shown.rep_name == (row.rep_name or "—")
        assert shown.code_region_rep == f"{row.code} · {row.region_name} · {shown.rep_name}"
        assert shown.arrow == TREND_ARROWS[row.trend]
        assert (shown.sales, shown.target, shown.overdue_amount) == (
            money(row.sales), money(row.target), money(row.overdue_amount))
        for name in ("achievement", "growth_previous", "growth_last_year", "suggestions_followed"):
            assert getattr(shown, name) == _pct(getattr(row, name)), name
        assert shown.penetration == percent(row.penetration, 1)
        for name in ("visits_completed", "visits_planned", "stockouts", "near_expiry", "overdue_orders", "violations",
                     "open_requests"):
            assert getattr(shown, name) == getattr(row, name), name
    alpha, quiet = table
    assert (alpha.sales, alpha.achievement, alpha.growth_previous, alpha.penetration, alpha.arrow) == (
        "¥6,600.00", "21.3 %", "140.0 %", "10.0 %", "↑")
    assert (quiet.achievement, quiet.growth_previous, quiet.arrow) == ("—", "—", "")


def test_region_page_prints_the_formatted_rows_with_their_labels(world, client):
    client.force_login(world.manager)
    sales = client.get(reverse("scorecards:region"), {"period": "2026-10"}).content.decode()
    assert 'data-label="Sales">¥6,600.00</td>' in sales
    assert 'data-label="Achieved">21.3 %</td>' in sales
    assert 'data-label="Penetration">10.0 %</td>' in sales
    assert '<span title="Previous grade: B">↑</span>' in sales
    assert f'href="{reverse("scorecards:dealer", args=[world.dealer.pk])}?period=2026-10"' in sales
    field = client.get(reverse("scorecards:region"), {"period": "2026-10", "view": "field"}).content.decode()
    assert 'data-label="Suggestions followed">50.0 %</td>' in field
    assert '<span class="text-danger">¥600.00</span> (1)' in field
    assert 'data-label="Visits">3/5</td>' in field
