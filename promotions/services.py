"""Writes of promotions: campaigns and their status, preparation tasks, attendees
and leads, assignment, follow-ups, the review, and the post-event follow-up
clock that Celery beat runs (SPEC §4, seed 001).

Services raise ValidationError for bad input (nothing is saved), StateConflict
for a step the campaign's status does not allow (API 409) and PermissionDenied
when the user may see the campaign but not do this (API 403).
"""

from __future__ import annotations

import datetime
import logging
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext_lazy as _

from accounts.models import Role, User
from common.exceptions import StateConflict
from dealers.models import Dealer
from dealers.selectors import dealer_queryset_for
from inventory.models import Product
from notifications.services import notification_deliver
from promotions import calculations, permissions
from promotions.calculations import ClockStep
from promotions.models import (
    AFTER_EVENT_STATUSES,
    CAPTURE_STATUSES,
    LIVE_STATUSES,
    MEASURED_OBJECTIVES,
    WHOLE_NUMBER_OBJECTIVES,
    Attendee,
    Campaign,
    CampaignProduct,
    CampaignReview,
    CampaignStatus,
    CampaignTransition,
    CampaignType,
    FollowUpChannel,
    Interest,
    LeadFollowUp,
    ObjectiveKind,
    PreparationTask,
    ThankYou,
    ThankYouStatus,
)
from promotions.selectors import assignable_reps, campaign_regions_touched, objective_result
from promotions.workflow import CampaignAction, next_status
from regions.models import Region
from regions.selectors import managers_for_region, regions_managed_by

logger = logging.getLogger(__name__)

# --- Messages (asserted in tests) ---------------------------------------------------------
NO_OBJECTIVE = _("A campaign needs exactly one objective with a target number.")
TARGET_NOT_POSITIVE = _("The target must be a number greater than zero.")
TARGET_NOT_WHOLE = _("This objective is counted in whole numbers.")
END_BEFORE_START = _("The end date cannot be before the start date.")
NO_PARTICIPANTS = _("Choose at least one region or dealer taking part.")
COST_SPLIT_MISMATCH = _(
    "The manufacturer's and the dealers' shares must add up to the budget (%(budget)s); they add up to %(total)s."
)
KA_SLOT_NEEDS_PRODUCTS = _("A KA slot needs at least one product with its promotion supply price and expected volume.")
KA_SLOT_LINE_INCOMPLETE = _("For a KA slot, give %(product)s its promotion supply price and expected volume.")
SELL_IN_NEEDS_PRODUCTS = _("A sell-in objective counts the campaign's products: choose at least one product.")
DUPLICATE_PRODUCT = _("%(product)s is listed twice.")
PRICE_NOT_POSITIVE = _("A promotion supply price must be greater than zero.")
VOLUME_NOT_POSITIVE = _("An expected volume must be a whole number of cases greater than zero.")
REP_NO_REGIONS = _("A sales rep drafts campaigns for their own dealers; leave the regions to a manager.")
REGION_OUTSIDE_TERRITORY = _("Choose only regions within your territory.")
DEALER_OUTSIDE_SCOPE = _("Choose only dealers you look after.")
OWNER_NOT_ALLOWED = _("The owner must be an active HQ admin, manager or sales rep; a sales rep owns their own drafts.")
NOT_EDITABLE = _("This campaign can no longer be changed: it is %(status)s.")
MAY_NOT_CREATE = _("Your role may not create campaigns.")
MAY_NOT = _("Your role may not do this on this campaign.")
TRANSITION_NOT_ALLOWED = _("This step is not possible while the campaign is %(status)s.")
STARTS_LATER = _("The campaign starts on %(date)s; it cannot start earlier.")
REVIEW_REQUIRED = _(
    "Write the review first: a campaign is closed only with its review "
    "(objective against actual, what worked, what did not, lessons)."
)
ENDED_EARLY_NOTE = _("Ended early: the end date moved from %(planned)s to %(today)s.")
TASK_TITLE_REQUIRED = _("Give the task a title.")
TASK_OWNER_NOT_STAFF = _("A task's owner must be an active HQ admin, manager or sales rep.")
TASKS_CLOSED = _("The checklist of a reviewed campaign is closed.")
ATTENDEES_CLOSED = _("Attendees and leads are recorded once the campaign is approved, until it is reviewed.")
NAME_REQUIRED = _("Enter the person's name.")
PHONE_REQUIRED = _("Enter the person's phone number.")
PHONE_TAKEN = _("Someone with this phone number is already recorded for this campaign.")
INTEREST_INVALID = _("Choose an interest level: hot, warm, cold or none.")
ASSIGNED_LEAD_NEEDS_INTEREST = _("This lead is assigned to a rep: take it back before marking it an attendee only.")
ASSIGN_NOTHING = _("Choose at least one lead and a rep.")
ASSIGN_NOT_A_LEAD = _("%(name)s is an attendee without interest: only leads are assigned.")
ASSIGN_UNKNOWN_LEAD = _("Lead %(id)s is not a lead of this campaign.")
ASSIGN_REP_NOT_ALLOWED = _("You cannot give leads to this person.")
ASSIGN_CLOSED = _("Leads are assigned once the campaign is approved.")
FOLLOW_UP_NOT_YOURS = _("Only the rep this lead is assigned to logs its follow-ups.")
FOLLOW_UP_IN_FUTURE = _("A follow-up cannot be dated in the future.")
FOLLOW_UP_NOTE_REQUIRED = _("Write down what was said.")
NEXT_STEP_IN_PAST = _("The next step cannot be in the past.")
REVIEW_ONLY_WHEN_ENDED = _("The review is written once the event has ended (the campaign is %(status)s).")
REVIEW_PART_REQUIRED = _("This part of the review is required.")
REVIEW_ACTUAL_REQUIRED = _("Enter the actual number reached.")
REVIEW_ACTUAL_NEGATIVE = _("The actual number cannot be negative.")

