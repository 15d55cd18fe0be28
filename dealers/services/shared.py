"""Small helpers the dealers services share."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils.functional import lazy

from accounts.models import Role
from common.formatting import format_date
from dealers.models import Dealer

FUTURE_TOLERANCE = timedelta(minutes=5)


def _is_active_rep(user) -> bool:
    return user is not None and user.is_active and user.role == Role.REP


# A date written in the recipient's language (rendered inside notification_deliver_in_language).
_format_date_lazy = lazy(format_date, str)


def _dealer_url(dealer: Dealer) -> str:
    return reverse("dealers:detail", args=[dealer.pk])
