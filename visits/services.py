"""Writes of the visits domain (docs/DEVELOPING.md): each service validates in
full before the first row is written, raises ValidationError for bad input and
StateConflict for a step the visit's (or request's) state does not allow."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, OuterRef, Subquery
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from accounts.models import Role, User
from common.exceptions import StateConflict
from common.validators import validate_photo
from dealers.models import Dealer, DealerStatus, ViolationType
from inventory.models import Product
from notifications.services import notification_deliver
from regions.selectors import managers_for_region

from . import calculations
from .models import (
    DealerRequest,
    MarketCheck,
    MarketObservation,
    ObservationKind,
    PhotoStage,
    PlanRule,
    RequestStatus,
    Visit,
    VisitComment,
    VisitPhoto,
    VisitPlan,
    VisitStatus,
)

# --- messages (tests assert them) ----------------------------------------------------------
NOT_A_REP = _("Choose an active sales rep.")
REP_NOT_OF_DEALER = _("A rep plans visits only to the dealers assigned to them.")
DEALER_NOT_VISITABLE = _("Only active or suspended dealers are visited.")
IN_THE_PAST = _("Choose a time from today on.")
REASON_REQUIRED = _("Give a reason.")
CANNOT_MOVE = _("Only a planned or missed visit can be moved.")
CANNOT_CANCEL = _("Only a planned or missed visit can be cancelled.")
CHECK_AFTER_START = _("The market check is recorded before the visit starts.")
CHECK_EMPTY = _("Record at least one observation, the outlets walked or a note — or say why no check was possible.")
CHECK_SKIPPED_WITH_FINDINGS = _("A skipped check has no observations.")
OBSERVATION_KIND_REQUIRED = _("Choose what was observed.")
PRICE_NEGATIVE = _("A price cannot be negative.")
PRODUCT_UNKNOWN = _("Unknown product.")
START_NEEDS_CHECK = _("Record the market check (or why none was possible) before starting the visit.")
START_NOT_PLANNED = _("Only a planned visit can be started.")
COMPLETE_NOT_STARTED = _("Start the visit before completing it.")
NOTES_NOT_OPEN = _("Notes are taken during or after the visit.")
NOT_A_VIOLATION_KIND = _("Only cross-territory goods and price dumping are recorded as violations.")
STAGE_UNKNOWN = _("Unknown photo stage.")
PHOTO_REQUIRED = _("Choose a photo.")
COMMENT_REQUIRED = _("Write a comment.")
RULE_DAYS_REQUIRED = _("Choose at least one day of the month (1–31).")
RULE_WEEKDAYS_REQUIRED = _("Choose at least one weekday.")
RULE_INTERVAL_REQUIRED = _("Give the number of days between visits (1–365).")
DESCRIPTION_REQUIRED = _("Describe the request or commitment.")
DUE_IN_PAST = _("The due date cannot be in the past.")
NO_MANAGER = _("No regional manager oversees this dealer's region.")
CANNOT_ESCALATE = _("Only an open request can be escalated.")
CANNOT_DECIDE = _("Only an escalated request is approved or declined.")
CANNOT_CLOSE = _("Only an open or approved request can be marked done.")
ANSWER_REQUIRED = _("Write the answer the dealer will see.")
VISIT_OF_ANOTHER_DEALER = _("This visit was to another dealer.")
OWNER_NOT_STAFF = _("The owner must be an active rep or manager.")

NOTE_FIELDS = ("policy_notes", "dealer_feedback", "display_notes", "terminal_notes", "after_sales_notes")
VIOLATION_KINDS = {ObservationKind.CROSS_TERRITORY: ViolationType.CROSS_TERRITORY,
                   ObservationKind.PRICE_DUMPING: ViolationType.PRICE_DUMPING}
VISITABLE_STATUSES = (DealerStatus.ACTIVE, DealerStatus.SUSPENDED)
# Missed-visit reminders go out for visits missed this recently (an old backlog is not news).
MISSED_REMINDER_DAYS = 3
# The day-before reminder goes out from this hour of the day before; the morning one from this hour.
DAY_BEFORE_FROM_HOUR = 17
MORNING_FROM_HOUR = 7


def _notify(recipient, *, key: str, kind: str, url: str, title, body="", **params) -> bool:
    """Deliver a notification in the recipient's language; True if it is new."""
    if recipient is None:
        return False
    with translation.override(recipient.language or settings.LANGUAGE_CODE):
        # Only our own (translated) texts take parameters; a user's text is sent as written.
        body = str(body) % params if params and isinstance(body, Promise) else str(body)
        return notification_deliver(
            recipient=recipient, key=key, kind=kind, url=url,
            title=str(title) % params if params else str(title), body=body,
        ) is not None


