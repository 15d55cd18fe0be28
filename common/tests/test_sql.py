"""common.sql.subquery_sql: a queryset's SQL for the hand-written reports, even when Django knows it is empty."""

import pytest
from django.db import connection
from django.db.models import F

from accounts.models import User
from accounts.tests.factories import RepFactory
from common.sql import subquery_sql

pytestmark = pytest.mark.django_db


def _rows(queryset):
    sql, params = subquery_sql(queryset)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM ({sql}) AS embedded", params)
        return cursor.fetchall()


def test_a_queryset_gives_its_own_sql():
    rep = RepFactory()
    assert _rows(User.objects.filter(pk=rep.pk).values("pk")) == [(rep.pk,)]


@pytest.mark.parametrize("empty", [User.objects.none(), User.objects.filter(pk__in=[])])
def test_an_empty_queryset_gives_the_same_columns_and_no_row(empty):
    RepFactory()
    assert _rows(empty.values("pk")) == []
    sql, _params = subquery_sql(empty.values(scope_user=F("pk"), scope_name=F("username")))
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT scope_user, scope_name FROM ({sql}) AS embedded", _params)
        assert cursor.fetchall() == []