# --- Notification texts ---------------------------------------------------------------------
AWAITING_APPROVAL_TITLE = _("Campaign to approve: %(campaign)s")
AWAITING_APPROVAL_BODY = _("%(author)s drafted %(campaign)s (%(dates)s). Please review and approve it.")
APPROVED_TITLE = _("Campaign approved: %(campaign)s")
APPROVED_BODY = _("%(approver)s approved %(campaign)s (%(dates)s).")
LEADS_ASSIGNED_TITLE = _("%(count)s new leads from %(campaign)s")
LEADS_ASSIGNED_BODY = _("Log a follow-up on each by %(date)s.")
THANK_YOU_DONE_TITLE = _("Thank-you sent after %(campaign)s")
THANK_YOU_DONE_BODY = _("%(count)s attendees thanked, %(emailed)s of them by email.")
UNASSIGNED_TITLE = _("Leads waiting for a rep: %(campaign)s")
UNASSIGNED_BODY = _("%(count)s leads are not assigned yet; they should have been by %(date)s.")
FOLLOW_UP_REMINDER_TITLE = _("Follow up your leads from %(campaign)s")
FOLLOW_UP_REMINDER_BODY = _("%(count)s of your leads have no follow-up logged yet; they are due by %(date)s.")
FOLLOW_UP_ESCALATION_TITLE = _("Leads not followed up: %(campaign)s")
FOLLOW_UP_ESCALATION_BODY = _("Past the 7-day deadline (%(date)s): %(summary)s.")
FOLLOW_UP_ESCALATION_REP = _("%(rep)s: %(count)s without a follow-up")
FOLLOW_UP_ESCALATION_UNASSIGNED = _("%(count)s never assigned")
REVIEW_REMINDER_TITLE = _("Review due: %(campaign)s")
REVIEW_REMINDER_BODY = _("Write the campaign review (objective against actual, what worked, what did not, lessons) by %(date)s.")
REVIEW_ESCALATION_TITLE = _("Review overdue: %(campaign)s")
REVIEW_ESCALATION_BODY = _("The review was due on %(date)s and is not written yet (owner: %(owner)s).")
TASK_DUE_TITLE = _("Task due: %(task)s")
TASK_DUE_BODY = _("%(campaign)s: “%(task)s” is due on %(date)s.")
THANK_YOU_SUBJECT = _("Thank you for coming to %(campaign)s")
THANK_YOU_MESSAGE = _(
    "Dear %(name)s,\n\n"
    "Thank you for joining us at %(campaign)s (%(dates)s). It was good to meet you, "
    "and we will be in touch in the next few days.\n\n"
    "%(owner)s"
)


def _date(value: datetime.date) -> str:
    return formats.date_format(value, "Y-m-d")


def _dates(campaign: Campaign) -> str:
    if campaign.start_date == campaign.end_date:
        return _date(campaign.start_date)
    return f"{_date(campaign.start_date)} – {_date(campaign.end_date)}"


def _campaign_url(campaign: Campaign, name: str = "promotions:detail") -> str:
    return reverse(name, args=[campaign.pk])


def _notify(user, *, key: str, title, body, params: dict, url: str, kind: str) -> bool:
    """Deliver one notification in the recipient's language; False when it had been delivered before."""
    with translation.override(user.language or settings.LANGUAGE_CODE):
        text = {name: str(value) for name, value in params.items()}
        return notification_deliver(
            recipient=user, key=key, title=str(title) % text, body=str(body) % text, url=url, kind=kind,
        ) is not None


def _admins() -> list[User]:
    return list(User.objects.filter(Q(role=Role.ADMIN) | Q(is_superuser=True), is_active=True).order_by("username"))


def managers_overseeing(campaign: Campaign) -> list[User]:
    """The managers overseeing the campaign's regions and its dealers' regions
    (regions.selectors.managers_for_region); HQ admins when nobody does."""
    managers: dict[int, User] = {}
    for region in campaign_regions_touched(campaign=campaign):
        for manager in managers_for_region(region):
            managers.setdefault(manager.pk, manager)
    return list(managers.values()) or _admins()


# --- Campaigns --------------------------------------------------------------------------------
@dataclass(frozen=True)
class ProductLineInput:
    product: Product
    promotion_price: Decimal | None = None
    expected_volume: int | None = None


def _as_line(value) -> ProductLineInput:
    if isinstance(value, ProductLineInput):
        return value
    if isinstance(value, Product):
        return ProductLineInput(product=value)
    return ProductLineInput(
        product=value["product"], promotion_price=value.get("promotion_price"),
        expected_volume=value.get("expected_volume"),
    )


def _validate_objective(campaign: Campaign, errors: dict) -> None:
    if not campaign.objective_kind:
        errors["objective_kind"] = [NO_OBJECTIVE]
    if campaign.objective_target is None:
        errors.setdefault("objective_target", [NO_OBJECTIVE])
        return
    try:
        target = Decimal(campaign.objective_target)
    except (InvalidOperation, TypeError, ValueError):
        errors["objective_target"] = [TARGET_NOT_POSITIVE]
        return
    if target <= 0:
        errors["objective_target"] = [TARGET_NOT_POSITIVE]
    elif campaign.objective_kind in WHOLE_NUMBER_OBJECTIVES and target != target.to_integral_value():
        errors["objective_target"] = [TARGET_NOT_WHOLE]