def _local_day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _lock(visit: Visit) -> Visit:
    return Visit.objects.select_for_update(of=("self",)).select_related("dealer").get(pk=visit.pk)


# --- plans -------------------------------------------------------------------------------
def _clean_plan(rule, month_days, weekdays, interval_days) -> tuple[list[int], list[int], int | None]:
    if rule not in PlanRule.values:
        raise ValidationError({"rule": _("Choose a rule.")})
    month_days = sorted({int(day) for day in month_days or []})
    weekdays = sorted({int(day) for day in weekdays or []})
    if rule == PlanRule.MONTHLY_DAYS:
        if not month_days or any(not 1 <= day <= 31 for day in month_days):
            raise ValidationError({"month_days": RULE_DAYS_REQUIRED})
        return month_days, [], None
    if rule == PlanRule.WEEKLY:
        if not weekdays or any(not 0 <= day <= 6 for day in weekdays):
            raise ValidationError({"weekdays": RULE_WEEKDAYS_REQUIRED})
        return [], weekdays, None
    if not interval_days or not 1 <= int(interval_days) <= 365:
        raise ValidationError({"interval_days": RULE_INTERVAL_REQUIRED})
    return [], [], int(interval_days)


@transaction.atomic
def visit_plan_save(
    *, dealer: Dealer, by: User, rule: str, month_days: Iterable[int] = (), weekdays: Iterable[int] = (),
    interval_days: int | None = None, starts_on: datetime.date | None = None,
    visit_time: datetime.time | None = None, is_active: bool = True, weeks: int = 4,
) -> VisitPlan:
    """Create or replace the dealer's visit plan; its cycle follows the rule. The
    plan's future generated visits that were not touched yet are regenerated."""
    month_days, weekdays, interval_days = _clean_plan(rule, month_days, weekdays, interval_days)
    plan = VisitPlan.objects.select_for_update().filter(dealer=dealer).first() or VisitPlan(dealer=dealer, created_by=by)
    plan.rule, plan.month_days, plan.weekdays, plan.interval_days = rule, month_days, weekdays, interval_days
    plan.starts_on = starts_on or plan.starts_on or timezone.localdate()
    plan.visit_time = visit_time or plan.visit_time or datetime.time(10, 0)
    plan.is_active = is_active
    plan.cycle_days = calculations.cycle_days_for(
        rule, month_days=month_days, weekdays=weekdays, interval_days=interval_days
    )
    plan.full_clean(exclude=["dealer"] if plan.pk is None else None)
    plan.save()
    # Untouched future visits of the old rule make way for the new rule's.
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    Visit.objects.filter(
        plan=plan, status=VisitStatus.PLANNED, scheduled_for__gte=_local_day_start(tomorrow),
        market_check__isnull=True,
    ).delete()
    if plan.is_active:
        visits_generate(today=timezone.localdate(), weeks=weeks, plan_ids=[plan.pk])
    return plan


def visits_generate(*, today: datetime.date | None = None, weeks: int = 4, plan_ids: Sequence[int] | None = None) -> int:
    """Create the visits of every active plan (of an active dealer with a rep) for
    the next `weeks` weeks. Idempotent: an occurrence already generated (even if
    moved or cancelled since) is never created again. Returns how many were created."""
    today = today or timezone.localdate()
    end = today + datetime.timedelta(days=7 * weeks - 1)
    plans = VisitPlan.objects.filter(
        is_active=True, dealer__status=DealerStatus.ACTIVE, dealer__rep__isnull=False, dealer__rep__is_active=True,
    ).select_related("dealer").only(
        "id", "rule", "month_days", "weekdays", "interval_days", "starts_on", "visit_time",
        "dealer__id", "dealer__rep_id",
    )
    if plan_ids is not None:
        plans = plans.filter(pk__in=plan_ids)
    now = timezone.now()
    new = []
    for plan in plans:
        for day in calculations.plan_occurrences(
            rule=plan.rule, start=today, end=end, starts_on=plan.starts_on, month_days=plan.month_days,
            weekdays=plan.weekdays, interval_days=plan.interval_days,
        ):
            new.append(Visit(
                dealer_id=plan.dealer.id, rep_id=plan.dealer.rep_id, plan_id=plan.id, plan_occurrence=day,
                scheduled_for=timezone.make_aware(datetime.datetime.combine(day, plan.visit_time)),
                created_at=now, updated_at=now,
            ))
    _follow_dealer_reps(today)
    if not new:
        return 0
    before = Visit.objects.filter(plan__in=plans.values("pk"), plan_occurrence__gte=today).count()
    Visit.objects.bulk_create(new, ignore_conflicts=True, batch_size=1000)
    after = Visit.objects.filter(plan__in=plans.values("pk"), plan_occurrence__gte=today).count()
    return after - before


