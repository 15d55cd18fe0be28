"""The steps of a visit: the market check, start, notes, photos, completion, moving or cancelling it, a violation."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from common.exceptions import StateConflict
from common.forms import add_service_errors
from visits import permissions, selectors, services
from visits.forms import (
    NOTE_STEPS,
    CancelForm,
    MarketCheckForm,
    NotesForm,
    PhotoForm,
    RescheduleForm,
    SkipCheckForm,
    StartForm,
    observation_formset,
)
from visits.models import MarketObservation, VisitStatus
from visits.views.helpers import _require, _staff, _visit_or_404


# --- the steps of a visit ----------------------------------------------------------------
@login_required
def market_check(request, pk: int):
    user = request.user
    _staff(user)
    visit = _visit_or_404(user, pk)
    _require(permissions.can_work_visit(user, visit))
    if visit.status != VisitStatus.PLANNED:
        messages.error(request, services.CHECK_AFTER_START)
        return redirect("visits:detail", visit.pk)
    check = visit.check
    initial = {"outlets_walked": check.outlets_walked, "notes": check.notes} if check and not check.is_skipped else {}
    rows = [
        {field: getattr(o, field) for field in ("kind", "outlet", "product", "competitor_brand", "retail_price",
                                                "display", "competitor_promotion", "notes")}
        | {"in_stock": "" if o.in_stock is None else ("true" if o.in_stock else "false")}
        for o in (check.observations.all() if check else [])
    ]
    form = MarketCheckForm(request.POST or None, request.FILES or None, initial=initial)
    try:
        extra = max(1, min(int(request.GET.get("rows", 1)), 10))
    except ValueError:
        extra = 1
    formset_class = observation_formset(extra=extra)
    formset = formset_class(request.POST or None, initial=rows, prefix="obs")
    skip_form = SkipCheckForm(request.POST if request.POST.get("skip") else None,
                              initial={"skipped_reason": check.skipped_reason if check else ""})
    if request.method == "POST":
        if request.POST.get("skip"):
            if skip_form.is_valid():
                try:
                    services.market_check_save(visit=visit, by=user, skipped_reason=skip_form.cleaned_data["skipped_reason"])
                except ValidationError as error:
                    add_service_errors(skip_form, error)
                except StateConflict as error:
                    messages.error(request, str(error))
                else:
                    messages.success(request, _("Recorded why no market check was possible."))
                    return redirect("visits:detail", visit.pk)
            form = MarketCheckForm(initial=initial)
            formset = formset_class(initial=rows, prefix="obs")
        elif form.is_valid() and formset.is_valid():
            photo = form.cleaned_data.get("photo")
            try:
                services.market_check_save(
                    visit=visit, by=user, observations=formset.observations(),
                    outlets_walked=form.cleaned_data["outlets_walked"] or 0, notes=form.cleaned_data["notes"],
                    photos=[photo] if photo else [],
                )
            except ValidationError as error:
                _observation_errors(form, formset, error)
            except StateConflict as error:
                messages.error(request, str(error))
                return redirect("visits:detail", visit.pk)
            else:
                messages.success(request, _("Market check recorded."))
                return redirect("visits:detail", visit.pk)
    return render(request, "visits/market_check.html", {
        "visit": visit, "form": form, "formset": formset, "skip_form": skip_form, "next_rows": extra + 1,
    })


def _observation_errors(form, formset, error: ValidationError) -> None:
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for key, errors in error.error_dict.items():
        if key.startswith("observations[") and "]." in key:
            index, field = key[len("observations["):].split("].", 1)
            kept = [f for f in formset.forms if f.cleaned_data and f.cleaned_data.get("kind")]
            target = kept[int(index)] if int(index) < len(kept) else None
            if target is not None and field in target.fields:
                target.add_error(field, errors)
                continue
        form.add_error(key if key in form.fields else None, errors)


def _post_action(request, pk: int, action, *, allowed=permissions.can_work_visit, success: str = ""):
    user = request.user
    _staff(user)
    visit = _visit_or_404(user, pk)
    _require(allowed(user, visit))
    try:
        action(visit)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    except StateConflict as error:
        messages.error(request, str(error))
    else:
        if success:
            messages.success(request, success)
    return redirect("visits:detail", visit.pk)


@login_required
@require_POST
def visit_start(request, pk: int):
    form = StartForm(request.POST)
    location = form.cleaned_data if form.is_valid() else {}
    return _post_action(request, pk, lambda visit: services.visit_start(
        visit=visit, by=request.user, latitude=location.get("latitude"), longitude=location.get("longitude"),
        accuracy=location.get("accuracy"),
    ), success=_("Visit started."))


@login_required
def visit_complete(request, pk: int):
    """Complete the visit, after asking: the page lists the steps left empty and
    completes only when posted with `confirm` (works without JavaScript)."""
    if request.method == "POST" and request.POST.get("confirm") == "1":
        return _post_action(request, pk, lambda visit: services.visit_complete(visit=visit, by=request.user),
                            success=_("Visit completed."))
    user = request.user
    _staff(user)
    visit = _visit_or_404(user, pk)
    _require(permissions.can_work_visit(user, visit))
    if visit.status != VisitStatus.IN_PROGRESS:
        messages.error(request, services.COMPLETE_NOT_STARTED)
        return redirect("visits:detail", visit.pk)
    return render(request, "visits/complete_confirm.html", {
        "visit": visit, "empty_steps": selectors.visit_steps_left_empty(visit=visit),
    })


@login_required
@require_POST
def visit_notes(request, pk: int, step: str):
    """Save one step's notes; with htmx only a small status is swapped in (the page stays)."""
    if step not in NOTE_STEPS:
        raise Http404
    form = NotesForm(request.POST, step=step)
    if not request.headers.get("HX-Request"):
        if not form.is_valid():
            messages.error(request, _("Check the notes."))
            return redirect("visits:detail", pk)
        return _post_action(request, pk, lambda visit: services.visit_notes_update(
            visit=visit, by=request.user, **form.cleaned_data), success=_("Notes saved."))
    _staff(request.user)
    visit = _visit_or_404(request.user, pk)
    _require(permissions.can_work_visit(request.user, visit))
    problem = "" if form.is_valid() else _("Check the notes.")
    if not problem:
        try:
            services.visit_notes_update(visit=visit, by=request.user, **form.cleaned_data)
        except (ValidationError, StateConflict) as error:
            problem = " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
    return render(request, "visits/_saved.html", {"problem": problem, "now": timezone.localtime()})


