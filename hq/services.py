"""Imports with a preview (HQ admin): upload → check (a dry run: every row as
create / update / unchanged / error, nothing saved) → import (all rows or none)
or discard. Both steps run in a Celery task, batch by batch (hq.imports.kinds),
so a 10,000-row file is read as a stream in bounded memory while the page shows
the progress. The rows are saved by the owning apps' services."""

from __future__ import annotations

import os
import time
from collections.abc import Callable

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from common.queueing import enqueue
from common.upsert import BulkInvalid, Outcome, RowResult
from hq.imports import files
from hq.imports.kinds import BATCH_SIZE, KINDS, Context
from hq.models import ImportJob, ImportRow, ImportStatus

KIND_UNKNOWN = _("Choose what the file holds.")
FILE_REQUIRED = _("Choose a file.")
NOT_READY = _("This import cannot be run now: it has not been checked, it has errors, or it already ran.")
DATA_CHANGED = _("The data changed since the check: %(errors)s row(s) now have errors. Nothing was saved; "
                 "correct the file and upload it again.")
PROGRESS_KEY = "hq:import:{}:progress"


def _by(job: ImportJob) -> User:
    return job.applied_by or job.created_by


# --- Upload ----------------------------------------------------------------------------------
@transaction.atomic
def import_job_create(*, kind: str, upload, by: User) -> ImportJob:
    """Keep the uploaded file and queue its check. A file that is too large or is
    not CSV/XLSX is refused at once (ValidationError on `file`)."""
    if kind not in KINDS:
        raise ValidationError({"kind": KIND_UNKNOWN})
    if upload is None:
        raise ValidationError({"file": FILE_REQUIRED})
    try:
        files.check_size(upload.size or 0)
        head = upload.read(65536)
        upload.seek(0)
        file_format = files.detect_format(upload.name or "", head)
    except files.FileProblem as problem:
        raise ValidationError({"file": problem.message}) from problem
    name = os.path.basename(upload.name or f"{kind}.{file_format}")[:200]
    job = ImportJob(kind=kind, file_name=name, file_format=file_format, file_size=upload.size or 0, created_by=by)
    job.file.save(f"{kind}-{timezone.now():%Y%m%d-%H%M%S}.{file_format}", upload, save=False)
    job.save()
    transaction.on_commit(lambda: _queue("check", job.pk))
    return job


def _queue(step: str, job_id: int) -> None:
    run = import_job_check if step == "check" else import_job_apply
    enqueue(f"hq.tasks.import_{step}", job_id, when_down="running it in the request (now, not never).",
            fallback=lambda: run(job_id=job_id))


# --- Reading the file batch by batch ---------------------------------------------------------
def _run(job: ImportJob, *, dry_run: bool, on_batch: Callable[[list[RowResult]], None]) -> None:
    kind = KINDS[job.kind]
    context = Context(by=_by(job))
    total = None
    with job.file.open("rb") as stream:
        total = files.estimate_rows(stream, job.file_format)
        _progress(job, done=0, total=total)
        _columns, rows = files.data_rows(
            stream, job.file_format, columns=kind.column_names, required=kind.required_columns)
        batch, done = [], 0
        for row in rows:
            batch.append(row)
            if len(batch) >= BATCH_SIZE:
                on_batch(kind.run(batch, context, dry_run=dry_run))
                done += len(batch)
                _progress(job, done=done, total=total)
                batch = []
        if batch:
            on_batch(kind.run(batch, context, dry_run=dry_run))
            done += len(batch)
    if not dry_run:
        kind.finish(context)
    _progress(job, done=done, total=done)


def _progress(job: ImportJob, *, done: int, total: int | None) -> None:
    cache.set(PROGRESS_KEY.format(job.pk), {"done": done, "total": total}, timeout=6 * 3600)


def import_progress(job: ImportJob) -> dict:
    """{"done": rows processed, "total": about how many, "percent": 0–100} of a running step."""
    progress = cache.get(PROGRESS_KEY.format(job.pk)) or {"done": 0, "total": None}
    total = progress.get("total")
    percent = min(100, round(100 * progress["done"] / total)) if total else 0
    return {**progress, "percent": percent}


def _row_records(job: ImportJob, results: list[RowResult]) -> list[ImportRow]:
    return [
        ImportRow(
            job=job, number=result.index, key=str(result.key)[:255], outcome=result.outcome,
            changed=list(dict.fromkeys(result.changed)),
            errors=[{"column": column, "message": message}
                    for column, messages in result.errors.items() for message in messages],
        )
        for result in results
    ]


class _Tally:
    def __init__(self):
        self.counts = dict.fromkeys(Outcome.values, 0)

    def add(self, results: list[RowResult]) -> None:
        for result in results:
            self.counts[result.outcome] += 1

    def store(self, job: ImportJob) -> None:
        job.rows_create, job.rows_update = self.counts[Outcome.CREATE], self.counts[Outcome.UPDATE]
        job.rows_unchanged, job.rows_error = self.counts[Outcome.UNCHANGED], self.counts[Outcome.ERROR]
        job.rows_total = sum(self.counts.values())