def _follow_dealer_reps(today: datetime.date) -> int:
    """Coming planned visits of a plan go to the dealer's current rep (after a
    reassignment), in one UPDATE."""
    return Visit.objects.filter(
        plan__isnull=False, status=VisitStatus.PLANNED, scheduled_for__gte=_local_day_start(today),
        dealer__rep__isnull=False,
    ).exclude(rep_id=F("dealer__rep_id")).update(
        rep_id=Subquery(Dealer.objects.filter(pk=OuterRef("dealer_id")).values("rep_id")[:1])
    )


def visits_mark_missed(*, now: datetime.datetime | None = None) -> int:
    """A visit not completed by the end of its (local) day becomes missed. Idempotent."""
    now = now or timezone.now()
    today_start = _local_day_start(timezone.localtime(now).date())
    return Visit.objects.filter(
        status__in=[VisitStatus.PLANNED, VisitStatus.IN_PROGRESS], scheduled_for__lt=today_start
    ).update(status=VisitStatus.MISSED, missed_at=now, updated_at=now)


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


def _clean_observation(index: int, data: dict, products: dict[int, Product]) -> MarketObservation:
    errors = {}
    kind = data.get("kind") or ""
    if kind not in ObservationKind.values:
        errors["kind"] = OBSERVATION_KIND_REQUIRED
    product = data.get("product")
    if product is not None and not isinstance(product, Product):
        product = products.get(int(product))
        if product is None:
            errors["product"] = PRODUCT_UNKNOWN
    price = data.get("retail_price")
    if price not in (None, ""):
        try:
            price = Decimal(str(price))
        except ArithmeticError:
            errors["retail_price"] = _("Enter a number.")
        else:
            if price < 0:
                errors["retail_price"] = PRICE_NEGATIVE
    else:
        price = None
    if errors:
        raise ValidationError({f"observations[{index}].{field}": message for field, message in errors.items()})
    observation = MarketObservation(
        kind=kind, outlet=(data.get("outlet") or "").strip(), product=product,
        competitor_brand=(data.get("competitor_brand") or "").strip(), retail_price=price,
        guideline_price=product.guideline_price if product else None, in_stock=data.get("in_stock"),
        display=(data.get("display") or "").strip(), competitor_promotion=(data.get("competitor_promotion") or "").strip(),
        notes=(data.get("notes") or "").strip(),
    )
    return observation


@transaction.atomic
def market_check_save(
    *, visit: Visit, by: User, observations: Sequence[dict] = (), outlets_walked: int = 0, notes: str = "",
    skipped_reason: str = "", photos: Sequence = (),
) -> MarketCheck:
    """Record (or re-record) the pre-visit market check, all or nothing: its
    observations replace the previous ones. Or record why no check was possible."""
    visit = _lock(visit)
    if visit.status != VisitStatus.PLANNED:
        raise StateConflict(CHECK_AFTER_START)
    skipped_reason = (skipped_reason or "").strip()
    notes = (notes or "").strip()
    outlets_walked = int(outlets_walked or 0)
    if outlets_walked < 0:
        raise ValidationError({"outlets_walked": _("Cannot be negative.")})
    if skipped_reason and observations:
        raise ValidationError({"skipped_reason": CHECK_SKIPPED_WITH_FINDINGS})
    if not skipped_reason and not (observations or outlets_walked or notes):
        raise ValidationError({"observations": CHECK_EMPTY})
    product_ids = {int(row["product"]) for row in observations
                   if row.get("product") not in (None, "") and not isinstance(row.get("product"), Product)}
    products = Product.objects.in_bulk(product_ids) if product_ids else {}
    cleaned = []
    for index, row in enumerate(observations):
        row = {**row, "product": row.get("product") if row.get("product") not in ("",) else None}
        cleaned.append(_clean_observation(index, row, products))
    for photo in photos:
        try:
            validate_photo(photo)
        except ValidationError as error:
            raise ValidationError({"photos": error.messages}) from error
    check = MarketCheck.objects.filter(visit=visit).first()
    if check is None:
        check = MarketCheck(visit=visit, checked_at=timezone.now())
    check.outlets_walked, check.notes, check.skipped_reason, check.recorded_by = (
        outlets_walked, notes, skipped_reason, by
    )
    check.full_clean(exclude=["visit"])
    check.save()
    check.observations.all().delete()
    for observation in cleaned:
        observation.market_check = check
        observation.full_clean()
    MarketObservation.objects.bulk_create(cleaned)
    for photo in photos:
        VisitPhoto.objects.create(visit=visit, stage=PhotoStage.MARKET_CHECK, image=photo, uploaded_by=by)
    return check


