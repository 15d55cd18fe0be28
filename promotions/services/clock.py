"""The post-event follow-up clock that Celery beat runs (SPEC §4, seed 001)."""

import datetime
import logging
from collections import Counter

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation

from accounts.models import User
from notifications.services import notification_deliver_in_language
from promotions import calculations
from promotions.calculations import ClockStep
from promotions.models import (
    AFTER_EVENT_STATUSES,
    Attendee,
    Campaign,
    CampaignStatus,
    ThankYou,
    ThankYouStatus,
)
from promotions.services.campaigns import campaigns_follow_dates
from promotions.services.messages import (
    FOLLOW_UP_ESCALATION_BODY,
    FOLLOW_UP_ESCALATION_REP,
    FOLLOW_UP_ESCALATION_TITLE,
    FOLLOW_UP_ESCALATION_UNASSIGNED,
    FOLLOW_UP_REMINDER_BODY,
    FOLLOW_UP_REMINDER_TITLE,
    REVIEW_ESCALATION_BODY,
    REVIEW_ESCALATION_TITLE,
    REVIEW_REMINDER_BODY,
    REVIEW_REMINDER_TITLE,
    THANK_YOU_DONE_BODY,
    THANK_YOU_DONE_TITLE,
    UNASSIGNED_BODY,
    UNASSIGNED_TITLE,
)
from promotions.services.preparation import preparation_task_reminders
from promotions.services.shared import _campaign_url, _date, managers_overseeing
from promotions.services.thank_you import _queue_thank_you_email, _thank_you_message

logger = logging.getLogger(__name__)


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
        notification_deliver_in_language(
            recipient=campaign.owner, key=f"campaign:{campaign.pk}:thank-you", title=THANK_YOU_DONE_TITLE,
            body=THANK_YOU_DONE_BODY, campaign=campaign.name, count=sent, emailed=emailed,
            url=_campaign_url(campaign), kind="promotions.clock",
        )
    return sent


def _step_unassigned_reminder(campaign: Campaign, today: datetime.date) -> int:
    """Day 3: leads still without a rep remind the owner."""
    count = Attendee.objects.filter(campaign=campaign, assigned_to__isnull=True).leads().count()
    if not count:
        return 0
    return int(notification_deliver_in_language(
        recipient=campaign.owner, key=f"campaign:{campaign.pk}:leads-unassigned", title=UNASSIGNED_TITLE, body=UNASSIGNED_BODY,
        campaign=campaign.name, count=count, date=_date(calculations.clock_dates(campaign.end_date).assign_by),
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
        delivered += notification_deliver_in_language(
            recipient=rep, key=f"campaign:{campaign.pk}:follow-up-reminder", title=FOLLOW_UP_REMINDER_TITLE,
            body=FOLLOW_UP_REMINDER_BODY, campaign=campaign.name, count=count, date=due,
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
        delivered += notification_deliver_in_language(
            recipient=manager, key=f"campaign:{campaign.pk}:follow-ups-overdue", title=FOLLOW_UP_ESCALATION_TITLE,
            body=FOLLOW_UP_ESCALATION_BODY,
            campaign=campaign.name, summary=summary, date=_date(calculations.clock_dates(campaign.end_date).follow_up_by),
            url=_campaign_url(campaign, "promotions:attendees"), kind="promotions.escalation",
        )
    return delivered


def _step_review_reminder(campaign: Campaign, today: datetime.date) -> int:
    """Day 5: the owner is reminded the review is due by day 7."""
    if campaign.status != CampaignStatus.ENDED:
        return 0
    return int(notification_deliver_in_language(
        recipient=campaign.owner, key=f"campaign:{campaign.pk}:review-due", title=REVIEW_REMINDER_TITLE,
        body=REVIEW_REMINDER_BODY,
        campaign=campaign.name, date=_date(calculations.clock_dates(campaign.end_date).review_by),
        url=_campaign_url(campaign, "promotions:review"), kind="promotions.clock",
    ))


def _step_review_escalation(campaign: Campaign, today: datetime.date) -> int:
    """Day 8: a review still not written is escalated to the managers."""
    if campaign.status != CampaignStatus.ENDED:
        return 0
    delivered = 0
    for manager in managers_overseeing(campaign):
        delivered += notification_deliver_in_language(
            recipient=manager, key=f"campaign:{campaign.pk}:review-overdue", title=REVIEW_ESCALATION_TITLE,
            body=REVIEW_ESCALATION_BODY,
            campaign=campaign.name, owner=campaign.owner, date=_date(calculations.clock_dates(campaign.end_date).review_by),
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
