import pytest
import yaml
from drf_spectacular.validation import validate_schema

pytestmark = pytest.mark.django_db


def test_schema_endpoint_serves_a_valid_openapi_document(client):
    response = client.get("/api/schema/")
    assert response.status_code == 200
    schema = yaml.safe_load(response.content)
    assert schema["openapi"].startswith("3.")
    validate_schema(schema)
    for path in ("/api/v1/auth/token/", "/api/v1/users/", "/api/v1/regions/", "/api/v1/notifications/"):
        assert path in schema["paths"]
    dealer_paths = (
        "/api/v1/dealers/", "/api/v1/dealers/{id}/", "/api/v1/dealers/{dealer_pk}/evaluations/",
        "/api/v1/dealers/{id}/status/", "/api/v1/dealers/{id}/assign/", "/api/v1/dealers/reassign/",
        "/api/v1/dealers/{id}/history/", "/api/v1/dealer-contacts/", "/api/v1/contact-logs/",
        "/api/v1/prospects/", "/api/v1/prospects/{id}/", "/api/v1/prospects/{id}/{kind}/",
        "/api/v1/contracts/", "/api/v1/contracts/{id}/sign/", "/api/v1/violations/", "/api/v1/violations/{id}/decide/",
        "/api/v1/violations/{id}/photos/", "/api/v1/violations/{id}/photos/{photo_id}/", "/api/v1/dealer-applications/",
        "/api/v1/dealer-applications/{id}/approve/", "/api/v1/evaluation-criteria/",
    )
    for path in dealer_paths:
        assert path in schema["paths"], path
    for path in (
        "/api/v1/product-categories/", "/api/v1/products/", "/api/v1/tier-prices/", "/api/v1/orders/", "/api/v1/orders/{id}/",
        "/api/v1/orders/{id}/confirm/", "/api/v1/orders/{id}/pay/", "/api/v1/orders/{id}/pick/",
        "/api/v1/orders/{id}/ship/", "/api/v1/orders/{id}/receive/", "/api/v1/orders/{id}/reject/",
        "/api/v1/orders/{id}/cancel/", "/api/v1/payments/", "/api/v1/shipments/",
        "/api/v1/promotions/", "/api/v1/promotions/{id}/", "/api/v1/promotions/{id}/approve/",
        "/api/v1/promotions/{id}/tasks/", "/api/v1/promotions/{id}/tasks/{task_id}/",
        "/api/v1/promotions/{id}/attendees/", "/api/v1/promotions/{id}/attendees/import/",
        "/api/v1/promotions/{id}/attendees/{attendee_id}/",
        "/api/v1/promotions/{id}/assignments/", "/api/v1/promotions/{id}/review/",
        "/api/v1/promotions/{id}/effect/", "/api/v1/promotions/leads/", "/api/v1/promotions/leads/{id}/follow-ups/",
    ):
        assert path in schema["paths"], path
    for path in (
        "/api/v1/rebates/statements/", "/api/v1/rebates/statements/{id}/", "/api/v1/rebates/statements/{id}/settle/",
        "/api/v1/rebates/plans/", "/api/v1/rebates/assignments/", "/api/v1/questions/", "/api/v1/questions/{id}/",
        "/api/v1/questions/{id}/messages/", "/api/v1/questions/{id}/close/",
    ):
        assert path in schema["paths"], path


def test_api_docs_load_their_assets_locally(client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "swagger-ui" in html
    assert "cdn." not in html and "unpkg" not in html and "jsdelivr" not in html


def test_pages_load_no_asset_from_another_host(client):
    from accounts.tests.factories import RepFactory

    client.force_login(RepFactory())
    html = client.get("/notifications/").content.decode()
    assert "/static/vendor/bootstrap/bootstrap.min.css" in html
    assert "/static/vendor/htmx/htmx.min.js" in html
    assert 'src="http' not in html and 'href="http' not in html


def test_static_vendor_assets_are_served_by_whitenoise(client):
    assert client.get("/static/vendor/chartjs/chart.umd.min.js").status_code == 200
