"""Who may do what with campaigns (used by the pages, the API and the services).

Every function takes a campaign the caller has already fetched within the
user's scope (promotions.selectors.campaign_queryset_for): outside the scope
is 404 before any of these is asked; a False here is a 403.

- create: HQ admin, managers, reps (a rep drafts campaigns for their own dealers);
- approve: HQ admin, or a manager when the campaign lies wholly within their
  regions (SPEC §4: "approval by a manager");
- manage (edit, tasks, start/end, assign leads, write the review): HQ admin, the
  owner, and a manager who could approve it;
- record attendees and leads: HQ admin, managers and reps who see the campaign;
- log a follow-up on a lead: only the rep it is assigned to.
"""

from __future__ import annotations

from accounts.models import Role
from accounts.policy import Area, sees
from promotions.models import Campaign, CampaignStatus
from promotions.workflow import CampaignAction, actions_from
from regions.selectors import regions_managed_by

CREATOR_ROLES = (Role.ADMIN, Role.MANAGER, Role.REP)
FIELD_ROLES = (Role.ADMIN, Role.MANAGER, Role.REP)


def can_create_campaigns(user) -> bool:
    return user.is_authenticated and user.effective_role in CREATOR_ROLES


def within_managed_regions(user, campaign: Campaign) -> bool:
    """Every region and named dealer of `campaign` lies in the manager's territory
    (uses the campaign's regions and dealers, prefetched on the campaign page)."""
    managed = [region.path for region in regions_managed_by(user)]
    if not managed:
        return False

    def inside(region) -> bool:
        return any(region.path.startswith(root) for root in managed)

    regions = list(campaign.regions.all())
    dealers = list(campaign.dealers.all())
    if not regions and not dealers:
        return False
    return all(inside(region) for region in regions) and all(inside(dealer.region) for dealer in dealers)


def can_approve(user, campaign: Campaign) -> bool:
    if not user.is_authenticated:
        return False
    if user.is_hq_admin:
        return True
    return user.effective_role == Role.MANAGER and within_managed_regions(user, campaign)


def can_manage(user, campaign: Campaign) -> bool:
    if not user.is_authenticated or user.effective_role not in CREATOR_ROLES:
        return False
    return user.is_hq_admin or campaign.owner_id == user.pk or can_approve(user, campaign)


def can_edit(user, campaign: Campaign) -> bool:
    """A draft: whoever manages it. Once approved (until it runs): only an approver."""
    if campaign.status == CampaignStatus.DRAFT:
        return can_manage(user, campaign)
    if campaign.status == CampaignStatus.APPROVED:
        return can_approve(user, campaign)
    return False


def can_record_attendees(user, campaign: Campaign) -> bool:
    """Staff in the field who see the campaign (its status is the service's question)."""
    return user.is_authenticated and user.effective_role in FIELD_ROLES


def can_see_attendees(user) -> bool:
    return sees(user, Area.ATTENDEES)


def can_log_follow_up(user, attendee) -> bool:
    return user.is_authenticated and attendee.assigned_to_id == user.pk


def campaign_actions_for(*, user, campaign: Campaign) -> list[str]:
    """The status buttons `user` may press on `campaign` now (approve, start, end).
    The review closes the campaign through its own form."""
    def may(action: str) -> bool:
        if action == CampaignAction.APPROVE:
            return can_approve(user, campaign)
        return action in (CampaignAction.START, CampaignAction.END) and can_manage(user, campaign)

    return [action for action in actions_from(campaign.status) if may(action)]
