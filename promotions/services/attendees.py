"""Attendees and leads recorded at the event, corrected, or imported from a sheet."""

import logging
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import User
from common.exceptions import StateConflict
from promotions import permissions
from promotions.imports import INTEREST_UNKNOWN, CsvFormatError, read_attendee_rows
from promotions.models import (
    CAPTURE_STATUSES,
    Attendee,
    Campaign,
    Interest,
)
from promotions.services.messages import (
    ASSIGNED_LEAD_NEEDS_INTEREST,
    ATTENDEES_CLOSED,
    INTEREST_INVALID,
    MAY_NOT,
    NAME_REQUIRED,
    PHONE_REQUIRED,
    PHONE_TAKEN,
)

logger = logging.getLogger(__name__)


# --- Attendees and leads ------------------------------------------------------------------------
def normalise_phone(phone: str) -> str:
    """Phone numbers as stored: spaces, dashes, dots and brackets dropped ("138 0013-8000" → "13800138000")."""
    return "".join(char for char in (phone or "").strip() if char not in " -().\u3000\t")


def _attendee_errors(campaign: Campaign, attendee: Attendee, *, taken_phones: set[str] | None = None) -> dict:
    errors: dict[str, list] = {}
    if not attendee.name:
        errors["name"] = [NAME_REQUIRED]
    if not attendee.phone:
        errors["phone"] = [PHONE_REQUIRED]
    if attendee.interest not in Interest.values:
        errors["interest"] = [INTEREST_INVALID]
    try:
        attendee.full_clean(exclude=[*errors.keys(), "campaign", "recorded_by"], validate_unique=False,
                            validate_constraints=False)
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            errors.setdefault(name, messages)
    if "phone" not in errors:
        taken = (
            attendee.phone in taken_phones if taken_phones is not None
            else Attendee.objects.filter(campaign=campaign, phone=attendee.phone).exclude(pk=attendee.pk).exists()
        )
        if taken:
            errors["phone"] = [PHONE_TAKEN]
    return errors


def _check_capture(campaign: Campaign, by: User) -> None:
    if not permissions.can_record_attendees(by, campaign):
        raise PermissionDenied(MAY_NOT)
    if campaign.status not in CAPTURE_STATUSES:
        raise StateConflict(ATTENDEES_CLOSED)


def attendee_record(
    *, campaign: Campaign, by: User, name: str, phone: str, company: str = "", email: str = "",
    interest: str = Interest.WARM, note: str = "",
) -> Attendee:
    """Record a person met at the event (the fast form on a phone); a lead when they show interest."""
    _check_capture(campaign, by)
    attendee = Attendee(
        campaign=campaign, name=(name or "").strip(), phone=normalise_phone(phone),
        company=(company or "").strip(), email=(email or "").strip(), interest=interest or Interest.WARM,
        note=(note or "").strip(), recorded_by=by,
    )
    errors = _attendee_errors(campaign, attendee)
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            attendee.save()
    except IntegrityError as error:  # the same phone entered on two phones at once
        raise ValidationError({"phone": [PHONE_TAKEN]}) from error
    return attendee


ATTENDEE_FIELDS = ("name", "phone", "company", "email", "interest", "note")


def can_correct_attendee(user: User, attendee: Attendee) -> bool:
    """Whoever recorded the person, or whoever manages the campaign."""
    return attendee.recorded_by_id == user.pk or permissions.can_manage(user, attendee.campaign)


def attendee_update(*, attendee: Attendee, by: User, **fields) -> Attendee:
    """Correct what was typed at the event (name, phone, company, email, interest, note)."""
    unknown = set(fields) - set(ATTENDEE_FIELDS)
    if unknown:
        raise TypeError(f"attendee_update() got unexpected fields {sorted(unknown)}")
    if not can_correct_attendee(by, attendee):
        raise PermissionDenied(MAY_NOT)
    if attendee.campaign.status not in CAPTURE_STATUSES:
        raise StateConflict(ATTENDEES_CLOSED)
    for name, value in fields.items():
        value = (value or "").strip() if name != "interest" else value
        setattr(attendee, name, normalise_phone(value) if name == "phone" else value)
    errors = _attendee_errors(attendee.campaign, attendee)
    if attendee.interest == Interest.NONE and attendee.assigned_to_id:
        errors.setdefault("interest", []).append(ASSIGNED_LEAD_NEEDS_INTEREST)
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            attendee.save(update_fields=[*fields.keys()])
    except IntegrityError as error:
        raise ValidationError({"phone": [PHONE_TAKEN]}) from error
    return attendee


@dataclass(frozen=True)
class RowError:
    row: int  # the line in the file (the header is line 1)
    field: str
    message: str


class AttendeeImportError(ValidationError):
    """A CSV import refused as a whole: every bad row with what is wrong (nothing saved)."""

    def __init__(self, row_errors: list[RowError], message=None):
        self.row_errors = row_errors
        super().__init__(message or [f"{error.row}: {error.message}" for error in row_errors])


@transaction.atomic
def attendees_import(*, campaign: Campaign, by: User, upload) -> list[Attendee]:
    """Import attendees and leads from a CSV file, all or nothing: when any row is
    bad, nothing is saved and every bad row is reported (promotions.imports)."""
    _check_capture(campaign, by)
    try:
        rows = read_attendee_rows(upload)
    except CsvFormatError as error:
        raise AttendeeImportError([RowError(row=error.row, field="file", message=str(error))]) from error
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    taken = set(Attendee.objects.filter(campaign=campaign).values_list("phone", flat=True))
    attendees, row_errors = [], []
    now = timezone.now()
    for row in rows:
        attendee = Attendee(
            campaign=campaign, name=row.name, phone=normalise_phone(row.phone), company=row.company,
            email=row.email, interest=row.interest or Interest.WARM, note=row.note, recorded_by=by, recorded_at=now,
        )
        if not row.interest:
            row_errors.append(RowError(row=row.line, field="interest", message=str(INTEREST_UNKNOWN % {"value": row.interest_raw})))
        for name, messages in _attendee_errors(campaign, attendee, taken_phones=taken).items():
            row_errors.extend(RowError(row=row.line, field=name, message=str(message)) for message in messages)
        taken.add(attendee.phone)
        attendees.append(attendee)
    if row_errors:
        raise AttendeeImportError(row_errors)
    return Attendee.objects.bulk_create(attendees)
