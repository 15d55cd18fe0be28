"""One format for money, dates and quantities, in English and in Chinese (common/formatting.py
and the `crm` template filters)."""

import datetime
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import timezone, translation
from hypothesis import given
from hypothesis import strategies as st

from common.formatting import (
    format_date,
    format_datetime,
    format_money,
    format_number,
    format_percent,
    format_quantity,
    unit_label,
)

LANGUAGES = ("en", "zh-hans")


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(("value", "expected"), [
    (Decimal("1234.5"), "¥1,234.50"),
    (Decimal("99999999"), "¥99,999,999.00"),
    (0, "¥0.00"),
    ("14405.8", "¥14,405.80"),
    (Decimal("-3"), "-¥3.00"),
    (None, "—"),
    ("", "—"),
])
def test_format_money_reads_the_same_in_both_languages(language, value, expected):
    with translation.override(language):
        assert format_money(value) == expected


@given(st.decimals(min_value=Decimal("-1e12"), max_value=Decimal("1e12"), places=2, allow_nan=False))
def test_format_money_round_trips_to_the_same_amount(amount):
    text = format_money(amount)
    assert text.lstrip("-").startswith("¥")
    assert Decimal(text.replace("¥", "").replace(",", "")) == amount


def test_format_money_of_text_that_is_no_number_is_shown_as_given():
    assert format_money("n/a") == "n/a"


@pytest.mark.parametrize("language", LANGUAGES)
def test_format_date_is_iso_in_both_languages(language):
    with translation.override(language):
        assert format_date(datetime.date(2026, 10, 1)) == "2026-10-01"
        assert format_date(None) == "—"


def test_format_datetime_is_local_time():
    moment = datetime.datetime(2026, 9, 30, 17, 30, tzinfo=datetime.UTC)  # 01:30 next day in Shanghai
    assert format_datetime(moment) == "2026-10-01 01:30"
    assert format_date(moment) == "2026-10-01"
    assert format_datetime(timezone.make_aware(datetime.datetime(2026, 10, 1, 9, 5))) == "2026-10-01 09:05"


@pytest.mark.parametrize(("language", "value", "unit", "expected"), [
    ("en", 1, "case", "1 case"),
    ("en", 30, "case", "30 cases"),
    ("en", 1200, "case", "1,200 cases"),
    ("en", 0, "bag", "0 bags"),
    ("en", 1, "barrel", "1 barrel"),
    ("zh-hans", 30, "case", "30 箱"),
    ("zh-hans", 1, "case", "1 箱"),
    ("zh-hans", 2, "pack", "2 包"),
    ("en", None, "case", "—"),
])
def test_format_quantity_is_translated_and_plural_aware(language, value, unit, expected):
    with translation.override(language):
        assert format_quantity(value, unit) == expected


def test_unit_label_for_one_and_many():
    with translation.override("en"):
        assert (unit_label("case", 1), unit_label("case", 5)) == ("case", "cases")
    with translation.override("zh-hans"):
        assert unit_label("case", 1) == "箱"


def test_format_number_and_percent():
    assert format_number(12345) == "12,345" and format_number(Decimal("12345.6"), 2) == "12,345.60"
    assert format_percent(Decimal("21.3")) == "21.3 %" and format_percent(None) == "—"


@pytest.mark.parametrize("language", LANGUAGES)
def test_template_filters_and_bare_dates_read_one_way(language):
    template = Template(
        "{% load crm %}{{ amount|money }}|{{ 30|quantity:'case' }}|{{ day }}|{{ day|date }}|{{ moment }}|{{ day|day }}"
    )
    context = Context({"amount": Decimal("99999999"), "day": datetime.date(2026, 10, 1),
                       "moment": timezone.make_aware(datetime.datetime(2026, 10, 1, 14, 30))})
    with translation.override(language):
        rendered = template.render(context)
    cases = "30 cases" if language == "en" else "30 箱"
    assert rendered == f"¥99,999,999.00|{cases}|2026-10-01|2026-10-01|2026-10-01 14:30|2026-10-01"
    assert "Oct." not in rendered
