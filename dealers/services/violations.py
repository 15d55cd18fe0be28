"""Market violations: record them with their evidence and decide their outcome."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.selectors import managers_for_region
from common.audit import acting
from common.exceptions import StateConflict
from common.validators import validate_photo
from dealers import lifecycle
from dealers.models import Dealer, DealerStatus, Severity, Violation, ViolationOutcome, ViolationPhoto
from dealers.services.dealers import dealer_status_change
from dealers.services.messages import FOUND_IN_FUTURE, OUTCOME_REQUIRED, VIOLATION_DECIDED
from dealers.services.shared import FUTURE_TOLERANCE
from notifications.services import notification_deliver_in_language


def _validate_photos(photos: Sequence) -> None:
    errors = []
    for photo in photos:
        try:
            validate_photo(photo)
        except ValidationError as error:
            errors.extend(error.error_list)
    if errors:
        raise ValidationError({"photos": errors})


def _save_photos(violation: Violation, photos: Iterable, uploaded_by: User | None) -> list[ViolationPhoto]:
    return [ViolationPhoto.objects.create(violation=violation, image=photo, uploaded_by=uploaded_by) for photo in photos]


@transaction.atomic
def violation_create(
    *, dealer: Dealer, reported_by: User, type: str, evidence: str, found_where: str,
    found_at: datetime | None = None, severity: str = Severity.MEDIUM, photos: Sequence = (),
) -> Violation:
    """Record a market violation with its evidence (notes and photos), all or nothing.
    The region's managers are told. The visits app calls this to turn a market-check
    finding into a violation in one step."""
    found_at = found_at or timezone.now()
    if found_at > timezone.now() + FUTURE_TOLERANCE:
        raise ValidationError({"found_at": FOUND_IN_FUTURE})
    violation = Violation(
        dealer=dealer, reported_by=reported_by, type=type, evidence=evidence, found_where=found_where,
        found_at=found_at, severity=severity, outcome=ViolationOutcome.PENDING,
    )
    violation.full_clean()
    _validate_photos(photos)
    violation.save()
    _save_photos(violation, photos, reported_by)
    url = reverse("dealers:violation", args=[violation.pk])
    recipients = [*managers_for_region(dealer.region), dealer.rep]
    for recipient in {user.pk: user for user in recipients if user is not None}.values():
        if recipient.pk == reported_by.pk:
            continue
        notification_deliver_in_language(recipient=recipient, key=f"violation:{violation.pk}:reported", kind="violation", url=url,
                                         title=_("Violation reported: %(dealer)s — %(type)s"), body=_("Found at %(where)s."),
                                         dealer=dealer.name, type=violation.get_type_display(), where=found_where)
    return violation


@transaction.atomic
def violation_update(*, violation: Violation, **fields) -> Violation:
    """Correct a violation's evidence while its outcome is pending."""
    violation = Violation.objects.select_for_update().get(pk=violation.pk)
    if violation.outcome != ViolationOutcome.PENDING:
        raise StateConflict(VIOLATION_DECIDED)
    if "found_at" in fields and fields["found_at"] > timezone.now() + FUTURE_TOLERANCE:
        raise ValidationError({"found_at": FOUND_IN_FUTURE})
    for name, value in fields.items():
        setattr(violation, name, value)
    violation.full_clean()
    violation.save()
    return violation


@transaction.atomic
def violation_add_photos(*, violation: Violation, photos: Sequence, uploaded_by: User) -> list[ViolationPhoto]:
    """Attach evidence photos (images only, size-limited), all or none."""
    if not photos:
        raise ValidationError({"photos": _("Choose at least one photo.")})
    _validate_photos(photos)
    return _save_photos(violation, photos, uploaded_by)


@acting("decided_by")
@transaction.atomic
def violation_decide(
    *, violation: Violation, outcome: str, decided_by: User, note: str = "", fine_amount=None,
) -> Violation:
    """Decide a violation's outcome. Suspension or termination also moves the dealer's
    status (with the violation as the reason) when its lifecycle allows."""
    violation = Violation.objects.select_for_update().select_related("dealer").get(pk=violation.pk)
    if violation.outcome != ViolationOutcome.PENDING:
        raise StateConflict(VIOLATION_DECIDED)
    if not outcome or outcome == ViolationOutcome.PENDING:
        raise ValidationError({"outcome": OUTCOME_REQUIRED})
    violation.outcome = outcome
    violation.outcome_note = note
    violation.fine_amount = fine_amount
    violation.decided_by = decided_by
    violation.decided_at = timezone.now()
    violation.full_clean()
    violation.save()
    target = {ViolationOutcome.SUSPENSION: DealerStatus.SUSPENDED, ViolationOutcome.TERMINATION: DealerStatus.TERMINATED}.get(outcome)
    dealer = violation.dealer
    if target and target in lifecycle.allowed_targets(dealer.status):
        dealer_status_change(
            dealer=dealer, to_status=target, changed_by=decided_by,
            reason=gettext("Violation: %(type)s. %(note)s") % {"type": violation.get_type_display(), "note": note},
        )
    return violation
