"""Reads of the visits domain, always scoped to the user (docs/DEVELOPING.md "Scope first")."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from accounts.models import Role
from dealers.selectors import dealer_queryset_for

from .models import DealerRequest, StockCount, Visit


def visit_queryset_for(user) -> QuerySet[Visit]:
    """The visits `user` may see: HQ admin all; a manager those to the dealers of
    their regions; a rep their own visits; nobody else (a dealer sees its
    suggestion and requests in the portal, not the rep's visit records)."""
    visits = Visit.objects.all()
    if not user.is_authenticated:
        return visits.none()
    role = user.effective_role
    if role == Role.ADMIN:
        return visits
    if role == Role.MANAGER:
        return visits.filter(dealer__in=dealer_queryset_for(user))
    if role == Role.REP:
        return visits.filter(rep=user)
    return visits.none()


def stock_count_queryset_for(user) -> QuerySet[StockCount]:
    """Stock counts of the visits `user` may see; a dealer user also sees its own
    company's counts (the portal shows the latest suggestion)."""
    if user.is_authenticated and user.effective_role == Role.DEALER:
        return StockCount.objects.filter(dealer_id=user.dealer_id)
    return StockCount.objects.filter(visit__in=visit_queryset_for(user))


def dealer_request_queryset_for(user) -> QuerySet[DealerRequest]:
    """Requests and commitments: HQ admin all; a manager those of their regions'
    dealers; a rep those of the dealers assigned to them and those they own; a
    dealer user its own company's."""
    requests = DealerRequest.objects.all()
    if not user.is_authenticated:
        return requests.none()
    role = user.effective_role
    if role == Role.ADMIN:
        return requests
    if role in (Role.MANAGER, Role.DEALER):
        return requests.filter(dealer__in=dealer_queryset_for(user))
    if role == Role.REP:
        return requests.filter(Q(dealer__rep=user) | Q(owner=user))
    return requests.none()
