import csv
import io
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from accounts.tests.factories import AdminFactory, DealerUserFactory, FinanceFactory, ManagerFactory, RepFactory
from dealers.tests.factories import DealerFactory
from regions.tests.factories import RegionFactory
from scorecards.tests.world import TODAY

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("on_world_day")]


def test_region_page_manager_sees_only_their_regions_dealers(world, client):
    client.force_login(world.manager)
    response = client.get(reverse("scorecards:region"), {"period": "2026-10"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Alpha Trading" in body and "Beta Trading" in body
    assert "Gamma Trading" not in body
    assert 'id="grade-chart"' in body
    assert reverse("scorecards:dealer", args=[world.dealer.pk]) in body
    assert "6,600.00" in body


def test_manager_lands_on_the_worklist_and_reaches_the_scorecard_from_the_menu(world, client):
    client.force_login(world.manager)
    response = client.get(reverse("home"))
    assert response.status_code == 200 and 'data-testid="worklist"' in response.content.decode()
    assert f'href="{reverse("scorecards:region")}"' in response.content.decode()


def test_region_page_sorts_and_filters(world, client):
    client.force_login(world.manager)
    response = client.get(reverse("scorecards:region"), {"period": "2026-10", "ordering": "sales"})
    names = [row.name for row in response.context["page"]]
    assert names == ["Beta Trading", "Alpha Trading"]
    response = client.get(reverse("scorecards:region"), {"period": "2026-10", "grade": "A"})
    assert [row.name for row in response.context["page"]] == ["Alpha Trading"]


def test_region_page_bad_period_says_so_and_shows_the_last_complete_month(world, client):
    client.force_login(world.manager)
    response = client.get(reverse("scorecards:region"), {"period": "2026-13"})
    assert response.status_code == 200
    assert "2026-Q4" in response.content.decode()
    assert response.context["period"].key == "2026-10"


def test_region_page_opens_on_the_last_complete_month_and_says_so(world, client):
    client.force_login(world.manager)
    response = client.get(reverse("scorecards:region"))
    body = response.content.decode()
    assert response.context["period"].key == "2026-10" and not response.context["period"].is_partial
    assert "The last complete month." in body and "2026-10-01 – 2026-10-31" in body
    assert '<option value="2026-10" selected>2026-10</option>' in body
    assert '<option value="2026-11">2026-11 (to date)</option>' in body
    assert "¥6,600.00" in body  # Alpha's October


def test_region_page_of_the_running_month_compares_the_same_days(world, client):
    client.force_login(world.manager)
    response = client.get(reverse("scorecards:region"), {"period": "2026-11"})
    body = response.content.decode()
    period = response.context["period"]
    assert period.is_partial and period.last_day.isoformat() == "2026-11-15"
    assert "2026-11-01 – 2026-11-15 so far" in body and "2026-10-01 – 2026-10-15" in body
    alpha = next(row for row in response.context["page"] if row.name == "Alpha Trading")
    # November to the 15th (¥550) against October to the 15th (¥5,500), not all of October (¥6,600).
    assert (alpha.sales, alpha.sales_previous, alpha.growth_previous) == (550, 5500, -90)


def test_region_table_shows_a_column_set_that_fits_and_all_on_demand(world, client):
    client.force_login(world.manager)
    sales = client.get(reverse("scorecards:region"), {"period": "2026-10"}).content.decode()
    field = client.get(reverse("scorecards:region"), {"period": "2026-10", "view": "field"}).content.decode()
    every = client.get(reverse("scorecards:region"), {"period": "2026-10", "view": "all"}).content.decode()

    def headers(body):
        return len(re.findall(r"<th[ >]", body.split('data-testid="scorecard-table"')[1].split("</thead>")[0]))

    assert headers(sales) <= 9 and headers(field) <= 10 and headers(every) == 17
    assert "Stock-outs" not in sales.split('data-testid="scorecard-table"')[1].split("</thead>")[0]
    assert 'data-label="Sales"' in sales  # each figure labelled for the phone's cards


@pytest.mark.parametrize("factory", [DealerUserFactory, FinanceFactory])
def test_region_page_other_roles_forbidden(world, client, factory):
    client.force_login(factory())
    assert client.get(reverse("scorecards:region")).status_code == 403
    assert client.get(reverse("scorecards:export")).status_code == 403
    assert client.get(reverse("scorecards:dashboards")).status_code == 403


def test_export_csv_within_scope(world, client):
    client.force_login(world.manager)
    response = client.get(reverse("scorecards:export"), {"period": "2026-10", "format": "csv"})
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:3] == ["Code", "Dealer", "Region"]
    names = {row[1] for row in rows[1:]}
    assert names == {"Alpha Trading", "Beta Trading"}
    alpha = next(row for row in rows[1:] if row[1] == "Alpha Trading")
    assert alpha[5] == "6600.00"
    assert alpha[7] == "21.3"


def test_export_xlsx_within_scope(world, client):
    client.force_login(world.manager)
    response = client.get(reverse("scorecards:export"), {"period": "2026-10", "format": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    names = {row[1] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert names == {"Alpha Trading", "Beta Trading"}


def test_dealer_kpi_page_in_scope_with_charts(world, client):
    client.force_login(world.manager)
    response = client.get(reverse("scorecards:dealer", args=[world.dealer.pk]), {"period": "2026-10"})
    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="sales-chart"' in body and 'id="grade-chart"' in body
    assert len(response.context["rows"]) == 12


def test_dealer_kpi_page_outside_scope_404(world, client):
    client.force_login(world.manager)
    assert client.get(reverse("scorecards:dealer", args=[world.outsider.pk])).status_code == 404


def test_dashboards_page_renders_charts(world, client):
    client.force_login(world.manager)
    response = client.get(reverse("scorecards:dashboards"), {"period": "2026-10"})
    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="trend-chart"' in body and 'id="grades-chart"' in body and 'id="compliance-chart"' in body
    assert response.context["data"]["trend"]["datasets"][0]["label"] == "North"


def test_dealer_page_shows_scorecard_section_for_manager_not_dealer_user(world, client):
    client.force_login(world.manager)
    body = client.get(reverse("dealers:detail", args=[world.dealer.pk])).content.decode()
    assert 'data-testid="dealer-scorecard"' in body
    assert reverse("scorecards:dealer", args=[world.dealer.pk]) in body


@pytest.mark.parametrize("size", [5, 50])
def test_region_page_queries_bounded(size, client, django_assert_max_num_queries):
    region = RegionFactory()
    manager = ManagerFactory(regions=[region])
    DealerFactory.create_batch(size, region=region, rep=RepFactory())
    client.force_login(manager)
    with django_assert_max_num_queries(16):
        response = client.get(reverse("scorecards:region"))
    assert response.context["rows_count"] == size


@pytest.mark.parametrize("make_user", [lambda: ManagerFactory(regions=[RegionFactory()]), AdminFactory])
@pytest.mark.parametrize("params", [{}, {"ordering": "-sales"}, {"view": "all"}])
def test_region_page_with_no_dealer_at_all_shows_zeros_not_an_error(client, make_user, params):
    """A fresh install (or a manager of an empty region): no dealer, no figure, nothing to divide by."""
    client.force_login(make_user())
    response = client.get(reverse("scorecards:region"), params)
    assert response.status_code == 200 and response.context["rows_count"] == 0
    totals = response.context["totals"]
    assert (totals["sales"], totals["target"], totals["visits_planned"], totals["achievement"]) == (0, 0, 0, None)
    assert "No dealers match." in response.content.decode()


@pytest.mark.parametrize("size", [5, 50])
def test_export_queries_bounded(size, client, django_assert_max_num_queries):
    region = RegionFactory()
    manager = ManagerFactory(regions=[region])
    DealerFactory.create_batch(size, region=region, rep=RepFactory())
    client.force_login(manager)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("scorecards:export"))
        body = b"".join(response.streaming_content)
    assert body.count(b"\n") == size + 1


def test_admin_sees_every_dealer(world, client):
    client.force_login(AdminFactory())
    response = client.get(reverse("scorecards:region"), {"period": "2026-10"})
    assert response.context["rows_count"] == 3


@pytest.mark.parametrize("size", [5, 50])
def test_dashboards_queries_bounded(size, client, django_assert_max_num_queries):
    from visits.models import Visit

    region = RegionFactory()
    manager = ManagerFactory(regions=[region])
    for dealer in DealerFactory.create_batch(size, region=region):
        Visit.objects.create(dealer=dealer, rep=dealer.rep, scheduled_for=TODAY, status="completed")
    client.force_login(manager)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("scorecards:dashboards"), {"period": "2026-11"})  # the month of the visits
    assert len(response.context["data"]["rep_rows"]) == size


@pytest.mark.parametrize("visits", [2, 20])
def test_dealer_kpi_page_queries_bounded(visits, client, django_assert_max_num_queries):
    from visits.models import Visit

    region = RegionFactory()
    manager = ManagerFactory(regions=[region])
    dealer = DealerFactory(region=region)
    for day in range(visits):
        Visit.objects.create(dealer=dealer, rep=dealer.rep, scheduled_for=TODAY.replace(day=1 + day % 14),
                             status="completed")
    client.force_login(manager)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("scorecards:dealer", args=[dealer.pk]), {"period": "2026-11"})
    assert response.context["kpis"].rows[-1].visits_completed == visits


@pytest.mark.parametrize(("params", "reads_stock"), [
    ({}, False),  # the sales columns, the default
    ({"view": "sales", "ordering": "-sales"}, False),
    ({"view": "field"}, True),
    ({"view": "all"}, True),
    ({"view": "sales", "ordering": "-stockouts"}, True),  # sorted by a stock figure it does not show
    ({"ordering": "suggestions_followed"}, True),
])
def test_region_page_reads_the_stock_figures_only_when_shown_or_sorted_by(world, client, params, reads_stock):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(world.manager)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("scorecards:region"), {"period": "2026-10", **params})
    assert any("inventory_stockcountline" in query["sql"] for query in captured.captured_queries) is reads_stock
    alpha = next(row for row in response.context["page"] if row.name == "Alpha Trading")
    assert alpha.stockouts == (1 if reads_stock else 0)
    assert alpha.sales == 6600
