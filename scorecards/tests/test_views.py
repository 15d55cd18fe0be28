import csv
import io

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


def test_region_page_is_the_managers_home(world, client):
    client.force_login(world.manager)
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response.url == reverse("scorecards:region")


def test_region_page_sorts_and_filters(world, client):
    client.force_login(world.manager)
    response = client.get(reverse("scorecards:region"), {"period": "2026-10", "ordering": "sales"})
    names = [row.name for row in response.context["page"]]
    assert names == ["Beta Trading", "Alpha Trading"]
    response = client.get(reverse("scorecards:region"), {"period": "2026-10", "grade": "A"})
    assert [row.name for row in response.context["page"]] == ["Alpha Trading"]


def test_region_page_bad_period_says_so_and_shows_current_month(world, client):
    client.force_login(world.manager)
    response = client.get(reverse("scorecards:region"), {"period": "2026-13"})
    assert response.status_code == 200
    assert "2026-Q4" in response.content.decode()
    assert response.context["period"].key == "2026-11"


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
        response = client.get(reverse("scorecards:dashboards"))
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
        response = client.get(reverse("scorecards:dealer", args=[dealer.pk]))
    assert response.context["kpis"].rows[-1].visits_completed == visits
