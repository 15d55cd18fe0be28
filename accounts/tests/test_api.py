import pytest

from accounts.api.serializers import PASSWORD_REQUIRED
from accounts.models import DEALER_USER_NEEDS_DEALER, ONLY_MANAGERS_HAVE_REGIONS, ApiToken, Role, User
from accounts.tests.factories import TEST_PASSWORD, AdminFactory, ManagerFactory, RepFactory, UserFactory
from accounts.tokens import token_digest
from dealers.tests.factories import DealerFactory
from regions.tests.factories import RegionFactory

pytestmark = pytest.mark.django_db


def test_token_endpoint_with_valid_credentials_returns_a_token_that_authenticates(api_client):
    user = RepFactory(username="rep1")
    response = api_client.post("/api/v1/auth/token/", {"username": "rep1", "password": TEST_PASSWORD}, format="json")
    assert response.status_code == 200
    token = response.json()["token"]
    assert ApiToken.objects.get(user=user).digest == token_digest(token)
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api_client.get("/api/v1/me/").json()["username"] == "rep1"


def test_token_endpoint_with_wrong_password_answers_400_with_a_message(api_client):
    RepFactory(username="rep1")
    response = api_client.post("/api/v1/auth/token/", {"username": "rep1", "password": "wrong"}, format="json")
    assert response.status_code == 400
    assert "non_field_errors" in response.json()


def test_token_endpoint_for_inactive_user_refuses(api_client):
    RepFactory(username="gone", is_active=False)
    response = api_client.post("/api/v1/auth/token/", {"username": "gone", "password": TEST_PASSWORD}, format="json")
    assert response.status_code == 400


def test_api_without_credentials_answers_401(api_client):
    response = api_client.get("/api/v1/regions/")
    assert response.status_code == 401
    assert response.json() == {"detail": "Authentication credentials were not provided."}
    assert response.headers["WWW-Authenticate"] == "Token"


def test_api_with_a_bad_token_answers_401(api_client):
    api_client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    assert api_client.get("/api/v1/regions/").status_code == 401


def test_api_session_auth_requires_csrf_for_writes(client):
    admin = AdminFactory()
    from rest_framework.test import APIClient

    browser = APIClient(enforce_csrf_checks=True)
    browser.force_login(admin)
    response = browser.post("/api/v1/regions/", {"name": "North"}, format="json")
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]


@pytest.mark.parametrize("role", [Role.MANAGER, Role.REP, Role.FINANCE, Role.WAREHOUSE])
def test_users_endpoint_for_non_admin_answers_403(api_as, role):
    user = UserFactory(role=role)
    assert api_as(user).get("/api/v1/users/").status_code == 403


def test_users_endpoint_for_dealer_user_answers_403(api_as):
    from accounts.tests.factories import DealerUserFactory

    assert api_as(DealerUserFactory()).get("/api/v1/users/").status_code == 403


def test_users_list_for_admin_is_paginated_and_never_shows_passwords(api_as):
    admin = AdminFactory()
    RepFactory.create_batch(3)
    body = api_as(admin).get("/api/v1/users/?page_size=2").json()
    assert body["count"] == 4 and len(body["results"]) == 2 and body["next"]
    assert all("password" not in user for user in body["results"])


def test_users_list_filters_by_role(api_as):
    admin = AdminFactory()
    RepFactory.create_batch(2)
    ManagerFactory()
    body = api_as(admin).get("/api/v1/users/?role=rep").json()
    assert body["count"] == 2


def test_users_create_manager_with_regions(api_as):
    admin = AdminFactory()
    region = RegionFactory()
    response = api_as(admin).post(
        "/api/v1/users/",
        {"username": "mgr", "password": "a-long-passphrase-1", "role": "manager", "regions": [region.pk]},
        format="json",
    )
    assert response.status_code == 201, response.json()
    manager = User.objects.get(username="mgr")
    assert list(manager.regions.all()) == [region] and manager.check_password("a-long-passphrase-1")


def test_users_create_dealer_user_without_dealer_is_refused(api_as):
    response = api_as(AdminFactory()).post(
        "/api/v1/users/", {"username": "d", "password": "a-long-passphrase-1", "role": "dealer"}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["dealer"] == [str(DEALER_USER_NEEDS_DEALER)]
    assert not User.objects.filter(username="d").exists()


def test_users_create_dealer_user_with_dealer(api_as):
    dealer = DealerFactory()
    response = api_as(AdminFactory()).post(
        "/api/v1/users/",
        {"username": "d", "password": "a-long-passphrase-1", "role": "dealer", "dealer": dealer.pk},
        format="json",
    )
    assert response.status_code == 201
    assert User.objects.get(username="d").dealer == dealer


def test_users_create_rep_with_regions_is_refused(api_as):
    response = api_as(AdminFactory()).post(
        "/api/v1/users/",
        {"username": "r", "password": "a-long-passphrase-1", "role": "rep", "regions": [RegionFactory().pk]},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["regions"] == [str(ONLY_MANAGERS_HAVE_REGIONS)]


def test_users_create_without_password_is_refused(api_as):
    response = api_as(AdminFactory()).post("/api/v1/users/", {"username": "r", "role": "rep"}, format="json")
    assert response.status_code == 400
    assert response.json()["password"] == [str(PASSWORD_REQUIRED)]


def test_users_create_with_weak_password_is_refused(api_as):
    response = api_as(AdminFactory()).post(
        "/api/v1/users/", {"username": "r", "role": "rep", "password": "123"}, format="json"
    )
    assert response.status_code == 400 and "password" in response.json()


def test_users_create_with_unknown_role_is_refused(api_as):
    response = api_as(AdminFactory()).post(
        "/api/v1/users/", {"username": "r", "role": "boss", "password": "a-long-passphrase-1"}, format="json"
    )
    assert response.status_code == 400 and "role" in response.json()


def test_users_list_makes_a_bounded_number_of_queries(api_as, django_assert_max_num_queries):
    admin = AdminFactory()
    regions = RegionFactory.create_batch(3)
    for _ in range(30):
        ManagerFactory(regions=regions)
    client = api_as(admin)
    with django_assert_max_num_queries(5):
        response = client.get("/api/v1/users/?page_size=200")
    assert response.json()["count"] == 31


def test_me_shows_the_effective_role_of_a_superuser(api_as):
    superuser = User.objects.create_superuser("root", "root@example.com", "a-long-passphrase-1")
    assert api_as(superuser).get("/api/v1/me/").json()["role"] == "admin"


def test_me_patch_saves_the_profile_through_the_service_and_ignores_the_role(api_as):
    rep = RepFactory(first_name="Wei")
    response = api_as(rep).patch("/api/v1/me/", {"first_name": "Zhang", "role": "admin", "phone": "138"}, format="json")
    assert response.status_code == 200, response.json()
    assert (response.json()["first_name"], response.json()["role"]) == ("Zhang", "rep")
    rep.refresh_from_db()
    assert (rep.first_name, rep.phone, rep.role) == ("Zhang", "138", Role.REP)
    assert api_as(rep).patch("/api/v1/me/", {"email": "nope"}, format="json").status_code == 400