def _validate_lines(campaign: Campaign, lines: Sequence[ProductLineInput], errors: dict) -> None:
    line_errors = []
    seen = set()
    for line in lines:
        if line.product.pk in seen:
            line_errors.append(DUPLICATE_PRODUCT % {"product": line.product})
        seen.add(line.product.pk)
        if line.promotion_price is not None and Decimal(line.promotion_price) <= 0:
            line_errors.append(PRICE_NOT_POSITIVE)
        if line.expected_volume is not None and int(line.expected_volume) <= 0:
            line_errors.append(VOLUME_NOT_POSITIVE)
        if campaign.type == CampaignType.KA_SLOT and (line.promotion_price is None or line.expected_volume is None):
            line_errors.append(KA_SLOT_LINE_INCOMPLETE % {"product": line.product})
    if campaign.type == CampaignType.KA_SLOT and not lines:
        line_errors.append(KA_SLOT_NEEDS_PRODUCTS)
    elif campaign.objective_kind in (ObjectiveKind.SELL_IN_VOLUME, ObjectiveKind.SELL_IN_AMOUNT) and not lines:
        line_errors.append(SELL_IN_NEEDS_PRODUCTS)
    if line_errors:
        errors["products"] = list(dict.fromkeys(str(error) for error in line_errors))


def _validate_participants(*, by: User, regions: Sequence[Region], dealers: Sequence[Dealer], errors: dict) -> None:
    if not regions and not dealers:
        errors["regions"] = [NO_PARTICIPANTS]
        return
    role = by.effective_role
    if regions and role == Role.REP:
        errors["regions"] = [REP_NO_REGIONS]
    elif regions and role == Role.MANAGER:
        roots = [region.path for region in regions_managed_by(by)]
        if not all(any(region.path.startswith(root) for root in roots) for region in regions):
            errors["regions"] = [REGION_OUTSIDE_TERRITORY]
    if dealers and not by.is_hq_admin:
        ids = {dealer.pk for dealer in dealers}
        if dealer_queryset_for(by).filter(pk__in=ids).count() != len(ids):
            errors["dealers"] = [DEALER_OUTSIDE_SCOPE]


def _validate_owner(*, by: User, owner: User, errors: dict) -> None:
    allowed = owner.is_active and owner.effective_role in permissions.CREATOR_ROLES
    if not allowed or (by.effective_role == Role.REP and owner.pk != by.pk):
        errors["owner"] = [OWNER_NOT_ALLOWED]


def _validate_campaign(
    campaign: Campaign, *, by: User, regions, dealers, lines: Sequence[ProductLineInput], owner: User,
) -> None:
    """Every rule of a campaign at once, so the person sees all that is wrong; nothing is saved on error."""
    errors: dict[str, list] = {}
    _validate_objective(campaign, errors)
    if campaign.start_date and campaign.end_date and campaign.end_date < campaign.start_date:
        errors["end_date"] = [END_BEFORE_START]
    budget = Decimal(campaign.budget or 0)
    shares = Decimal(campaign.manufacturer_cost or 0) + Decimal(campaign.dealer_cost or 0)
    if not calculations.costs_add_up(budget, campaign.manufacturer_cost or 0, campaign.dealer_cost or 0):
        errors["dealer_cost"] = [COST_SPLIT_MISMATCH % {"budget": budget, "total": shares}]
    _validate_participants(by=by, regions=regions, dealers=dealers, errors=errors)
    _validate_lines(campaign, lines, errors)
    _validate_owner(by=by, owner=owner, errors=errors)
    try:
        campaign.full_clean(exclude=[*errors.keys(), "owner", "created_by"], validate_constraints=False)
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            errors.setdefault(name, messages)
    if errors:
        raise ValidationError(errors)


def _save_lines(campaign: Campaign, lines: Sequence[ProductLineInput]) -> None:
    campaign.product_lines.all().delete()
    CampaignProduct.objects.bulk_create(
        CampaignProduct(
            campaign=campaign, product=line.product, promotion_price=line.promotion_price,
            expected_volume=line.expected_volume,
        )
        for line in lines
    )


def _record(campaign: Campaign, *, from_status: str, by: User | None, note: str = "") -> None:
    CampaignTransition.objects.create(
        campaign=campaign, from_status=from_status, to_status=campaign.status, by=by, note=str(note)[:500]
    )


