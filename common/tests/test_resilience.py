"""Faults the app survives on its own (issue #13): a lost database connection, an
unreachable cache. The outage runs with real servers are in bin/faults.py."""

from __future__ import annotations

import pytest
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.db import InterfaceError, OperationalError, connection

from common.cache import ResilientRedisCache
from common.db import FRESH, is_disconnect, mark_first_statement

postgresql_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL backend is terminated")


def _terminate_own_backend() -> None:
    import psycopg2

    connection.ensure_connection()
    pid = connection.connection.get_backend_pid()
    settings = connection.get_connection_params()
    other = psycopg2.connect(**settings)
    other.autocommit = True
    with other.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
    other.close()


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_first_statement_after_the_connection_died_is_retried_on_a_new_one():
    from accounts.models import User

    _terminate_own_backend()
    mark_first_statement()  # what request_started / task_prerun do
    assert User.objects.count() >= 0
    assert getattr(connection, FRESH) is False


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_a_later_statement_is_not_retried_and_the_error_is_raised():
    from accounts.models import User

    User.objects.count()  # the request's first statement went through
    _terminate_own_backend()
    with pytest.raises((OperationalError, InterfaceError)):
        User.objects.count()
    connection.close()


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_a_request_after_the_connection_died_answers_200(client):
    from accounts.tests.factories import AdminFactory

    client.force_login(AdminFactory())
    assert client.get("/api/v1/dealers/").status_code == 200
    _terminate_own_backend()
    assert client.get("/api/v1/dealers/").status_code == 200


def test_disconnect_errors_are_recognised():
    assert is_disconnect(OperationalError("server closed the connection unexpectedly"))
    assert is_disconnect(OperationalError("terminating connection due to administrator command"))
    assert is_disconnect(InterfaceError("connection already closed"))
    assert not is_disconnect(OperationalError("deadlock detected"))


def test_cache_answers_as_empty_while_redis_is_unreachable():
    cache = ResilientRedisCache("redis://127.0.0.1:1/0", {})  # nothing listens on port 1
    assert cache.get("key", "default") == "default"
    assert cache.add("key", 0, DEFAULT_TIMEOUT) is True
    cache.set("key", 1)
    assert cache.get_many(["a", "b"]) == {}
    with pytest.raises(ValueError):
        cache.incr("key")
    assert cache.delete("key") is False


def test_application_rate_limit_lets_people_through_while_redis_is_down(settings):
    from dealers.services import application_rate_limited

    # Django resets its caches when CACHES changes (django.test.signals).
    settings.CACHES = {"default": {"BACKEND": "common.cache.ResilientRedisCache", "LOCATION": "redis://127.0.0.1:1/0"}}
    assert application_rate_limited(ip_address="10.0.0.1") is False
