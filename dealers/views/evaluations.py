"""Scoring a dealer on HQ's criteria."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from dealers import services
from dealers.forms import EvaluationForm, apply_service_errors
from dealers.models import GradeSettings
from dealers.permissions import Action
from dealers.selectors import active_criteria
from dealers.views.helpers import form_page, scoped_dealer


@login_required
def evaluate(request, pk: int):
    dealer = scoped_dealer(request, pk, Action.EVALUATE)
    form = EvaluationForm(request.POST or None, criteria=active_criteria())
    if request.method == "POST" and form.is_valid():
        try:
            evaluation = services.evaluation_create(
                dealer=dealer, evaluator=request.user, scores=form.scores(), comment=form.cleaned_data["comment"]
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Evaluation saved: %(total)s, grade %(grade)s.") % {
                "total": evaluation.total, "grade": evaluation.grade})
            return redirect(reverse("dealers:detail", args=[dealer.pk]) + "#evaluations")
    thresholds = GradeSettings.current()
    intro = _("Score 1 (poor) to 5 (excellent). Grades: A ≥ %(a)s, B ≥ %(b)s, C ≥ %(c)s, else D.") % {
        "a": thresholds.a_min, "b": thresholds.b_min, "c": thresholds.c_min}
    return form_page(request, form=form, title=_("Evaluate dealer"), dealer=dealer, intro=intro,
                     cancel_url=reverse("dealers:detail", args=[dealer.pk]))
