"""Reads of campaigns, always scoped to the user, and the set-based figures:
who takes part, the sell-in effect, the follow-up state, and the promotion
windows the suggested order leaves out. One module per sub-domain: the scope
(scope, which also registers it with common.scoping), the preparation checklist
and follow-up state (preparation), the promotion windows (windows), the sell-in
effect and the objective (effect) and the worklists of the home page and the
menu (worklists). Every public name is re-exported here, so
`from promotions import selectors` and `selectors.campaign_list(...)` keep working.

Taking part: a dealer takes part in a campaign when it is named on it, or when
its region lies in the subtree of one of the campaign's regions.
"""

from promotions.selectors.effect import (
    CampaignEffect,
    CampaignEffectSummary,
    EffectRow,
    EffectTotals,
    ObjectiveResult,
    campaign_effect,
    campaign_effect_summary,
    campaign_effect_totals,
    campaign_review_or_none,
    objective_result,
)
from promotions.selectors.preparation import (
    OPEN_TASKS_CONFIRM,
    OPEN_TASKS_WARNING,
    WARN_OPEN_TASKS_ON,
    FollowUpState,
    campaign_follow_up_state,
    campaign_tasks,
    checklist,
    open_tasks_warning,
    task_progress,
)
from promotions.selectors.scope import (
    CampaignDealer,
    CampaignRegion,
    attendee_queryset_for,
    campaign_detail,
    campaign_list,
    campaign_participant_queryset,
    campaign_queryset_for,
    campaign_regions_touched,
    campaigns_of_dealer,
    lead_list,
    lead_queryset_for,
)
from promotions.selectors.windows import (
    campaign_windows_for_dealers,
)
from promotions.selectors.worklists import (
    assignable_reps,
    campaigns_to_approve,
    campaigns_to_review,
    campaigns_waiting_for,
    leads_to_follow_up,
)

__all__ = [
    "CampaignDealer",
    "CampaignEffect",
    "CampaignEffectSummary",
    "CampaignRegion",
    "EffectRow",
    "EffectTotals",
    "FollowUpState",
    "OPEN_TASKS_CONFIRM",
    "OPEN_TASKS_WARNING",
    "ObjectiveResult",
    "WARN_OPEN_TASKS_ON",
    "assignable_reps",
    "attendee_queryset_for",
    "campaign_detail",
    "campaign_effect",
    "campaign_effect_summary",
    "campaign_effect_totals",
    "campaign_follow_up_state",
    "campaign_list",
    "campaign_participant_queryset",
    "campaign_queryset_for",
    "campaign_regions_touched",
    "campaign_review_or_none",
    "campaign_tasks",
    "campaign_windows_for_dealers",
    "campaigns_of_dealer",
    "campaigns_to_approve",
    "campaigns_to_review",
    "campaigns_waiting_for",
    "checklist",
    "lead_list",
    "lead_queryset_for",
    "leads_to_follow_up",
    "objective_result",
    "open_tasks_warning",
    "task_progress",
]
