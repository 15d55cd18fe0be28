import datetime

import pytest

from accounts.tests.factories import AdminFactory, DealerUserFactory, ManagerFactory, RepFactory, UserFactory
from dealers.tests.factories import DealerFactory
from inventory.tests.factories import ProductCategoryFactory
from regions.tests.factories import RegionFactory
from scorecards.models import MarketSize
from scorecards.tests.factories import MarketSizeFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("on_world_day")]
URL = "/api/v1/scorecards/region/"


def test_region_api_manager_scope_and_figures(world, api_as):
    response = api_as(world.manager).get(URL, {"period": "2026-10", "ordering": "-sales"})
    assert response.status_code == 200
    data = response.json()
    assert data["count"] == 2
    first = data["results"][0]
    assert first["name"] == "Alpha Trading"
    assert first["sales"] == "6600.00"
    assert first["achievement"] == "21.3"
    assert first["penetration"] == "0.1000"
    assert first["trend"] == "up"


def test_region_api_rep_own_dealers_admin_all(world, api_as):
    assert api_as(world.rep).get(URL, {"period": "2026-10"}).json()["count"] == 2
    assert api_as(AdminFactory()).get(URL, {"period": "2026-10"}).json()["count"] == 3
    assert api_as(RepFactory()).get(URL).json()["count"] == 0


def test_region_api_dealer_user_forbidden(world, api_as):
    assert api_as(DealerUserFactory(dealer=world.dealer)).get(URL).status_code == 403


def test_region_api_bad_period_400(world, api_as):
    response = api_as(world.manager).get(URL, {"period": "October"})
    assert response.status_code == 400
    assert "period" in response.json()


def test_region_api_paginated(world, api_as):
    response = api_as(world.manager).get(URL, {"period": "2026-10", "page_size": 1})
    data = response.json()
    assert data["count"] == 2 and len(data["results"]) == 1 and data["next"]


def test_dealer_kpis_api_twelve_periods_and_scope(world, api_as):
    response = api_as(world.manager).get(f"/api/v1/scorecards/dealers/{world.dealer.pk}/", {"period": "2026-10"})
    assert response.status_code == 200
    periods = response.json()["periods"]
    assert [p["period"] for p in periods][-1] == "2026-10"
    assert len(periods) == 12
    assert periods[-1]["sales"] == "6600.00"
    assert api_as(world.manager).get(f"/api/v1/scorecards/dealers/{world.outsider.pk}/").status_code == 404


def test_market_sizes_admin_writes_manager_reads(world, api_as):
    category = ProductCategoryFactory(name="Oils")
    payload = {"region": world.region.pk, "period_start": "2026-11-01", "category": category.pk, "amount": "5000.00"}
    assert api_as(world.manager).post("/api/v1/scorecards/market-sizes/", payload).status_code == 403
    response = api_as(AdminFactory()).post("/api/v1/scorecards/market-sizes/", payload)
    assert response.status_code == 201, response.json()
    assert MarketSize.objects.filter(category=category).count() == 1
    listed = api_as(world.manager).get("/api/v1/scorecards/market-sizes/").json()
    assert {row["region"] for row in listed["results"]} == {world.region.pk}


def test_market_sizes_not_first_day_refused(world, api_as):
    payload = {"region": world.region.pk, "period_start": "2026-11-15", "category": ProductCategoryFactory().pk,
               "amount": "5000.00"}
    response = api_as(AdminFactory()).post("/api/v1/scorecards/market-sizes/", payload)
    assert response.status_code == 400
    assert "period_start" in response.json()


def test_market_sizes_manager_does_not_see_other_regions(world, api_as):
    MarketSizeFactory(region=world.other_region, period_start=datetime.date(2026, 10, 1))
    listed = api_as(world.manager).get("/api/v1/scorecards/market-sizes/").json()
    assert world.other_region.pk not in {row["region"] for row in listed["results"]}


@pytest.mark.parametrize("size", [5, 50])
def test_region_api_queries_bounded(size, api_as, django_assert_max_num_queries):
    region = RegionFactory()
    manager = ManagerFactory(regions=[region])
    DealerFactory.create_batch(size, region=region, rep=RepFactory())
    client = api_as(manager)
    with django_assert_max_num_queries(10):
        response = client.get(URL, {"page_size": 200})
    assert response.json()["count"] == size


