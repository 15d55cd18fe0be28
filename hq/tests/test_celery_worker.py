"""The import through a real Celery worker on Redis, as in production: the check
and the import run in the worker while the page polls the progress; the import
task delivered twice imports once."""

import pytest

from accounts.tests.factories import AdminFactory
from hq import services
from hq.models import ImportJob, ImportStatus
from hq.tests.conftest import csv_file
from inventory.models import Product
from notifications.tests.test_celery_worker import celery_worker_on_redis, wait_for  # noqa: F401 (a fixture)

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def test_import_checked_and_imported_by_the_worker_once(celery_worker_on_redis):  # noqa: F811
    from hq.tasks import import_apply

    admin = AdminFactory()
    rows = [["sku", "name", "shelf_life_days", "guideline_price", "floor_price"]] + [
        [f"SKU-{n}", f"Product {n}", "270", "4.50", "3.80"] for n in range(30)]
    job = services.import_job_create(kind="products", upload=csv_file(rows), by=admin)
    assert wait_for(lambda: ImportJob.objects.get(pk=job.pk).status == ImportStatus.CHECKED)
    job.refresh_from_db()
    assert job.rows_create == 30 and not Product.objects.exists()
    assert services.import_progress(job)["done"] == 30
    services.import_job_apply_request(job=job, by=admin)
    import_apply.delay(job.pk)  # a second delivery of the same task
    assert wait_for(lambda: ImportJob.objects.get(pk=job.pk).status == ImportStatus.APPLIED)
    assert Product.objects.count() == 30
