"""Services and tasks: generation from plans (idempotent), missed visits,
reminders exactly once with time travel (a doubled beat included), discipline
figures on a small known world, violations from findings."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accounts.tests.factories import RepFactory
from common.exceptions import StateConflict
from dealers.models import ContactLog, DealerStatus, Violation
from dealers.tests.factories import DealerFactory
from notifications.models import Notification
from visits import selectors, services, tasks
from visits.models import DealerRequest, MarketCheck, ObservationKind, RequestStatus, Visit, VisitPlan, VisitStatus
from visits.tests.factories import (
    DealerRequestFactory,
    MarketCheckFactory,
    MarketObservationFactory,
    VisitFactory,
    VisitPlanFactory,
    at,
)

pytestmark = pytest.mark.django_db

MONDAY = datetime.date(2026, 11, 2)  # a Monday


def local(day, hour=0, minute=0):
    return at(day, hour, minute)


# --- generation ----------------------------------------------------------------------------
def test_visits_generate_is_idempotent(world):
    plan = VisitPlanFactory(dealer=world.dealer, rule="weekly", month_days=[], weekdays=[0, 3],
                            starts_on=MONDAY - datetime.timedelta(days=30))
    created = services.visits_generate(today=MONDAY, weeks=4)
    assert created == 8
    assert services.visits_generate(today=MONDAY, weeks=4) == 0
    assert Visit.objects.filter(plan=plan).count() == 8
    visit = Visit.objects.filter(plan=plan).first()
    assert visit.rep == world.rep and timezone.localtime(visit.scheduled_for).hour == 10


def test_visits_generate_moved_or_cancelled_occurrence_is_not_recreated(world):
    VisitPlanFactory(dealer=world.dealer, rule="weekly", month_days=[], weekdays=[0], starts_on=MONDAY)
    services.visits_generate(today=MONDAY, weeks=2)
    first = Visit.objects.order_by("scheduled_for").first()
    first.scheduled_for = local(MONDAY + datetime.timedelta(days=1), 15)
    first.save()
    services.visits_generate(today=MONDAY, weeks=2)
    assert Visit.objects.count() == 2


def test_visits_generate_skips_dealers_not_active_or_without_rep(world):
    VisitPlanFactory(dealer=DealerFactory(region=world.city, rep=None))
    VisitPlanFactory(dealer=DealerFactory(region=world.city, rep=world.rep, status=DealerStatus.SUSPENDED))
    VisitPlanFactory(dealer=world.dealer, is_active=False)
    assert services.visits_generate(today=MONDAY, weeks=4) == 0


def test_visit_plan_save_sets_cycle_and_regenerates_future_untouched_visits(world):
    with time_machine.travel(local(MONDAY, 8), tick=False):
        plan = services.visit_plan_save(dealer=world.dealer, by=world.rep, rule="weekly", weekdays=[2], starts_on=MONDAY)
        assert plan.cycle_days == 7
        assert {timezone.localtime(v.scheduled_for).weekday() for v in plan.visits.all()} == {2}
        plan = services.visit_plan_save(dealer=world.dealer, by=world.rep, rule="monthly_days", month_days=[10, 25])
        assert plan.cycle_days == 15
        assert {timezone.localtime(v.scheduled_for).day for v in plan.visits.all()} <= {10, 25}
    assert VisitPlan.objects.count() == 1


def test_visit_plan_save_monthly_without_days_is_refused(world):
    with pytest.raises(ValidationError) as error:
        services.visit_plan_save(dealer=world.dealer, by=world.rep, rule="monthly_days", month_days=[])
    assert error.value.message_dict == {"month_days": [str(services.RULE_DAYS_REQUIRED)]}


def test_generate_task_runs(world):
    VisitPlanFactory(dealer=world.dealer, rule="every_n_days", month_days=[], interval_days=7,
                     starts_on=timezone.localdate())
    assert tasks.generate_visits() == 4  # today, +7, +14, +21: four weeks
    assert tasks.generate_visits() == 0


# --- missed ----------------------------------------------------------------------------------
def test_visits_mark_missed_after_end_of_day_only_open_visits(world):
    planned = VisitFactory(dealer=world.dealer, scheduled_for=local(MONDAY, 10))
    started = VisitFactory(dealer=world.dealer, scheduled_for=local(MONDAY, 14), status=VisitStatus.IN_PROGRESS)
    done = VisitFactory(dealer=world.dealer, scheduled_for=local(MONDAY, 16), status=VisitStatus.COMPLETED)
    with time_machine.travel(local(MONDAY, 23, 59), tick=False):
        assert services.visits_mark_missed() == 0
    with time_machine.travel(local(MONDAY + datetime.timedelta(days=1), 0, 5), tick=False):
        assert services.visits_mark_missed() == 2
        assert services.visits_mark_missed() == 0
    for visit, status in ((planned, "missed"), (started, "missed"), (done, "completed")):
        visit.refresh_from_db()
        assert visit.status == status


# --- the gate -------------------------------------------------------------------------------
def test_visit_start_without_check_conflicts_and_after_check_starts(world):
    visit = VisitFactory(dealer=world.dealer)
    with pytest.raises(StateConflict):
        services.visit_start(visit=visit, by=world.rep)
    services.market_check_save(visit=visit, by=world.rep, skipped_reason="Flooded roads")
    visit = services.visit_start(visit=visit, by=world.rep)
    assert visit.status == VisitStatus.IN_PROGRESS


def test_visit_start_with_bad_location_is_refused_and_not_started(world):
    visit = VisitFactory(dealer=world.dealer)
    MarketCheckFactory(visit=visit)
    with pytest.raises(ValidationError):
        services.visit_start(visit=visit, by=world.rep, latitude="95", longitude="120")
    visit.refresh_from_db()
    assert visit.status == VisitStatus.PLANNED


def test_market_check_after_start_conflicts(world):
    visit = VisitFactory(dealer=world.dealer, status=VisitStatus.IN_PROGRESS)
    with pytest.raises(StateConflict):
        services.market_check_save(visit=visit, by=world.rep, notes="late")


def test_market_check_replaces_observations_all_or_nothing(world):
    visit = VisitFactory(dealer=world.dealer)
    services.market_check_save(visit=visit, by=world.rep, observations=[{"kind": "price", "outlet": "A"}])
    with pytest.raises(ValidationError):
        services.market_check_save(visit=visit, by=world.rep, observations=[
            {"kind": "display", "outlet": "B"}, {"kind": "nonsense"}])
    assert [o.outlet for o in MarketCheck.objects.get().observations.all()] == ["A"]


def test_observation_violation_record_twice_gives_one_violation(world):
    observation = MarketObservationFactory(market_check=MarketCheckFactory(visit=VisitFactory(dealer=world.dealer)),
                                           kind=ObservationKind.PRICE_DUMPING, outlet="Wanjia")
    first = services.observation_violation_record(observation=observation, by=world.rep)
    second = services.observation_violation_record(observation=observation, by=world.rep)
    assert first == second and Violation.objects.count() == 1 and first.type == "price_dumping"
    assert world.manager.notifications.filter(kind="violation").count() == 1


# --- requests -----------------------------------------------------------------------------------
def test_request_beyond_authority_without_manager_is_refused_and_not_saved(world):
    dealer = DealerFactory(rep=world.rep)  # its own region, no manager
    with pytest.raises(ValidationError):
        services.dealer_request_create(dealer=dealer, by=world.rep, description="Extra rebate",
                                       due_on=world.tomorrow, beyond_authority=True)
    assert not DealerRequest.objects.exists()


def test_request_done_tells_the_dealer(world):
    item = services.dealer_request_create(dealer=world.dealer, by=world.rep, description="Rack", due_on=world.tomorrow)
    assert item.owner == world.rep
    services.dealer_request_done(request=item, by=world.rep, answer="Rack installed")
    assert world.dealer_user.notifications.get().key == f"request:{item.pk}:done"


def test_request_decide_not_escalated_conflicts(world):
    item = DealerRequestFactory(dealer=world.dealer)
    with pytest.raises(StateConflict):
        services.dealer_request_decide(request=item, by=world.manager, approve=True, answer="")


# --- reminders ----------------------------------------------------------------------------------
def run_beat_twice():
    first = tasks.send_visit_reminders()
    second = tasks.send_visit_reminders()
    return first, second


def test_reminders_day_before_and_morning_exactly_once(world):
    visit = VisitFactory(dealer=world.dealer, scheduled_for=local(MONDAY + datetime.timedelta(days=1), 10))
    with time_machine.travel(local(MONDAY, 18), tick=False):
        first, second = run_beat_twice()
    assert first["day_before"] == 1 and second["day_before"] == 0
    with time_machine.travel(local(MONDAY + datetime.timedelta(days=1), 7), tick=False):
        first, second = run_beat_twice()
    assert first["morning"] == 1 and second["morning"] == 0
    keys = sorted(Notification.objects.filter(recipient=world.rep).values_list("key", flat=True))
    assert keys == [f"visit:{visit.pk}:day-before", f"visit:{visit.pk}:morning"]


def test_reminders_missed_visit_to_manager_once(world):
    visit = VisitFactory(dealer=world.dealer, scheduled_for=local(MONDAY, 10))
    with time_machine.travel(local(MONDAY + datetime.timedelta(days=1), 0, 20), tick=False):
        first, second = run_beat_twice()
    assert first["missed"] == 1 and second["missed"] == 0
    assert world.manager.notifications.get().key == f"visit:{visit.pk}:missed"
    assert not world.other_manager.notifications.exists()


def test_reminders_request_due_tomorrow_then_overdue_escalates_to_manager(world):
    item = DealerRequestFactory(dealer=world.dealer, due_on=MONDAY + datetime.timedelta(days=1))
    with time_machine.travel(local(MONDAY, 9), tick=False):
        first, second = run_beat_twice()
    assert first["due_tomorrow"] == 1 and second["due_tomorrow"] == 0
    with time_machine.travel(local(MONDAY + datetime.timedelta(days=2), 9), tick=False):
        first, second = run_beat_twice()
    assert first["overdue"] == 2 and second["overdue"] == 0
    assert world.rep.notifications.filter(key=f"request:{item.pk}:overdue").exists()
    assert world.manager.notifications.filter(key=f"request:{item.pk}:overdue").exists()


def test_reminders_done_request_is_not_reminded(world):
    DealerRequestFactory(dealer=world.dealer, due_on=MONDAY - datetime.timedelta(days=2), status=RequestStatus.DONE)
    with time_machine.travel(local(MONDAY, 9), tick=False):
        assert tasks.send_visit_reminders()["overdue"] == 0


# --- discipline ---------------------------------------------------------------------------------
def test_rep_discipline_figures_on_a_known_world(world):
    """November 2026, seen on Friday the 6th: 5 working days (2–6 Nov). The rep has
    4 active dealers; contacts on working days: Mon 3 dealers (2 visits + 1 log),
    Tue 1 → 4 dealer-days; 3 of the 4 dealers contacted (a Saturday log does not count per day)."""
    dealers = [world.dealer] + [DealerFactory(region=world.city, rep=world.rep) for _ in range(3)]
    monday, tuesday = MONDAY, MONDAY + datetime.timedelta(days=1)
    done = []
    for dealer, day in ((dealers[0], monday), (dealers[1], monday), (dealers[0], tuesday)):
        visit = VisitFactory(dealer=dealer, scheduled_for=local(day, 9), status=VisitStatus.COMPLETED,
                             started_at=local(day, 9, 30), completed_at=local(day, 10))
        done.append(visit)
    MarketCheckFactory(visit=done[0], checked_at=local(monday, 8))        # before the start
    MarketCheckFactory(visit=done[1], checked_at=local(monday, 8), skipped_reason="Rain")  # skipped
    VisitFactory(dealer=dealers[3], scheduled_for=local(MONDAY + datetime.timedelta(days=10), 9))  # planned later
    ContactLog.objects.create(dealer=dealers[2], logged_by=world.rep, summary="Call", contacted_at=local(monday, 15))
    ContactLog.objects.create(dealer=dealers[2], logged_by=world.rep, summary="Sat", contacted_at=local(MONDAY + datetime.timedelta(days=5), 15))
    RepFactory(username="rep_idle")
    with time_machine.travel(local(MONDAY + datetime.timedelta(days=4), 18), tick=False):
        rows = selectors.rep_discipline(user=world.manager, month=MONDAY)
    row = next(r for r in rows if r["rep"] == world.rep)
    # dealer-days on working days: Mon {d0, d1, d2}, Tue {d0} = 4 over 5 working days
    assert row["contacts_per_day"] == Decimal("0.8") and not row["contacts_per_day_met"]
    assert (row["dealers_contacted"], row["dealers_assigned"]) == (3, 4) and row["share_met"]
    assert row["visits_completed"] == 3 and not row["visits_met"]
    assert row["visits_planned"] == 4
    assert (row["market_checks_before"], row["visits_started"]) == (1, 3) and not row["market_checks_met"]
    assert "rep_idle" not in {r["rep"].username for r in rows}


def test_rep_discipline_rep_sees_only_self(world):
    rows = selectors.rep_discipline(user=world.rep, month=world.today)
    assert [r["rep"] for r in rows] == [world.rep]


def test_rep_discipline_queries_are_bounded(world, django_assert_max_num_queries):
    for _ in range(5):
        dealer = DealerFactory(region=world.city, rep=RepFactory())
        VisitFactory(dealer=dealer, status=VisitStatus.COMPLETED, completed_at=timezone.now())
    with django_assert_max_num_queries(6):
        selectors.rep_discipline(user=world.manager, month=world.today)


def test_reminders_day_before_waits_for_the_evening(world):
    VisitFactory(dealer=world.dealer, scheduled_for=local(MONDAY + datetime.timedelta(days=1), 10))
    with time_machine.travel(local(MONDAY, 9), tick=False):
        assert tasks.send_visit_reminders()["day_before"] == 0
    with time_machine.travel(local(MONDAY, services.DAY_BEFORE_FROM_HOUR, 20), tick=False):
        assert tasks.send_visit_reminders()["day_before"] == 1


def test_visits_generate_moves_coming_planned_visits_to_the_new_rep(world):
    VisitPlanFactory(dealer=world.dealer, rule="weekly", month_days=[], weekdays=[0], starts_on=MONDAY)
    past = VisitFactory(dealer=world.dealer, scheduled_for=local(MONDAY - datetime.timedelta(days=7)),
                        status=VisitStatus.COMPLETED)
    services.visits_generate(today=MONDAY, weeks=2)
    world.dealer.rep = world.rep_2
    world.dealer.save()
    services.visits_generate(today=MONDAY, weeks=2)
    assert set(Visit.objects.filter(plan__isnull=False).values_list("rep", flat=True)) == {world.rep_2.pk}
    past.refresh_from_db()
    assert past.rep == world.rep


def test_request_with_a_visit_to_another_dealer_is_refused(world):
    visit = VisitFactory(dealer=world.dealer_2)
    with pytest.raises(ValidationError) as error:
        services.dealer_request_create(dealer=world.dealer, by=world.manager, description="Rack",
                                       due_on=world.tomorrow, visit=visit)
    assert error.value.message_dict == {"visit": [str(services.VISIT_OF_ANOTHER_DEALER)]}


def test_beat_schedule_names_registered_visit_tasks(settings):
    from dealer_crm.celery import app

    names = [entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values() if entry["task"].startswith("visits.")]
    assert sorted(names) == ["visits.tasks.generate_visits", "visits.tasks.mark_missed_visits",
                             "visits.tasks.send_visit_reminders"]
    app.loader.import_default_modules()
    assert set(names) <= set(app.tasks)


def test_visit_plan_defaults_update_and_apply_to_dealers_without_a_plan():
    from accounts.tests.factories import AdminFactory
    from dealers.tests.factories import DealerFactory
    from visits.models import VisitPlan, VisitPlanDefaults

    admin = AdminFactory()
    services.visit_plan_defaults_update(rule="every_n_days", interval_days=7, weeks_ahead=2, by=admin)
    assert VisitPlanDefaults.current().interval_days == 7
    planned, unplanned = DealerFactory(), DealerFactory()
    services.visit_plan_save(dealer=planned, by=admin, rule="weekly", weekdays=[0])
    assert services.visit_plans_apply_defaults(dealers=[planned, unplanned], by=admin) == 1
    plan = VisitPlan.objects.get(dealer=unplanned)
    assert (plan.rule, plan.interval_days, plan.cycle_days) == ("every_n_days", 7, 7)
    assert plan.visits.count() == 2  # every 7 days, two weeks ahead
    assert VisitPlan.objects.get(dealer=planned).rule == "weekly"


def test_visit_plan_defaults_refuse_a_rule_without_days():
    from accounts.tests.factories import AdminFactory

    with pytest.raises(ValidationError):
        services.visit_plan_defaults_update(rule="monthly_days", month_days=[], by=AdminFactory())


def test_visit_update_moves_and_takes_notes_in_one_step(world):
    visit = VisitFactory(dealer=world.dealer, status=VisitStatus.IN_PROGRESS)
    updated = services.visit_update(visit=visit, by=world.rep, notes={"policy_notes": " Q4 tiers "})
    assert updated.policy_notes == "Q4 tiers"


def test_visit_update_refused_part_leaves_the_visit_unchanged(world):
    visit = VisitFactory(dealer=world.dealer, scheduled_for=at(world.tomorrow))
    with pytest.raises(PermissionDenied):
        services.visit_update(visit=visit, by=world.manager, scheduled_for=at(world.tomorrow, 16),
                              notes={"policy_notes": "x"})
    visit.refresh_from_db()
    assert visit.scheduled_for == at(world.tomorrow)


def test_visit_update_cancel_needs_the_managing_role(world):
    visit = VisitFactory(dealer=world.dealer)
    with pytest.raises(PermissionDenied):
        services.visit_update(visit=visit, by=world.rep_2, cancel=True, cancel_reason="no")
    assert Visit.objects.get(pk=visit.pk).status == VisitStatus.PLANNED
