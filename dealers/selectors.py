from __future__ import annotations

from django.db.models import QuerySet

from accounts.models import Role
from dealers.models import Dealer
from regions.models import subtree_q
from regions.selectors import regions_managed_by


def dealer_queryset_for(user) -> QuerySet[Dealer]:
    """The dealers `user` may see: the one scope every dealer page, endpoint and
    export starts from (SPEC "Who uses it").

    HQ admin, finance and warehouse: all; manager: the dealers of their regions'
    subtrees; rep: the dealers assigned to them; dealer user: only its own company.
    """
    dealers = Dealer.objects.all()
    if not user.is_authenticated:
        return dealers.none()
    role = user.effective_role
    if role in (Role.ADMIN, Role.FINANCE, Role.WAREHOUSE):
        return dealers
    if role == Role.MANAGER:
        return dealers.filter(subtree_q(regions_managed_by(user), prefix="region__"))
    if role == Role.REP:
        return dealers.filter(rep=user)
    if role == Role.DEALER:
        return dealers.filter(pk=user.dealer_id)
    return dealers.none()