@transaction.atomic
def visit_start(
    *, visit: Visit, by: User, latitude=None, longitude=None, accuracy=None,
) -> Visit:
    """Start a planned visit: refused until its market check is recorded or skipped.
    Records the time and, when the browser gave it, the location."""
    visit = _lock(visit)
    if visit.status != VisitStatus.PLANNED:
        raise StateConflict(START_NOT_PLANNED)
    if not MarketCheck.objects.filter(visit=visit).exists():
        raise StateConflict(START_NEEDS_CHECK)
    visit.status, visit.started_at = VisitStatus.IN_PROGRESS, timezone.now()
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
    visit.save(update_fields=[
        "status", "started_at", "start_latitude", "start_longitude", "start_accuracy_m", "updated_at",
    ])
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
def visit_complete(*, visit: Visit, by: User) -> Visit:
    """Complete a started visit (a stock count is not required)."""
    visit = _lock(visit)
    if visit.status != VisitStatus.IN_PROGRESS:
        raise StateConflict(COMPLETE_NOT_STARTED)
    visit.status, visit.completed_at = VisitStatus.COMPLETED, timezone.now()
    visit.save(update_fields=["status", "completed_at", "updated_at"])
    return visit


@transaction.atomic
def visit_photo_add(*, visit: Visit, by: User, stage: str, image, caption: str = "") -> VisitPhoto:
    if stage not in PhotoStage.values:
        raise ValidationError({"stage": STAGE_UNKNOWN})
    if not image:
        raise ValidationError({"image": PHOTO_REQUIRED})
    try:
        validate_photo(image)
    except ValidationError as error:
        raise ValidationError({"image": error.messages}) from error
    return VisitPhoto.objects.create(visit=visit, stage=stage, image=image, caption=(caption or "")[:200], uploaded_by=by)


@transaction.atomic
def observation_violation_record(*, observation: MarketObservation, by: User):
    """Turn a 窜货 / 砸价 finding into a dealer violation in one step. A second call
    returns the violation already recorded."""
    from dealers.services import violation_create

    observation = MarketObservation.objects.select_for_update(of=("self",)).select_related(
        "market_check__visit__dealer", "product"
    ).get(pk=observation.pk)
    if observation.violation_id:
        return observation.violation
    if observation.kind not in VIOLATION_KINDS:
        raise ValidationError({"kind": NOT_A_VIOLATION_KIND})
    check = observation.market_check
    parts = [observation.get_kind_display()]
    if observation.product:
        parts.append(str(observation.product))
    if observation.retail_price is not None:
        parts.append(str(_("retail price seen %(price)s (guideline %(guideline)s)") % {
            "price": observation.retail_price, "guideline": observation.guideline_price or "—"}))
    if observation.competitor_brand:
        parts.append(observation.competitor_brand)
    if observation.notes:
        parts.append(observation.notes)
    violation = violation_create(
        dealer=check.visit.dealer, reported_by=by, type=VIOLATION_KINDS[observation.kind],
        evidence=" · ".join(str(part) for part in parts),
        found_where=observation.outlet or str(_("Market check before a visit")),
        found_at=min(check.checked_at, timezone.now()),
    )
    observation.violation = violation
    observation.save(update_fields=["violation"])
    return violation


@transaction.atomic
def visit_comment_add(*, visit: Visit, author: User, body: str) -> VisitComment:
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": COMMENT_REQUIRED})
    comment = VisitComment.objects.create(visit=visit, author=author, body=body)
    if author.pk != visit.rep_id:
        _notify(visit.rep, key=f"visit-comment:{comment.pk}", kind="visit", url=reverse("visits:detail", args=[visit.pk]),
                title=_("%(author)s commented on your visit to %(dealer)s"), body=body,
                author=author.get_full_name() or author.username, dealer=visit.dealer.name)
    return comment


