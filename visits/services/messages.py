"""The messages the visits services refuse with (tests assert them)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

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
VISIT_CANCELLED = _("This visit was cancelled meanwhile (%(reason)s): nothing more is recorded on it.")
VISIT_MOVED = _(
    "This visit was moved to %(when)s meanwhile. If you did visit the dealer at the time recorded, send it again "
    "as it is; otherwise discard it."
)
RECORDED_IN_FUTURE = _("The time recorded on the phone is in the future: check the phone's clock.")
RECORDED_TOO_OLD = _("This was recorded more than %(days)s days ago: it can no longer be sent.")
RECORDED_BEFORE_CHECK = _("The visit cannot start before its market check was recorded.")
RECORDED_BEFORE_START = _("The visit cannot be completed before it started.")
