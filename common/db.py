"""Surviving a database restart without a health check on every request.

With persistent connections (CONN_MAX_AGE) a restarted PostgreSQL leaves each
worker holding a dead connection. Django's CONN_HEALTH_CHECKS would find it with
a `SELECT 1` at the start of every request; instead, the first statement a
request (or a Celery task) sends on a reused connection is retried once on a new
connection when it fails because the connection is gone. That is safe: outside
a transaction, a statement that could not be sent was not run. Anything else (a
failure inside a transaction, a later statement) is raised as before, and Django
discards the broken connection at the end of the request.
"""

from __future__ import annotations

import logging

from django.db import InterfaceError, OperationalError, connections

logger = logging.getLogger(__name__)
FRESH = "_dealer_crm_first_statement"
INSTALLED = "_dealer_crm_retry_installed"

# What psycopg says when the server went away (restart, failover, idle kill).
DISCONNECT_MARKERS = (
    "server closed the connection",
    "terminating connection",
    "connection already closed",
    "connection is closed",
    "could not receive data from server",
    "could not send data to server",
    "ssl connection has been closed",
    "no connection to the server",
)


def is_disconnect(error: BaseException) -> bool:
    if isinstance(error, InterfaceError):
        return True
    return isinstance(error, OperationalError) and any(marker in str(error).lower() for marker in DISCONNECT_MARKERS)


def retry_first_statement_on_disconnect(execute, sql, params, many, context):
    connection = context["connection"]
    first = getattr(connection, FRESH, False)
    setattr(connection, FRESH, False)
    try:
        return execute(sql, params, many, context)
    except (OperationalError, InterfaceError) as error:
        if not (first and not connection.in_atomic_block and is_disconnect(error)):
            raise
        logger.warning("Database connection %s was lost (%s); reconnecting once.", connection.alias, error)
        connection.close()
        connection.connect()
        context["cursor"].cursor = connection.create_cursor()
        return execute(sql, params, many, context)


def install_retry(sender=None, connection=None, **kwargs) -> None:
    """On each new connection (the `connection_created` signal): add the retry wrapper once."""
    if connection is not None and not getattr(connection, INSTALLED, False):
        connection.execute_wrappers.append(retry_first_statement_on_disconnect)
        setattr(connection, INSTALLED, True)


def mark_first_statement(**kwargs) -> None:
    """At the start of a request or a task: the next statement on each open connection may be retried."""
    for connection in connections.all(initialized_only=True):
        if connection.connection is not None:
            setattr(connection, FRESH, True)


def install() -> None:
    from celery.signals import task_prerun
    from django.core.signals import request_started
    from django.db.backends.signals import connection_created

    connection_created.connect(install_retry, dispatch_uid="dealer_crm_db_retry")
    request_started.connect(mark_first_statement, dispatch_uid="dealer_crm_db_fresh_request")
    task_prerun.connect(mark_first_statement, dispatch_uid="dealer_crm_db_fresh_task", weak=False)
