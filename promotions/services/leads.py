"""Leads after the event: assigned to reps, followed up, turned into prospect dealers."""

import datetime
import logging
from collections import Counter
from collections.abc import Mapping

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role, User
from common.exceptions import StateConflict
from dealers.models import Dealer, DealerStatus, ProspectSource
from dealers.services import contact_save, dealer_create
from notifications.services import notification_deliver_in_language
from promotions import calculations, permissions
from promotions.models import (
    LIVE_STATUSES,
    Attendee,
    Campaign,
    FollowUpChannel,
    FollowUpOutcome,
    LeadFollowUp,
)
from promotions.selectors import assignable_reps
from promotions.services.messages import (
    ASSIGN_CLOSED,
    ASSIGN_NOT_A_LEAD,
    ASSIGN_NOTHING,
    ASSIGN_REP_NOT_ALLOWED,
    ASSIGN_UNKNOWN_LEAD,
    FOLLOW_UP_IN_FUTURE,
    FOLLOW_UP_NOT_YOURS,
    FOLLOW_UP_NOTE_REQUIRED,
    LEADS_ASSIGNED_BODY,
    LEADS_ASSIGNED_TITLE,
    MAY_NOT,
    NEXT_STEP_IN_PAST,
    PROSPECT_REGION_OUTSIDE_CAMPAIGN,
    PROSPECT_REGION_REQUIRED,
)
from promotions.services.shared import _date
from regions.models import Region
from regions.scope import region_within

logger = logging.getLogger(__name__)


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
            notification_deliver_in_language(
                recipient=reps[rep_id], key=f"campaign:{campaign.pk}:leads-assigned:{stamp}", title=LEADS_ASSIGNED_TITLE,
                body=LEADS_ASSIGNED_BODY, count=count, campaign=campaign.name, date=_date(due),
                url=reverse("promotions:my_leads"), kind="promotions.leads",
            )
    return len(changed)


@transaction.atomic
def lead_follow_up_log(
    *, attendee: Attendee, by: User, outcome: str, note: str, channel: str = FollowUpChannel.CALL,
    at: datetime.datetime | None = None, next_step_on: datetime.date | None = None,
    prospect_region: Region | None = None,
) -> LeadFollowUp:
    """The assigned rep logs a follow-up on their lead (seed 001: within 7 days of the event).

    The outcome "becomes a prospect dealer" creates the prospect in the same step
    (lead_prospect_create, in `prospect_region` or the lead's default region), so a
    lead marked as a prospect is in the pipeline, never only in a note."""
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
    region = None
    if outcome == FollowUpOutcome.PROSPECT and attendee.prospect_id is None:
        region = prospect_region or lead_default_region(attendee)
        if region is None:
            errors.setdefault("prospect_region", [PROSPECT_REGION_REQUIRED])
        elif not lead_region_allowed(attendee, region):
            errors.setdefault("prospect_region", [PROSPECT_REGION_OUTSIDE_CAMPAIGN])
    if errors:
        raise ValidationError(errors)
    follow_up.save()
    if outcome == FollowUpOutcome.PROSPECT:
        lead_prospect_create(attendee=attendee, by=by, region=region)
    return follow_up


def lead_default_region(attendee: Attendee) -> Region | None:
    """Where a lead's prospect is placed unless the rep says otherwise: the campaign's
    only region; else the region of its only named dealer; else none (the rep chooses)."""
    campaign = attendee.campaign
    regions = list(campaign.regions.all()[:2])
    if len(regions) == 1:
        return regions[0]
    dealer_regions = {dealer.region_id: dealer.region for dealer in campaign.dealers.select_related("region")[:50]}
    if not regions and len(dealer_regions) == 1:
        return next(iter(dealer_regions.values()))
    return None


def _campaign_area(campaign: Campaign) -> list[Region]:
    """The regions a campaign covers: its own and those of its named dealers."""
    return [*campaign.regions.all(), *(dealer.region for dealer in campaign.dealers.select_related("region")[:200])]


def lead_region_allowed(attendee: Attendee, region: Region) -> bool:
    """Whether a lead's prospect may go to `region`: within the campaign's area (its
    regions, its named dealers' regions). The campaign's manager gave the lead to the
    rep, so this — not the rep's territory — bounds where the prospect goes; a
    campaign without an area leaves it to the creator's territory (dealer_create)."""
    area = _campaign_area(attendee.campaign)
    return not area or region_within(region, area)


@transaction.atomic
def lead_prospect_create(*, attendee: Attendee, by: User, region: Region | None = None) -> Dealer:
    """Turn a lead into a prospect dealer in one step, carrying its details: the
    company (or the person's name) as the dealer's name, the person as decision
    maker and primary contact with phone and email, the region, the lead's rep as
    owner; the lead keeps a link to it. Idempotent: a lead already turned returns its prospect."""
    attendee = (
        Attendee.objects.select_for_update(of=("self",)).select_related("campaign", "assigned_to", "prospect")
        .get(pk=attendee.pk)
    )
    if attendee.prospect is not None:
        return attendee.prospect
    region = region or lead_default_region(attendee)
    if region is None:
        raise ValidationError({"prospect_region": [PROSPECT_REGION_REQUIRED]})
    if not lead_region_allowed(attendee, region):
        raise ValidationError({"prospect_region": [PROSPECT_REGION_OUTSIDE_CAMPAIGN]})
    owner = attendee.assigned_to if attendee.assigned_to and attendee.assigned_to.is_active else None
    if owner is None and by.effective_role == Role.REP:
        owner = by
    dealer = dealer_create(
        created_by=by, name=(attendee.company or attendee.name)[:200], region=region, rep=owner,
        status=DealerStatus.PROSPECT, source=ProspectSource.CAMPAIGN_LEAD, phone=attendee.phone,
        decision_maker=attendee.name, next_follow_up_on=timezone.localdate() + datetime.timedelta(days=7),
        region_given=bool(_campaign_area(attendee.campaign)),
    )
    contact_save(dealer=dealer, name=attendee.name, phone=attendee.phone, email=attendee.email, is_primary=True)
    attendee.prospect = dealer
    attendee.save(update_fields=["prospect"])
    return dealer
