"""common.api.rows.RowFormat: rows represented exactly as the serializer's fields
represent the same values (issue 16), the fast paths included."""

import datetime
import zoneinfo
from decimal import Decimal

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st
from rest_framework import serializers

from common.api.rows import RowFormat, _decimal


class Sample(serializers.Serializer):
    id = serializers.IntegerField()
    big = serializers.BigIntegerField()
    big_text = serializers.BigIntegerField(coerce_to_string=True)
    name = serializers.CharField()
    kind = serializers.ChoiceField(choices=[("a", "A"), ("b", "B")])
    number_kind = serializers.ChoiceField(choices=[(1, "One"), (2, "Two")])
    flag = serializers.BooleanField()
    ratio = serializers.FloatField()
    amount = serializers.DecimalField(max_digits=14, decimal_places=2)
    day = serializers.DateField()
    at = serializers.DateTimeField()
    tags = serializers.ListField(child=serializers.ChoiceField(choices=[("x", "X")]))
    stamps = serializers.ListField(child=serializers.DateTimeField())
    data = serializers.JSONField()
    owner = serializers.PrimaryKeyRelatedField(read_only=True)
    secret = serializers.CharField(write_only=True)


FORMAT = RowFormat(Sample)
UTC = datetime.UTC
ROWS = [
    {"id": 1, "big": 2**40, "big_text": 2**62, "name": "Dealer 春", "kind": "a", "number_kind": 2, "flag": True, "ratio": 0.5, "amount": Decimal("12.50"),
     "day": datetime.date(2026, 2, 1), "at": datetime.datetime(2026, 1, 31, 23, 30, tzinfo=UTC), "tags": ["x", "y"],
     "stamps": [datetime.datetime(2026, 6, 1, 12, tzinfo=UTC), None], "data": {"a": [1]}, "owner": 7, "secret": "s"},
    {"id": "2", "big": "5", "big_text": 3, "name": 42, "kind": "", "number_kind": "1", "flag": 1, "ratio": 1, "amount": Decimal("3.14159"),
     "day": "2026-01-01", "at": datetime.datetime(2026, 7, 1, 8, 0, 0, 123, tzinfo=UTC), "tags": [], "stamps": [],
     "data": None, "owner": None, "secret": "s"},
    {"id": 3, "big": None, "big_text": None, "name": "", "kind": "b", "number_kind": None, "flag": False, "ratio": None, "amount": Decimal("-0.00"),
     "day": None, "at": None, "tags": None, "stamps": None, "data": [], "owner": 1, "secret": "s"},
]


def expected(rows):
    """What the serializer's fields give for the same values (None stays None, as for an
    instance; a related id is given by PrimaryKeyRelatedField as the id itself)."""
    fields = {name: field for name, field in Sample().fields.items() if not field.write_only}

    def represent(field, value):
        if value is None or isinstance(field, serializers.PrimaryKeyRelatedField):
            return value
        return field.to_representation(value)

    return [{name: represent(field, row[name]) for name, field in fields.items()} for row in rows]


@pytest.mark.parametrize("zone", ["UTC", "Asia/Shanghai", "America/New_York"])
def test_row_format_equals_the_fields_representation_in_each_time_zone(zone):
    with timezone.override(zoneinfo.ZoneInfo(zone)):
        assert FORMAT.format(ROWS) == expected(ROWS)


def test_row_format_leaves_out_write_only_fields_and_keeps_the_field_order():
    assert list(FORMAT.format(ROWS[:1])[0]) == [name for name, field in Sample().fields.items() if not field.write_only]


def test_row_format_refuses_a_dotted_source_it_was_not_told_how_to_read():
    class Nested(serializers.Serializer):
        region_name = serializers.CharField(source="region.name")

    with pytest.raises(ImproperlyConfigured):
        RowFormat(Nested).format([{"region_name": "x"}])
    assert RowFormat(Nested, attributes={"region_name": lambda row: row["name"]}).format([{"name": 5}]) == [
        {"region_name": "5"}
    ]


@settings(max_examples=500, deadline=None)
@given(
    value=st.decimals(allow_nan=True, allow_infinity=True, places=None, min_value=None, max_value=None),
    shape=st.sampled_from([(14, 2), (12, 2), (5, 3), (6, 6), (3, 1), (10, 0)]),
)
def test_decimal_fast_path_equals_drf_for_any_decimal(value, shape):
    field = serializers.DecimalField(max_digits=shape[0], decimal_places=shape[1])
    _passthrough, represent = _decimal(field)

    def outcome(function):
        try:
            return function(value)
        except Exception as error:  # the same error is the same outcome
            return type(error)

    assert outcome(represent) == outcome(field.to_representation)


@pytest.mark.parametrize("text", ["0.00", "-0.00", "12.50", "-99999999999.99", "999999999999.99", "0.05", "1.2E+3",
                                  "12.345", "7"])
def test_decimal_fast_path_at_the_columns_places(text):
    field = serializers.DecimalField(max_digits=14, decimal_places=2)
    _passthrough, represent = _decimal(field)
    assert represent(Decimal(text)) == field.to_representation(Decimal(text))
