"""The dealer list API under a real token (issue 16): at most four queries whatever
the page size — the token with its user, the COUNT, the page."""

import pytest

from accounts.tests.factories import AdminFactory, ManagerFactory, RepFactory
from accounts.tokens import api_token_issue
from dealers.tests.factories import DealerFactory
from regions.tests.factories import RegionFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("page_size", [5, 200])
@pytest.mark.parametrize("role", ["admin", "manager", "rep"])
def test_dealer_list_with_a_token_makes_at_most_four_queries(api_client, django_assert_max_num_queries, settings,
                                                             page_size, role):
    settings.API_TOKEN_CACHE_SECONDS = 0
    region, rep = RegionFactory(), RepFactory()
    for _ in range(12):
        DealerFactory(region=region, rep=rep)
    user = {"admin": AdminFactory, "manager": lambda: ManagerFactory(regions=[region]), "rep": lambda: rep}[role]()
    key, _token = api_token_issue(user=user)
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    with django_assert_max_num_queries(4):
        body = api_client.get(f"/api/v1/dealers/?page_size={page_size}&ordering=code").json()
    assert body["count"] == 12 and len(body["results"]) == min(12, page_size)