@transaction.atomic
def campaign_create(
    *,
    by: User,
    name: str,
    type: str,
    theme: str,
    objective_kind: str,
    objective_target: Decimal | int | str | None,
    start_date: datetime.date,
    end_date: datetime.date,
    regions: Iterable[Region] = (),
    dealers: Iterable[Dealer] = (),
    products: Iterable[ProductLineInput | Product | dict] = (),
    budget: Decimal | int | str = 0,
    manufacturer_cost: Decimal | int | str = 0,
    dealer_cost: Decimal | int | str = 0,
    materials: str = "",
    venue: str = "",
    description: str = "",
    owner: User | None = None,
    today: datetime.date | None = None,
) -> Campaign:
    """Draft a campaign with its default preparation checklist (SPEC §4).

    Refused as a whole, nothing saved: no objective or a target not above zero,
    end before start, no region or dealer, a cost split that does not add up to
    the budget, a KA slot without priced products, regions or dealers outside the
    author's territory.
    """
    if not permissions.can_create_campaigns(by):
        raise PermissionDenied(MAY_NOT_CREATE)
    owner = owner or by
    regions, dealers = list(regions), list(dealers)
    lines = [_as_line(value) for value in products]
    campaign = Campaign(
        name=(name or "").strip(), type=type, theme=(theme or "").strip(), objective_kind=objective_kind or "",
        objective_target=objective_target, start_date=start_date, end_date=end_date,
        budget=Decimal(budget or 0), manufacturer_cost=Decimal(manufacturer_cost or 0),
        dealer_cost=Decimal(dealer_cost or 0), materials=materials or "", venue=venue or "",
        description=description or "", owner=owner, created_by=by, status=CampaignStatus.DRAFT,
    )
    _validate_campaign(campaign, by=by, regions=regions, dealers=dealers, lines=lines, owner=owner)
    campaign.save()
    campaign.regions.set(regions)
    campaign.dealers.set(dealers)
    _save_lines(campaign, lines)
    today = today or timezone.localdate()
    PreparationTask.objects.bulk_create(
        PreparationTask(campaign=campaign, title=title, due_date=due, owner=owner, sort_order=index)
        for index, (title, due) in enumerate(calculations.default_checklist(campaign.type, campaign.start_date, today))
    )
    _record(campaign, from_status="", by=by)
    if not permissions.can_approve(by, campaign):
        _ask_for_approval(campaign, author=by)
    return campaign


def _ask_for_approval(campaign: Campaign, *, author: User) -> None:
    params = {"campaign": campaign.name, "author": author, "dates": _dates(campaign)}
    for manager in managers_overseeing(campaign):
        if manager.pk != author.pk:
            _notify(
                manager, key=f"campaign:{campaign.pk}:awaiting-approval", title=AWAITING_APPROVAL_TITLE,
                body=AWAITING_APPROVAL_BODY, params=params, url=_campaign_url(campaign), kind="promotions.approval",
            )


UNCHANGED = object()


@transaction.atomic
def campaign_update(
    *,
    campaign: Campaign,
    by: User,
    regions: Iterable[Region] | None = None,
    dealers: Iterable[Dealer] | None = None,
    products: Iterable[ProductLineInput | Product | dict] | None = None,
    owner: User | None = None,
    **fields,
) -> Campaign:
    """Change a draft (whoever manages it) or an approved campaign not yet running
    (an approver). The same rules as creation; lists given replace the old ones whole."""
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if not permissions.can_manage(by, campaign) and not permissions.can_approve(by, campaign):
        raise PermissionDenied(MAY_NOT)
    if campaign.status not in (CampaignStatus.DRAFT, CampaignStatus.APPROVED):
        raise StateConflict(NOT_EDITABLE % {"status": campaign.get_status_display()})
    if not permissions.can_edit(by, campaign):
        raise PermissionDenied(MAY_NOT)
    allowed = {
        "name", "type", "theme", "objective_kind", "objective_target", "start_date", "end_date", "budget",
        "manufacturer_cost", "dealer_cost", "materials", "venue", "description",
    }
    for name, value in fields.items():
        if name not in allowed:
            raise TypeError(f"campaign_update() got an unexpected field {name!r}")
        setattr(campaign, name, value.strip() if isinstance(value, str) and name in ("name", "theme") else value)
    regions = list(campaign.regions.all()) if regions is None else list(regions)
    dealers = list(campaign.dealers.select_related("region")) if dealers is None else list(dealers)
    if products is None:
        lines = [
            ProductLineInput(line.product, line.promotion_price, line.expected_volume)
            for line in campaign.product_lines.select_related("product")
        ]
    else:
        lines = [_as_line(value) for value in products]
    owner = owner or campaign.owner
    campaign.owner = owner
    _validate_campaign(campaign, by=by, regions=regions, dealers=dealers, lines=lines, owner=owner)
    campaign.save()
    campaign.regions.set(regions)
    campaign.dealers.set(dealers)
    if products is not None:
        _save_lines(campaign, lines)
    return campaign


def _move(campaign: Campaign, to_status: str, *, by: User | None, note: str = "", fields: Sequence[str] = ()) -> None:
    from_status = campaign.status
    campaign.status = to_status
    campaign.save(update_fields=["status", "updated_at", *fields])
    _record(campaign, from_status=from_status, by=by, note=note)


def _follow_dates(campaign: Campaign, today: datetime.date) -> None:
    """Move an approved or running campaign along its dates (the beat's rule)."""
    if campaign.status == CampaignStatus.APPROVED and campaign.start_date <= today:
        _move(campaign, CampaignStatus.RUNNING, by=None)
    if campaign.status == CampaignStatus.RUNNING and campaign.end_date < today:
        _move(campaign, CampaignStatus.ENDED, by=None)


