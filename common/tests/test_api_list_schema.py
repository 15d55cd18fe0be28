"""The dealer and order lists read values and format rows themselves since issue 16;
their OpenAPI description must not change: the GET operations and the schemas of
their rows and pages are compared with a snapshot taken before the change
(list_schema_before_issue16.json: field names, types, formats, nullability,
parameters). A deliberate, additive change to these endpoints updates the snapshot."""

import json
from pathlib import Path

import pytest
import yaml
from django.core.management import call_command

SNAPSHOT = Path(__file__).with_name("list_schema_before_issue16.json")


@pytest.fixture(scope="module")
def schema(tmp_path_factory):
    path = tmp_path_factory.mktemp("schema") / "schema.yaml"
    call_command("spectacular", file=str(path), validate=False)
    return yaml.safe_load(path.read_text())


@pytest.mark.parametrize("path", ["/api/v1/dealers/", "/api/v1/orders/"])
def test_list_operation_is_described_as_before(schema, path):
    assert schema["paths"][path]["get"] == json.loads(SNAPSHOT.read_text())["paths"][path]["get"]


# The integer columns' ranges come from the database backend (SQLite reports 64 bits for
# every integer, PostgreSQL 16/32/64 by column type): left out of the comparison.
BACKEND_RANGES = {2**63 - 1, -(2**63), 2**31 - 1, -(2**31), 2**15 - 1, -(2**15)}


def _without_backend_ranges(component):
    component = json.loads(json.dumps(component))
    for field in component.get("properties", {}).values():
        if field.get("type") == "integer":
            for key in ("maximum", "minimum"):
                if field.get(key) in BACKEND_RANGES:
                    del field[key]
            if field.get("format") == "int64":
                del field["format"]
    return component


@pytest.mark.parametrize("name", ["Dealer", "Order", "OrderLine", "PaginatedDealerList", "PaginatedOrderList"])
def test_list_row_and_page_schemas_are_as_before(schema, name):
    assert _without_backend_ranges(schema["components"]["schemas"][name]) == _without_backend_ranges(
        json.loads(SNAPSHOT.read_text())["components"][name])