# --- requests and commitments (事事有回音) ---------------------------------------------------
def _request_url(request: DealerRequest) -> str:
    return reverse("visits:request", args=[request.pk])


def _tell_dealer(request: DealerRequest, *, key: str) -> None:
    url = reverse("portal:home")
    for user in User.objects.filter(role=Role.DEALER, dealer_id=request.dealer_id, is_active=True):
        _notify(user, key=f"request:{request.pk}:{key}", kind="request", url=url,
                title=_("Answer to your request: %(status)s"), body=request.answer,
                status=request.get_status_display())


@transaction.atomic
def dealer_request_create(
    *, dealer: Dealer, by: User, description: str, due_on: datetime.date, owner: User | None = None,
    visit: Visit | None = None, beyond_authority: bool = False,
) -> DealerRequest:
    """Record a dealer's request or a commitment, with an owner (default: the rep
    who records it, else the dealer's rep) and a due date. Beyond the rep's
    authority it goes straight to the manager."""
    errors = {}
    if not (description or "").strip():
        errors["description"] = DESCRIPTION_REQUIRED
    if due_on is None or due_on < timezone.localdate():
        errors["due_on"] = DUE_IN_PAST
    if visit is not None and visit.dealer_id != dealer.pk:
        errors["visit"] = VISIT_OF_ANOTHER_DEALER
    owner = owner or (by if by.effective_role == Role.REP else dealer.rep) or by
    if owner.role not in (Role.REP, Role.MANAGER, Role.ADMIN) or not owner.is_active:
        errors["owner"] = OWNER_NOT_STAFF
    if errors:
        raise ValidationError(errors)
    request = DealerRequest(
        dealer=dealer, visit=visit, description=description.strip(), owner=owner, due_on=due_on, created_by=by,
        beyond_authority=beyond_authority,
    )
    request.full_clean()
    request.save()
    if beyond_authority:
        request = dealer_request_escalate(request=request, by=by)
    return request


@transaction.atomic
def dealer_request_escalate(*, request: DealerRequest, by: User) -> DealerRequest:
    """Beyond the rep's authority: to the first manager overseeing the dealer's region."""
    request = DealerRequest.objects.select_for_update(of=("self",)).select_related("dealer__region").get(pk=request.pk)
    if request.status != RequestStatus.OPEN:
        raise StateConflict(CANNOT_ESCALATE)
    manager = managers_for_region(request.dealer.region).first() if request.dealer.region_id else None
    if manager is None:
        raise ValidationError({"beyond_authority": NO_MANAGER})
    request.status, request.beyond_authority = RequestStatus.ESCALATED, True
    request.escalated_to, request.escalated_at = manager, timezone.now()
    request.save(update_fields=["status", "beyond_authority", "escalated_to", "escalated_at"])
    _notify(manager, key=f"request:{request.pk}:escalated", kind="request", url=_request_url(request),
            title=_("Request to decide: %(dealer)s"), body=request.description, dealer=request.dealer.name)
    return request


@transaction.atomic
def dealer_request_decide(*, request: DealerRequest, by: User, approve: bool, answer: str) -> DealerRequest:
    """The manager approves or declines an escalated request; a decline needs a
    reason. The dealer and the owner are told."""
    answer = (answer or "").strip()
    if not approve and not answer:
        raise ValidationError({"answer": REASON_REQUIRED})
    request = DealerRequest.objects.select_for_update(of=("self",)).select_related("dealer").get(pk=request.pk)
    if request.status != RequestStatus.ESCALATED:
        raise StateConflict(CANNOT_DECIDE)
    request.status = RequestStatus.APPROVED if approve else RequestStatus.DECLINED
    request.answer = answer or str(_("Approved."))
    request.decided_by, request.decided_at = by, timezone.now()
    if not approve:
        request.closed_at = request.decided_at
    request.save(update_fields=["status", "answer", "decided_by", "decided_at", "closed_at"])
    _tell_dealer(request, key=request.status)
    if request.owner_id != by.pk:
        _notify(request.owner, key=f"request:{request.pk}:{request.status}", kind="request", url=_request_url(request),
                title=_("Request %(status)s: %(dealer)s"), body=request.answer,
                status=request.get_status_display(), dealer=request.dealer.name)
    return request


