import pytest
import yaml
from drf_spectacular.validation import validate_schema

pytestmark = pytest.mark.django_db


def signed_in(client):
    from accounts.tests.factories import RepFactory

    client.force_login(RepFactory())
    return client


def test_schema_endpoint_serves_a_valid_openapi_document(client):
    response = signed_in(client).get("/api/schema/")
    assert response.status_code == 200
    schema = yaml.safe_load(response.content)
    assert schema["openapi"].startswith("3.")
    validate_schema(schema)
    for path in ("/api/v1/auth/token/", "/api/v1/auth/logout/", "/api/v1/users/", "/api/v1/regions/", "/api/v1/notifications/"):
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
    response = signed_in(client).get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "swagger-ui" in html
    assert "cdn." not in html and "unpkg" not in html and "jsdelivr" not in html


def test_schema_and_docs_are_for_signed_in_users_only(client, api_client):
    assert client.get("/api/schema/").status_code == 401
    docs = client.get("/api/docs/")
    assert docs.status_code == 302 and docs.url.startswith("/accounts/login/?next=/api/docs/")
    api_client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    assert api_client.get("/api/schema/").status_code == 401


def test_schema_with_a_token_is_served(api_client):
    from accounts.tests.factories import RepFactory
    from accounts.tokens import api_token_issue

    key, _token = api_token_issue(user=RepFactory())
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api_client.get("/api/schema/").status_code == 200


def test_pages_load_no_asset_from_another_host(client):
    from accounts.tests.factories import RepFactory

    client.force_login(RepFactory())
    html = client.get("/notifications/").content.decode()
    assert "/static/vendor/bootstrap/bootstrap.min.css" in html
    assert "/static/vendor/htmx/htmx.min.js" in html
    assert 'src="http' not in html and 'href="http' not in html


def test_static_vendor_assets_are_served_by_whitenoise(client):
    assert client.get("/static/vendor/chartjs/chart.umd.min.js").status_code == 200
