"""The API token lookup is cached for a few seconds (issue 16), and the cache never
outlives a change: a deactivated user, a revoked token, a changed role or password
are seen on the very next request even when the cache is warm."""

import datetime

import pytest
import time_machine
from django.core.cache import cache
from django.utils import timezone

from accounts import services, tokens
from accounts.models import ApiToken, Role
from accounts.tests.factories import AdminFactory, ManagerFactory, RepFactory
from accounts.tokens import TOKEN_EXPIRED, TOKEN_INVALID, USER_INACTIVE, api_token_issue, token_digest

pytestmark = pytest.mark.django_db
ME = "/api/v1/me/"


@pytest.fixture(autouse=True)
def token_cache(settings):
    """A cache of this test's own, and the token cache on (as with Redis)."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "token-cache"}}
    settings.API_TOKEN_CACHE_SECONDS = 30
    cache.clear()


def warm(api_client, key):
    """Authenticate with `key` and make sure its lookup is now cached."""
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    response = api_client.get(ME)
    assert response.status_code == 200
    assert cache.get(f"api-token:{token_digest(key)}") is not None
    return response


def test_token_cache_serves_a_valid_token_without_reading_it_again(api_client, django_assert_num_queries):
    key, _token = api_token_issue(user=RepFactory())
    warm(api_client, key)
    with django_assert_num_queries(0):
        assert tokens.ApiTokenAuthentication().authenticate_credentials(key)[0].username
    assert api_client.get(ME).status_code == 200


def test_token_cache_refuses_a_user_deactivated_by_the_service_at_once(api_client):
    rep = RepFactory()
    key, _token = api_token_issue(user=rep)
    warm(api_client, key)
    services.user_update(user=rep, is_active=False)
    response = api_client.get(ME)
    assert response.status_code == 401 and response.json()["detail"] == str(TOKEN_INVALID)


def test_token_cache_refuses_a_user_deactivated_by_a_plain_save_at_once(api_client):
    """The admin site, or any code that saves the user without the service."""
    rep = RepFactory()
    key, _token = api_token_issue(user=rep)
    warm(api_client, key)
    rep.is_active = False
    rep.save(update_fields=["is_active"])
    response = api_client.get(ME)
    assert response.status_code == 401 and response.json()["detail"] == str(USER_INACTIVE)


def test_token_cache_refuses_a_user_deactivated_by_the_users_import_at_once(api_client):
    rep = RepFactory(email="rep@example.com")
    key, _token = api_token_issue(user=rep)
    warm(api_client, key)
    services.users_upsert(rows=[{"username": rep.username, "role": Role.REP, "is_active": False}])
    assert api_client.get(ME).status_code == 401


@pytest.mark.parametrize("how", ["logout", "logout_all", "service", "delete_user"])
def test_token_cache_refuses_a_revoked_token_at_once(api_client, how):
    rep = RepFactory()
    key, _token = api_token_issue(user=rep)
    warm(api_client, key)
    if how == "logout":
        assert api_client.post("/api/v1/auth/logout/", {}, format="json").json() == {"revoked": 1}
    elif how == "logout_all":
        assert api_client.post("/api/v1/auth/logout/", {"all": True}, format="json").json() == {"revoked": 1}
    elif how == "service":
        assert tokens.api_token_revoke(key=key) == 1
    else:
        rep.delete()
    response = api_client.get(ME)
    assert response.status_code == 401 and response.json()["detail"] == str(TOKEN_INVALID)


def test_token_cache_sees_a_role_change_at_once(api_client):
    rep = RepFactory()
    key, _token = api_token_issue(user=rep)
    assert warm(api_client, key).json()["role"] == Role.REP
    services.user_update(user=rep, role=Role.FINANCE)
    assert api_client.get(ME).json()["role"] == Role.FINANCE


def test_token_cache_forgets_a_user_whose_password_changed(api_client):
    rep = RepFactory()
    key, _token = api_token_issue(user=rep)
    warm(api_client, key)
    services.user_update(user=rep, password="A-new-long-passphrase-2026")
    assert cache.get(f"api-token:{token_digest(key)}") is None
    assert api_client.get(ME).status_code == 200  # the token itself stays valid


def test_token_cache_still_refuses_an_expired_token(api_client, settings):
    settings.API_TOKEN_TTL_HOURS = 1
    key, _token = api_token_issue(user=RepFactory())
    warm(api_client, key)
    with time_machine.travel(timezone.now() + datetime.timedelta(hours=1, seconds=1)):
        response = api_client.get(ME)
    assert response.status_code == 401 and response.json()["detail"] == str(TOKEN_EXPIRED)


def test_token_cache_never_serves_another_users_identity(api_client):
    rep, manager = RepFactory(), ManagerFactory()
    rep_key, _ = api_token_issue(user=rep)
    manager_key, _ = api_token_issue(user=manager)
    for _round in range(2):  # cold, then warm
        for key, user in ((rep_key, rep), (manager_key, manager)):
            api_client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
            assert api_client.get(ME).json()["username"] == user.username
    # An entry found under a key's digest is used only if it is that key's token.
    cache.set(f"api-token:{token_digest(rep_key)}", ApiToken.objects.select_related("user").get(user=manager), 30)
    user, token = tokens.ApiTokenAuthentication().authenticate_credentials(rep_key)
    assert (user, token.digest) == (rep, token_digest(rep_key))


def test_token_cache_off_reads_the_token_each_time(api_client, settings, django_assert_num_queries):
    settings.API_TOKEN_CACHE_SECONDS = 0
    key, _token = api_token_issue(user=AdminFactory())
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api_client.get(ME).status_code == 200
    assert cache.get(f"api-token:{token_digest(key)}") is None
    with django_assert_num_queries(1):
        tokens.ApiTokenAuthentication().authenticate_credentials(key)


def test_token_lookup_gives_what_the_orm_gives(django_assert_num_queries):
    """The lean lookup (one SQL statement built once, issue 16) reads the same token and user."""
    manager = ManagerFactory(first_name="Li", last_name="Na", email="li@example.com")
    key, _token = api_token_issue(user=manager)
    with django_assert_num_queries(1):
        token = tokens.api_token_with_user(token_digest(key))
    expected = ApiToken.objects.select_related("user").get(digest=token_digest(key))
    for model, got, want in ((ApiToken, token, expected), (type(manager), token.user, expected.user)):
        for field in model._meta.concrete_fields:
            assert getattr(got, field.attname) == getattr(want, field.attname), field.name
    assert token.user.pk == manager.pk and not token._state.adding and not token.user._state.adding
    assert tokens.api_token_with_user(token_digest("not-a-key")) is None
