"""Thank-you emails to attendees, each sent at most once."""

import datetime
import logging

from django.conf import settings
from django.core.mail import send_mail
from django.utils import translation

from common.queueing import enqueue
from notifications.outbox import EmailOutbox
from promotions.models import (
    Attendee,
    Campaign,
    ThankYou,
    ThankYouStatus,
)
from promotions.services.messages import THANK_YOU_MESSAGE, THANK_YOU_SUBJECT
from promotions.services.shared import _dates

logger = logging.getLogger(__name__)


def _thank_you_message(attendee: Attendee, campaign: Campaign) -> tuple[str, str]:
    owner = campaign.owner
    signature = str(owner) + (f"\n{owner.phone}" if owner.phone else "")
    with translation.override(owner.language or settings.LANGUAGE_CODE):
        params = {"name": attendee.name, "campaign": campaign.name, "dates": _dates(campaign), "owner": signature}
        return str(THANK_YOU_SUBJECT) % params, str(THANK_YOU_MESSAGE) % params


# --- Thank-you emails (at most once each) -------------------------------------------------------
def _queue_thank_you_email(thank_you_id: int) -> None:
    enqueue("promotions.tasks.send_thank_you_email", thank_you_id,
            when_down="the thank-you stays pending; thank_yous_send_pending sends it later.")


THANK_YOU_EMAILS = EmailOutbox(
    model=ThankYou, status_field="status", pending=ThankYouStatus.PENDING, sending=ThankYouStatus.SENDING,
    sent=ThankYouStatus.SENT, sent_at_field="sent_at",
)


def thank_you_send_email(*, thank_you_id: int) -> bool:
    """Email one thank-you, at most once (notifications.outbox)."""
    return THANK_YOU_EMAILS.send_once(pk=thank_you_id, send=_email_thank_you, related=["attendee__campaign__owner"])


def _email_thank_you(thank_you: ThankYou) -> None:
    subject, _message = _thank_you_message(thank_you.attendee, thank_you.attendee.campaign)
    send_mail(subject, thank_you.message, None, [thank_you.email])


def thank_yous_send_pending(*, older_than: datetime.timedelta = datetime.timedelta(minutes=2)) -> int:
    """Send the thank-you emails whose queueing was lost (broker down, worker crash)."""
    return THANK_YOU_EMAILS.send_pending(
        older_than=older_than, send_one=lambda pk: thank_you_send_email(thank_you_id=pk)
    )