@transaction.atomic
def campaign_transition(
    *, campaign: Campaign, action: str, by: User, today: datetime.date | None = None
) -> Campaign:
    """Take one step of the status table (promotions.workflow): approve, start, end
    or review. 403 when the user may not, 409 when the status does not allow it."""
    campaign = Campaign.objects.select_for_update().select_related("owner").get(pk=campaign.pk)
    today = today or timezone.localdate()
    allowed = permissions.can_approve(by, campaign) if action == CampaignAction.APPROVE else permissions.can_manage(by, campaign)
    if not allowed:
        raise PermissionDenied(MAY_NOT)
    to_status = next_status(campaign.status, action)
    if to_status is None:
        raise StateConflict(TRANSITION_NOT_ALLOWED % {"status": campaign.get_status_display()})
    note, fields = "", []
    if action == CampaignAction.START and today < campaign.start_date:
        raise StateConflict(STARTS_LATER % {"date": _date(campaign.start_date)})
    if action == CampaignAction.END and today < campaign.end_date:
        note = ENDED_EARLY_NOTE % {"planned": _date(campaign.end_date), "today": _date(today)}
        campaign.end_date, fields = today, ["end_date"]
    if action == CampaignAction.REVIEW and not CampaignReview.objects.filter(campaign=campaign).exists():
        raise StateConflict(REVIEW_REQUIRED)
    if action == CampaignAction.APPROVE:
        campaign.approved_by, campaign.approved_at = by, timezone.now()
        fields = ["approved_by", "approved_at"]
    _move(campaign, to_status, by=by, note=note, fields=fields)
    if action == CampaignAction.APPROVE:
        _follow_dates(campaign, today)
        if campaign.owner_id != by.pk:
            _notify(
                campaign.owner, key=f"campaign:{campaign.pk}:approved", title=APPROVED_TITLE, body=APPROVED_BODY,
                params={"campaign": campaign.name, "approver": by, "dates": _dates(campaign)},
                url=_campaign_url(campaign), kind="promotions.approved",
            )
    return campaign


def campaigns_follow_dates(*, today: datetime.date | None = None) -> int:
    """Start the approved campaigns whose start date has come and end the running
    ones whose end date has passed (the beat; idempotent). Returns how many moved."""
    today = today or timezone.localdate()
    due = Campaign.objects.filter(
        Q(status=CampaignStatus.APPROVED, start_date__lte=today) | Q(status=CampaignStatus.RUNNING, end_date__lt=today)
    ).values_list("pk", flat=True)
    moved = 0
    for pk in list(due):
        with transaction.atomic():
            campaign = Campaign.objects.select_for_update().get(pk=pk)
            before = campaign.status
            _follow_dates(campaign, today)
            moved += campaign.status != before
    return moved


# --- Preparation tasks --------------------------------------------------------------------------
def _check_task_owner(owner: User | None) -> None:
    if owner is not None and not (owner.is_active and owner.effective_role in permissions.CREATOR_ROLES):
        raise ValidationError({"owner": [TASK_OWNER_NOT_STAFF]})


@transaction.atomic
def preparation_task_add(
    *, campaign: Campaign, by: User, title: str, due_date: datetime.date, owner: User | None = None
) -> PreparationTask:
    if not permissions.can_manage(by, campaign):
        raise PermissionDenied(MAY_NOT)
    if campaign.status == CampaignStatus.REVIEWED:
        raise StateConflict(TASKS_CLOSED)
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": [TASK_TITLE_REQUIRED]})
    _check_task_owner(owner)
    task = PreparationTask(campaign=campaign, title=title, due_date=due_date, owner=owner or campaign.owner,
                           sort_order=campaign.tasks.count())
    task.full_clean()
    task.save()
    return task


@transaction.atomic
def preparation_task_update(
    *, task: PreparationTask, by: User, done: bool | None = None, title: str | None = None,
    due_date: datetime.date | None = None, owner=UNCHANGED,
) -> PreparationTask:
    """Check a task off (its owner or whoever manages the campaign) or change it (the latter)."""
    task = PreparationTask.objects.select_for_update().select_related("campaign").get(pk=task.pk)
    campaign = task.campaign
    manages = permissions.can_manage(by, campaign)
    changes_details = title is not None or due_date is not None or owner is not UNCHANGED
    if not manages and (changes_details or task.owner_id != by.pk):
        raise PermissionDenied(MAY_NOT)
    if campaign.status == CampaignStatus.REVIEWED:
        raise StateConflict(TASKS_CLOSED)
    if title is not None:
        task.title = title.strip()
        if not task.title:
            raise ValidationError({"title": [TASK_TITLE_REQUIRED]})
    if due_date is not None:
        task.due_date = due_date
    if owner is not UNCHANGED:
        _check_task_owner(owner)
        task.owner = owner
    if done is True and task.done_at is None:
        task.done_at, task.done_by = timezone.now(), by
    elif done is False:
        task.done_at, task.done_by = None, None
    task.full_clean()
    task.save()
    return task


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
    from promotions.imports import INTEREST_UNKNOWN, CsvFormatError, read_attendee_rows

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