def test_market_sizes_import_creates_and_updates_all_or_nothing(world, api_as):
    admin = api_as(AdminFactory())
    drinks = MarketSize.objects.filter(region=world.region, period_start=datetime.date(2026, 10, 1)).first().category
    other = ProductCategoryFactory(name="Oils")
    rows = [
        {"region": world.region.pk, "period_start": "2026-10-01", "category": drinks.pk, "amount": "31000"},
        {"region": world.region.pk, "period_start": "2026-11-01", "category": other.pk, "amount": "12000.50"},
    ]
    response = admin.post("/api/v1/scorecards/market-sizes/import/", {"rows": rows}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json() == {"created": 1, "updated": 1}
    assert MarketSize.objects.get(region=world.region, period_start=datetime.date(2026, 10, 1), category=drinks).amount == 31000
    before = MarketSize.objects.count()
    bad = [
        {"region": world.region.pk, "period_start": "2026-12-01", "category": other.pk, "amount": "1"},
        {"region": world.region.pk, "period_start": "2026-12-15", "category": other.pk, "amount": "1"},
        {"region": 999999, "period_start": "2026-12-01", "category": other.pk, "amount": "1"},
        {"region": world.region.pk, "period_start": "2026-12-01", "category": other.pk, "amount": "-5"},
    ]
    response = admin.post("/api/v1/scorecards/market-sizes/import/", {"rows": bad}, format="json")
    assert response.status_code == 400
    messages = response.json()["rows"]
    assert messages[0].startswith("Row 2:") and "first day" in messages[0]
    assert messages[1] == "Row 3: no such region"
    assert messages[2].startswith("Row 4:")
    assert MarketSize.objects.count() == before


def test_market_sizes_import_manager_forbidden(world, api_as):
    response = api_as(world.manager).post("/api/v1/scorecards/market-sizes/import/", {"rows": []}, format="json")
    assert response.status_code == 403


@pytest.mark.parametrize("size", [2, 20])
def test_market_size_list_endpoint_queries_are_bounded(size, world, api_as, django_assert_max_num_queries):
    import datetime

    from scorecards.tests.factories import MarketSizeFactory

    for month in range(size):
        MarketSizeFactory(region=world.region, period_start=datetime.date(2024 + month // 12, month % 12 + 1, 1))
    with django_assert_max_num_queries(6):
        response = api_as(world.manager).get("/api/v1/scorecards/market-sizes/", {"page_size": 100})
    assert response.status_code == 200 and response.json()["count"] >= size


def test_region_api_defaults_to_the_last_complete_month_and_says_what_it_compares(world, api_as):
    rows = api_as(world.manager).get(URL).json()["results"]
    alpha = next(row for row in rows if row["name"] == "Alpha Trading")
    assert (alpha["period_start"], alpha["period_end"]) == ("2026-10-01", "2026-10-31")
    assert (alpha["previous_start"], alpha["previous_end"]) == ("2026-09-01", "2026-09-30")
    assert alpha["sales"] == "6600.00"


def test_region_api_running_month_is_to_date_and_like_for_like(world, api_as):
    rows = api_as(world.manager).get(URL, {"period": "2026-11"}).json()["results"]
    alpha = next(row for row in rows if row["name"] == "Alpha Trading")
    assert (alpha["period_end"], alpha["previous_start"], alpha["previous_end"]) == ("2026-11-15", "2026-10-01",
                                                                                        "2026-10-15")
    assert (alpha["sales"], alpha["sales_previous"], alpha["growth_previous"]) == ("550.00", "5500.00", "-90.0")


def test_market_size_patch_and_delete_go_through_the_services(world, api_as):
    size = MarketSizeFactory(region=world.region, period_start=datetime.date(2026, 11, 1))
    admin = AdminFactory()
    url = f"/api/v1/scorecards/market-sizes/{size.pk}/"
    response = api_as(admin).patch(url, {"amount": "7000.00"})
    assert response.status_code == 200, response.json()
    assert response.json()["amount"] == "7000.00"
    size.refresh_from_db()
    assert (size.amount, size.updated_by) == (7000, admin)
    assert api_as(world.manager).delete(url).status_code in (403, 404)
    assert api_as(admin).delete(url).status_code == 204
    assert not MarketSize.objects.filter(pk=size.pk).exists()


def test_market_size_admin_add_records_the_editor(world, client):
    superuser = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(superuser)
    category = ProductCategoryFactory()
    response = client.post("/admin/scorecards/marketsize/add/", {
        "region": world.region.pk, "period_start": "2026-11-01", "category": category.pk, "amount": "123.00",
    })
    assert response.status_code == 302, response.content[:2000]
    size = MarketSize.objects.get(category=category)
    assert (size.amount, size.updated_by) == (123, superuser)
