"""Campaigns: the list, the form (create, edit), the campaign page and its status steps."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, QueryDict
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts.policy import is_dealer_user
from common.exceptions import StateConflict
from common.forms import add_service_errors
from promotions import permissions, selectors, services
from promotions.calculations import clock_dates
from promotions.filters import CampaignFilter
from promotions.forms import CAMPAIGN_SORTS, CampaignFilterForm, CampaignForm, ProductLineFormSet, TaskForm
from promotions.models import AFTER_EVENT_STATUSES, CAPTURE_STATUSES, Campaign, CampaignStatus
from promotions.views.helpers import PAGE_SIZE, _campaign_or_404
from promotions.workflow import MAIN_PATH, CampaignAction

ACTION_DONE = {
    CampaignAction.APPROVE: gettext_lazy("Campaign approved."),
    CampaignAction.START: gettext_lazy("Campaign started."),
    CampaignAction.END: gettext_lazy("Event ended: the follow-up clock has started."),
}


@login_required
def campaign_list(request):
    user = request.user
    form = CampaignFilterForm(request.GET or None)
    form.is_valid()  # shows what it cannot read; the filters (the API's) apply what they can
    filters = QueryDict(mutable=True)
    for name in CampaignFilterForm.base_fields:  # the filters the page shows
        filters.setlist(name, [value for value in request.GET.getlist(name) if value])
    campaigns = CampaignFilter(filters, queryset=selectors.campaign_list(user=user), request=request).qs
    ordering = request.GET.get("ordering", "")
    campaigns = campaigns.order_by(CAMPAIGN_SORTS.get(ordering, "-start_date"), "-id")
    page = Paginator(campaigns, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "promotions/campaign_list.html", {
        "page": page, "form": form, "ordering": ordering,
        "can_create": permissions.can_create_campaigns(user),
        "dealer_user": is_dealer_user(user),
    })


def _form_kwargs(campaign: Campaign) -> dict:
    return {
        "name": campaign.name, "type": campaign.type, "theme": campaign.theme,
        "objective_kind": campaign.objective_kind, "objective_target": campaign.objective_target,
        "start_date": campaign.start_date, "end_date": campaign.end_date, "venue": campaign.venue,
        "regions": list(campaign.regions.all()), "dealers": list(campaign.dealers.all()),
        "budget": campaign.budget, "manufacturer_cost": campaign.manufacturer_cost,
        "dealer_cost": campaign.dealer_cost, "materials": campaign.materials, "description": campaign.description,
        "owner": campaign.owner,
    }


def _campaign_form_page(request, *, campaign: Campaign | None):
    user = request.user
    initial = _form_kwargs(campaign) if campaign else {"owner": user}
    line_initial = [
        {"product": line.product, "promotion_price": line.promotion_price, "expected_volume": line.expected_volume}
        for line in campaign.product_lines.all()
    ] if campaign else []
    form = CampaignForm(request.POST or None, user=user, initial=initial)
    formset = ProductLineFormSet(request.POST or None, initial=line_initial, prefix="products")
    products_errors = []
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        data = dict(form.cleaned_data)
        data.setdefault("regions", [])
        if not data.get("owner"):
            data.pop("owner", None)
        try:
            if campaign is None:
                campaign = services.campaign_create(by=user, products=formset.lines(), **data)
                messages.success(request, _("Campaign drafted with its preparation checklist."))
            else:
                services.campaign_update(campaign=campaign, by=user, products=formset.lines(), **data)
                messages.success(request, _("Campaign saved."))
            return redirect("promotions:detail", campaign.pk)
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                products_errors = error.error_dict.pop("products", [])
                products_errors = [message for item in products_errors for message in item.messages]
            if not hasattr(error, "error_dict") or error.error_dict:
                add_service_errors(form, error)
        except StateConflict as error:
            messages.error(request, str(error))
            return redirect("promotions:detail", campaign.pk)
    return render(request, "promotions/campaign_form.html", {
        "form": form, "formset": formset, "campaign": campaign, "products_errors": products_errors,
    })


@login_required
def campaign_create(request):
    if not permissions.can_create_campaigns(request.user):
        raise PermissionDenied
    return _campaign_form_page(request, campaign=None)


@login_required
def campaign_edit(request, pk: int):
    campaign = _campaign_or_404(request.user, pk)
    if not permissions.can_edit(request.user, campaign):
        raise PermissionDenied
    return _campaign_form_page(request, campaign=campaign)


@login_required
def campaign_detail(request, pk: int):
    user = request.user
    campaign = _campaign_or_404(user, pk)
    dealer_user = is_dealer_user(user)
    progress = selectors.checklist(campaign.tasks.all())
    done, total = progress["tasks_done"], len(progress["tasks"])
    confirm_open_tasks = str(selectors.OPEN_TASKS_CONFIRM % {"open": total - done, "total": total}) if done < total else ""
    context = {
        "campaign": campaign, "dealer_user": dealer_user,
        "path": [(status, CampaignStatus(status).label) for status in MAIN_PATH],
        **progress, "today": timezone.localdate(), "confirm_open_tasks": confirm_open_tasks,
    }
    if not dealer_user:
        follow_up = selectors.campaign_follow_up_state(campaign=campaign)
        context.update({
            "actions": permissions.campaign_actions_for(user=user, campaign=campaign),
            "can_edit": permissions.can_edit(user, campaign),
            "can_manage": permissions.can_manage(user, campaign),
            "can_see_attendees": permissions.can_see_attendees(user),
            "can_record": permissions.can_record_attendees(user, campaign) and campaign.status in CAPTURE_STATUSES,
            "follow_up": follow_up,
            "objective": selectors.objective_result(campaign=campaign, user=user, follow_up=follow_up),
            "clock": clock_dates(campaign.end_date),
            "after_event": campaign.status in AFTER_EVENT_STATUSES,
            "review": selectors.campaign_review_or_none(campaign),
            "task_form": TaskForm(initial={"owner": campaign.owner, "due_date": campaign.start_date}),
            "participants": selectors.campaign_participant_queryset(campaign=campaign, user=user).count(),
        })
    return render(request, "promotions/campaign_detail.html", context)


@login_required
@require_POST
def campaign_transition(request, pk: int, action: str):
    campaign = _campaign_or_404(request.user, pk)
    if action not in ACTION_DONE:
        raise Http404
    warning = selectors.open_tasks_warning(campaign=campaign, action=action)
    try:
        services.campaign_transition(campaign=campaign, action=action, by=request.user)
    except StateConflict as error:
        messages.error(request, str(error))
    else:
        messages.success(request, ACTION_DONE[action])
        if warning:  # a warning, not a block: the checklist stays open to finish
            messages.warning(request, warning)
    return redirect("promotions:detail", campaign.pk)