@transaction.atomic
def leads_assign(*, campaign: Campaign, by: User, assignments: Mapping[int, int | None]) -> int:
    """Give leads to reps: {attendee id: rep id, or None to take it back}. All or
    nothing; each rep is told once per batch. Returns how many leads changed hands."""
    if not permissions.can_manage(by, campaign):
        raise PermissionDenied(MAY_NOT)
    if campaign.status not in LIVE_STATUSES:
        raise StateConflict(ASSIGN_CLOSED)
    if not assignments:
        raise ValidationError({"assignments": [ASSIGN_NOTHING]})
    attendees = Attendee.objects.select_for_update().filter(campaign=campaign, pk__in=list(assignments)).in_bulk()
    rep_ids = {rep_id for rep_id in assignments.values() if rep_id is not None}
    reps = assignable_reps(user=by, campaign=campaign).filter(pk__in=rep_ids).in_bulk()
    errors = []
    for attendee_id, rep_id in assignments.items():
        attendee = attendees.get(attendee_id)
        if attendee is None:
            errors.append(ASSIGN_UNKNOWN_LEAD % {"id": attendee_id})
        elif not attendee.is_lead:
            errors.append(ASSIGN_NOT_A_LEAD % {"name": attendee.name})
        if rep_id is not None and rep_id not in reps:
            errors.append(ASSIGN_REP_NOT_ALLOWED)
    if errors:
        raise ValidationError({"assignments": list(dict.fromkeys(str(error) for error in errors))})
    now, changed = timezone.now(), []
    received: dict[int, int] = Counter()
    for attendee_id, rep_id in assignments.items():
        attendee = attendees[attendee_id]
        if attendee.assigned_to_id == rep_id:
            continue
        attendee.assigned_to_id, attendee.assigned_by = rep_id, (by if rep_id else None)
        attendee.assigned_at = now if rep_id else None
        changed.append(attendee)
        if rep_id:
            received[rep_id] += 1
    Attendee.objects.bulk_update(changed, ["assigned_to", "assigned_by", "assigned_at"])
    due = calculations.clock_dates(campaign.end_date).follow_up_by
    stamp = now.strftime("%Y%m%d%H%M%S%f")
    for rep_id, count in received.items():
        if rep_id != by.pk:
            _notify(
                reps[rep_id], key=f"campaign:{campaign.pk}:leads-assigned:{stamp}", title=LEADS_ASSIGNED_TITLE,
                body=LEADS_ASSIGNED_BODY, params={"count": count, "campaign": campaign.name, "date": _date(due)},
                url=reverse("promotions:my_leads"), kind="promotions.leads",
            )
    return len(changed)


def lead_follow_up_log(
    *, attendee: Attendee, by: User, outcome: str, note: str, channel: str = FollowUpChannel.CALL,
    at: datetime.datetime | None = None, next_step_on: datetime.date | None = None,
) -> LeadFollowUp:
    """The assigned rep logs a follow-up on their lead (seed 001: within 7 days of the event)."""
    if not permissions.can_log_follow_up(by, attendee):
        raise PermissionDenied(FOLLOW_UP_NOT_YOURS)
    at = at or timezone.now()
    errors: dict[str, list] = {}
    if at > timezone.now() + datetime.timedelta(minutes=5):
        errors["at"] = [FOLLOW_UP_IN_FUTURE]
    if next_step_on is not None and next_step_on < timezone.localdate():
        errors["next_step_on"] = [NEXT_STEP_IN_PAST]
    follow_up = LeadFollowUp(
        attendee=attendee, by=by, at=at, channel=channel, outcome=outcome, note=(note or "").strip(),
        next_step_on=next_step_on,
    )
    if not follow_up.note:
        errors["note"] = [FOLLOW_UP_NOTE_REQUIRED]
    try:
        follow_up.full_clean(exclude=[*errors.keys(), "attendee", "by"])
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            errors.setdefault(name, messages)
    if errors:
        raise ValidationError(errors)
    follow_up.save()
    return follow_up


# --- The review --------------------------------------------------------------------------------
@transaction.atomic
def campaign_review_write(
    *, campaign: Campaign, by: User, what_worked: str, what_did_not_work: str, lessons: str,
    objective_actual: Decimal | int | str | None = None,
) -> CampaignReview:
    """Write the review and close the campaign (ended → reviewed) in one step.

    The actual is measured where the app can (sell-in volume or amount, leads,
    attendees) and entered by the writer otherwise (new dealers signed).
    """
    campaign = Campaign.objects.select_for_update().select_related("owner").get(pk=campaign.pk)
    if not permissions.can_manage(by, campaign):
        raise PermissionDenied(MAY_NOT)
    if campaign.status != CampaignStatus.ENDED:
        raise StateConflict(REVIEW_ONLY_WHEN_ENDED % {"status": campaign.get_status_display()})
    texts = {"what_worked": what_worked, "what_did_not_work": what_did_not_work, "lessons": lessons}
    texts = {name: (value or "").strip() for name, value in texts.items()}
    errors: dict[str, list] = {name: [REVIEW_PART_REQUIRED] for name, value in texts.items() if not value}
    if campaign.objective_kind in MEASURED_OBJECTIVES:
        actual = objective_result(campaign=campaign).actual
    else:
        try:
            actual = None if objective_actual in (None, "") else Decimal(str(objective_actual))
        except InvalidOperation:
            actual = None
        if actual is None:
            errors["objective_actual"] = [REVIEW_ACTUAL_REQUIRED]
        elif actual < 0:
            errors["objective_actual"] = [REVIEW_ACTUAL_NEGATIVE]
    review = CampaignReview(campaign=campaign, objective_actual=actual or Decimal(0), written_by=by, **texts)
    try:
        review.full_clean(exclude=[*errors.keys(), "campaign", "written_by"], validate_constraints=False)
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            errors.setdefault(name, messages)
    if errors:
        raise ValidationError(errors)
    review.save()
    _move(campaign, CampaignStatus.REVIEWED, by=by)
    return review