# --- The check (dry run) -----------------------------------------------------------------------
def import_job_check(*, job_id: int) -> ImportJob | None:
    """The preview: what every row would do; nothing is saved. Idempotent: only a
    queued job is checked (a second delivery of the task does nothing)."""
    if not ImportJob.objects.filter(pk=job_id, status=ImportStatus.QUEUED).update(status=ImportStatus.CHECKING):
        return None
    job = ImportJob.objects.select_related("created_by", "applied_by").get(pk=job_id)
    ImportRow.objects.filter(job=job).delete()
    tally = _Tally()
    started = time.monotonic()

    def keep(results: list[RowResult]) -> None:
        tally.add(results)
        ImportRow.objects.bulk_create(_row_records(job, results), batch_size=2000)

    try:
        _run(job, dry_run=True, on_batch=keep)
    except files.FileProblem as problem:
        ImportRow.objects.filter(job=job).delete()
        job.status, job.error = ImportStatus.FAILED, problem.message
    else:
        job.status, job.error = ImportStatus.CHECKED, ""
        tally.store(job)
    job.checked_at, job.seconds = timezone.now(), round(time.monotonic() - started, 2)
    job.save()
    return job


# --- The import (all rows or none) -------------------------------------------------------------
@transaction.atomic
def import_job_apply_request(*, job: ImportJob, by: User) -> ImportJob:
    """Ask for a checked import without errors to be run; its task does the work."""
    job = ImportJob.objects.select_for_update().get(pk=job.pk)
    if not job.can_apply:
        raise ValidationError(NOT_READY)
    job.status, job.applied_by = ImportStatus.APPLYING, by
    job.save(update_fields=["status", "applied_by"])
    _progress(job, done=0, total=job.rows_total)
    transaction.on_commit(lambda: _queue("apply", job.pk))
    return job


def import_job_apply(*, job_id: int) -> ImportJob | None:
    """Save every row in one transaction, through the owning services; if any row
    fails now (the data changed since the check), nothing is saved and the job
    goes back to "checked" with those rows' errors. Idempotent: only a job asked
    to be applied runs, and its row is locked until it is done."""
    started = time.monotonic()
    failed: BulkInvalid | files.FileProblem | ValidationError | None = None
    try:
        with transaction.atomic():
            job = ImportJob.objects.select_for_update(of=("self",)).select_related("created_by", "applied_by").filter(
                pk=job_id, status=ImportStatus.APPLYING).first()
            if job is None:
                return None
            ImportRow.objects.filter(job=job).delete()
            tally = _Tally()

            def keep(results: list[RowResult]) -> None:
                tally.add(results)
                ImportRow.objects.bulk_create(_row_records(job, results), batch_size=2000)

            _run(job, dry_run=False, on_batch=keep)
            tally.store(job)
            job.status, job.error, job.applied_at = ImportStatus.APPLIED, "", timezone.now()
            job.seconds = round(time.monotonic() - started, 2)
            _forget_file(job)  # imported: the rows' outcomes stay, the uploaded file goes
            job.save()
            return job
    except (BulkInvalid, files.FileProblem, ValidationError) as error:
        failed = error
    return _apply_failed(job_id=job_id, error=failed)


@transaction.atomic
def _apply_failed(*, job_id: int, error: BulkInvalid | files.FileProblem | ValidationError) -> ImportJob:
    """Nothing was saved: say why on the job, and which rows fail now."""
    job = ImportJob.objects.select_for_update().get(pk=job_id)
    if isinstance(error, files.FileProblem):
        job.status, job.error = ImportStatus.FAILED, error.message
        job.save()
        return job
    if isinstance(error, ValidationError):  # e.g. a concurrent change of the same records: try again
        job.status, job.error = ImportStatus.CHECKED, " ".join(error.messages)
        job.save()
        return job
    bad = [result for result in error.results if result.errors]
    by_number = {row.number: row for row in ImportRow.objects.filter(job=job, number__in=[r.index for r in bad])}
    for record in _row_records(job, bad):
        row = by_number.get(record.number)
        if row is not None:
            row.outcome, row.errors, row.changed = record.outcome, record.errors, record.changed
    ImportRow.objects.bulk_update(list(by_number.values()), ["outcome", "errors", "changed"])
    job.rows_error = ImportRow.objects.filter(job=job, outcome=Outcome.ERROR).count()
    job.status = ImportStatus.CHECKED
    job.error = str(DATA_CHANGED % {"errors": len(bad)})
    job.save()
    return job


@transaction.atomic
def import_job_discard(*, job: ImportJob, by: User) -> ImportJob:
    """Drop a checked (or failed) import: its file and preview are deleted."""
    job = ImportJob.objects.select_for_update().get(pk=job.pk)
    if job.status in (ImportStatus.APPLYING, ImportStatus.APPLIED):
        raise ValidationError(NOT_READY)
    ImportRow.objects.filter(job=job).delete()
    _forget_file(job)
    job.status = ImportStatus.DISCARDED
    job.save()
    return job


def _forget_file(job: ImportJob) -> None:
    """Delete the uploaded file once the transaction that no longer needs it commits."""
    if job.file:
        storage, name = job.file.storage, job.file.name
        transaction.on_commit(lambda: storage.delete(name))
        job.file = ""
