"""A world with two of everything, for the leak matrix (tests/security/matrix.py).

Two provinces under one country, "Alpha" and "Zeta". Each side has its manager
(assigned the province), its rep, a dealer in a city of the province (with a
dealer user), a prospect the rep works, and one of every record that hangs off
a dealer: contact, contact log, contracts (signed and draft), evaluation,
violation with a photo, onboarding memo, application, order with a payment and
a shipment, rebate statement, question, visit with market check, observation,
photo, stock count and comment, visit plan, request, a campaign of the province
with task, attendee (a lead assigned to the side's rep), follow-up and review,
a market size, notifications. Shared by both: products and prices, a rebate
plan, and a national campaign both dealers take part in (with sell-in on both
sides, so its effect has figures from each).

Everything Zeta is named with "Zeta" and everything Alpha with "Alpha", so a
search can be aimed at the other side. `zeta_more(world)` adds a second batch
of Zeta records (to Zeta's dealer and to a new Zeta dealer): nothing an Alpha
user sees may change when it runs.
"""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.tests.factories import (
    AdminFactory,
    DealerUserFactory,
    FinanceFactory,
    ManagerFactory,
    RepFactory,
    WarehouseFactory,
)
from dealers.models import (
    CommunicationMemo,
    DealerApplication,
    Evaluation,
    RepAssignment,
    ViolationPhoto,
)
from dealers.tests.factories import (
    ContactLogFactory,
    ContractFactory,
    DealerApplicationFactory,
    DealerContactFactory,
    DealerFactory,
    DraftContractFactory,
    ProspectFactory,
    ViolationFactory,
)
from inventory.models import OrderStatus, StockCount, StockCountLine, SuggestedOrderLine
from inventory.tests.factories import OrderFactory, PaymentFactory, ProductFactory, ShipmentFactory, ShipmentLineFactory
from notifications.models import Notification
from portal.tests.factories import QuestionFactory, QuestionMessageFactory
from promotions.models import CampaignStatus, Interest
from promotions.tests.factories import (
    AttendeeFactory,
    CampaignFactory,
    CampaignReviewFactory,
    LeadFollowUpFactory,
    PreparationTaskFactory,
)
from rebates.models import RebateAssignment, RebateStatement
from rebates.tests.factories import RebatePlanFactory, RebateStatementFactory
from regions.tests.factories import RegionFactory
from scorecards.models import MarketSize
from scorecards.tests.factories import MarketSizeFactory
from visits.models import VisitPhoto, VisitPlan, VisitStatus
from visits.tests.factories import (
    DealerRequestFactory,
    MarketCheckFactory,
    MarketObservationFactory,
    VisitCommentFactory,
    VisitFactory,
    VisitPlanFactory,
)

# The day the world lives on (tests travel here, so "today" never moves under them).
TODAY = datetime.date(2026, 6, 15)
NOW = timezone.make_aware(datetime.datetime(2026, 6, 15, 11, 0))


def tiny_png(name: str = "photo.png") -> SimpleUploadedFile:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), (200, 30, 30)).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


@dataclass
class Side:
    """One side of the world: its people and one of every record."""

    name: str
    province: object
    city: object
    manager: object
    rep: object
    dealer: object
    dealer_user: object
    objects: dict[str, object] = field(default_factory=dict)


@dataclass
class World:
    country: object
    alpha: Side
    zeta: Side
    admin: object
    finance: object
    warehouse: object
    products: list
    plan: object
    national: object

    def users(self) -> dict[str, object]:
        """The six roles, Alpha's where a role has a side."""
        return {
            "admin": self.admin, "manager": self.alpha.manager, "rep": self.alpha.rep,
            "finance": self.finance, "warehouse": self.warehouse, "dealer": self.alpha.dealer_user,
        }


def _side(name: str, country, products, plan, national) -> Side:
    province = RegionFactory(name=f"{name} Province", parent=country)
    city = RegionFactory(name=f"{name} City", parent=province)
    manager = ManagerFactory(username=f"manager_{name.lower()}", first_name=f"{name} Manager", regions=[province])
    rep = RepFactory(username=f"rep_{name.lower()}", first_name=f"{name} Rep")
    dealer = DealerFactory(name=f"{name} Trading", region=city, rep=rep)
    dealer_user = DealerUserFactory(username=f"dealer_{name.lower()}", dealer=dealer)
    side = Side(name, province, city, manager, rep, dealer, dealer_user)
    populate(side, products=products, plan=plan, national=national)
    return side


