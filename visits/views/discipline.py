"""The reps' visit discipline of a month against the targets."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from visits import calculations, selectors
from visits.forms import MonthForm
from visits.views.helpers import _staff


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
    today = timezone.localdate()
    first, last = calculations.month_bounds(month)
    working_total = calculations.working_days(first, last)
    working_gone = calculations.working_days(first, min(last, today))
    return render(request, "visits/discipline.html", {
        "form": form, "month": month, "rows": selectors.rep_discipline(user=user, month=month, today=today),
        "month_running": working_gone < working_total, "working_gone": working_gone, "working_total": working_total,
        "visits_to_date": (calculations.TARGET_VISITS_COMPLETED * working_gone + working_total - 1) // working_total
        if working_total else 0,
        "targets": {
            "contacts": calculations.TARGET_CONTACTS_PER_WORKING_DAY,
            "share": round(calculations.TARGET_SHARE_CONTACTED * 100),
            "visits": calculations.TARGET_VISITS_COMPLETED,
        },
    })