@login_required
@require_POST
def visit_photo_add(request, pk: int):
    form = PhotoForm(request.POST, request.FILES)

    def add(visit):
        if not form.is_valid():
            raise ValidationError([m for errors in form.errors.values() for m in errors])
        services.visit_photo_add(visit=visit, by=request.user, **form.cleaned_data)

    return _post_action(request, pk, add, success=_("Photo added."))


def _manage_form(request, pk: int, form_class, save, *, initial=None, success: str, title: str, danger: bool = False):
    """A staff member's one-form change of a visit (move, cancel): the service's field
    errors on the form, a refused state back on the visit with its message."""
    user = request.user
    _staff(user)
    visit = _visit_or_404(user, pk)
    _require(permissions.can_manage_visit(user, visit))
    form = form_class(request.POST or None, initial=initial(visit) if initial else None)
    if request.method == "POST" and form.is_valid():
        try:
            save(visit=visit, by=user, data=form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        except StateConflict as error:
            messages.error(request, str(error))
            return redirect("visits:detail", visit.pk)
        else:
            messages.success(request, success)
            return redirect("visits:detail", visit.pk)
    return render(request, "visits/form.html", {
        "form": form, "title": title, "visit": visit, "danger": danger,
        "cancel_url": reverse("visits:detail", args=[visit.pk]),
    })


@login_required
def visit_reschedule(request, pk: int):
    return _manage_form(
        request, pk, RescheduleForm,
        lambda visit, by, data: services.visit_reschedule(visit=visit, by=by, scheduled_for=data["scheduled_for"]),
        initial=lambda visit: {"scheduled_for": timezone.localtime(visit.scheduled_for)},
        success=_("Visit moved."), title=_("Move the visit"),
    )


@login_required
def visit_cancel(request, pk: int):
    return _manage_form(
        request, pk, CancelForm,
        lambda visit, by, data: services.visit_cancel(visit=visit, by=by, reason=data["cancel_reason"]),
        success=_("Visit cancelled."), title=_("Cancel the visit"), danger=True,
    )


@login_required
@require_POST
def observation_violation(request, pk: int):
    user = request.user
    _staff(user)
    observation = get_object_or_404(
        MarketObservation.objects.filter(market_check__visit__in=selectors.visit_queryset_for(user)), pk=pk
    )
    visit_id = observation.market_check.visit_id
    try:
        violation = services.observation_violation_record(observation=observation, by=user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Recorded as a violation of the dealer."))
        if request.POST.get("open"):
            return redirect("dealers:violation", violation.pk)
    return redirect("visits:review" if request.POST.get("back") == "review" else "visits:detail", visit_id)
