"""A real Celery worker against Redis: the same reminder queued twice arrives once."""

import time

import pytest
from django.core import mail

from accounts.tests.factories import RepFactory
from notifications.models import EmailStatus, Notification

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def celery_worker_on_redis(redis_url):
    from celery.contrib.testing.worker import start_worker

    from dealer_crm.celery import app

    keys = ("broker_url", "task_always_eager", "result_backend", "task_ignore_result")
    previous = {key: app.conf[key] for key in keys}
    app.conf.update(broker_url=redis_url, task_always_eager=False, result_backend=redis_url, task_ignore_result=False)
    app.loader.import_module("celery.contrib.testing.tasks")
    forget_connections(app)
    try:
        with start_worker(app, pool="solo", perform_ping_check=True, shutdown_timeout=20):
            yield app
    finally:
        app.conf.update(previous)
        forget_connections(app)


def forget_connections(app) -> None:
    """Drop the broker pool and result backend Celery cached from the eager
    configuration, so the new broker and backend are used."""
    app._pool = None
    app.amqp._producer_pool = None
    app._local.__dict__.pop("backend", None)


def wait_for(condition, timeout=20.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


def test_notification_task_sent_twice_through_redis_is_delivered_once(celery_worker_on_redis):
    from notifications.tasks import deliver_notification

    rep = RepFactory()
    args = (rep.pk, "visit:7:morning", "Visit today", "Dealer B at 09:30")
    first, second = (deliver_notification.apply_async(args, ignore_result=False) for _ in range(2))
    results = sorted([first.get(timeout=20), second.get(timeout=20)])
    assert results == [False, True]
    assert wait_for(lambda: Notification.objects.filter(email_status=EmailStatus.SENT).exists())
    time.sleep(0.5)  # room for a wrong second email to arrive
    assert Notification.objects.filter(recipient=rep).count() == 1
    assert len([message for message in mail.outbox if rep.email in message.to]) == 1
