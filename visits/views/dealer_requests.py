"""Dealers' requests and commitments: the list, a new one, its page and its steps."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from common.exceptions import StateConflict
from common.forms import add_service_errors
from visits import permissions, selectors, services
from visits.forms import DecideForm, DoneForm, RequestCreateForm, RequestFilterForm
from visits.models import DealerRequest, RequestStatus
from visits.views.helpers import PAGE_SIZE, _require, _staff


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
        if form.cleaned_data["overdue"]:
            requests = requests.unresolved().filter(due_on__lt=timezone.localdate())
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
