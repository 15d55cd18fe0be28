"""Pure rules of promotions, without the ORM: the follow-up clock's calendar,
the default preparation checklist, and the lift arithmetic of the effect.

Money and quantities are Decimal; percentages are ratios (0.25 = 25 %).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext_lazy as _

# --- The post-event follow-up clock (SPEC §4, seed 001) ----------------------------------
# Days counted from the event's end date (day 0 = the last day of the event).
THANK_YOU_DAY = 1            # next day: a thank-you to every attendee
ASSIGN_BY_DAY = 3            # within 3 days: leads assigned to reps (else the owner is reminded)
FOLLOW_UP_REMINDER_DAY = 5   # reps with leads not yet followed up are reminded
FOLLOW_UP_DUE_DAY = 7        # within 7 days: each assigned lead has a follow-up by its rep
FOLLOW_UP_ESCALATION_DAY = 8  # ... or the managers overseeing the region hear of it
REVIEW_REMINDER_DAY = 5      # the owner is reminded the review is due
REVIEW_DUE_DAY = 7           # within 7 days: the review is written
REVIEW_ESCALATION_DAY = 8    # ... or it is escalated to the managers
# After this many days the clock stops looking at a campaign (old or imported events).
CLOCK_HORIZON_DAYS = 30


class ClockStep:
    THANK_YOU = "thank_you"
    UNASSIGNED_REMINDER = "unassigned_reminder"
    FOLLOW_UP_REMINDER = "follow_up_reminder"
    FOLLOW_UP_ESCALATION = "follow_up_escalation"
    REVIEW_REMINDER = "review_reminder"
    REVIEW_ESCALATION = "review_escalation"


_STEP_DAYS = {
    ClockStep.THANK_YOU: THANK_YOU_DAY,
    ClockStep.UNASSIGNED_REMINDER: ASSIGN_BY_DAY,
    ClockStep.FOLLOW_UP_REMINDER: FOLLOW_UP_REMINDER_DAY,
    ClockStep.FOLLOW_UP_ESCALATION: FOLLOW_UP_ESCALATION_DAY,
    ClockStep.REVIEW_REMINDER: REVIEW_REMINDER_DAY,
    ClockStep.REVIEW_ESCALATION: REVIEW_ESCALATION_DAY,
}


def days_since_end(end_date: datetime.date, today: datetime.date) -> int:
    return (today - end_date).days


def clock_steps_due(end_date: datetime.date, today: datetime.date) -> list[str]:
    """The clock steps whose day has come (each is then done once, whatever the day).

    Nothing before the day after the event, nothing past the horizon. A step
    that is due stays due on later days, so a beat that was down on the day
    catches up; what was already done is known from the database.
    """
    days = days_since_end(end_date, today)
    if days < THANK_YOU_DAY or days > CLOCK_HORIZON_DAYS:
        return []
    return [step for step, day in _STEP_DAYS.items() if days >= day]


@dataclass(frozen=True)
class ClockDates:
    """The calendar of the follow-up clock of one event, for the campaign page."""

    thank_you_on: datetime.date
    assign_by: datetime.date
    follow_up_by: datetime.date
    review_by: datetime.date


def clock_dates(end_date: datetime.date) -> ClockDates:
    day = datetime.timedelta(days=1)
    return ClockDates(
        thank_you_on=end_date + THANK_YOU_DAY * day,
        assign_by=end_date + ASSIGN_BY_DAY * day,
        follow_up_by=end_date + FOLLOW_UP_DUE_DAY * day,
        review_by=end_date + REVIEW_DUE_DAY * day,
    )


# --- The default preparation checklist ---------------------------------------------------
@dataclass(frozen=True)
class ChecklistItem:
    """A task of a default checklist. `key` is stored on the task, so its title is
    shown in the reader's language, whoever created the campaign (CHECKLIST_TITLES)."""

    key: str
    title: str
    days_before_start: int


_PLAN = ChecklistItem("plan", _("Write the campaign plan"), 21)
_KICK_OFF = ChecklistItem("kick_off", _("Kick-off meeting with the dealers"), 14)
_MATERIALS = ChecklistItem("materials", _("Materials printed and delivered"), 5)

