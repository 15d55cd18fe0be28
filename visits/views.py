"""Pages of visits, phone first. Every page starts from a scope function in
visits.selectors (outside it: 404), asks visits.permissions what the user may do
(else 403), and hands writes to visits.services."""

from __future__ import annotations

import datetime
import mimetypes

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from common.exceptions import StateConflict
from dealers.selectors import dealer_queryset_for

from . import calculations, permissions, selectors, services
from .forms import (
    NOTE_STEPS,
    CancelForm,
    CommentForm,
    DecideForm,
    DoneForm,
    MarketCheckForm,
    MonthForm,
    NotesForm,
    PhotoForm,
    RequestCreateForm,
    RequestFilterForm,
    RequestForm,
    RescheduleForm,
    SkipCheckForm,
    StartForm,
    VisitCreateForm,
    VisitFilterForm,
    VisitPlanForm,
    add_service_errors,
    observation_formset,
)
from .models import (
    DealerRequest,
    MarketObservation,
    PhotoStage,
    RequestStatus,
    Visit,
    VisitPhoto,
    VisitPlan,
    VisitStatus,
)

PAGE_SIZE = 25


def _visit_or_404(user, pk: int) -> Visit:
    try:
        return selectors.visit_detail(user=user, pk=pk)
    except Visit.DoesNotExist as error:
        raise Http404 from error


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _staff(user) -> None:
    if not permissions.is_staff_field_role(user):
        raise Http404


# --- the rep's day and the list ------------------------------------------------------------
@login_required
def today(request):
    _staff(request.user)
    return render(request, "visits/today.html", selectors.rep_day(user=request.user))


@login_required
def visit_list(request):
    user = request.user
    _staff(user)
    form = VisitFilterForm(request.GET or None, user=user)
    visits = selectors.visit_list(user=user)
    if form.is_valid():
        data = form.cleaned_data
        if data["status"]:
            visits = visits.filter(status=data["status"])
        if data.get("rep"):
            visits = visits.filter(rep=data["rep"])
        if data["dealer"]:
            visits = visits.filter(Q(dealer__name__icontains=data["dealer"]) | Q(dealer__code__icontains=data["dealer"]))
        if data["date_from"]:
            visits = visits.filter(scheduled_for__gte=selectors._day_start(data["date_from"]))
        if data["date_to"]:
            visits = visits.filter(scheduled_for__lt=selectors._day_start(data["date_to"] + datetime.timedelta(days=1)))
    visits = visits.order_by("-scheduled_for", "-id")
    page = Paginator(visits, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "visits/visit_list.html", {
        "page": page, "form": form, "can_create": permissions.can_create_visits(user),
    })