def populate(side: Side, *, products, plan, national, tag: str = "") -> None:
    """One of every dealer-bound and region-bound record for `side` (again with another `tag`)."""
    name, dealer, rep, manager = f"{side.name}{tag}", side.dealer, side.rep, side.manager
    o = side.objects
    o["contact"] = DealerContactFactory(dealer=dealer, name=f"{name} Contact")
    o["contact_log"] = ContactLogFactory(dealer=dealer, logged_by=rep, summary=f"{name} call")
    o["contract"] = ContractFactory(dealer=dealer, territory=f"{name} county")
    o["draft_contract"] = DraftContractFactory(dealer=dealer, territory=f"{name} draft county")
    o["evaluation"] = Evaluation.objects.create(dealer=dealer, evaluator=rep, total=Decimal("3.50"), grade="B",
                                                comment=f"{name} evaluation")
    o["violation"] = ViolationFactory(dealer=dealer, reported_by=rep, evidence=f"{name} evidence")
    o["violation_photo"] = ViolationPhoto.objects.create(violation=o["violation"], image=tiny_png(), uploaded_by=rep)
    prospect = ProspectFactory(name=f"{name} Prospect", region=side.city, rep=rep)
    RepAssignment.objects.create(dealer=prospect, to_rep=rep, assigned_by=manager, reason="Given")
    o["prospect"] = prospect
    o["memo"] = CommunicationMemo.objects.create(dealer=prospect, author=rep, written_on=TODAY,
                                                 introductions=f"{name} memo")
    o["application"] = DealerApplicationFactory(company_name=f"{name} Applicant", region=side.province)
    o["reviewed_application"] = DealerApplicationFactory(company_name=f"{name} Reviewed", region=side.city,
                                                         status="reviewed", reviewed_by=rep)
    order = OrderFactory(dealer=dealer, placed_by=rep, lines=[(products[0], 12), (products[1], 3)],
                         status=OrderStatus.SHIPPED, submitted_at=NOW - datetime.timedelta(days=3))
    o["order"] = order
    o["payment"] = PaymentFactory(order=order, amount=Decimal("100.00"))
    shipment = ShipmentFactory(dealer=dealer, order=order, shipped_at=NOW - datetime.timedelta(days=2))
    ShipmentLineFactory(shipment=shipment, product=products[0], quantity=12)
    ShipmentLineFactory(shipment=shipment, product=products[1], quantity=3)
    o["shipment"] = shipment
    o["rebate_assignment"] = RebateAssignment.objects.get_or_create(plan=plan, dealer=dealer)[0]
    if "rebate_plan" not in o:  # the plans are HQ's catalogue: a second batch adds none
        o["rebate_plan"] = RebatePlanFactory(name=f"{name} plan")
    RebateAssignment.objects.get_or_create(plan=o["rebate_plan"], dealer=dealer)
    o["statement"] = RebateStatementFactory(
        dealer=dealer, plan=o["rebate_plan"], basis=Decimal("7130.00"), amount=Decimal("178.25"),
        period_start=datetime.date(2025, 1 + RebateStatement.objects.filter(dealer=dealer).count(), 1),
        period_end=datetime.date(2025, 1 + RebateStatement.objects.filter(dealer=dealer).count(), 28),
    )
    question = QuestionFactory(asked_by=side.dealer_user, dealer=dealer, subject=f"{name} question", body=f"{name} asks")
    QuestionMessageFactory(question=question, author=rep, body=f"{name} answer")
    o["question"] = question
    visit = VisitFactory(dealer=dealer, rep=rep, status=VisitStatus.COMPLETED,
                         scheduled_for=NOW - datetime.timedelta(days=1), started_at=NOW - datetime.timedelta(days=1),
                         completed_at=NOW - datetime.timedelta(days=1, hours=-1))
    check = MarketCheckFactory(visit=visit, recorded_by=rep, notes=f"{name} market", checked_at=NOW - datetime.timedelta(days=1, hours=1))
    o["visit"] = visit
    o["observation"] = MarketObservationFactory(market_check=check, outlet=f"{name} outlet", kind="cross_territory")
    o["visit_photo"] = VisitPhoto.objects.create(visit=visit, stage="display", image=tiny_png(), uploaded_by=rep)
    count = StockCount.objects.create(reference=visit.stock_count_reference, dealer=dealer, counted_by=rep, counted_at=NOW - datetime.timedelta(days=1))
    StockCountLine.objects.create(stock_count=count, product=products[0], quantity=17)
    SuggestedOrderLine.objects.create(stock_count=count, product=products[0], current_stock=17,
                                      coefficient=Decimal("1.50"), suggested_quantity=9)
    o["stock_count"] = count
    o["comment"] = VisitCommentFactory(visit=visit, author=manager, body=f"{name} comment")
    o["planned_visit"] = VisitFactory(dealer=dealer, rep=rep, scheduled_for=NOW + datetime.timedelta(days=1))
    if not VisitPlan.objects.filter(dealer=dealer).exists():
        o["visit_plan"] = VisitPlanFactory(dealer=dealer)
    o["request"] = DealerRequestFactory(dealer=dealer, owner=rep, visit=visit, description=f"{name} request")
    campaign = CampaignFactory(name=f"{name} Campaign", status=CampaignStatus.ENDED, owner=manager,
                               regions=[side.province], products=[products[0]],
                               start_date=TODAY - datetime.timedelta(days=5), end_date=TODAY - datetime.timedelta(days=1))
    o["campaign"] = campaign
    o["task"] = PreparationTaskFactory(campaign=campaign, owner=manager, title=f"{name} task")
    lead = AttendeeFactory(campaign=campaign, name=f"{name} Guest", company=f"{name} Shop", interest=Interest.HOT,
                           assigned_to=rep, recorded_by=manager)
    o["attendee"] = lead
    o["follow_up"] = LeadFollowUpFactory(attendee=lead, by=rep, note=f"{name} follow-up")
    o["review"] = CampaignReviewFactory(campaign=CampaignFactory(
        name=f"{name} Reviewed Campaign", status=CampaignStatus.REVIEWED, owner=manager, regions=[side.province],
        start_date=TODAY - datetime.timedelta(days=40), end_date=TODAY - datetime.timedelta(days=35),
    ), written_by=manager, lessons=f"{name} lessons")
    o["market_size"] = MarketSizeFactory(region=side.city, category=products[0].category,
                                         period_start=datetime.date(2026, 5 - MarketSize.objects.filter(region=side.city).count(), 1), amount=Decimal("91000.00"))
    for user in (manager, rep, side.dealer_user):
        o[f"notification_{user.role}"] = Notification.objects.create(
            recipient=user, key=f"world:{name}:{user.pk}", title=f"{name} news", url="/",
        )
    # Sell-in to the national campaign (before and during its dates).
    for days_ago, quantity in ((9, 5), (2, 20)):
        extra = OrderFactory(dealer=dealer, placed_by=rep, lines=[(products[0], quantity)], status=OrderStatus.SHIPPED,
                             submitted_at=NOW - datetime.timedelta(days=days_ago))
        ShipmentLineFactory(shipment=ShipmentFactory(dealer=dealer, order=extra, shipped_at=NOW - datetime.timedelta(days=days_ago)),
                            product=products[0], quantity=quantity)
    assert national.pk


