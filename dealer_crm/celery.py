"""The Celery app: configured from Django settings (namespace CELERY_)."""

import logging
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dealer_crm.settings")

logger = logging.getLogger(__name__)

app = Celery("dealer_crm")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def _survive_redis_loss_with_unacked_messages() -> None:
    """Keep the worker alive, and consuming, when Redis goes away while tasks run.

    Two holes in kombu 5.7's Redis transport with acks_late, both seen under
    `make faults` and reproduced with two slow tasks and a stopped Redis:

    - When the consumer's channel closes, kombu puts the unacknowledged messages
      back; with the connection already gone that raises deep in kombu and the
      worker dies with "Unrecoverable error" instead of reconnecting.
    - A task that ends while Redis is down cannot be acknowledged ("Couldn't ack").
      kombu then keeps the message in its local count of unacknowledged ones, so
      with every prefetch slot held that way the consumer never asks Redis for a
      message again: it never notices the outage, never reconnects, and the
      worker stays alive but idle for good.

    Both are made safe by forgetting the message locally: one that Redis kept is
    restored by kombu after its visibility timeout, and every task derives its
    work from the database (idempotent), so one lost with Redis is redone by the
    beat's next run."""
    from kombu.transport import redis as kombu_redis
    from kombu.transport.virtual import QoS as VirtualQoS
    from redis.exceptions import ConnectionError as RedisConnectionError

    if getattr(kombu_redis.QoS, "survives_redis_loss", False):
        return
    unreachable = (AttributeError, RedisConnectionError, OSError)
    original_restore, original_ack, original_reject = (
        kombu_redis.QoS.restore_unacked, kombu_redis.QoS.ack, kombu_redis.QoS.reject)

    def restore_unacked(self, client=None):
        try:
            return original_restore(self, client)
        except unreachable as error:
            logger.warning("Redis is unreachable; %s unacknowledged message(s) left to Redis and the beat (%s).",
                           len(self._delivered), error)
            self._delivered.clear()
            return None

    def settle(original):
        def settle_or_forget(self, delivery_tag, *args, **kwargs):
            try:
                return original(self, delivery_tag, *args, **kwargs)
            except RedisConnectionError:
                # Free the prefetch slot, then let kombu log "Couldn't ack": the consumer's
                # next fetch meets the dead connection and reconnects.
                VirtualQoS.ack(self, delivery_tag)
                raise
        return settle_or_forget

    kombu_redis.QoS.restore_unacked = restore_unacked
    kombu_redis.QoS.ack = settle(original_ack)
    kombu_redis.QoS.reject = settle(original_reject)
    kombu_redis.QoS.survives_redis_loss = True


_survive_redis_loss_with_unacked_messages()
