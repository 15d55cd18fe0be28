import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile


def csv_file(rows: list[list], name: str = "file.csv", encoding: str = "utf-8-sig") -> SimpleUploadedFile:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return SimpleUploadedFile(name, buffer.getvalue().encode(encoding), content_type="text/csv")


def xlsx_file(rows: list[list], name: str = "file.xlsx") -> SimpleUploadedFile:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue(),
                              content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


@pytest.fixture
def hq_admin(db):
    from accounts.tests.factories import AdminFactory

    return AdminFactory(username="hq")


@pytest.fixture
def run_import(hq_admin, django_capture_on_commit_callbacks):
    """Upload a file, run its check (eager) and, with apply=True, the import: the job."""
    from hq import services

    def run(kind: str, upload, *, apply: bool = False):
        with django_capture_on_commit_callbacks(execute=True):
            job = services.import_job_create(kind=kind, upload=upload, by=hq_admin)
        job.refresh_from_db()
        if apply and job.can_apply:
            with django_capture_on_commit_callbacks(execute=True):
                services.import_job_apply_request(job=job, by=hq_admin)
            job.refresh_from_db()
        return job

    return run