@transaction.atomic
def dealer_request_done(*, request: DealerRequest, by: User, answer: str) -> DealerRequest:
    """The owner closes the loop: done, with the answer the dealer sees."""
    answer = (answer or "").strip()
    if not answer:
        raise ValidationError({"answer": ANSWER_REQUIRED})
    request = DealerRequest.objects.select_for_update(of=("self",)).select_related("dealer").get(pk=request.pk)
    if request.status not in (RequestStatus.OPEN, RequestStatus.APPROVED):
        raise StateConflict(CANNOT_CLOSE)
    request.status, request.answer, request.closed_at = RequestStatus.DONE, answer, timezone.now()
    request.save(update_fields=["status", "answer", "closed_at"])
    _tell_dealer(request, key="done")
    return request


# --- reminders ---------------------------------------------------------------------------
def reminders_send(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """Every reminder due now, derived from the database; each (recipient, key) is
    delivered once ever, so a doubled or late beat sends nothing twice."""
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    tomorrow = today + datetime.timedelta(days=1)
    sent = {"day_before": 0, "morning": 0, "missed": 0, "due_tomorrow": 0, "overdue": 0}
    upcoming = Visit.objects.filter(
        status=VisitStatus.PLANNED, scheduled_for__gte=_local_day_start(today),
        scheduled_for__lt=_local_day_start(tomorrow + datetime.timedelta(days=1)),
    ).select_related("dealer", "rep")
    hour = timezone.localtime(now).hour
    for visit in upcoming:
        day = timezone.localtime(visit.scheduled_for).date()
        url = reverse("visits:detail", args=[visit.pk])
        params = {"dealer": visit.dealer.name, "time": f"{timezone.localtime(visit.scheduled_for):%H:%M}"}
        if day == tomorrow:
            if hour < DAY_BEFORE_FROM_HOUR:
                continue
            sent["day_before"] += _notify(
                visit.rep, key=f"visit:{visit.pk}:day-before", kind="visit", url=url,
                title=_("Tomorrow %(time)s: visit to %(dealer)s"),
                body=_("Walk the market before you meet the dealer."), **params)
        elif hour >= MORNING_FROM_HOUR:
            sent["morning"] += _notify(
                visit.rep, key=f"visit:{visit.pk}:morning", kind="visit", url=url,
                title=_("Today %(time)s: visit to %(dealer)s"),
                body=_("Walk the market before you meet the dealer."), **params)
    managers_cache: dict[int, list[User]] = {}

    def managers(region_id, region) -> list[User]:
        if region_id not in managers_cache:
            managers_cache[region_id] = list(managers_for_region(region)) if region_id else []
        return managers_cache[region_id]

    missed = Visit.objects.filter(
        status=VisitStatus.MISSED, missed_at__gte=now - datetime.timedelta(days=MISSED_REMINDER_DAYS),
    ).select_related("dealer__region", "rep")
    for visit in missed:
        for manager in managers(visit.dealer.region_id, visit.dealer.region):
            sent["missed"] += _notify(
                manager, key=f"visit:{visit.pk}:missed", kind="visit", url=reverse("visits:detail", args=[visit.pk]),
                title=_("Missed visit: %(rep)s to %(dealer)s on %(day)s"), body="",
                rep=visit.rep.get_full_name() or visit.rep.username, dealer=visit.dealer.name,
                day=f"{timezone.localtime(visit.scheduled_for):%Y-%m-%d}")
    requests = DealerRequest.objects.unresolved().filter(due_on__lte=tomorrow).select_related(
        "dealer__region", "owner", "escalated_to"
    )
    for request in requests:
        url, params = _request_url(request), {"dealer": request.dealer.name, "due": f"{request.due_on:%Y-%m-%d}"}
        if request.due_on == tomorrow:
            sent["due_tomorrow"] += _notify(
                request.owner, key=f"request:{request.pk}:due-tomorrow", kind="request", url=url,
                title=_("Due tomorrow: request of %(dealer)s"), body=request.description, **params)
        elif request.due_on < today:
            recipients = {request.owner.pk: request.owner}
            for manager in managers(request.dealer.region_id, request.dealer.region):
                recipients.setdefault(manager.pk, manager)
            for recipient in recipients.values():
                sent["overdue"] += _notify(
                    recipient, key=f"request:{request.pk}:overdue", kind="request", url=url,
                    title=_("Overdue since %(due)s: request of %(dealer)s"), body=request.description, **params)
    return sent


def require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied(_("Your role may not do this."))

