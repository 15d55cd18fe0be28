"""Market violations: report with evidence and photos, decide the outcome, serve photos in scope."""

from __future__ import annotations

import mimetypes

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from common.exceptions import StateConflict
from dealers import services
from dealers.forms import PhotoUploadForm, ViolationDecideForm, ViolationEditForm, ViolationForm, apply_service_errors
from dealers.models import ViolationOutcome, ViolationType
from dealers.permissions import Action, can, require
from dealers.selectors import violation_photo_queryset_for, violation_queryset_for
from dealers.views.helpers import conflict, form_page, scoped_dealer


def _scoped_violation(request, pk: int):
    return get_object_or_404(
        violation_queryset_for(request.user).select_related("dealer__region", "reported_by", "decided_by"), pk=pk
    )


@login_required
def violation_list(request):
    require(request.user, Action.VIEW_INTERNAL)
    violations = violation_queryset_for(request.user).select_related("dealer", "reported_by").annotate(photo_count=Count("photos")).order_by("-found_at", "-id")
    outcome, kind = request.GET.get("outcome", ""), request.GET.get("type", "")
    if outcome in ViolationOutcome.values:
        violations = violations.filter(outcome=outcome)
    if kind in ViolationType.values:
        violations = violations.filter(type=kind)
    page = Paginator(violations, 25).get_page(request.GET.get("page"))
    return render(request, "dealers/violation_list.html", {
        "page": page, "outcome": outcome, "type": kind,
        "outcomes": ViolationOutcome.choices, "types": ViolationType.choices,
    })


@login_required
def violation_create(request, pk: int):
    dealer = scoped_dealer(request, pk, Action.REPORT_VIOLATION)
    form = ViolationForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            violation = services.violation_create(dealer=dealer, reported_by=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Violation recorded."))
            return redirect("dealers:violation", pk=violation.pk)
    return form_page(request, form=form, title=_("Report a violation"), dealer=dealer,
                     cancel_url=reverse("dealers:detail", args=[dealer.pk]))


@login_required
def violation_detail(request, pk: int):
    """A violation with its evidence; managers decide the outcome here, and photos can be added."""
    violation = _scoped_violation(request, pk)
    pending = violation.outcome == ViolationOutcome.PENDING
    may_decide = can(request.user, Action.DECIDE_VIOLATION) and pending
    may_add = can(request.user, Action.REPORT_VIOLATION) and pending
    decide_form = ViolationDecideForm() if may_decide else None
    photo_form = PhotoUploadForm() if may_add else None
    status = 200
    if request.method == "POST":
        which = request.POST.get("form")
        require(request.user, Action.DECIDE_VIOLATION if which == "decide" else Action.REPORT_VIOLATION)
        if not pending:
            return conflict(request, services.VIOLATION_DECIDED, reverse("dealers:violation", args=[violation.pk]))
        if which == "decide":
            form = decide_form = ViolationDecideForm(request.POST)
        else:
            form = photo_form = PhotoUploadForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                if which == "decide":
                    services.violation_decide(violation=violation, decided_by=request.user, **form.cleaned_data)
                    messages.success(request, _("Outcome recorded."))
                else:
                    services.violation_add_photos(
                        violation=violation, photos=form.cleaned_data["photos"], uploaded_by=request.user
                    )
                    messages.success(request, _("Photos added."))
                return redirect("dealers:violation", pk=violation.pk)
            except ValidationError as error:
                apply_service_errors(form, error)
            except StateConflict as error:
                return conflict(request, error, reverse("dealers:violation", args=[violation.pk]))
        status = 400
    context = {
        "violation": violation, "dealer": violation.dealer, "photos": list(violation.photos.all()),
        "decide_form": decide_form, "photo_form": photo_form, "may_edit": may_add,
    }
    return render(request, "dealers/violation.html", context, status=status)


@login_required
def violation_edit(request, pk: int):
    violation = _scoped_violation(request, pk)
    require(request.user, Action.REPORT_VIOLATION)
    if violation.outcome != ViolationOutcome.PENDING:
        return conflict(request, services.VIOLATION_DECIDED, reverse("dealers:violation", args=[violation.pk]))
    form = ViolationEditForm(request.POST or None, instance=violation)
    if request.method == "POST" and form.is_valid():
        try:
            services.violation_update(violation=violation, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        except StateConflict as error:
            return conflict(request, error, reverse("dealers:violation", args=[violation.pk]))
        else:
            return redirect("dealers:violation", pk=violation.pk)
    return form_page(request, form=form, title=_("Edit violation"), dealer=violation.dealer,
                     cancel_url=reverse("dealers:violation", args=[violation.pk]))


@login_required
def violation_photo(request, pk: int):
    """A violation photo, only for those who may see the violation (never a bare media URL)."""
    photo = get_object_or_404(violation_photo_queryset_for(request.user), pk=pk)
    try:
        handle = photo.image.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    content_type = mimetypes.guess_type(photo.image.name)[0] or "application/octet-stream"
    response = FileResponse(handle, content_type=content_type)
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response