# --- The post-event follow-up clock (Celery beat) ---------------------------------------------
def follow_up_clock_run(*, today: datetime.date | None = None) -> dict[str, int]:
    """Everything the beat does, derived from the database each time, so a doubled,
    late or retried run does each step once (SPEC §4, seed 001):

    - campaigns follow their dates (approved → running → ended);
    - from the event's end: day 1 thank-you to every attendee; day 3 the owner is
      reminded of leads not assigned; day 5 reps with leads not followed up are
      reminded (and the owner of the review due on day 7); day 8 what is still
      missing is escalated to the managers overseeing the campaign's regions;
    - preparation tasks due are reminded to their owners.

    Returns how many of each were delivered now.
    """
    today = today or timezone.localdate()
    done: Counter = Counter()
    done["campaigns_moved"] = campaigns_follow_dates(today=today)
    horizon = today - datetime.timedelta(days=calculations.CLOCK_HORIZON_DAYS)
    campaigns = (
        Campaign.objects.filter(status__in=AFTER_EVENT_STATUSES, end_date__lt=today, end_date__gte=horizon)
        .select_related("owner")
        .prefetch_related("regions", "dealers__region")
        .order_by("end_date", "pk")
    )
    for campaign in campaigns:
        for step in calculations.clock_steps_due(campaign.end_date, today):
            try:
                done[step] += CLOCK_STEPS[step](campaign, today)
            except Exception:  # one campaign's trouble must not hold up the others; the next run retries
                logger.exception("Follow-up clock step %s failed for campaign %s.", step, campaign.pk)
                done["failed"] += 1
    done["task_reminders"] = preparation_task_reminders(today=today)
    return dict(done)


def _thank_you_message(attendee: Attendee, campaign: Campaign) -> tuple[str, str]:
    owner = campaign.owner
    signature = str(owner) + (f"\n{owner.phone}" if owner.phone else "")
    with translation.override(owner.language or settings.LANGUAGE_CODE):
        params = {"name": attendee.name, "campaign": campaign.name, "dates": _dates(campaign), "owner": signature}
        return str(THANK_YOU_SUBJECT) % params, str(THANK_YOU_MESSAGE) % params


def _step_thank_you(campaign: Campaign, today: datetime.date) -> int:
    """Day 1: a thank-you to every attendee, once each (ThankYou is unique per attendee)."""
    sent = emailed = 0
    for attendee in Attendee.objects.filter(campaign=campaign, thank_you__isnull=True).order_by("pk"):
        _subject, message = _thank_you_message(attendee, campaign)
        status = ThankYouStatus.PENDING if attendee.email else ThankYouStatus.RECORDED
        try:
            with transaction.atomic():
                thank_you = ThankYou.objects.create(attendee=attendee, message=message, email=attendee.email, status=status)
        except IntegrityError:  # another run thanked this attendee a moment ago
            continue
        sent += 1
        if status == ThankYouStatus.PENDING:
            emailed += 1
            transaction.on_commit(lambda pk=thank_you.pk: _queue_thank_you_email(pk))
    if sent:
        _notify(
            campaign.owner, key=f"campaign:{campaign.pk}:thank-you", title=THANK_YOU_DONE_TITLE,
            body=THANK_YOU_DONE_BODY, params={"campaign": campaign.name, "count": sent, "emailed": emailed},
            url=_campaign_url(campaign), kind="promotions.clock",
        )
    return sent


def _step_unassigned_reminder(campaign: Campaign, today: datetime.date) -> int:
    """Day 3: leads still without a rep remind the owner."""
    count = Attendee.objects.filter(campaign=campaign, assigned_to__isnull=True).leads().count()
    if not count:
        return 0
    return int(_notify(
        campaign.owner, key=f"campaign:{campaign.pk}:leads-unassigned", title=UNASSIGNED_TITLE, body=UNASSIGNED_BODY,
        params={"campaign": campaign.name, "count": count, "date": _date(calculations.clock_dates(campaign.end_date).assign_by)},
        url=_campaign_url(campaign, "promotions:assign"), kind="promotions.clock",
    ))


def _waiting_by_rep(campaign: Campaign) -> dict[User, int]:
    """Assigned leads without a follow-up by their rep, counted per rep (one query)."""
    counts: dict[int, int] = Counter(
        Attendee.objects.filter(campaign=campaign, assigned_to__isnull=False).followed_up(False)
        .values_list("assigned_to", flat=True)
    )
    reps = User.objects.in_bulk(list(counts))
    return {reps[rep_id]: count for rep_id, count in counts.items()}


def _step_follow_up_reminder(campaign: Campaign, today: datetime.date) -> int:
    """Day 5: each rep with leads not followed up is reminded, once per campaign."""
    due = _date(calculations.clock_dates(campaign.end_date).follow_up_by)
    delivered = 0
    for rep, count in _waiting_by_rep(campaign).items():
        delivered += _notify(
            rep, key=f"campaign:{campaign.pk}:follow-up-reminder", title=FOLLOW_UP_REMINDER_TITLE,
            body=FOLLOW_UP_REMINDER_BODY, params={"campaign": campaign.name, "count": count, "date": due},
            url=reverse("promotions:my_leads"), kind="promotions.clock",
        )
    return delivered


def _step_follow_up_escalation(campaign: Campaign, today: datetime.date) -> int:
    """Day 8: leads without a follow-up (or never assigned) go to the managers overseeing the region."""
    waiting = _waiting_by_rep(campaign)
    unassigned = Attendee.objects.filter(campaign=campaign, assigned_to__isnull=True).leads().count()
    if not waiting and not unassigned:
        return 0
    delivered = 0
    for manager in managers_overseeing(campaign):
        with translation.override(manager.language or settings.LANGUAGE_CODE):
            parts = [str(FOLLOW_UP_ESCALATION_REP % {"rep": rep, "count": count}) for rep, count in waiting.items()]
            if unassigned:
                parts.append(str(FOLLOW_UP_ESCALATION_UNASSIGNED % {"count": unassigned}))
            summary = "; ".join(parts)
        delivered += _notify(
            manager, key=f"campaign:{campaign.pk}:follow-ups-overdue", title=FOLLOW_UP_ESCALATION_TITLE,
            body=FOLLOW_UP_ESCALATION_BODY,
            params={"campaign": campaign.name, "summary": summary,
                    "date": _date(calculations.clock_dates(campaign.end_date).follow_up_by)},
            url=_campaign_url(campaign, "promotions:attendees"), kind="promotions.escalation",
        )
    return delivered


