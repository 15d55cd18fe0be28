"""The schema is the truth (API.md): real responses of every GET endpoint, for
every role, on the demo world, validate against /api/schema/ — successes and
the errors alike (a page past the last, a bad filter, an id outside the scope).
Writes are covered by `make fuzz` (schemathesis on a live server)."""

from __future__ import annotations

import http.client
import re

import pytest
import requests
from django.core.management import call_command
from schemathesis.core.failures import FailureGroup
from schemathesis.core.transport import Response

pytestmark = pytest.mark.django_db

ROLES = ["admin", "manager_zj", "rep_zhang", "finance", "warehouse", "dealer_hz"]
KINDS = {"kind": "memo"}


def as_schemathesis_response(response, path: str) -> Response:
    request = requests.Request(method="GET", url=f"http://testserver{path}").prepare()
    return Response(
        status_code=response.status_code,
        headers={name: [value] for name, value in response.headers.items()},
        content=response.content,
        request=request,
        elapsed=0.0,
        message=http.client.responses.get(response.status_code, "Unknown"),
        encoding="utf-8",
        http_version="1.1",
        verify=False,
    )


@pytest.fixture
def demo_world(db):
    call_command("seed_demo", verbosity=0)


@pytest.fixture
def api_schema(client, db):
    import schemathesis

    from accounts.tests.factories import AdminFactory

    client.force_login(AdminFactory())  # the schema is for signed-in users (issue #12)
    raw = client.get("/api/schema/?format=json").json()
    client.logout()
    return raw, schemathesis.openapi.from_dict(raw)


def _get_paths(raw: dict) -> list[str]:
    return sorted(path for path, item in raw["paths"].items() if "get" in item)


def _list_path_of(path: str) -> str:
    """`/api/v1/dealers/{id}/history/` → `/api/v1/dealers/`."""
    return path.split("{", 1)[0]


def _validate(schema, path_template: str, concrete: str, response) -> list[str]:
    operation = schema[path_template]["GET"]
    try:
        operation.validate_response(as_schemathesis_response(response, concrete))
    except (AssertionError, FailureGroup) as error:
        return [f"{concrete} [{response.status_code}]: {str(error)[:600]}"]
    return []


def test_every_get_response_of_every_role_matches_the_schema(demo_world, api_schema, api_client):
    from accounts.models import User

    raw, schema = api_schema
    paths = _get_paths(raw)
    assert len(paths) > 60
    violations: list[str] = []
    checked = 0
    for username in ROLES:
        api_client.force_authenticate(User.objects.get(username=username))
        first_ids: dict[str, int | None] = {}
        for path in paths:
            names = re.findall(r"\{(\w+)\}", path)
            if not names:
                concrete = path
            else:
                base = _list_path_of(path)
                if base not in first_ids:
                    listing = api_client.get(base) if "get" in raw["paths"].get(base, {}) else None
                    results = listing.json().get("results", []) if listing is not None and listing.status_code == 200 else []
                    first_ids[base] = results[0]["id"] if results and isinstance(results[0], dict) and "id" in results[0] else None
                if first_ids[base] is None or any(name not in ("id", "dealer_pk", "kind") for name in names):
                    continue
                concrete = path.replace("{id}", str(first_ids[base])).replace("{dealer_pk}", str(first_ids[base]))
                concrete = concrete.replace("{kind}", KINDS["kind"])
            response = api_client.get(concrete)
            assert response.status_code < 500, (username, concrete, response.content[:300])
            violations += _validate(schema, path, concrete, response)
            checked += 1
    assert checked > 300
    # The errors too: a page past the last, a bad filter, a period out of range, ids outside the scope.
    api_client.force_authenticate(User.objects.get(username="rep_zhang"))
    for path, query, status in ERRORS:
        concrete = path.replace("{id}", "999999")
        response = api_client.get(concrete, query)
        assert response.status_code == status, (concrete, response.status_code)
        violations += _validate(schema, path, concrete, response)
    assert violations == [], "\n".join(violations[:20])


ERRORS = [
    ("/api/v1/dealers/", {"page": "9999"}, 404),
    ("/api/v1/orders/", {"dealer": "1e30"}, 400),
    ("/api/v1/scorecards/region/", {"period": "9999"}, 400),
    ("/api/v1/dealers/{id}/", {}, 404),
    ("/api/v1/orders/{id}/", {}, 404),
]


def test_a_response_off_the_schema_is_caught(api_schema, client):
    """The check above can fail: a list without its count breaks the schema."""
    from django.http import JsonResponse

    _raw, schema = api_schema
    wrong = JsonResponse({"next": None, "previous": None, "results": [{"id": "not a number"}]})
    assert _validate(schema, "/api/v1/dealers/", "/api/v1/dealers/", wrong) != []


def test_unauthenticated_answers_match_the_schema(api_schema, client):
    raw, schema = api_schema
    response = client.get("/api/v1/dealers/")
    assert response.status_code == 401
    assert _validate(schema, "/api/v1/dealers/", "/api/v1/dealers/", response) == []


def test_every_operation_documents_the_standard_errors(api_schema):
    raw, _schema = api_schema
    for path, item in raw["paths"].items():
        for method, operation in item.items():
            if method not in ("get", "post", "put", "patch", "delete"):
                continue
            documented = set(operation["responses"])
            assert {"400", "401", "403", "404", "414", "429"} <= documented, (method, path)
            if method != "get":
                assert "409" in documented, (method, path)
            for code, response in operation["responses"].items():
                if code.startswith("4") and code != "414":
                    assert "application/json" in response.get("content", {}), (method, path, code)
