"""seed_demo's promotions part: one campaign per type, one reviewed, one mid-clock; idempotent."""

import pytest
from django.core.management import call_command

from promotions.models import Attendee, Campaign, CampaignStatus, CampaignType, LeadFollowUp, ThankYou

pytestmark = pytest.mark.django_db


def snapshot():
    return (
        sorted(Campaign.objects.values_list("name", "status")), Attendee.objects.count(),
        LeadFollowUp.objects.count(), ThankYou.objects.count(),
    )


def test_seed_demo_promotions_tell_the_whole_story_and_twice_changes_nothing():
    call_command("seed_demo", "--quiet-logins")
    campaigns = list(Campaign.objects.all())
    assert {campaign.type for campaign in campaigns} == set(CampaignType.values)
    reviewed = Campaign.objects.get(status=CampaignStatus.REVIEWED)
    assert reviewed.review.lessons and reviewed.attendees.followed_up().count() == reviewed.attendees.leads().count()
    mid = Campaign.objects.get(status=CampaignStatus.ENDED)
    leads = mid.attendees.leads()
    assert 0 < leads.filter(assigned_to__isnull=False).count() < leads.count()
    assert 0 < leads.filter(assigned_to__isnull=False).followed_up().count() < leads.filter(assigned_to__isnull=False).count()
    assert ThankYou.objects.filter(attendee__campaign=mid).count() == mid.attendees.count()
    assert Campaign.objects.filter(status=CampaignStatus.DRAFT).exists()
    before = snapshot()
    call_command("seed_demo", "--quiet-logins")
    assert snapshot() == before
