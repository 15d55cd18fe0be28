"""A dealer's contact people and the log of contacts with it."""

from __future__ import annotations

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from dealers.models import ContactChannel, ContactLog, Dealer, DealerContact
from dealers.services.messages import CONTACT_IN_FUTURE
from dealers.services.onboarding import _touch_onboarding
from dealers.services.shared import FUTURE_TOLERANCE


@transaction.atomic
def contact_save(*, dealer: Dealer, contact: DealerContact | None = None, **fields) -> DealerContact:
    """Create or change a contact person; one primary contact per dealer."""
    contact = contact or DealerContact(dealer=dealer)
    for name, value in fields.items():
        setattr(contact, name, value)
    contact.full_clean()
    contact.save()
    if contact.is_primary:
        DealerContact.objects.filter(dealer=dealer, is_primary=True).exclude(pk=contact.pk).update(is_primary=False)
    return contact


def contact_delete(*, contact: DealerContact) -> None:
    contact.delete()


@transaction.atomic
def contact_log_create(
    *, dealer: Dealer, logged_by: User, summary: str, channel: str = ContactChannel.MEETING,
    contacted_at: datetime | None = None, next_follow_up_on: date | None = None,
) -> ContactLog:
    """Log a contact with a dealer or prospect; it resets the prospect's "going cold" clock."""
    contacted_at = contacted_at or timezone.now()
    if contacted_at > timezone.now() + FUTURE_TOLERANCE:
        raise ValidationError({"contacted_at": CONTACT_IN_FUTURE})
    entry = ContactLog(
        dealer=dealer, logged_by=logged_by, summary=summary, channel=channel,
        contacted_at=contacted_at, next_follow_up_on=next_follow_up_on,
    )
    entry.full_clean()
    entry.save()
    _touch_onboarding(dealer, contact_on=timezone.localtime(contacted_at).date(), follow_up_on=next_follow_up_on)
    return entry
