"""common.queueing: a task queued by name, and a request that never fails when the broker is down."""

import logging
from unittest import mock

import pytest

from common import queueing
from common.tasks import purge_idempotency_records

pytestmark = pytest.mark.django_db


def test_enqueue_finds_the_task_by_name_and_queues_it():
    with mock.patch.object(purge_idempotency_records, "delay") as delay:
        assert queueing.enqueue("common.tasks.purge_idempotency_records", 7, when_down="later.") is True
    delay.assert_called_once_with(7)


def test_task_named_finds_a_task_whose_module_nobody_imported_yet():
    # Every app's tasks module is found as the worker finds it (Celery's autodiscovery).
    assert queueing.task_named("notifications.tasks.send_pending_emails").name == "notifications.tasks.send_pending_emails"


def test_enqueue_with_the_broker_down_logs_runs_the_fallback_and_answers_false(caplog):
    fallback = mock.Mock()
    broker_down = mock.patch.object(purge_idempotency_records, "delay", side_effect=ConnectionError("down"))
    with broker_down, caplog.at_level(logging.WARNING, logger="common.queueing"):
        queued = queueing.enqueue("common.tasks.purge_idempotency_records", 7, when_down="the beat does it.",
                                  fallback=fallback)
    assert queued is False
    fallback.assert_called_once_with()
    assert "common.tasks.purge_idempotency_records" in caplog.text and "the beat does it." in caplog.text


def test_enqueue_on_commit_waits_for_the_commit(django_capture_on_commit_callbacks):
    with mock.patch.object(purge_idempotency_records, "delay") as delay:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            queueing.enqueue_on_commit("common.tasks.purge_idempotency_records", when_down="later.")
        delay.assert_not_called()
        callbacks[0]()
    delay.assert_called_once_with()


def test_a_task_name_that_does_not_exist_is_a_bug_not_an_outage():
    with pytest.raises(KeyError):
        queueing.enqueue("common.tasks.no_such_task", when_down="never.")
