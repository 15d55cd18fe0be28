"""The rep's day, the list of visits and an ad hoc visit planned."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from common.dates import local_day_start
from common.forms import add_service_errors
from visits import permissions, selectors, services
from visits.forms import VisitCreateForm, VisitFilterForm
from visits.models import VisitStatus
from visits.offline_views import offline_strings
from visits.views.helpers import PAGE_SIZE, _require, _staff


# --- the rep's day and the list ------------------------------------------------------------
@login_required
def today(request):
    _staff(request.user)
    return render(request, "visits/today.html", {**selectors.rep_day(user=request.user),
                                                 "offline_strings": offline_strings()})


@login_required
def visit_list(request):
    user = request.user
    _staff(user)
    form = VisitFilterForm(request.GET or None, user=user)
    visits = selectors.visit_list(user=user)
    data = form.cleaned_data if form.is_valid() else {}
    if data.get("status"):
        visits = visits.filter(status=data["status"])
    if data.get("rep"):
        visits = visits.filter(rep=data["rep"])
    if data.get("dealer"):
        visits = visits.filter(Q(dealer__name__icontains=data["dealer"]) | Q(dealer__code__icontains=data["dealer"]))
    if data.get("date_from"):
        visits = visits.filter(scheduled_for__gte=local_day_start(data["date_from"]))
    if data.get("date_to"):
        visits = visits.filter(scheduled_for__lt=local_day_start(data["date_to"] + datetime.timedelta(days=1)))
    show = data.get("show") or ""
    today = timezone.localdate()
    if show == "to_review":
        # What a manager reviews: completed lately, not commented on by anyone but the rep.
        visits = visits.filter(pk__in=selectors.visits_to_review(user=user, today=today).values("pk"))
        visits = visits.order_by("-completed_at", "-id")
    elif show == "upcoming" or data.get("status") == VisitStatus.PLANNED:
        visits = visits.filter(scheduled_for__gte=local_day_start(today)) if show else visits
        visits = visits.order_by("scheduled_for", "id")
    else:
        # Recent first: up to today, newest first, so what was done (and what was
        # missed) is on top rather than the plan four weeks ahead ("coming up").
        if not (data.get("date_from") or data.get("date_to")):
            visits = visits.filter(scheduled_for__lt=local_day_start(today + datetime.timedelta(days=1)))
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
