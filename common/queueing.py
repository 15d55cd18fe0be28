"""Queue a Celery task without failing the request when the broker is down.

Every place that hands work to the worker does it through `enqueue`, by the
task's name ("<app>.tasks.<function>"), so a service never imports its own
app's tasks module (which imports the services): Celery's registry finds the
task, importing every app's tasks module on first use as the worker does.

When the broker cannot be reached the error is logged, `fallback` (if any) runs
in the request, and `enqueue` answers False: the caller says in `when_down`
what then catches up (a pending row the beat retries, a resend button, the
nightly run), so that nothing is lost silently.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from celery import current_app
from django.db import transaction

logger = logging.getLogger(__name__)


def task_named(name: str):
    """The registered Celery task `name`; every app's tasks module is imported the first time."""
    app = current_app
    if name not in app.tasks:
        app.loader.import_default_modules()
    return app.tasks[name]


def enqueue(name: str, *args, when_down: str, fallback: Callable[[], object] | None = None) -> bool:
    """Queue task `name` with `args`; True when queued. The broker down: log
    (`when_down` says what catches up), run `fallback` if given, answer False."""
    task = task_named(name)  # a wrong name is a bug: it raises, it is no broker outage
    try:
        task.delay(*args)
    except Exception:  # the broker is down (kombu, redis, socket errors alike): never fail the caller
        logger.warning("Could not queue %s%r; %s", name, args, when_down)
        if fallback is not None:
            fallback()
        return False
    return True


def enqueue_on_commit(name: str, *args, when_down: str, fallback: Callable[[], object] | None = None) -> None:
    """`enqueue` once the current transaction commits (at once outside one)."""
    transaction.on_commit(lambda: enqueue(name, *args, when_down=when_down, fallback=fallback))
