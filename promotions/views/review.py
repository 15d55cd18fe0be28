"""The campaign's review and its effect (sell-in against the period before)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from accounts.policy import is_dealer_user
from common.exceptions import StateConflict
from common.forms import add_service_errors
from promotions import permissions, selectors, services
from promotions.calculations import clock_dates
from promotions.forms import ReviewForm
from promotions.models import LIVE_STATUSES, CampaignStatus
from promotions.views.helpers import _campaign_or_404, _staff_campaign_or_404


@login_required
def review(request, pk: int):
    user = request.user
    campaign = _staff_campaign_or_404(user, pk)
    existing = selectors.campaign_review_or_none(campaign)
    if existing is None and not permissions.can_manage(user, campaign):
        raise PermissionDenied
    form = ReviewForm(request.POST or None, campaign=campaign)
    if request.method == "POST":
        if not permissions.can_manage(user, campaign):
            raise PermissionDenied
        if form.is_valid():
            try:
                services.campaign_review_write(campaign=campaign, by=user, **form.cleaned_data)
                messages.success(request, _("Review written: the campaign is closed."))
                return redirect("promotions:detail", campaign.pk)
            except ValidationError as error:
                add_service_errors(form, error)
            except StateConflict as error:
                messages.error(request, str(error))
    return render(request, "promotions/review.html", {
        "campaign": campaign, "form": form, "review": existing,
        "objective": selectors.objective_result(campaign=campaign, user=request.user),
        "can_write": campaign.status == CampaignStatus.ENDED and existing is None,
        "review_by": clock_dates(campaign.end_date).review_by,
    })


@login_required
def effect(request, pk: int):
    """Sell-in during the campaign against the same-length period before, per dealer and product."""
    user = request.user
    if is_dealer_user(user):
        raise Http404
    campaign = _campaign_or_404(user, pk)
    result = selectors.campaign_effect(campaign=campaign, user=user)
    by_product = result.by_product()
    chart = {
        "labels": [str(product) if product else "—" for product, _totals in by_product],
        "before": [int(totals.quantity.before) for _product, totals in by_product],
        "during": [int(totals.quantity.during) for _product, totals in by_product],
        "before_label": _("Before (%(start)s – %(end)s)") % {"start": result.before[0], "end": result.before[1]},
        "during_label": _("During (%(start)s – %(end)s)") % {"start": result.during[0], "end": result.during[1]},
    }
    rows = sorted(result.rows, key=lambda row: (str(row.dealer), str(row.product)))
    return render(request, "promotions/effect.html", {
        "campaign": campaign, "effect": result, "totals": result.totals, "by_product": by_product,
        "by_dealer": result.by_dealer(), "rows": rows, "chart": chart,
        "objective": selectors.objective_result(campaign=campaign, user=user, effect_totals=result.totals),
        "live": campaign.status in LIVE_STATUSES,
    })