DEFAULT_CHECKLISTS: dict[str, list[ChecklistItem]] = {
    "in_store": [
        _PLAN, _KICK_OFF, _MATERIALS,
        ChecklistItem("stores_stocked", _("Stock ready at the stores"), 3),
        ChecklistItem("promoters_briefed", _("Brief the promoters"), 1),
    ],
    "ka_slot": [
        _PLAN,
        ChecklistItem("slot_confirmed", _("Slot and promotion supply price confirmed with the KA buyer"), 28),
        _KICK_OFF,
        ChecklistItem("slot_stocked", _("Stock ready before the slot"), 5),
        ChecklistItem("display_set_up", _("End-cap and display set up"), 1),
    ],
    "conference": [
        _PLAN,
        ChecklistItem("venue_booked", _("Book the venue"), 28),
        ChecklistItem("invitations_sent", _("Send the invitations"), 21),
        _KICK_OFF, _MATERIALS,
        ChecklistItem("rehearsal", _("Rehearsal"), 1),
    ],
    "trade_show": [
        _PLAN,
        ChecklistItem("booth_booked", _("Book the booth"), 42),
        ChecklistItem("samples_ready", _("Samples and brochures ready"), 7),
        ChecklistItem("booth_staffed", _("Staff the booth"), 3),
        ChecklistItem("lead_capture_ready", _("Lead capture ready on the phones"), 1),
    ],
}

# Every default task's title by its key (lazy: translated when shown).
CHECKLIST_TITLES: dict[str, str] = {
    item.key: item.title for items in DEFAULT_CHECKLISTS.values() for item in items
}


def checklist_title(key: str) -> str | None:
    """The title of a default task in the active language, or None for an unknown key."""
    title = CHECKLIST_TITLES.get(key)
    return str(title) if title is not None else None


def default_checklist_items(
    campaign_type: str, start_date: datetime.date, today: datetime.date
) -> list[tuple[ChecklistItem, datetime.date]]:
    """The default tasks of a campaign type with their deadlines: counted back
    from the start date, never before today (a campaign planned late gets its
    tasks due now) and never after the start date."""
    tasks = []
    for item in DEFAULT_CHECKLISTS.get(campaign_type, [_PLAN]):
        due = start_date - datetime.timedelta(days=item.days_before_start)
        tasks.append((item, min(max(due, today), start_date)))
    return tasks


def default_checklist(
    campaign_type: str, start_date: datetime.date, today: datetime.date
) -> list[tuple[str, datetime.date]]:
    """(title in the active language, deadline) of each default task (default_checklist_items)."""
    return [(str(item.title), due) for item, due in default_checklist_items(campaign_type, start_date, today)]


# --- Effect: sell-in during the campaign against the same-length period before ------------
def comparison_period(start_date: datetime.date, end_date: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The same number of days just before the campaign: (first day, last day)."""
    length = (end_date - start_date).days + 1
    return start_date - datetime.timedelta(days=length), start_date - datetime.timedelta(days=1)


@dataclass(frozen=True)
class Lift:
    before: Decimal
    during: Decimal

    @property
    def change(self) -> Decimal:
        return self.during - self.before

    @property
    def ratio(self) -> Decimal | None:
        """(during − before) ÷ before, to four places; None when there was nothing before."""
        if self.before == 0:
            return None
        return (self.change / self.before).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)


def lift(before, during) -> Lift:
    """The lift of sell-in from the period before to the campaign period."""
    before, during = Decimal(before), Decimal(during)
    if before < 0 or during < 0:
        raise ValueError("Sell-in cannot be negative.")
    return Lift(before=before, during=during)


def achievement(actual, target) -> Decimal | None:
    """actual ÷ target (1 = objective reached), to four places; None without an actual."""
    if actual is None:
        return None
    target = Decimal(target)
    if target <= 0:
        raise ValueError("The target must be positive.")
    return (Decimal(actual) / target).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)


def costs_add_up(budget, manufacturer_cost, dealer_cost) -> bool:
    """The cost split must account for the whole budget, no more, no less."""
    return Decimal(manufacturer_cost) + Decimal(dealer_cost) == Decimal(budget)


def progress_percent(*, done: int, total: int) -> int:
    """The share done in whole percent (half rounded to even, like round()); 0 of nothing is 0."""
    return round(100 * done / total) if total else 0
