"""Messages and notification texts of promotions (asserted in tests, translated)."""

import logging

from django.utils.translation import gettext_lazy as _

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
PROSPECT_REGION_REQUIRED = _("Choose the region of the new prospect dealer.")
PROSPECT_REGION_OUTSIDE_CAMPAIGN = _("Choose one of the campaign's regions (or a region within one) for the new prospect dealer.")
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
