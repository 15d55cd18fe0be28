"""Email outboxes: rows that each send one email, at most once, whatever the
retries, redeliveries and doubled beats (notifications, campaign thank-yous).

A row goes pending → sending (the claim: one UPDATE, so two workers cannot both
win it) → sent; when the send fails it goes back to pending and the error is
raised (the task retries). A row left "sending" by a crashed worker is released
after a while, and the beat sends what is still pending (the broker was down
when it was queued).
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db.models import Model
from django.utils import timezone

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class EmailOutbox:
    model: type[Model]
    status_field: str
    pending: str
    sending: str
    sent: str
    sent_at_field: str
    created_field: str = "created_at"
    # How many pending rows one catch-up run sends at most (the next run takes the rest).
    batch: int = 500

    def send_once(self, *, pk: int, send: Callable[[Model], None], related: Iterable[str] = ()) -> bool:
        """Claim row `pk` and `send(row)`; False when it was not pending (sent, or
        being sent by another worker). A failed send puts the row back and raises."""
        rows = self.model._default_manager
        claimed = rows.filter(pk=pk, **{self.status_field: self.pending}).update(**{self.status_field: self.sending})
        if not claimed:
            return False
        row = rows.select_related(*related).get(pk=pk)
        try:
            send(row)
        except Exception:
            rows.filter(pk=pk).update(**{self.status_field: self.pending})
            raise
        rows.filter(pk=pk).update(**{self.status_field: self.sent, self.sent_at_field: timezone.now()})
        return True

    def send_pending(self, *, older_than: datetime.timedelta, send_one: Callable[[int], bool]) -> int:
        """The catch-up: release claims older than twice `older_than` (a crashed
        worker), then `send_one(pk)` every row pending for longer than `older_than`.
        A failure is logged and left pending for the next run. Returns how many were sent."""
        rows = self.model._default_manager
        cutoff = timezone.now() - older_than
        rows.filter(**{self.status_field: self.sending, f"{self.created_field}__lt": cutoff - older_than}).update(
            **{self.status_field: self.pending}
        )
        pending = rows.filter(**{self.status_field: self.pending, f"{self.created_field}__lt": cutoff})
        sent = 0
        for pk in pending.order_by(self.created_field, "pk").values_list("pk", flat=True)[: self.batch]:
            try:
                sent += send_one(pk)
            except Exception:
                logger.exception("%s %s: the email failed; it will be retried.", self.model.__name__, pk)
        return sent
