"""The generic Idempotency-Key mechanism (common.idempotency), on a tiny view:
a retry gets the first answer (same ids, nothing written twice), the same key with
another body is 422, keys are per user/method/path, only successes are kept,
records expire and are purged. The stock count endpoint's own tests and the
PostgreSQL concurrency test are in visits/tests."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from accounts.tests.factories import RepFactory
from common.idempotency import KEY_REUSED, idempotency_records_purge
from common.models import IdempotencyRecord
from common.tasks import purge_idempotency_records
from regions.models import Region

pytestmark = [pytest.mark.django_db, pytest.mark.urls("common.tests.idempotency_urls")]


@pytest.fixture
def client(api_as):
    return api_as(RepFactory())


def test_idempotent_without_key_runs_every_time(client):
    client.post("/write/", {"name": "East"}, format="json")
    client.post("/write/", {"name": "East"}, format="json")
    assert Region.objects.filter(name="East").count() == 2


def test_idempotent_retry_replays_first_answer_once_written(client):
    first = client.post("/write/", {"name": "East"}, format="json", HTTP_IDEMPOTENCY_KEY="a1")
    again = client.post("/write/", {"name": "East"}, format="json", HTTP_IDEMPOTENCY_KEY="a1")
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json() == first.json()
    assert again.headers["Idempotent-Replayed"] == "true"
    assert Region.objects.filter(name="East").count() == 1


def test_idempotent_body_compared_as_json_not_as_text(client):
    client.post("/write/", data='{"name": "East"}', content_type="application/json", HTTP_IDEMPOTENCY_KEY="a1")
    again = client.post("/write/", data='{ "name" : "East" }', content_type="application/json",
                        HTTP_IDEMPOTENCY_KEY="a1")
    assert again.headers.get("Idempotent-Replayed") == "true"


def test_idempotent_same_key_other_body_422(client):
    client.post("/write/", {"name": "East"}, format="json", HTTP_IDEMPOTENCY_KEY="a1")
    reused = client.post("/write/", {"name": "West"}, format="json", HTTP_IDEMPOTENCY_KEY="a1")
    assert reused.status_code == 422 and reused.json() == {"detail": str(KEY_REUSED)}
    assert not Region.objects.filter(name="West").exists()


def test_idempotent_form_bodies_too(client):
    first = client.post("/write/", {"name": "East"}, format="multipart", HTTP_IDEMPOTENCY_KEY="f1")
    again = client.post("/write/", {"name": "East"}, format="multipart", HTTP_IDEMPOTENCY_KEY="f1")
    assert again.json() == first.json() and Region.objects.filter(name="East").count() == 1


def test_idempotent_keys_are_per_user_and_method(api_as):
    one = api_as(RepFactory())
    one.post("/write/", {"name": "East"}, format="json", HTTP_IDEMPOTENCY_KEY="same")
    from rest_framework.test import APIClient

    two = APIClient()
    two.force_authenticate(user=RepFactory())
    two.post("/write/", {"name": "East"}, format="json", HTTP_IDEMPOTENCY_KEY="same")
    assert Region.objects.filter(name="East").count() == 2
    assert two.put("/write/", {"name": "East"}, format="json", HTTP_IDEMPOTENCY_KEY="same").status_code == 400


def test_idempotent_failure_not_kept_key_may_be_sent_again(client):
    refused = client.post("/write/", {"name": ""}, format="json", HTTP_IDEMPOTENCY_KEY="a1")
    assert refused.status_code == 400
    assert client.put("/write/", {}, format="json", HTTP_IDEMPOTENCY_KEY="a2").status_code == 400
    assert not IdempotencyRecord.objects.exists()
    assert client.post("/write/", {"name": "East"}, format="json", HTTP_IDEMPOTENCY_KEY="a1").status_code == 201


def test_idempotent_expired_key_is_new_again_and_purged(client, settings):
    settings.IDEMPOTENCY_KEY_TTL_HOURS = 24
    start = timezone.now()
    client.post("/write/", {"name": "East"}, format="json", HTTP_IDEMPOTENCY_KEY="a1")
    with time_machine.travel(start + datetime.timedelta(hours=25)):
        again = client.post("/write/", {"name": "East"}, format="json", HTTP_IDEMPOTENCY_KEY="a1")
        assert "Idempotent-Replayed" not in again.headers
        assert Region.objects.filter(name="East").count() == 2
        client.post("/write/", {"name": "North"}, format="json", HTTP_IDEMPOTENCY_KEY="n1")
    assert IdempotencyRecord.objects.count() == 2
    with time_machine.travel(start + datetime.timedelta(hours=48)):
        assert idempotency_records_purge() == 0  # both renewed or written at 25 h: a day has not passed
    with time_machine.travel(start + datetime.timedelta(hours=50)):
        assert purge_idempotency_records() == 2
        assert purge_idempotency_records() == 0  # idempotent
    assert not IdempotencyRecord.objects.exists()


def test_idempotent_anonymous_request_not_recorded(api_client):
    response = api_client.post("/write/", {"name": "East"}, format="json", HTTP_IDEMPOTENCY_KEY="a1")
    assert response.status_code in (401, 403)
    assert not IdempotencyRecord.objects.exists()


def test_idempotent_on_a_viewset_action(client):
    region = Region.objects.create(name="East", kind="other")
    first = client.post(f"/regions/{region.pk}/rename/", {}, format="json", HTTP_IDEMPOTENCY_KEY="r1")
    again = client.post(f"/regions/{region.pk}/rename/", {}, format="json", HTTP_IDEMPOTENCY_KEY="r1")
    assert first.json() == again.json() == {"id": region.pk, "name": "East+"}
    region.refresh_from_db()
    assert region.name == "East+"


def test_idempotent_header_documented_in_the_schema():
    from drf_spectacular.generators import SchemaGenerator

    from common.tests import idempotency_urls

    schema = SchemaGenerator(patterns=idempotency_urls.urlpatterns).get_schema(request=None, public=True)
    for path, method in (("/write/", "post"), ("/write/", "put"), ("/regions/{id}/rename/", "post")):
        names = [parameter["name"] for parameter in schema["paths"][path][method].get("parameters", [])]
        assert "Idempotency-Key" in names, (path, method)
