"""The preparation checklist: add a task, tick it off."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from common.exceptions import StateConflict
from promotions import permissions, selectors, services
from promotions.forms import TaskForm
from promotions.models import PreparationTask
from promotions.views.helpers import _campaign_or_404


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
        return render(request, "promotions/partials/task_list.html", {
            "campaign": campaign, **selectors.checklist(selectors.campaign_tasks(campaign=campaign)),
            "today": timezone.localdate(), "can_manage": permissions.can_manage(request.user, campaign),
        })
    return redirect(reverse("promotions:detail", args=[campaign.pk]) + "#tasks")