@login_required
def visit_create(request):
    user = request.user
    _require(permissions.can_create_visits(user))
    initial = {}
    if request.GET.get("dealer"):
        initial["dealer"] = request.GET["dealer"]
    form = VisitCreateForm(request.POST or None, user=user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            visit = services.visit_create(dealer=data["dealer"], by=user, scheduled_for=data["scheduled_for"],
                                          rep=data.get("rep"))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Visit planned."))
            return redirect("visits:detail", visit.pk)
    return render(request, "visits/form.html", {"form": form, "title": _("Plan a visit"),
                                                "cancel_url": reverse("visits:today")})


# --- the visit page ------------------------------------------------------------------------
def _detail_context(request, visit: Visit) -> dict:
    user = request.user
    check = visit.check
    photos = list(visit.photos.all())
    requests = list(visit.requests.select_related("owner").order_by("due_on", "id"))
    can_work = permissions.can_work_visit(user, visit)
    open_visit = visit.status in (VisitStatus.IN_PROGRESS, VisitStatus.COMPLETED)
    note_forms = {
        step: notes_form_for(step, visit) for step in NOTE_STEPS
    } if can_work and open_visit else {}
    return {
        "visit": visit, "check": check, "observations": list(check.observations.all()) if check else [],
        "photos": photos, "requests": requests, "can_work": can_work,
        "can_manage": permissions.can_manage_visit(user, visit) and visit.status in (VisitStatus.PLANNED, VisitStatus.MISSED),
        "can_comment": permissions.can_comment(user, visit),
        "is_planned": visit.status == VisitStatus.PLANNED, "is_open": open_visit,
        "in_progress": visit.status == VisitStatus.IN_PROGRESS,
        "start_form": StartForm(), "skip_form": SkipCheckForm(), "cancel_form": CancelForm(),
        "note_forms": note_forms, "request_form": RequestForm(),
        "display_photo_form": PhotoForm(initial={"stage": PhotoStage.DISPLAY}),
        "violation_kinds": set(services.VIOLATION_KINDS),
        "photos_by_stage": {stage: [p for p in photos if p.stage == stage] for stage in PhotoStage.values},
    }


def notes_form_for(step: str, visit: Visit) -> NotesForm:
    return NotesForm(step=step, initial={name: getattr(visit, name) for name in NOTE_STEPS[step]})


@login_required
def visit_detail(request, pk: int):
    _staff(request.user)
    visit = _visit_or_404(request.user, pk)
    return render(request, "visits/visit_detail.html", _detail_context(request, visit))


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
@require_POST
def visit_complete(request, pk: int):
    return _post_action(request, pk, lambda visit: services.visit_complete(visit=visit, by=request.user),
                        success=_("Visit completed."))


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


@login_required
def visit_reschedule(request, pk: int):
    user = request.user
    _staff(user)
    visit = _visit_or_404(user, pk)
    _require(permissions.can_manage_visit(user, visit))
    form = RescheduleForm(request.POST or None, initial={"scheduled_for": timezone.localtime(visit.scheduled_for)})
    if request.method == "POST" and form.is_valid():
        try:
            services.visit_reschedule(visit=visit, by=user, scheduled_for=form.cleaned_data["scheduled_for"])
        except ValidationError as error:
            add_service_errors(form, error)
        except StateConflict as error:
            messages.error(request, str(error))
            return redirect("visits:detail", visit.pk)
        else:
            messages.success(request, _("Visit moved."))
            return redirect("visits:detail", visit.pk)
    return render(request, "visits/form.html", {
        "form": form, "title": _("Move the visit"), "visit": visit, "cancel_url": reverse("visits:detail", args=[visit.pk]),
    })


@login_required
def visit_cancel(request, pk: int):
    user = request.user
    _staff(user)
    visit = _visit_or_404(user, pk)
    _require(permissions.can_manage_visit(user, visit))
    form = CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.visit_cancel(visit=visit, by=user, reason=form.cleaned_data["cancel_reason"])
        except ValidationError as error:
            add_service_errors(form, error)
        except StateConflict as error:
            messages.error(request, str(error))
            return redirect("visits:detail", visit.pk)
        else:
            messages.success(request, _("Visit cancelled."))
            return redirect("visits:detail", visit.pk)
    return render(request, "visits/form.html", {
        "form": form, "title": _("Cancel the visit"), "visit": visit, "danger": True,
        "cancel_url": reverse("visits:detail", args=[visit.pk]),
    })


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


@login_required
def visit_photo(request, pk: int):
    """A visit photo, only for those who may see the visit (never a bare media URL)."""
    photo = get_object_or_404(VisitPhoto.objects.filter(visit__in=selectors.visit_queryset_for(request.user)), pk=pk)
    try:
        handle = photo.image.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    response = FileResponse(handle, content_type=mimetypes.guess_type(photo.image.name)[0] or "application/octet-stream")
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- manager review ------------------------------------------------------------------------
@login_required
def visit_review(request, pk: int):
    user = request.user
    _staff(user)
    visit = _visit_or_404(user, pk)
    form = CommentForm(request.POST or None)
    if request.method == "POST":
        _require(permissions.can_comment(user, visit))
        if form.is_valid():
            try:
                services.visit_comment_add(visit=visit, author=user, body=form.cleaned_data["body"])
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Comment added."))
                return redirect("visits:review", visit.pk)
    distance = None
    dealer = visit.dealer
    if None not in (visit.start_latitude, visit.start_longitude, dealer.latitude, dealer.longitude):
        distance = calculations.haversine_m(visit.start_latitude, visit.start_longitude, dealer.latitude, dealer.longitude)
    return render(request, "visits/review.html", {
        "visit": visit, "check": visit.check, "observations": list(visit.check.observations.all()) if visit.check else [],
        "photos": list(visit.photos.all()), "comments": list(visit.comments.select_related("author")),
        "distance": distance, "form": form, "can_comment": permissions.can_comment(user, visit),
        "violation_kinds": set(services.VIOLATION_KINDS),
    })


# --- plans -----------------------------------------------------------------------------------
@login_required
def plan_edit(request, dealer_id: int):
    user = request.user
    _staff(user)
    dealer = get_object_or_404(dealer_queryset_for(user), pk=dealer_id)
    _require(permissions.can_edit_plan(user, dealer))
    plan = VisitPlan.objects.filter(dealer=dealer).first()
    initial = {"rule": "monthly_days", "month_days": "10, 25", "visit_time": datetime.time(10, 0),
               "starts_on": timezone.localdate(), "is_active": True}
    if plan:
        initial = {
            "rule": plan.rule, "month_days": ", ".join(str(day) for day in plan.month_days), "weekdays": plan.weekdays,
            "interval_days": plan.interval_days, "starts_on": plan.starts_on, "visit_time": plan.visit_time,
            "is_active": plan.is_active,
        }
    form = VisitPlanForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.visit_plan_save(dealer=dealer, by=user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Visit plan saved; the next four weeks of visits are planned."))
            return redirect(reverse("dealers:detail", args=[dealer.pk]) + "#visit-plan")
    return render(request, "visits/plan_form.html", {"form": form, "dealer": dealer, "plan": plan})


# --- requests and commitments --------------------------------------------------------------
def _request_or_404(user, pk: int) -> DealerRequest:
    return get_object_or_404(selectors.dealer_request_list(user=user), pk=pk)


@login_required
def request_list(request):
    user = request.user
    _staff(user)
    form = RequestFilterForm(request.GET or None)
    requests = selectors.dealer_request_list(user=user)
    if form.is_valid():
        if form.cleaned_data["status"]:
            requests = requests.filter(status=form.cleaned_data["status"])
        if form.cleaned_data["mine"]:
            requests = requests.filter(Q(owner=user) | Q(escalated_to=user))
    requests = requests.order_by("status", "due_on", "id")
    page = Paginator(requests, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "visits/request_list.html", {"page": page, "form": form, "today": timezone.localdate()})


@login_required
def request_create(request):
    user = request.user
    _staff(user)
    _require(permissions.can_create_requests(user))
    visit = None
    if request.GET.get("visit") or request.POST.get("visit"):
        visit = get_object_or_404(selectors.visit_queryset_for(user), pk=request.GET.get("visit") or request.POST.get("visit"))
    initial = {"dealer": visit.dealer_id if visit else request.GET.get("dealer")}
    form = RequestCreateForm(request.POST or None, user=user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            created = services.dealer_request_create(
                dealer=data["dealer"], by=user, description=data["description"], due_on=data["due_on"],
                owner=data.get("owner"), visit=visit, beyond_authority=data["beyond_authority"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Escalated to the manager.") if created.status == RequestStatus.ESCALATED
                             else _("Request recorded."))
            return redirect("visits:detail", visit.pk) if visit else redirect("visits:request", created.pk)
    return render(request, "visits/form.html", {
        "form": form, "title": _("New request or commitment"), "visit": visit,
        "hidden": {"visit": visit.pk} if visit else {},
        "cancel_url": reverse("visits:detail", args=[visit.pk]) if visit else reverse("visits:requests"),
    })


@login_required
def request_detail(request, pk: int):
    user = request.user
    _staff(user)
    item = _request_or_404(user, pk)
    return render(request, "visits/request_detail.html", {
        "item": item, "decide_form": DecideForm(), "done_form": DoneForm(),
        "can_decide": permissions.can_decide_request(user, item) and item.status == RequestStatus.ESCALATED,
        "can_close": permissions.can_close_request(user, item) and item.status in (RequestStatus.OPEN, RequestStatus.APPROVED),
        "can_escalate": permissions.can_close_request(user, item) and item.status == RequestStatus.OPEN,
    })


def _request_action(request, pk: int, form_class, act, allowed):
    user = request.user
    _staff(user)
    item = _request_or_404(user, pk)
    _require(allowed(user, item))
    form = form_class(request.POST) if form_class else None
    if form is not None and not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
        return redirect("visits:request", item.pk)
    try:
        act(item, form.cleaned_data if form else {})
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    except StateConflict as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Request updated."))
    return redirect("visits:request", item.pk)


@login_required
@require_POST
def request_escalate(request, pk: int):
    return _request_action(request, pk, None, lambda item, data: services.dealer_request_escalate(
        request=item, by=request.user), permissions.can_close_request)


@login_required
@require_POST
def request_decide(request, pk: int):
    return _request_action(request, pk, DecideForm, lambda item, data: services.dealer_request_decide(
        request=item, by=request.user, approve=data["decision"] == "approve", answer=data["answer"]),
        permissions.can_decide_request)


@login_required
@require_POST
def request_done(request, pk: int):
    return _request_action(request, pk, DoneForm, lambda item, data: services.dealer_request_done(
        request=item, by=request.user, answer=data["answer"]), permissions.can_close_request)


# --- discipline ------------------------------------------------------------------------------
@login_required
def discipline(request):
    user = request.user
    _staff(user)
    month = timezone.localdate().replace(day=1)
    # The picker shows the month on screen, also before the first "Show".
    form = MonthForm(request.GET or None, initial={"month": month})
    if form.is_valid() and form.cleaned_data["month"]:
        month = form.cleaned_data["month"].replace(day=1)
    return render(request, "visits/discipline.html", {
        "form": form, "month": month, "rows": selectors.rep_discipline(user=user, month=month),
        "targets": {
            "contacts": calculations.TARGET_CONTACTS_PER_WORKING_DAY,
            "share": round(calculations.TARGET_SHARE_CONTACTED * 100),
            "visits": calculations.TARGET_VISITS_COMPLETED,
        },
    })
