"""One visit's life: planned ad hoc, moved, cancelled, started, its notes, completed, its photos and comments."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Role, User
from common.exceptions import StateConflict
from common.validators import validate_photo
from dealers.models import Dealer, DealerStatus
from notifications.services import notification_deliver_in_language
from visits import permissions
from visits.models import MarketCheck, PhotoStage, Visit, VisitComment, VisitPhoto, VisitStatus
from visits.services.messages import (
    CANNOT_CANCEL,
    CANNOT_MOVE,
    COMMENT_REQUIRED,
    COMPLETE_NOT_STARTED,
    DEALER_NOT_VISITABLE,
    IN_THE_PAST,
    NOT_A_REP,
    NOTES_NOT_OPEN,
    PHOTO_REQUIRED,
    REASON_REQUIRED,
    RECORDED_BEFORE_CHECK,
    RECORDED_BEFORE_START,
    REP_NOT_OF_DEALER,
    STAGE_UNKNOWN,
    START_NEEDS_CHECK,
    START_NOT_PLANNED,
)
from visits.services.shared import (
    _lock,
    _mark_offline,
    _recorded_on_its_day,
    _refuse_if_cancelled,
    _refuse_if_moved,
    recorded_time,
)

NOTE_FIELDS = ("policy_notes", "dealer_feedback", "display_notes", "terminal_notes", "after_sales_notes")
VISITABLE_STATUSES = (DealerStatus.ACTIVE, DealerStatus.SUSPENDED)


# --- visits ------------------------------------------------------------------------------
def _check_rep(rep: User | None, dealer: Dealer, by: User) -> User:
    if rep is None or rep.role != Role.REP or not rep.is_active:
        raise ValidationError({"rep": NOT_A_REP})
    if by.effective_role == Role.REP and (rep.pk != by.pk or dealer.rep_id != by.pk):
        raise ValidationError({"dealer": REP_NOT_OF_DEALER})
    return rep


def _check_future(scheduled_for: datetime.datetime) -> None:
    if scheduled_for is None:
        raise ValidationError({"scheduled_for": _("Choose a date and time.")})
    if timezone.localtime(scheduled_for).date() < timezone.localdate():
        raise ValidationError({"scheduled_for": IN_THE_PAST})


@transaction.atomic
def visit_create(*, dealer: Dealer, by: User, scheduled_for: datetime.datetime, rep: User | None = None) -> Visit:
    """An ad hoc visit: a rep to their own dealer, a manager for any rep."""
    if by.effective_role == Role.REP:
        rep = by
    rep = rep or dealer.rep
    if dealer.status not in VISITABLE_STATUSES:
        raise ValidationError({"dealer": DEALER_NOT_VISITABLE})
    _check_rep(rep, dealer, by)
    _check_future(scheduled_for)
    visit = Visit(dealer=dealer, rep=rep, scheduled_for=scheduled_for, created_by=by)
    visit.full_clean()
    visit.save()
    return visit


@transaction.atomic
def visit_reschedule(*, visit: Visit, by: User, scheduled_for: datetime.datetime) -> Visit:
    """Move a planned (or missed) visit; a missed visit moved is planned again."""
    _check_future(scheduled_for)
    visit = _lock(visit)
    if visit.status not in (VisitStatus.PLANNED, VisitStatus.MISSED):
        raise StateConflict(CANNOT_MOVE)
    visit.scheduled_for = scheduled_for
    visit.status, visit.missed_at = VisitStatus.PLANNED, None
    visit.save(update_fields=["scheduled_for", "status", "missed_at", "updated_at"])
    return visit


@transaction.atomic
def visit_cancel(*, visit: Visit, by: User, reason: str) -> Visit:
    if not (reason or "").strip():
        raise ValidationError({"cancel_reason": REASON_REQUIRED})
    visit = _lock(visit)
    if visit.status not in (VisitStatus.PLANNED, VisitStatus.MISSED):
        raise StateConflict(CANNOT_CANCEL)
    visit.status, visit.cancel_reason, visit.cancelled_at = VisitStatus.CANCELLED, reason.strip(), timezone.now()
    visit.save(update_fields=["status", "cancel_reason", "cancelled_at", "updated_at"])
    return visit


@transaction.atomic
def visit_start(
    *, visit: Visit, by: User, latitude=None, longitude=None, accuracy=None,
    recorded_at: datetime.datetime | None = None, scheduled_for_seen: datetime.datetime | None = None,
) -> Visit:
    """Start a planned visit: refused until its market check is recorded or skipped.
    Records the time and, when the browser gave it, the location. `recorded_at`:
    when the rep's phone recorded the start offline (a visit marked missed
    meanwhile is started if that was on its day)."""
    recorded_at = recorded_time(recorded_at)
    visit = _lock(visit)
    _refuse_if_cancelled(visit)
    _refuse_if_moved(visit, scheduled_for_seen)
    if visit.status != VisitStatus.PLANNED and not _recorded_on_its_day(visit, recorded_at):
        raise StateConflict(START_NOT_PLANNED)
    check_time = MarketCheck.objects.filter(visit=visit).values_list("checked_at", flat=True).first()
    if check_time is None:
        raise StateConflict(START_NEEDS_CHECK)
    if recorded_at is not None and recorded_at < check_time:
        raise ValidationError({"recorded_at": RECORDED_BEFORE_CHECK})
    fields = ["status", "started_at", "missed_at", "start_latitude", "start_longitude", "start_accuracy_m",
              "updated_at"]
    _mark_offline(visit, recorded_at, fields)
    visit.status, visit.started_at, visit.missed_at = VisitStatus.IN_PROGRESS, recorded_at or timezone.now(), None
    if latitude not in (None, "") and longitude not in (None, ""):
        try:
            lat, lon = Decimal(str(latitude)).quantize(Decimal("0.000001")), Decimal(str(longitude)).quantize(Decimal("0.000001"))
        except ArithmeticError as error:
            raise ValidationError({"latitude": _("Not a valid location.")}) from error
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise ValidationError({"latitude": _("Not a valid location.")})
        visit.start_latitude, visit.start_longitude = lat, lon
        if accuracy not in (None, ""):
            visit.start_accuracy_m = max(0, round(float(accuracy)))
    visit.save(update_fields=fields)
    return visit


@transaction.atomic
def visit_notes_update(*, visit: Visit, by: User, **fields) -> Visit:
    """The notes of steps 2, 5, 6 and 7 (policies and feedback, display, terminal market, after-sales)."""
    unknown = set(fields) - set(NOTE_FIELDS)
    if unknown:
        raise ValidationError({name: _("Not a note of the visit.") for name in unknown})
    visit = _lock(visit)
    if visit.status not in (VisitStatus.IN_PROGRESS, VisitStatus.COMPLETED):
        raise StateConflict(NOTES_NOT_OPEN)
    for name, value in fields.items():
        setattr(visit, name, (value or "").strip())
    visit.save(update_fields=[*fields, "updated_at"])
    return visit


@transaction.atomic
def visit_update(
    *, visit: Visit, by: User, cancel: bool = False, cancel_reason: str = "",
    scheduled_for: datetime.datetime | None = None, notes: dict[str, str] | None = None,
) -> Visit:
    """One change of a visit (the API's PATCH), all or nothing: cancel it (with a
    reason) or move it, and/or take its notes. Each part is checked against the
    caller's role (PermissionDenied) and the visit's state (StateConflict); a
    refusal of any part leaves the visit as it was."""
    if cancel:
        if not permissions.can_manage_visit(by, visit):
            raise PermissionDenied()
        visit = visit_cancel(visit=visit, by=by, reason=cancel_reason)
    elif scheduled_for is not None:
        if not permissions.can_manage_visit(by, visit):
            raise PermissionDenied()
        visit = visit_reschedule(visit=visit, by=by, scheduled_for=scheduled_for)
    if notes:
        if not permissions.can_work_visit(by, visit):
            raise PermissionDenied()
        visit = visit_notes_update(visit=visit, by=by, **notes)
    return visit


@transaction.atomic
def visit_complete(*, visit: Visit, by: User, recorded_at: datetime.datetime | None = None) -> Visit:
    """Complete a started visit (a stock count is not required). `recorded_at`:
    when the rep's phone recorded it offline (a started visit marked missed
    meanwhile is completed then)."""
    recorded_at = recorded_time(recorded_at)
    visit = _lock(visit)
    _refuse_if_cancelled(visit)
    started_then_missed = visit.status == VisitStatus.MISSED and visit.started_at is not None and recorded_at
    if visit.status != VisitStatus.IN_PROGRESS and not started_then_missed:
        raise StateConflict(COMPLETE_NOT_STARTED)
    if recorded_at is not None and recorded_at < visit.started_at:
        raise ValidationError({"recorded_at": RECORDED_BEFORE_START})
    fields = ["status", "completed_at", "missed_at", "updated_at"]
    _mark_offline(visit, recorded_at, fields)
    visit.status, visit.completed_at, visit.missed_at = VisitStatus.COMPLETED, recorded_at or timezone.now(), None
    visit.save(update_fields=fields)
    return visit


@transaction.atomic
def visit_photo_add(*, visit: Visit, by: User, stage: str, image, caption: str = "",
                    taken_at: datetime.datetime | None = None) -> VisitPhoto:
    """Add a photo (images only, size-limited); `taken_at` when the phone took it offline."""
    taken_at = recorded_time(taken_at, field="taken_at")
    if stage not in PhotoStage.values:
        raise ValidationError({"stage": STAGE_UNKNOWN})
    if not image:
        raise ValidationError({"image": PHOTO_REQUIRED})
    try:
        validate_photo(image)
    except ValidationError as error:
        raise ValidationError({"image": error.messages}) from error
    return VisitPhoto.objects.create(visit=visit, stage=stage, image=image, caption=(caption or "")[:200], uploaded_by=by,
                                     taken_at=taken_at or timezone.now())


@transaction.atomic
def visit_comment_add(*, visit: Visit, author: User, body: str) -> VisitComment:
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": COMMENT_REQUIRED})
    comment = VisitComment.objects.create(visit=visit, author=author, body=body)
    if author.pk != visit.rep_id:
        notification_deliver_in_language(recipient=visit.rep, key=f"visit-comment:{comment.pk}", kind="visit", url=reverse("visits:detail", args=[visit.pk]),
                                         title=_("%(author)s commented on your visit to %(dealer)s"), body=body,
                                         author=author.get_full_name() or author.username, dealer=visit.dealer.name)
    return comment
