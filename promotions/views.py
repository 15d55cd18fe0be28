"""Pages of promotions, phone first. Every page starts from a scope function in
promotions.selectors (outside it: 404), asks promotions.permissions what the
user may do (else 403), and hands writes to promotions.services."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, F, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from common.exceptions import StateConflict
from common.exports import Column, export_response
from promotions import permissions, selectors, services
from promotions.calculations import clock_dates
from promotions.forms import (
    CAMPAIGN_SORTS,
    AttendeeFilterForm,
    AttendeeForm,
    AttendeeImportForm,
    CampaignFilterForm,
    CampaignForm,
    FollowUpForm,
    LeadFilterForm,
    ProductLineFormSet,
    ReviewForm,
    TaskForm,
    add_service_errors,
    people_q,
)
from promotions.models import (
    AFTER_EVENT_STATUSES,
    CAPTURE_STATUSES,
    LIVE_STATUSES,
    Attendee,
    Campaign,
    CampaignStatus,
    PreparationTask,
    interest_rank,
)
from promotions.workflow import MAIN_PATH, CampaignAction

PAGE_SIZE = 25
RECENT_ATTENDEES = 10

ACTION_DONE = {
    CampaignAction.APPROVE: gettext_lazy("Campaign approved."),
    CampaignAction.START: gettext_lazy("Campaign started."),
    CampaignAction.END: gettext_lazy("Event ended: the follow-up clock has started."),
}


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


# --- Campaigns -------------------------------------------------------------------------------
@login_required
def campaign_list(request):
    user = request.user
    form = CampaignFilterForm(request.GET or None)
    campaigns = selectors.campaign_list(user=user)
    if form.is_valid():
        data = form.cleaned_data
        if data["q"]:
            campaigns = campaigns.filter(Q(name__icontains=data["q"]) | Q(theme__icontains=data["q"]))
        if data["status"]:
            campaigns = campaigns.filter(status=data["status"])
        if data["type"]:
            campaigns = campaigns.filter(type=data["type"])
        today = timezone.localdate()
        if data["when"] == "current":
            campaigns = campaigns.filter(start_date__lte=today, end_date__gte=today)
        elif data["when"] == "upcoming":
            campaigns = campaigns.filter(start_date__gt=today)
        elif data["when"] == "past":
            campaigns = campaigns.filter(end_date__lt=today)
    ordering = request.GET.get("ordering", "")
    campaigns = campaigns.order_by(CAMPAIGN_SORTS.get(ordering, "-start_date"), "-id")
    page = Paginator(campaigns, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "promotions/campaign_list.html", {
        "page": page, "form": form, "ordering": ordering,
        "can_create": permissions.can_create_campaigns(user),
        "dealer_user": permissions.is_dealer_user(user),
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
    dealer_user = permissions.is_dealer_user(user)
    tasks = list(campaign.tasks.all())
    done = sum(1 for task in tasks if task.is_done)
    context = {
        "campaign": campaign, "dealer_user": dealer_user,
        "path": [(status, CampaignStatus(status).label) for status in MAIN_PATH],
        "tasks": tasks, "tasks_done": done, "tasks_percent": round(100 * done / len(tasks)) if tasks else 0,
        "today": timezone.localdate(),
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
            "objective": selectors.objective_result(campaign=campaign, follow_up=follow_up),
            "clock": clock_dates(campaign.end_date),
            "after_event": campaign.status in AFTER_EVENT_STATUSES,
            "review": selectors.campaign_review_or_none(campaign),
            "task_form": TaskForm(initial={"owner": campaign.owner, "due_date": campaign.start_date}),
            "participants": selectors.campaign_participant_queryset(campaign=campaign).count(),
        })
    return render(request, "promotions/campaign_detail.html", context)


@login_required
@require_POST
def campaign_transition(request, pk: int, action: str):
    campaign = _campaign_or_404(request.user, pk)
    if action not in ACTION_DONE:
        raise Http404
    try:
        services.campaign_transition(campaign=campaign, action=action, by=request.user)
        messages.success(request, ACTION_DONE[action])
    except StateConflict as error:
        messages.error(request, str(error))
    return redirect("promotions:detail", campaign.pk)


# --- Preparation tasks -------------------------------------------------------------------------
@login_required
@require_POST
def task_add(request, pk: int):
    campaign = _campaign_or_404(request.user, pk)
    if not permissions.can_manage(request.user, campaign):
        raise PermissionDenied
    form = TaskForm(request.POST)
    if form.is_valid():
        try:
            services.preparation_task_add(campaign=campaign, by=request.user, **form.cleaned_data)
            messages.success(request, _("Task added."))
        except (ValidationError, StateConflict) as error:
            messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
    else:
        messages.error(request, " ".join(message for errors in form.errors.values() for message in errors))
    return redirect(reverse("promotions:detail", args=[campaign.pk]) + "#tasks")


@login_required
@require_POST
def task_toggle(request, pk: int, task_id: int):
    """Check a task off or on again (htmx swaps the row; without JavaScript, back to the page)."""
    campaign = _campaign_or_404(request.user, pk)
    task = get_object_or_404(PreparationTask.objects.filter(campaign=campaign), pk=task_id)
    try:
        task = services.preparation_task_update(task=task, by=request.user, done=not task.is_done)
    except StateConflict as error:
        if request.headers.get("HX-Request"):
            return HttpResponse(str(error), status=409)
        messages.error(request, str(error))
    if request.headers.get("HX-Request"):
        tasks = list(PreparationTask.objects.filter(campaign=campaign).select_related("owner", "done_by"))
        done = sum(1 for item in tasks if item.is_done)
        return render(request, "promotions/partials/task_list.html", {
            "campaign": campaign, "tasks": tasks, "tasks_done": done,
            "tasks_percent": round(100 * done / len(tasks)) if tasks else 0, "today": timezone.localdate(),
            "can_manage": permissions.can_manage(request.user, campaign),
        })
    return redirect(reverse("promotions:detail", args=[campaign.pk]) + "#tasks")


# --- Attendees and leads ------------------------------------------------------------------------
def _recent_attendees(campaign: Campaign):
    return list(
        Attendee.objects.filter(campaign=campaign).select_related("assigned_to").order_by("-recorded_at", "-id")[:RECENT_ATTENDEES]
    )


@login_required
def attendees(request, pk: int):
    """The event page on a phone: the fast entry form on top, the list below."""
    user = request.user
    campaign = _staff_campaign_or_404(user, pk)
    can_record = permissions.can_record_attendees(user, campaign) and campaign.status in CAPTURE_STATUSES
    form = AttendeeForm(request.POST or None)
    if request.method == "POST":
        if not can_record:
            raise PermissionDenied
        if form.is_valid():
            try:
                attendee = services.attendee_record(campaign=campaign, by=user, **form.cleaned_data)
                messages.success(request, _("Saved: %(name)s.") % {"name": attendee.name})
                return redirect("promotions:attendees", campaign.pk)
            except ValidationError as error:
                add_service_errors(form, error)
            except StateConflict as error:
                messages.error(request, str(error))
    filters = AttendeeFilterForm(request.GET or None)
    people = (
        Attendee.objects.filter(campaign=campaign).select_related("assigned_to", "thank_you")
        .with_follow_up_state().order_by("-recorded_at", "-id")
    )
    if filters.is_valid():
        if filters.cleaned_data["q"]:
            people = people.filter(people_q(filters.cleaned_data["q"]))
        if filters.cleaned_data["interest"]:
            people = people.filter(interest=filters.cleaned_data["interest"])
    page = Paginator(people, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "promotions/attendees.html", {
        "campaign": campaign, "form": form, "filters": filters, "page": page, "can_record": can_record,
        "can_manage": permissions.can_manage(user, campaign), "user_id": user.pk,
        "counts": selectors.campaign_follow_up_state(campaign=campaign),
    })


@login_required
def attendee_edit(request, pk: int, attendee_id: int):
    """Correct what was typed at the event."""
    user = request.user
    campaign = _staff_campaign_or_404(user, pk)
    attendee = get_object_or_404(Attendee.objects.filter(campaign=campaign).select_related("campaign"), pk=attendee_id)
    if not services.can_correct_attendee(user, attendee):
        raise PermissionDenied
    initial = {name: getattr(attendee, name) for name in services.ATTENDEE_FIELDS}
    form = AttendeeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.attendee_update(attendee=attendee, by=user, **form.cleaned_data)
            messages.success(request, _("Saved: %(name)s.") % {"name": attendee.name})
            return redirect("promotions:attendees", campaign.pk)
        except ValidationError as error:
            add_service_errors(form, error)
        except StateConflict as error:
            messages.error(request, str(error))
    return render(request, "promotions/attendee_edit.html", {"campaign": campaign, "attendee": attendee, "form": form})


@login_required
def attendees_import(request, pk: int):
    user = request.user
    campaign = _staff_campaign_or_404(user, pk)
    if not permissions.can_record_attendees(user, campaign):
        raise PermissionDenied
    form = AttendeeImportForm(request.POST or None, request.FILES or None)
    row_errors = []
    if request.method == "POST" and form.is_valid():
        try:
            created = services.attendees_import(campaign=campaign, by=user, upload=form.cleaned_data["file"])
            messages.success(request, _("%(count)d people imported.") % {"count": len(created)})
            return redirect("promotions:attendees", campaign.pk)
        except services.AttendeeImportError as error:
            row_errors = error.row_errors
        except StateConflict as error:
            messages.error(request, str(error))
    return render(request, "promotions/attendees_import.html", {
        "campaign": campaign, "form": form, "row_errors": row_errors,
        "closed": campaign.status not in CAPTURE_STATUSES,
    })


LEAD_COLUMNS = [
    Column(gettext_lazy("Name"), "name"),
    Column(gettext_lazy("Phone"), "phone"),
    Column(gettext_lazy("Company"), "company"),
    Column(gettext_lazy("Email"), "email"),
    Column(gettext_lazy("Interest"), lambda attendee: attendee.get_interest_display()),
    Column(gettext_lazy("Note"), "note"),
    Column(gettext_lazy("Recorded at"), "recorded_at"),
    Column(gettext_lazy("Assigned rep"), lambda attendee: str(attendee.assigned_to or "")),
    Column(gettext_lazy("Assigned at"), "assigned_at"),
    Column(gettext_lazy("Followed up"), "followed_up"),
    Column(gettext_lazy("Follow-ups"), "follow_up_count"),
]


@login_required
def leads_export(request, pk: int):
    """CSV (or XLSX) of a campaign's attendees and leads, within the user's scope."""
    campaign = _staff_campaign_or_404(request.user, pk)
    rows = (
        selectors.attendee_queryset_for(request.user).filter(campaign=campaign)
        .select_related("assigned_to").with_follow_up_state().annotate(follow_up_count=Count("follow_ups"))
        .order_by("recorded_at", "id")
    )
    return export_response(rows, LEAD_COLUMNS, filename=f"campaign-{campaign.pk}-leads", fmt=request.GET.get("format"))


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
        selectors.lead_queryset_for(user).select_related("campaign", "assigned_to", "recorded_by"), pk=lead_id
    )
    may_log = permissions.can_log_follow_up(user, lead)
    form = FollowUpForm(request.POST or None)
    if request.method == "POST":
        if not may_log:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.lead_follow_up_log(attendee=lead, by=user, **form.cleaned_data)
                messages.success(request, _("Follow-up logged."))
                return redirect("promotions:my_leads")
            except ValidationError as error:
                add_service_errors(form, error)
    follow_ups = lead.follow_ups.select_related("by").order_by("-at", "-id")
    return render(request, "promotions/lead_detail.html", {
        "lead": lead, "form": form, "may_log": may_log, "follow_ups": follow_ups,
        "follow_up_due": clock_dates(lead.campaign.end_date).follow_up_by,
    })


# --- Review and effect ---------------------------------------------------------------------------
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
        "objective": selectors.objective_result(campaign=campaign),
        "can_write": campaign.status == CampaignStatus.ENDED and existing is None,
        "review_by": clock_dates(campaign.end_date).review_by,
    })


@login_required
def effect(request, pk: int):
    """Sell-in during the campaign against the same-length period before, per dealer and product."""
    user = request.user
    if permissions.is_dealer_user(user):
        raise Http404
    campaign = _campaign_or_404(user, pk)
    result = selectors.campaign_effect(campaign=campaign)
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
        "objective": selectors.objective_result(campaign=campaign, effect_totals=result.totals),
        "live": campaign.status in LIVE_STATUSES,
    })
