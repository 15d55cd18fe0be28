"""The manager's review of a visit: the check, photos, distance from the dealer and comments."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from common.forms import add_service_errors
from visits import calculations, permissions, services
from visits.forms import CommentForm
from visits.views.helpers import _require, _staff, _visit_or_404


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
