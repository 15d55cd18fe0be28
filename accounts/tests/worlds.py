"""A world where every role has something waiting: the home worklists' tests
(unit and browser) build it with `worklist_world(size)`; each kind of work item
appears `size` times, so query bounds can be checked at two sizes."""

from __future__ import annotations

import datetime
from types import SimpleNamespace

from django.utils import timezone

from accounts.tests.factories import (
    AdminFactory,
    DealerUserFactory,
    FinanceFactory,
    ManagerFactory,
    RepFactory,
    WarehouseFactory,
)
from dealers.models import ApplicationStatus
from dealers.tests.factories import DealerApplicationFactory, DealerFactory
from inventory.models import OrderStatus
from inventory.tests.factories import order_in_state
from portal.models import QuestionStatus
from portal.tests.factories import QuestionFactory
from promotions.models import CampaignStatus, Interest
from promotions.tests.factories import AttendeeFactory, CampaignFactory
from rebates.tests.factories import RebateStatementFactory
from regions.tests.factories import RegionFactory
from visits.models import RequestStatus, VisitStatus
from visits.tests.factories import DealerRequestFactory, VisitFactory, at


def worklist_world(size: int = 1) -> SimpleNamespace:
    """Every worklist item of every role `size` times, in one region."""
    today = timezone.localdate()
    yesterday = today - datetime.timedelta(days=1)
    region = RegionFactory(name="Zhejiang")
    admin = AdminFactory(username="hq", first_name="Hui", last_name="Zhou")
    manager = ManagerFactory(username="manager", regions=[region], first_name="Min", last_name="Chen")
    rep = RepFactory(username="rep", first_name="Wei", last_name="Zhang")
    finance = FinanceFactory(username="finance", first_name="Yan", last_name="Liu")
    warehouse = WarehouseFactory(username="warehouse", first_name="Gang", last_name="Huang")
    dealers = [DealerFactory(name=f"Baishun {index} Trading", region=region, rep=rep) for index in range(size)]
    dealer_user = DealerUserFactory(username="dealer_clerk", dealer=dealers[0])  # no name: greeted by the company
    # Active dealers of the rep nobody contacted this month.
    quiet = [DealerFactory(name=f"Quiet {index} Store", region=region, rep=rep) for index in range(size)]
    items = SimpleNamespace(todays_visits=[], overdue_requests=[], escalations=[], missed=[], to_review=[],
                            to_confirm=[], awaiting_payment=[], to_pick=[], to_ship=[], drafts=[], ended=[],
                            leads=[], applications=[], statements=[], open_questions=[], answered=[])
    for dealer in dealers:
        items.todays_visits.append(VisitFactory(dealer=dealer, rep=rep, scheduled_for=at(today, 23, 0)))
        items.overdue_requests.append(DealerRequestFactory(dealer=dealer, owner=rep, due_on=yesterday))
        items.escalations.append(DealerRequestFactory(dealer=dealer, owner=rep, status=RequestStatus.ESCALATED,
                                                      escalated_to=manager, due_on=today + datetime.timedelta(days=3)))
        items.missed.append(VisitFactory(dealer=dealer, rep=rep, status=VisitStatus.MISSED,
                                         scheduled_for=at(today - datetime.timedelta(days=2))))
        done = timezone.now() - datetime.timedelta(minutes=1)  # this month, whatever the day
        items.to_review.append(VisitFactory(dealer=dealer, rep=rep, status=VisitStatus.COMPLETED,
                                            scheduled_for=done - datetime.timedelta(hours=1),
                                            started_at=done - datetime.timedelta(hours=1), completed_at=done))
        items.to_confirm.append(order_in_state(OrderStatus.SUBMITTED, dealer=dealer, by=admin))
        items.awaiting_payment.append(order_in_state(OrderStatus.CONFIRMED, dealer=dealer, by=admin))
        items.to_pick.append(order_in_state(OrderStatus.PAID, dealer=dealer, by=admin))
        items.to_ship.append(order_in_state(OrderStatus.PICKED, dealer=dealer, by=admin))
        items.drafts.append(CampaignFactory(owner=rep, created_by=rep, dealers=[dealer]))
        ended = CampaignFactory(owner=manager, status=CampaignStatus.ENDED, regions=[region],
                                start_date=today - datetime.timedelta(days=5), end_date=today - datetime.timedelta(days=2))
        items.ended.append(ended)
        items.leads.append(AttendeeFactory(campaign=ended, interest=Interest.HOT, assigned_to=rep,
                                           assigned_at=timezone.now()))
        items.applications.append(DealerApplicationFactory(region=region, status=ApplicationStatus.REVIEWED,
                                                           reviewed_by=rep, reviewed_at=timezone.now()))
        items.statements.append(RebateStatementFactory(dealer=dealer, period_start=today - datetime.timedelta(days=120),
                                                       period_end=today - datetime.timedelta(days=30)))
        items.open_questions.append(QuestionFactory(asked_by=dealer_user, dealer=dealer, subject=f"Delivery {dealer.pk}?"))
        items.answered.append(QuestionFactory(asked_by=dealer_user, dealer=dealers[0], status=QuestionStatus.ANSWERED,
                                              subject=f"Rebate {dealer.pk}?"))
    return SimpleNamespace(region=region, admin=admin, manager=manager, rep=rep, finance=finance, warehouse=warehouse,
                           dealers=dealers, quiet=quiet, dealer_user=dealer_user, items=items, size=size)
