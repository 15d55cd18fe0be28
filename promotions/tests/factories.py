"""Factories for campaigns, tasks, attendees, follow-ups and reviews.

`CampaignFactory(dealers=[d], regions=[r], products=[p])` makes a bare campaign
row (status as given, no default checklist); use `services.campaign_create` when
a test is about creation itself. `campaign_ended(...)` gives an ended campaign
whose follow-up clock is ready to run.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

import factory
from django.utils import timezone

from promotions.models import (
    Attendee,
    Campaign,
    CampaignProduct,
    CampaignReview,
    CampaignStatus,
    CampaignType,
    FollowUpChannel,
    FollowUpOutcome,
    Interest,
    LeadFollowUp,
    ObjectiveKind,
    PreparationTask,
)


class CampaignFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Campaign
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Campaign {n}")
    type = CampaignType.IN_STORE
    theme = "Family pack"
    objective_kind = ObjectiveKind.SELL_IN_VOLUME
    objective_target = Decimal("100")
    start_date = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=14))
    end_date = factory.LazyAttribute(lambda campaign: campaign.start_date + datetime.timedelta(days=6))
    budget = Decimal("10000.00")
    manufacturer_cost = Decimal("7000.00")
    dealer_cost = Decimal("3000.00")
    status = CampaignStatus.DRAFT
    owner = factory.SubFactory("accounts.tests.factories.ManagerFactory")
    created_by = factory.SelfAttribute("owner")

    @factory.post_generation
    def regions(self, create, extracted, **kwargs):
        if create and extracted:
            self.regions.set(extracted)

    @factory.post_generation
    def dealers(self, create, extracted, **kwargs):
        if create and extracted:
            self.dealers.set(extracted)

    @factory.post_generation
    def products(self, create, extracted, **kwargs):
        """`products=[product, ...]` or `[(product, promotion_price, expected_volume), ...]`."""
        if not (create and extracted):
            return
        for item in extracted:
            product, price, volume = item if isinstance(item, tuple) else (item, None, None)
            CampaignProduct.objects.create(campaign=self, product=product, promotion_price=price, expected_volume=volume)


class CampaignProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CampaignProduct

    campaign = factory.SubFactory(CampaignFactory)
    product = factory.SubFactory("inventory.tests.factories.ProductFactory")


class PreparationTaskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PreparationTask

    campaign = factory.SubFactory(CampaignFactory)
    title = factory.Sequence(lambda n: f"Task {n}")
    owner = factory.SelfAttribute("campaign.owner")
    due_date = factory.LazyFunction(timezone.localdate)


class AttendeeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Attendee

    campaign = factory.SubFactory(CampaignFactory, status=CampaignStatus.RUNNING)
    name = factory.Sequence(lambda n: f"Guest {n}")
    phone = factory.Sequence(lambda n: f"1380000{n:04d}")
    company = factory.Sequence(lambda n: f"Shop {n}")
    email = ""
    interest = Interest.WARM
    recorded_by = factory.SelfAttribute("campaign.owner")


class LeadFollowUpFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LeadFollowUp

    attendee = factory.SubFactory(AttendeeFactory)
    by = factory.SelfAttribute("attendee.assigned_to")
    channel = FollowUpChannel.CALL
    outcome = FollowUpOutcome.INTERESTED
    note = "Called; wants a price list."


class CampaignReviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CampaignReview

    campaign = factory.SubFactory(CampaignFactory, status=CampaignStatus.REVIEWED)
    objective_actual = Decimal("80")
    what_worked = "Tastings at the entrance."
    what_did_not_work = "Stock arrived late."
    lessons = "Ship a week earlier."
    written_by = factory.SelfAttribute("campaign.owner")


def campaign_ended(*, end_date: datetime.date, days: int = 2, **kwargs) -> Campaign:
    """An ended campaign whose last day was `end_date`."""
    return CampaignFactory(
        status=CampaignStatus.ENDED, start_date=end_date - datetime.timedelta(days=days - 1), end_date=end_date,
        **kwargs,
    )
