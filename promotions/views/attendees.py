"""Attendees at the event: the list, corrections, the import and the leads export."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from common.exceptions import StateConflict
from common.exports import Column, export_response
from common.forms import add_service_errors
from promotions import permissions, selectors, services
from promotions.forms import AttendeeFilterForm, AttendeeForm, AttendeeImportForm, people_q
from promotions.models import CAPTURE_STATUSES, Attendee, Campaign
from promotions.views.helpers import PAGE_SIZE, _staff_campaign_or_404

RECENT_ATTENDEES = 10


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
