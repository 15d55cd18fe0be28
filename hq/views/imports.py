"""Imports (upload → check → import), templates to fill in, and exports in the import format."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from common.exports import Column, export_response
from common.forms import add_service_errors
from common.upsert import Outcome
from hq import services
from hq.forms import ImportUploadForm
from hq.imports.files import max_bytes
from hq.imports.kinds import KINDS
from hq.models import ImportKind
from hq.selectors import import_job_list
from hq.views.common import hq_admin_required

ROWS_PER_PAGE = 50


def _kind_or_404(kind: str):
    if kind not in KINDS:
        raise Http404
    return KINDS[kind]


@hq_admin_required
def imports(request):
    """The kinds one can import (with template, export and columns) and the recent imports."""
    kind = request.GET.get("kind") if request.GET.get("kind") in KINDS else ImportKind.DEALERS
    form = ImportUploadForm(request.POST or None, request.FILES or None, initial={"kind": kind})
    if request.method == "POST" and form.is_valid():
        try:
            job = services.import_job_create(kind=form.cleaned_data["kind"], upload=form.cleaned_data["file"],
                                             by=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect("hq:import_detail", pk=job.pk)
    recent = import_job_list(user=request.user)[:10]
    return render(request, "hq/imports.html", {
        "form": form, "kinds": list(KINDS.values()), "selected": KINDS[kind], "recent": recent,
        "max_bytes": max_bytes(),
    })


def _job(request, pk: int):
    return get_object_or_404(import_job_list(user=request.user).select_related("applied_by"), pk=pk)


def _preview_page(request, job):
    rows = job.rows.all().order_by("number")
    shown = request.GET.get("show", "")
    if shown not in (*Outcome.values, "all"):
        shown = Outcome.ERROR if job.rows_error else "all"  # errors first, when there are any
    if shown != "all":
        rows = rows.filter(outcome=shown)
    return Paginator(rows, ROWS_PER_PAGE).get_page(request.GET.get("page")), shown


@hq_admin_required
def import_detail(request, pk: int):
    job = _job(request, pk)
    page, shown = _preview_page(request, job) if not job.busy else (None, "")
    return render(request, "hq/import_detail.html", {
        "job": job, "kind": KINDS[job.kind], "page": page, "shown": shown, "outcomes": Outcome.choices,
        "progress": services.import_progress(job) if job.busy else None,
    })


@hq_admin_required
def import_status(request, pk: int):
    """The progress bar, polled by htmx while the file is checked or imported; once
    done, the page reloads to show the preview or the result."""
    job = _job(request, pk)
    if not job.busy:
        response = HttpResponse(status=204)
        response["HX-Refresh"] = "true"
        return response
    return render(request, "hq/includes/import_progress.html", {"job": job, "progress": services.import_progress(job)})


@hq_admin_required
@require_POST
def import_apply(request, pk: int):
    job = _job(request, pk)
    try:
        services.import_job_apply_request(job=job, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("hq:import_detail", pk=job.pk)


@hq_admin_required
@require_POST
def import_discard(request, pk: int):
    job = _job(request, pk)
    try:
        services.import_job_discard(job=job, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("hq:import_detail", pk=job.pk)
    messages.success(request, _("The import was discarded; nothing was saved."))
    return redirect(f"{reverse('hq:imports')}?kind={job.kind}")


def _columns(kind) -> list[Column]:
    return [Column(column.name, column.name) for column in kind.columns]


@hq_admin_required
def import_template(request, kind: str):
    """An empty file with the kind's header row (CSV or XLSX)."""
    spec = _kind_or_404(kind)
    return export_response([], _columns(spec), filename=f"{kind}-template", fmt=request.GET.get("format"))


@hq_admin_required
def export(request, kind: str):
    """Every record of the kind in the import format: importing it back changes nothing."""
    spec = _kind_or_404(kind)
    return export_response(spec.export_rows(), _columns(spec), filename=kind, fmt=request.GET.get("format"))


