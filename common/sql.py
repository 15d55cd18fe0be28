"""A queryset's SQL to embed in hand-written SQL (the set-based reports)."""

from __future__ import annotations

from django.core.exceptions import EmptyResultSet
from django.db.models import Q
from django.db.models.sql.where import WhereNode


def subquery_sql(queryset) -> tuple[str, tuple]:
    """(sql, params) of `queryset`, to be used as a subquery. A queryset Django knows
    to be empty (`.none()`, an empty scope such as a manager given no region yet)
    has no SQL of its own: it then gives the same columns and no row, instead of
    EmptyResultSet escaping as a 500."""
    try:
        return queryset.query.sql_with_params()
    except EmptyResultSet:
        query = queryset.query.clone()
        query.where = WhereNode()
        query.add_q(Q(pk__isnull=True))
        return query.sql_with_params()
