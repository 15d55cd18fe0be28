"""Leads after the event: assigning them to reps, a rep's leads and their follow-up."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import F
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from common.exceptions import StateConflict
from common.forms import add_service_errors
from promotions import permissions, selectors, services
from promotions.calculations import clock_dates
from promotions.forms import FollowUpForm, LeadFilterForm
from promotions.models import Attendee, interest_rank
from promotions.views.helpers import PAGE_SIZE, _staff_campaign_or_404


@login_required
def assign(request, pk: int):
    """The assignment screen: every lead with a rep to choose (SPEC §4: within 3 days)."""
    user = request.user
    campaign = _staff_campaign_or_404(user, pk)
    if not permissions.can_manage(user, campaign):
        raise PermissionDenied
    reps = list(selectors.assignable_reps(user=user, campaign=campaign))
    leads = list(
        Attendee.objects.filter(campaign=campaign).leads().select_related("assigned_to").with_follow_up_state()
        .order_by(F("assigned_to").asc(nulls_first=True), interest_rank(), "name", "id")
    )
    errors = []
    if request.method == "POST":
        assignments = _assignments_from(request.POST, leads)
        try:
            changed = services.leads_assign(campaign=campaign, by=user, assignments=assignments)
            messages.success(request, _("%(count)d leads assigned.") % {"count": changed})
            return redirect("promotions:assign", campaign.pk)
        except ValidationError as error:
            errors = error.messages
        except StateConflict as error:
            errors = [str(error)]
    return render(request, "promotions/assign.html", {
        "campaign": campaign, "reps": reps, "leads": leads, "errors": errors,
        "unassigned": sum(1 for lead in leads if lead.assigned_to_id is None),
        "assign_by": clock_dates(campaign.end_date).assign_by,
    })


def _assignments_from(post, leads) -> dict[int, int | None]:
    """{lead id: rep id or None} from the form: a rep per lead (`rep-<id>`), or one
    rep (`bulk_rep`) for the ticked leads (`pick`)."""
    assignments: dict[int, int | None] = {}
    bulk_rep = post.get("bulk_rep", "")
    picked = {value for value in post.getlist("pick") if value.isdigit()}
    for lead in leads:
        if bulk_rep.isdigit() and str(lead.pk) in picked:
            assignments[lead.pk] = int(bulk_rep)
            continue
        value = post.get(f"rep-{lead.pk}")
        if value is None:
            continue
        rep_id = int(value) if value.isdigit() else None
        if rep_id != lead.assigned_to_id:
            assignments[lead.pk] = rep_id
    for value in picked - {str(lead.pk) for lead in leads}:
        assignments[int(value)] = int(bulk_rep) if bulk_rep.isdigit() else None  # refused by the service
    return assignments


@login_required
def my_leads(request):
    """A rep's leads to follow up (others: the leads of their campaigns)."""
    user = request.user
    if not permissions.can_see_attendees(user):
        raise Http404
    form = LeadFilterForm(request.GET or None)
    state = form.cleaned_data["state"] if form.is_valid() else ""
    leads = selectors.lead_list(user=user)
    if state == "":
        leads = leads.filter(followed_up=False)
    elif state == "done":
        leads = leads.filter(followed_up=True)
    leads = leads.order_by("campaign__end_date", interest_rank(), "name", "id")
    page = Paginator(leads, PAGE_SIZE).get_page(request.GET.get("page"))
    for lead in page:
        lead.follow_up_due = clock_dates(lead.campaign.end_date).follow_up_by
    return render(request, "promotions/my_leads.html", {
        "page": page, "form": form, "state": state, "today": timezone.localdate(), "is_rep": user.effective_role == "rep",
    })


@login_required
def lead_detail(request, lead_id: int):
    """A lead with its follow-ups; its rep logs a new one here (anyone else: 404 or 403)."""
    user = request.user
    lead = get_object_or_404(
        selectors.lead_queryset_for(user).select_related("campaign", "assigned_to", "recorded_by", "prospect"), pk=lead_id
    )
    may_log = permissions.can_log_follow_up(user, lead)
    form = FollowUpForm(request.POST or None, user=user, lead=lead) if may_log else None
    if request.method == "POST":
        if not may_log:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.lead_follow_up_log(attendee=lead, by=user, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                lead.refresh_from_db()
                if lead.prospect_id:
                    messages.success(request, _("Follow-up logged: %(dealer)s is now a prospect dealer in your pipeline.")
                                     % {"dealer": lead.prospect.name})
                    return redirect("dealers:detail", lead.prospect_id)
                messages.success(request, _("Follow-up logged."))
                return redirect("promotions:my_leads")
    follow_ups = lead.follow_ups.select_related("by").order_by("-at", "-id")
    return render(request, "promotions/lead_detail.html", {
        "lead": lead, "form": form, "may_log": may_log, "follow_ups": follow_ups,
        "follow_up_due": clock_dates(lead.campaign.end_date).follow_up_by,
    })
