"""Campaigns: create, update (drafts), the status workflow and the dates that move it."""

import datetime
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accounts.models import Role, User
from common.exceptions import StateConflict
from common.formatting import format_money
from dealers.models import Dealer
from dealers.selectors import dealer_queryset_for
from inventory.models import Product
from notifications.services import notification_deliver_in_language
from promotions import calculations, permissions
from promotions.models import (
    WHOLE_NUMBER_OBJECTIVES,
    Campaign,
    CampaignProduct,
    CampaignReview,
    CampaignStatus,
    CampaignTransition,
    CampaignType,
    ObjectiveKind,
    PreparationTask,
)
from promotions.services.messages import (
    APPROVED_BODY,
    APPROVED_TITLE,
    AWAITING_APPROVAL_BODY,
    AWAITING_APPROVAL_TITLE,
    COST_SPLIT_MISMATCH,
    DEALER_OUTSIDE_SCOPE,
    DUPLICATE_PRODUCT,
    END_BEFORE_START,
    ENDED_EARLY_NOTE,
    KA_SLOT_LINE_INCOMPLETE,
    KA_SLOT_NEEDS_PRODUCTS,
    MAY_NOT,
    MAY_NOT_CREATE,
    NO_OBJECTIVE,
    NO_PARTICIPANTS,
    NOT_EDITABLE,
    OWNER_NOT_ALLOWED,
    PRICE_NOT_POSITIVE,
    REGION_OUTSIDE_TERRITORY,
    REP_NO_REGIONS,
    REVIEW_REQUIRED,
    SELL_IN_NEEDS_PRODUCTS,
    STARTS_LATER,
    TARGET_NOT_POSITIVE,
    TARGET_NOT_WHOLE,
    TRANSITION_NOT_ALLOWED,
    VOLUME_NOT_POSITIVE,
)
from promotions.services.shared import _campaign_url, _date, _dates, managers_overseeing
from promotions.workflow import CampaignAction, next_status
from regions.models import Region
from regions.selectors import regions_managed_by

logger = logging.getLogger(__name__)


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
        errors["dealer_cost"] = [COST_SPLIT_MISMATCH % {"budget": format_money(budget), "total": format_money(shares)}]
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
    # The default tasks keep their key: each reader sees the title in their own language;
    # `title` keeps the creator's wording for the record (and for any reader of the raw row).
    PreparationTask.objects.bulk_create(
        PreparationTask(campaign=campaign, title=str(item.title), template_key=item.key, due_date=due, owner=owner,
                        sort_order=index)
        for index, (item, due) in enumerate(
            calculations.default_checklist_items(campaign.type, campaign.start_date, today)
        )
    )
    _record(campaign, from_status="", by=by)
    if not permissions.can_approve(by, campaign):
        _ask_for_approval(campaign, author=by)
    return campaign


def _ask_for_approval(campaign: Campaign, *, author: User) -> None:
    params = {"campaign": campaign.name, "author": author, "dates": _dates(campaign)}
    for manager in managers_overseeing(campaign):
        if manager.pk != author.pk:
            notification_deliver_in_language(
                recipient=manager, key=f"campaign:{campaign.pk}:awaiting-approval", title=AWAITING_APPROVAL_TITLE,
                body=AWAITING_APPROVAL_BODY, **params, url=_campaign_url(campaign), kind="promotions.approval",
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
            notification_deliver_in_language(
                recipient=campaign.owner, key=f"campaign:{campaign.pk}:approved", title=APPROVED_TITLE, body=APPROVED_BODY,
                campaign=campaign.name, approver=by, dates=_dates(campaign),
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
