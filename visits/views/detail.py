"""The visit page and its photos, shown only to those who may see the visit."""

from __future__ import annotations

import mimetypes

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render

from visits import permissions, selectors, services
from visits.forms import NOTE_STEPS, CancelForm, NotesForm, PhotoForm, RequestForm, SkipCheckForm, StartForm
from visits.models import PhotoStage, Visit, VisitPhoto, VisitStatus
from visits.services import counting
from visits.views.helpers import _staff, _visit_or_404


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
        "empty_steps": selectors.visit_steps_left_empty(visit=visit, photos=photos)
        if visit.status == VisitStatus.IN_PROGRESS and can_work else [],
        "count_steps": counting.visit_count_steps(visit=visit) if open_visit else {},
    }


def notes_form_for(step: str, visit: Visit) -> NotesForm:
    return NotesForm(step=step, initial={name: getattr(visit, name) for name in NOTE_STEPS[step]})


@login_required
def visit_detail(request, pk: int):
    _staff(request.user)
    visit = _visit_or_404(request.user, pk)
    return render(request, "visits/visit_detail.html", _detail_context(request, visit))


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