def _step_review_reminder(campaign: Campaign, today: datetime.date) -> int:
    """Day 5: the owner is reminded the review is due by day 7."""
    if campaign.status != CampaignStatus.ENDED:
        return 0
    return int(_notify(
        campaign.owner, key=f"campaign:{campaign.pk}:review-due", title=REVIEW_REMINDER_TITLE,
        body=REVIEW_REMINDER_BODY,
        params={"campaign": campaign.name, "date": _date(calculations.clock_dates(campaign.end_date).review_by)},
        url=_campaign_url(campaign, "promotions:review"), kind="promotions.clock",
    ))


def _step_review_escalation(campaign: Campaign, today: datetime.date) -> int:
    """Day 8: a review still not written is escalated to the managers."""
    if campaign.status != CampaignStatus.ENDED:
        return 0
    delivered = 0
    for manager in managers_overseeing(campaign):
        delivered += _notify(
            manager, key=f"campaign:{campaign.pk}:review-overdue", title=REVIEW_ESCALATION_TITLE,
            body=REVIEW_ESCALATION_BODY,
            params={"campaign": campaign.name, "owner": campaign.owner,
                    "date": _date(calculations.clock_dates(campaign.end_date).review_by)},
            url=_campaign_url(campaign), kind="promotions.escalation",
        )
    return delivered


CLOCK_STEPS = {
    ClockStep.THANK_YOU: _step_thank_you,
    ClockStep.UNASSIGNED_REMINDER: _step_unassigned_reminder,
    ClockStep.FOLLOW_UP_REMINDER: _step_follow_up_reminder,
    ClockStep.FOLLOW_UP_ESCALATION: _step_follow_up_escalation,
    ClockStep.REVIEW_REMINDER: _step_review_reminder,
    ClockStep.REVIEW_ESCALATION: _step_review_escalation,
}


def preparation_task_reminders(*, today: datetime.date | None = None) -> int:
    """Tasks due today (or overdue, within the horizon) and not done remind their
    owner once, while the campaign is being prepared or runs."""
    today = today or timezone.localdate()
    horizon = today - datetime.timedelta(days=calculations.CLOCK_HORIZON_DAYS)
    tasks = (
        PreparationTask.objects.filter(
            done_at__isnull=True, due_date__lte=today, due_date__gte=horizon,
            campaign__status__in=(CampaignStatus.DRAFT, CampaignStatus.APPROVED, CampaignStatus.RUNNING),
        )
        .select_related("owner", "campaign__owner")
        .order_by("due_date", "pk")
    )
    delivered = 0
    for task in tasks:
        recipient = task.owner or task.campaign.owner
        delivered += _notify(
            recipient, key=f"campaign-task:{task.pk}:due", title=TASK_DUE_TITLE, body=TASK_DUE_BODY,
            params={"task": task.title, "campaign": task.campaign.name, "date": _date(task.due_date)},
            url=_campaign_url(task.campaign), kind="promotions.task",
        )
    return delivered


# --- Thank-you emails (at most once each) -------------------------------------------------------
def _queue_thank_you_email(thank_you_id: int) -> None:
    from promotions.tasks import send_thank_you_email

    try:
        send_thank_you_email.delay(thank_you_id)
    except Exception:  # the broker is down: thank_yous_send_pending picks it up later
        logger.warning("Could not queue thank-you email %s; it stays pending.", thank_you_id)


def thank_you_send_email(*, thank_you_id: int) -> bool:
    """Email one thank-you, at most once: the row is claimed before sending."""
    claimed = ThankYou.objects.filter(pk=thank_you_id, status=ThankYouStatus.PENDING).update(
        status=ThankYouStatus.SENDING
    )
    if not claimed:
        return False
    thank_you = ThankYou.objects.select_related("attendee__campaign__owner").get(pk=thank_you_id)
    subject, _message = _thank_you_message(thank_you.attendee, thank_you.attendee.campaign)
    try:
        send_mail(subject, thank_you.message, None, [thank_you.email])
    except Exception:
        ThankYou.objects.filter(pk=thank_you_id).update(status=ThankYouStatus.PENDING)
        raise
    ThankYou.objects.filter(pk=thank_you_id).update(status=ThankYouStatus.SENT, sent_at=timezone.now())
    return True


def thank_yous_send_pending(*, older_than: datetime.timedelta = datetime.timedelta(minutes=2)) -> int:
    """Send the thank-you emails whose queueing was lost (broker down, worker crash)."""
    cutoff = timezone.now() - older_than
    ThankYou.objects.filter(status=ThankYouStatus.SENDING, created_at__lt=cutoff - older_than).update(
        status=ThankYouStatus.PENDING
    )
    sent = 0
    for pk in ThankYou.objects.filter(status=ThankYouStatus.PENDING, created_at__lt=cutoff).values_list("pk", flat=True)[:500]:
        try:
            sent += thank_you_send_email(thank_you_id=pk)
        except Exception:
            logger.exception("Thank-you email %s failed; it will be retried.", pk)
    return sent
