"""What the promotions pages share: the page size and the campaign looked up in scope (else 404)."""

from __future__ import annotations

from django.http import Http404

from promotions import permissions, selectors
from promotions.models import Campaign

PAGE_SIZE = 25


def _campaign_or_404(user, pk: int) -> Campaign:
    try:
        return selectors.campaign_detail(user=user, pk=pk)
    except Campaign.DoesNotExist as error:
        raise Http404 from error


def _staff_campaign_or_404(user, pk: int) -> Campaign:
    """A campaign page only the field staff use (attendees, leads): dealer users,
    finance and warehouse never see these, so 404 for them too."""
    if not permissions.can_see_attendees(user):
        raise Http404
    return _campaign_or_404(user, pk)
