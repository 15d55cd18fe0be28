"""List pages and endpoints stay within a fixed number of SQL queries, at 5 and at 50 dealers."""

import pytest
from django.urls import reverse

from accounts.tests.factories import AdminFactory, ManagerFactory, RepFactory
from dealers import services
from dealers.tests.factories import (
    ContractFactory,
    DealerContactFactory,
    DealerFactory,
    ProspectFactory,
    ViolationFactory,
    all_scores,
)
from regions.tests.factories import RegionFactory

pytestmark = pytest.mark.django_db

SIZES = [5, 50]


@pytest.fixture
def populated():
    """`populated(n)`: n dealers (and as many prospects) in one manager's region, each with
    a contract, a violation, a contact and an evaluation; returns (manager, rep)."""

    def build(count: int):
        province = RegionFactory()
        cities = [RegionFactory(parent=province) for _ in range(3)]
        rep = RepFactory()
        for index in range(count):
            dealer = DealerFactory(region=cities[index % 3], rep=rep if index % 2 else RepFactory())
            ContractFactory(dealer=dealer)
            ViolationFactory(dealer=dealer)
            DealerContactFactory(dealer=dealer)
            services.evaluation_create(dealer=dealer, evaluator=rep, scores=all_scores(index % 5 + 1))
            ProspectFactory(region=cities[index % 3], rep=rep)
        return ManagerFactory(regions=[province]), rep

    return build


@pytest.mark.parametrize("count", SIZES)
def test_dealer_list_endpoint_queries_are_bounded(count, populated, api_as, django_assert_max_num_queries):
    manager, _rep = populated(count)
    client = api_as(manager)
    with django_assert_max_num_queries(6):
        response = client.get("/api/v1/dealers/?page_size=100&ordering=-current_score")
    assert response.json()["count"] == 2 * count


@pytest.mark.parametrize("count", SIZES)
def test_dealer_list_page_queries_are_bounded(count, populated, client, django_assert_max_num_queries):
    manager, _rep = populated(count)
    client.force_login(manager)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("dealers:list"), {"ordering": "grade"})
    assert response.status_code == 200 and len(response.context["page"]) == min(25, 2 * count)


@pytest.mark.parametrize("count", SIZES)
def test_dealer_export_queries_are_bounded(count, populated, client, django_assert_max_num_queries):
    manager, _rep = populated(count)
    client.force_login(manager)
    with django_assert_max_num_queries(12):
        body = b"".join(client.get(reverse("dealers:export")).streaming_content)
    assert body.count(b"\n") == 2 * count + 1


@pytest.mark.parametrize("count", SIZES)
@pytest.mark.parametrize("path", ["/api/v1/contracts/", "/api/v1/violations/", "/api/v1/prospects/",
                                  "/api/v1/dealer-contacts/", "/api/v1/contact-logs/"])
def test_other_list_endpoints_queries_are_bounded(count, path, populated, api_as, django_assert_max_num_queries):
    manager, _rep = populated(count)
    client = api_as(manager)
    with django_assert_max_num_queries(7):
        response = client.get(f"{path}?page_size=200")
    assert response.status_code == 200


@pytest.mark.parametrize("count", SIZES)
def test_pipeline_page_queries_are_bounded(count, populated, client, django_assert_max_num_queries):
    _manager, rep = populated(count)
    client.force_login(rep)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("dealers:pipeline"))
    assert sum(len(prospects) for _stage, prospects in response.context["columns"]) == count


@pytest.mark.parametrize("evaluations", [2, 20])
def test_evaluation_history_endpoint_and_dealer_page_queries_are_bounded(evaluations, api_as, client, django_assert_max_num_queries):
    dealer = DealerFactory()
    for score in range(evaluations):
        services.evaluation_create(dealer=dealer, evaluator=dealer.rep, scores=all_scores(score % 5 + 1))
    ViolationFactory.create_batch(3, dealer=dealer)
    admin = AdminFactory()
    with django_assert_max_num_queries(6):
        api_as(admin).get(f"/api/v1/dealers/{dealer.pk}/evaluations/")
    client.force_login(admin)
    # 22 for the page and the other apps' sections, +2 for the promotions section (its campaigns,
    # the lead it came from), +3 for the visits section (plan, next visits, open requests), +2 for
    # the stock section (the last count and its lines), +2 for the products carried (one query
    # derives them, one reads them and what may be added), +1 for the scorecards section (six
    # months of sales in one query), +1 for the menu's figures (all in one query), +3 for HQ
    # admin's audit trail (its entries, and the names of the regions and reps in them: one
    # query each, whatever the count).
    with django_assert_max_num_queries(36):
        assert client.get(reverse("dealers:detail", args=[dealer.pk])).status_code == 200
