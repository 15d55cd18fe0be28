"""API tokens that expire and can be revoked, and sign-in limits (issue #12)."""

import datetime

import pytest
import time_machine
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from accounts import login_limits
from accounts.models import ApiToken
from accounts.tests.factories import TEST_PASSWORD, AdminFactory, RepFactory
from accounts.tokens import TOKEN_EXPIRED, USER_INACTIVE

pytestmark = pytest.mark.django_db

TOKEN_URL = "/api/v1/auth/token/"


@pytest.fixture(autouse=True)
def fresh_limits(settings):
    """A cache of this test's own (the suite may share one Redis between workers)."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "login-limits"}}
    cache.clear()


def sign_in(api_client, username, password=TEST_PASSWORD, address="10.0.0.1"):
    return api_client.post(TOKEN_URL, {"username": username, "password": password}, format="json", REMOTE_ADDR=address)


def test_token_each_sign_in_gets_its_own_token_with_an_expiry(api_client, settings):
    settings.API_TOKEN_TTL_HOURS = 10
    RepFactory(username="rep1")
    first, second = sign_in(api_client, "rep1").json(), sign_in(api_client, "rep1").json()
    assert first["token"] != second["token"]
    expires = datetime.datetime.fromisoformat(first["expires"])
    assert abs(expires - (timezone.now() + datetime.timedelta(hours=10))) < datetime.timedelta(minutes=1)
    assert ApiToken.objects.count() == 2 and all(len(token.digest) == 64 for token in ApiToken.objects.all())
    assert not ApiToken.objects.filter(digest=first["token"]).exists()  # only a digest is stored


def test_token_expires_after_its_time(api_client, settings):
    settings.API_TOKEN_TTL_HOURS = 1
    RepFactory(username="rep1")
    token = sign_in(api_client, "rep1").json()["token"]
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api_client.get("/api/v1/me/").status_code == 200
    with time_machine.travel(timezone.now() + datetime.timedelta(hours=1, minutes=1)):
        response = api_client.get("/api/v1/me/")
    assert response.status_code == 401 and response.json()["detail"] == str(TOKEN_EXPIRED)


def test_token_logout_revokes_only_the_token_used(api_client):
    RepFactory(username="rep1")
    phone, erp = sign_in(api_client, "rep1").json()["token"], sign_in(api_client, "rep1").json()["token"]
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {phone}")
    assert api_client.post("/api/v1/auth/logout/", {}, format="json").json() == {"revoked": 1}
    assert api_client.get("/api/v1/me/").status_code == 401
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {erp}")
    assert api_client.get("/api/v1/me/").status_code == 200


def test_token_logout_all_revokes_every_token_of_the_user(api_client):
    RepFactory(username="rep1")
    tokens = [sign_in(api_client, "rep1").json()["token"] for _ in range(3)]
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {tokens[0]}")
    assert api_client.post("/api/v1/auth/logout/", {"all": True}, format="json").json() == {"revoked": 3}
    for token in tokens:
        api_client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
        assert api_client.get("/api/v1/me/").status_code == 401


def test_token_of_a_deactivated_user_is_refused_at_once(api_client):
    rep = RepFactory(username="rep1")
    token = sign_in(api_client, "rep1").json()["token"]
    rep.is_active = False
    rep.save(update_fields=["is_active"])  # even without the service that revokes the tokens
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    response = api_client.get("/api/v1/me/")
    assert response.status_code == 401 and response.json()["detail"] == str(USER_INACTIVE)


def test_token_deactivating_a_user_through_the_api_revokes_their_tokens(api_client, api_as):
    rep = RepFactory(username="rep1")
    sign_in(api_client, "rep1")
    assert api_as(AdminFactory()).patch(f"/api/v1/users/{rep.pk}/", {"is_active": False}, format="json").status_code == 200
    assert not ApiToken.objects.filter(user=rep).exists()


def test_token_authentication_is_one_query(api_client, django_assert_num_queries):
    RepFactory(username="rep1")
    token = sign_in(api_client, "rep1").json()["token"]
    from accounts.tokens import ApiTokenAuthentication

    with django_assert_num_queries(1):
        user, _token = ApiTokenAuthentication().authenticate_credentials(token)
    assert user.username == "rep1"


# --- sign-in limits ------------------------------------------------------------------------------
def test_throttle_api_locks_a_user_name_after_the_limit_then_lets_the_right_password_in_later(api_client, settings):
    settings.LOGIN_FAILURES_PER_USERNAME, settings.LOGIN_LOCKOUT_MINUTES = 5, 15
    RepFactory(username="rep1")
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        for _ in range(5):
            assert sign_in(api_client, "rep1", "wrong").status_code == 400
        locked = sign_in(api_client, "rep1")  # the right password, but locked
        assert locked.status_code == 429
        assert locked.json()["detail"] == "Too many failed sign-in attempts. Try again in 15 minutes."
        assert int(locked.headers["Retry-After"]) == 15 * 60
    with time_machine.travel(start + datetime.timedelta(minutes=14), tick=False):
        assert sign_in(api_client, "rep1").status_code == 429
    with time_machine.travel(start + datetime.timedelta(minutes=15, seconds=1), tick=False):
        assert sign_in(api_client, "rep1").status_code == 200


def test_throttle_api_locks_by_user_name_whatever_the_address(api_client, settings):
    settings.LOGIN_FAILURES_PER_USERNAME = 3
    RepFactory(username="rep1")
    for number in range(3):
        sign_in(api_client, "rep1", "wrong", address=f"10.0.0.{number}")
    assert sign_in(api_client, "rep1", address="10.9.9.9").status_code == 429
    RepFactory(username="rep2")
    assert sign_in(api_client, "rep2", address="10.0.0.1").status_code == 200  # another user name is not locked


def test_throttle_api_locks_an_address_trying_many_user_names(api_client, settings):
    settings.LOGIN_FAILURES_PER_ADDRESS = 4
    RepFactory(username="victim")
    for number in range(4):
        sign_in(api_client, f"guess{number}", "wrong", address="203.0.113.7")
    assert sign_in(api_client, "victim", address="203.0.113.7").status_code == 429
    assert sign_in(api_client, "victim", address="198.51.100.1").status_code == 200


def test_throttle_success_clears_the_user_names_count(api_client, settings):
    settings.LOGIN_FAILURES_PER_USERNAME = 3
    RepFactory(username="rep1")
    for _ in range(2):
        sign_in(api_client, "rep1", "wrong")
    assert sign_in(api_client, "rep1").status_code == 200
    for _ in range(2):
        sign_in(api_client, "rep1", "wrong")
    assert sign_in(api_client, "rep1").status_code == 200


def test_throttle_login_page_answers_429_with_a_clear_message_then_lets_in_after_the_lock(client, settings):
    settings.LOGIN_FAILURES_PER_USERNAME, settings.LOGIN_LOCKOUT_MINUTES = 3, 10
    RepFactory(username="rep1")
    url = reverse("accounts:login")
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        for _ in range(3):
            assert client.post(url, {"username": "rep1", "password": "wrong"}).status_code == 200
        locked = client.post(url, {"username": "rep1", "password": TEST_PASSWORD})
        assert locked.status_code == 429
        assert "Too many failed sign-in attempts. Try again in 10 minutes." in locked.content.decode()
        assert "_auth_user_id" not in client.session
    with time_machine.travel(start + datetime.timedelta(minutes=10, seconds=1), tick=False):
        response = client.post(url, {"username": "rep1", "password": TEST_PASSWORD})
    assert response.status_code == 302 and "_auth_user_id" in client.session


def test_throttle_message_is_translated(settings):
    from django.utils import translation

    with translation.override("zh-hans"):
        message = login_limits.locked_message(600)
    assert "10" in message and "Too many" not in message