def build_world() -> World:
    """The whole world (a few hundred rows)."""
    country = RegionFactory(name="Country")
    products = [ProductFactory(name="Cola 24", sku="COLA-24"), ProductFactory(name="Tea 12", sku="TEA-12")]
    plan = RebatePlanFactory(name="Shared flat plan")
    admin = AdminFactory(username="hq_admin")
    national = CampaignFactory(name="National Campaign", status=CampaignStatus.RUNNING, owner=admin, regions=[country],
                               products=[products[0]], start_date=TODAY - datetime.timedelta(days=4),
                               end_date=TODAY + datetime.timedelta(days=4))
    alpha = _side("Alpha", country, products, plan, national)
    zeta = _side("Zeta", country, products, plan, national)
    return World(country=country, alpha=alpha, zeta=zeta, admin=admin, finance=FinanceFactory(username="finance_x"),
                 warehouse=WarehouseFactory(username="warehouse_x"), products=products, plan=plan, national=national)


def zeta_more(world: World) -> None:
    """A second batch of Zeta: more records for Zeta's dealer and a new Zeta dealer with its own."""
    zeta = world.zeta
    again = Side(zeta.name, zeta.province, zeta.city, zeta.manager, zeta.rep, zeta.dealer, zeta.dealer_user,
                 {"rebate_plan": zeta.objects["rebate_plan"]})
    populate(again, products=world.products, plan=world.plan, national=world.national, tag=" Again")
    second = DealerFactory(name="Zeta Second Trading", region=zeta.city, rep=zeta.rep)
    DealerUserFactory(username="dealer_zeta_second", dealer=second)
    more = Side(zeta.name, zeta.province, zeta.city, zeta.manager, zeta.rep, second, second.users.first(),
                {"rebate_plan": zeta.objects["rebate_plan"]})
    populate(more, products=world.products, plan=world.plan, national=world.national, tag=" Second")
    DealerApplication.objects.create(company_name="Zeta Late Applicant", contact_name="Z", phone="1", email="z@example.com",
                                     region=zeta.province)
