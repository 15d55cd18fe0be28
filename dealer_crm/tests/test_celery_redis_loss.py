"""The worker keeps consuming after Redis went away while its tasks ran (dealer_crm/celery.py).

The outage itself, with real servers, is `make faults`; these pin the two kombu
holes it found, so a kombu upgrade that changes them is noticed here."""

from __future__ import annotations

from contextlib import contextmanager
from unittest import mock

import pytest
from kombu.transport import redis as kombu_redis
from redis.exceptions import ConnectionError as RedisConnectionError

import dealer_crm.celery  # installs the guard


def _qos_on_a_dead_redis(prefetch_count: int = 2) -> kombu_redis.QoS:
    client = mock.MagicMock()
    client.pipeline.return_value.zrem.return_value.hdel.return_value.execute.side_effect = RedisConnectionError(
        "Error 111 connecting to 127.0.0.1:6379. Connection refused.")
    client.transaction.side_effect = RedisConnectionError("Connection refused.")

    @contextmanager
    def conn_or_acquire(given=None):
        yield client

    channel = mock.MagicMock(conn_or_acquire=conn_or_acquire)
    return kombu_redis.QoS(channel, prefetch_count=prefetch_count)


def _message() -> mock.Mock:
    return mock.Mock(delivery_info={"exchange": "", "routing_key": "celery"}, _raw={"body": "{}"})


def test_an_ack_that_cannot_reach_redis_frees_its_prefetch_slot():
    qos = _qos_on_a_dead_redis(prefetch_count=2)
    qos.append(_message(), "tag-1")
    qos.append(_message(), "tag-2")
    assert not qos.can_consume()  # both slots held by running tasks

    with pytest.raises(RedisConnectionError):  # kombu still logs "Couldn't ack"
        qos.ack("tag-1")
    with pytest.raises(RedisConnectionError):
        qos.reject("tag-2")

    # The consumer fetches again, meets the dead connection and reconnects, instead of idling for good.
    assert qos.can_consume()


def test_restoring_unacked_messages_without_redis_does_not_kill_the_worker():
    qos = _qos_on_a_dead_redis()
    qos.append(_message(), "tag-1")

    assert qos.restore_unacked() is None
    assert not qos._delivered


def test_the_guard_is_installed_once():
    ack = kombu_redis.QoS.ack
    dealer_crm.celery._survive_redis_loss_with_unacked_messages()
    assert kombu_redis.QoS.ack is ack
