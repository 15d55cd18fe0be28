"""Visit plans and the visits they generate: the rule checked, the plan saved, HQ's defaults, missed visits marked."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from common.dates import local_day_start
from dealers.models import Dealer, DealerStatus
from visits import calculations
from visits.models import PlanRule, Visit, VisitPlan, VisitPlanDefaults, VisitStatus
from visits.services.messages import RULE_DAYS_REQUIRED, RULE_INTERVAL_REQUIRED, RULE_WEEKDAYS_REQUIRED


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
    visit_time: datetime.time | None = None, is_active: bool = True, weeks: int | None = None,
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
        plan=plan, status=VisitStatus.PLANNED, scheduled_for__gte=local_day_start(tomorrow),
        market_check__isnull=True,
    ).delete()
    if plan.is_active:
        visits_generate(today=timezone.localdate(), weeks=weeks, plan_ids=[plan.pk])
    return plan


@transaction.atomic
def visit_plan_defaults_update(
    *, rule: str, month_days: Iterable[int] = (), weekdays: Iterable[int] = (), interval_days: int | None = None,
    visit_time: datetime.time | None = None, weeks_ahead: int = 4, by: User | None = None,
) -> VisitPlanDefaults:
    """Set the rule new plans start from and how far ahead visits are generated (HQ admin)."""
    month_days, weekdays, interval_days = _clean_plan(rule, month_days, weekdays, interval_days)
    defaults = VisitPlanDefaults.current()
    defaults = VisitPlanDefaults.objects.select_for_update().get(pk=defaults.pk)
    defaults.rule, defaults.month_days, defaults.weekdays, defaults.interval_days = rule, month_days, weekdays, interval_days
    defaults.visit_time = visit_time or defaults.visit_time
    defaults.weeks_ahead = weeks_ahead
    defaults.full_clean()
    defaults.save()
    return defaults


def visit_plans_apply_defaults(*, dealers: Iterable[Dealer], by: User, starts_on: datetime.date | None = None) -> int:
    """Give each of these dealers that has no plan yet a plan on HQ's default rule
    (and its visits). Returns how many plans were made; each is saved by
    visit_plan_save, so the rule is checked as for one plan."""
    defaults = VisitPlanDefaults.current()
    made = 0
    for dealer in dealers:
        if VisitPlan.objects.filter(dealer=dealer).exists():
            continue
        visit_plan_save(
            dealer=dealer, by=by, rule=defaults.rule, month_days=defaults.month_days, weekdays=defaults.weekdays,
            interval_days=defaults.interval_days, visit_time=defaults.visit_time, starts_on=starts_on,
        )
        made += 1
    return made


def visits_generate(*, today: datetime.date | None = None, weeks: int | None = None,
                    plan_ids: Sequence[int] | None = None) -> int:
    """Create the visits of every active plan (of an active dealer with a rep) for
    the next `weeks` weeks (default: HQ's visit plan defaults, 4). Idempotent: an
    occurrence already generated (even if moved or cancelled since) is never
    created again. Returns how many were created."""
    today = today or timezone.localdate()
    weeks = weeks or VisitPlanDefaults.current().weeks_ahead
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
        plan__isnull=False, status=VisitStatus.PLANNED, scheduled_for__gte=local_day_start(today),
        dealer__rep__isnull=False,
    ).exclude(rep_id=F("dealer__rep_id")).update(
        rep_id=Subquery(Dealer.objects.filter(pk=OuterRef("dealer_id")).values("rep_id")[:1])
    )


def visits_mark_missed(*, now: datetime.datetime | None = None) -> int:
    """A visit not completed by the end of its (local) day becomes missed. Idempotent."""
    now = now or timezone.now()
    today_start = local_day_start(timezone.localtime(now).date())
    return Visit.objects.filter(
        status__in=[VisitStatus.PLANNED, VisitStatus.IN_PROGRESS], scheduled_for__lt=today_start
    ).update(status=VisitStatus.MISSED, missed_at=now, updated_at=now)
