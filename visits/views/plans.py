"""A dealer's visit plan edited."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from common.forms import add_service_errors
from dealers.selectors import dealer_queryset_for
from visits import permissions, services
from visits.forms import VisitPlanForm
from visits.models import VisitPlan, VisitPlanDefaults
from visits.views.helpers import _require, _staff


# --- plans -----------------------------------------------------------------------------------
@login_required
def plan_edit(request, dealer_id: int):
    user = request.user
    _staff(user)
    dealer = get_object_or_404(dealer_queryset_for(user), pk=dealer_id)
    _require(permissions.can_edit_plan(user, dealer))
    plan = VisitPlan.objects.filter(dealer=dealer).first()
    defaults = VisitPlanDefaults.current()
    initial = {"rule": defaults.rule, "month_days": ", ".join(str(day) for day in defaults.month_days),
               "weekdays": defaults.weekdays, "interval_days": defaults.interval_days,
               "visit_time": defaults.visit_time, "starts_on": timezone.localdate(), "is_active": True}
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
            messages.success(request, _("Visit plan saved; the visits of the next %(weeks)s weeks are planned.")
                             % {"weeks": defaults.weeks_ahead})
            return redirect(reverse("dealers:detail", args=[dealer.pk]) + "#visit-plan")
    return render(request, "visits/plan_form.html", {"form": form, "dealer": dealer, "plan": plan})
