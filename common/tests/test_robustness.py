"""No 500 from any input (issue #13; API.md "Promises every endpoint keeps"; SPEC
"Inputs that must be refused"). One regression test per 500 that the fuzz run
found, parametrised where one mechanism answers them all."""

from __future__ import annotations

import datetime
import io
import json
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DataError
from django.test import override_settings
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from accounts.tests.factories import AdminFactory, DealerUserFactory, ManagerFactory, RepFactory
from common.api import exceptions as api_exceptions
from common.api.fields import BIGINT_MAX
from common.api.parsers import BODY_TOO_DEEP, BODY_TOO_LARGE, json_depth_exceeds
from common.exceptions import is_bad_input, is_out_of_range
from common.validators import IMAGE_TOO_MANY_PIXELS, validate_photo
from dealers.tests.factories import DealerFactory
from inventory.models import Order
from inventory.tests.factories import OrderFactory, ProductFactory, TierPriceFactory
from promotions.models import Attendee, CampaignStatus
from promotions.tests.factories import CampaignFactory
from rebates.models import RebatePlan
from regions.tests.factories import RegionFactory
from scorecards import calculations

pytestmark = pytest.mark.django_db

HUGE = 2**70  # beyond PostgreSQL's bigint and SQLite's integer
FULL_WIDTH_ONE = "１"


@pytest.fixture
def admin():
    return AdminFactory()


@pytest.fixture
def dealer(db):
    return DealerFactory(region=RegionFactory(name="Hangzhou"))


def assert_error_body(response, status):
    """A 4xx with a JSON object body, as the schema's Error says."""
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith("application/json")
    assert isinstance(response.json(), dict) and response.json()


# --- Ids in paths are digits ------------------------------------------------------------------
ACTION_PATHS = [
    *[("post", f"/api/v1/orders/{{id}}/{step}/") for step in ("confirm", "pay", "pick", "ship", "receive", "reject", "cancel")],
    ("get", "/api/v1/questions/{id}/messages/"),
    ("post", "/api/v1/questions/{id}/messages/"),
    ("post", "/api/v1/questions/{id}/close/"),
    ("post", "/api/v1/rebates/statements/{id}/settle/"),
    ("put", "/api/v1/visits/{id}/market-check/"),
    ("get", "/api/v1/dealers/{id}/"),
    ("patch", "/api/v1/regions/{id}/"),
]


@pytest.mark.parametrize("bad_id", ["abc", "null,null", "false", "1.5", "-1", FULL_WIDTH_ONE, "%C2%84"])
@pytest.mark.parametrize(("method", "path"), ACTION_PATHS)
def test_api_path_id_not_digits_is_json_404(api_as, admin, method, path, bad_id):
    response = getattr(api_as(admin), method)(path.replace("{id}", bad_id), {}, format="json")
    assert_error_body(response, 404)


def test_api_path_id_beyond_bigint_is_404(api_as, admin):
    response = api_as(admin).post(f"/api/v1/orders/{HUGE}/confirm/", {}, format="json")
    assert_error_body(response, 404)


def _api_patterns(resolver: URLResolver, prefix: str = ""):
    for entry in resolver.url_patterns:
        pattern = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from _api_patterns(entry, pattern)
        elif isinstance(entry, URLPattern):
            yield pattern


UPSERT_CODES = ("sku", "code", "tier")


def test_every_api_route_takes_ascii_digits_for_ids():
    """The router (common.api.routers.ApiRouter) is the one mechanism: no API route
    may take an id with a catch-all or Unicode-digit pattern."""
    api = [p for p in _api_patterns(get_resolver()) if p.startswith("api/v1/")]
    assert len(api) > 100
    offending = []
    for pattern in api:
        for name, regex in re.findall(r"\(\?P<(\w+)>([^)]*)\)", pattern):
            if (name in ("pk", "id") or name.endswith(("_pk", "_id"))) and regex != "[0-9]+":
                offending.append(pattern)
        # Codes, not ids: the ERP's upsert by SKU, dealer code and tier (hq/api/urls.py).
        for _converter, name in re.findall(r"<(str|slug):(\w+)>", pattern):
            if name not in UPSERT_CODES:
                offending.append(pattern)
    assert offending == []


# --- Numbers and dates bounded: filters ------------------------------------------------------
@pytest.mark.parametrize(("path", "query"), [
    ("/api/v1/users/", {"regions": str(HUGE)}),
    ("/api/v1/users/", {"regions": "2^70"}),
    ("/api/v1/orders/", {"dealer": "1e30"}),
    ("/api/v1/orders/", {"dealer": FULL_WIDTH_ONE}),
    ("/api/v1/dealers/", {"rep": str(HUGE)}),
    ("/api/v1/dealers/", {"region": FULL_WIDTH_ONE}),
    ("/api/v1/rebates/statements/", {"year": "0"}),
    ("/api/v1/rebates/statements/", {"year": "99999999999"}),
    ("/api/v1/rebates/assignments/", {"dealer": str(HUGE)}),
    ("/api/v1/visit-plans/", {"dealer": "1" * 40}),
    ("/api/v1/scorecards/region/", {"period": "9999"}),
    ("/api/v1/scorecards/region/", {"period": "0"}),
    ("/api/v1/scorecards/region/", {"period": "２０２６"}),
    ("/api/v1/scorecards/region/", {"region": str(HUGE) + "x"}),
    ("/api/v1/scorecards/region/", {"rep": FULL_WIDTH_ONE}),
])
def test_api_filter_out_of_range_or_not_ascii_is_400(api_as, admin, path, query):
    assert_error_body(api_as(admin).get(path, query), 400)


def test_api_filter_within_range_still_filters(api_as, admin, dealer):
    OrderFactory(dealer=dealer)
    assert api_as(admin).get("/api/v1/orders/", {"dealer": str(dealer.pk)}).json()["count"] == 1
    assert api_as(admin).get("/api/v1/orders/", {"dealer": str(dealer.pk + 1000)}).json()["count"] == 0


@pytest.mark.parametrize("period", ["9999", "0", "99999999999", "2026-13", "3000-Q1"])
def test_scorecard_period_out_of_range_answers_400_in_the_api_and_a_default_on_pages(api_as, client, dealer, period):
    manager = ManagerFactory(regions=[dealer.region])
    response = api_as(manager).get("/api/v1/scorecards/region/", {"period": period})
    assert_error_body(response, 400)
    assert "period" in response.json()
    assert_error_body(api_as(manager).get(f"/api/v1/scorecards/dealers/{dealer.pk}/", {"period": period}), 400)
    client.force_login(manager)
    for url in ("/scorecards/", f"/scorecards/dealers/{dealer.pk}/", "/scorecards/export/", "/scorecards/dashboards/"):
        assert client.get(url, {"period": period}).status_code == 200, url


def test_parse_period_names_the_years_it_accepts():
    with pytest.raises(ValueError, match="between 1900 and 2999"):
        calculations.parse_period("9999", today=datetime.date(2026, 10, 1))
    with pytest.raises(ValueError, match="2026-Q4"):
        calculations.parse_period("２０２６", today=datetime.date(2026, 10, 1))
    assert calculations.parse_period("2999-12", today=datetime.date(2026, 10, 1)).key == "2999-12"


def test_order_list_page_with_an_out_of_range_date_answers_400_not_500(client, admin):
    client.force_login(admin)
    response = client.get("/inventory/orders/", {"submitted_before": "9999-12-31"})
    assert response.status_code == 400


def test_order_list_page_ignores_a_dealer_filter_it_cannot_read(client, admin, dealer):
    client.force_login(admin)
    assert client.get("/inventory/orders/", {"dealer": "1e30"}).status_code == 200


# --- Numbers bounded: bodies -----------------------------------------------------------------
@pytest.fixture
def orderable(dealer):
    product = ProductFactory()
    TierPriceFactory(tier=dealer.tier, product=product)
    return dealer, product


@pytest.mark.parametrize("line", [
    {"product": HUGE, "quantity": 1},
    {"product": -HUGE, "quantity": 1},
    {"product": "1e3", "quantity": 1},
    {"product": 1.5, "quantity": 1},
    {"product": True, "quantity": 1},
    {"product": FULL_WIDTH_ONE, "quantity": 1},
    {"product": None, "quantity": HUGE},
    {"product": None, "quantity": "１２"},
    {"product": None, "quantity": "12\u0663"},  # an Arabic-Indic digit
])
def test_api_order_line_out_of_range_or_not_ascii_is_400_and_saves_nothing(api_as, admin, orderable, line):
    dealer, product = orderable
    line = {key: (product.pk if value is None else value) for key, value in line.items()}
    response = api_as(admin).post("/api/v1/orders/", {"dealer": dealer.pk, "lines": [line]}, format="json")
    assert_error_body(response, 400)
    assert not Order.objects.exists()


def test_api_full_width_dealer_id_is_not_read_as_a_number(api_as, admin, orderable):
    dealer, product = orderable
    body = {"dealer": str(dealer.pk).translate(str.maketrans("0123456789", "０１２３４５６７８９")),
            "lines": [{"product": product.pk, "quantity": 1}]}
    assert_error_body(api_as(admin).post("/api/v1/orders/", body, format="json"), 400)
    assert not Order.objects.exists()


def test_api_order_with_ascii_ids_is_still_placed(api_as, admin, orderable):
    dealer, product = orderable
    body = {"dealer": str(dealer.pk), "lines": [{"product": str(product.pk), "quantity": "3"}]}
    assert api_as(admin).post("/api/v1/orders/", body, format="json").status_code == 201


def test_serializer_integer_fields_are_documented_with_the_database_range(client, admin):
    client.force_login(admin)  # the schema is for signed-in users
    schema = client.get("/api/schema/?format=json").json()
    line = schema["components"]["schemas"]["OrderLineInputRequest"]["properties"]["quantity"]
    assert line.get("maximum") is not None and line["maximum"] <= BIGINT_MAX


# --- Sizes --------------------------------------------------------------------------------------
@pytest.mark.parametrize("body", [
    "[" * 5000 + "]" * 5000,
    '{"a":' * 5000 + "1" + "}" * 5000,
    "[" * 100 + "]" * 100,
])
def test_api_deeply_nested_json_is_400(api_as, admin, body):
    response = api_as(admin).generic("POST", "/api/v1/dealers/", body, content_type="application/json")
    assert_error_body(response, 400)
    assert response.json()["detail"] == str(BODY_TOO_DEEP % {"limit": 32})


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=10_000)
def test_api_json_body_over_the_upload_limit_is_400(api_as, admin):
    body = json.dumps({"name": "x" * 20_000})
    response = api_as(admin).generic("POST", "/api/v1/dealers/", body, content_type="application/json")
    assert_error_body(response, 400)
    assert response.json()["detail"] == str(BODY_TOO_LARGE % {"limit": 10_000})


def test_api_malformed_json_is_400(api_as, admin):
    response = api_as(admin).generic("POST", "/api/v1/dealers/", b"{\xff", content_type="application/json")
    assert_error_body(response, 400)


def test_json_depth_check_is_iterative_and_exact():
    assert not json_depth_exceeds({"a": [1, {"b": 2}]}, 3)
    assert json_depth_exceeds({"a": [1, {"b": [2]}]}, 3)
    nested = []
    for _ in range(100_000):
        nested = [nested]
    assert json_depth_exceeds(nested, 32)


def test_api_text_past_its_length_is_400_and_not_saved(api_as, admin, dealer):
    response = api_as(admin).patch(f"/api/v1/dealers/{dealer.pk}/", {"notes": "n" * 1_000_000}, format="json")
    assert_error_body(response, 400)
    assert "notes" in response.json()
    dealer.refresh_from_db()
    assert dealer.notes == ""
    assert api_as(admin).patch(f"/api/v1/dealers/{dealer.pk}/", {"notes": "n" * 9_000}, format="json").status_code == 200


@pytest.fixture
def running_campaign(dealer):
    manager = ManagerFactory(regions=[dealer.region])
    campaign = CampaignFactory(owner=manager, created_by=manager, regions=[dealer.region], status=CampaignStatus.RUNNING,
                               start_date=timezone.localdate(), end_date=timezone.localdate() + datetime.timedelta(days=2))
    return campaign


def huge_field_csv() -> bytes:
    return ("name,phone\n" + "Li," + "1" * 140_000 + "\n").encode()


def test_api_attendee_import_with_a_field_past_the_csv_limit_is_400(api_as, running_campaign):
    upload = SimpleUploadedFile("people.csv", huge_field_csv())
    response = api_as(running_campaign.owner).post(f"/api/v1/promotions/{running_campaign.pk}/attendees/import/",
                                                   {"file": upload}, format="multipart")
    assert_error_body(response, 400)
    assert "cannot be read as CSV" in json.dumps(response.json(), ensure_ascii=False)
    assert not Attendee.objects.exists()


def test_attendee_import_page_with_a_field_past_the_csv_limit_shows_the_error(client, running_campaign):
    client.force_login(running_campaign.owner)
    upload = SimpleUploadedFile("people.csv", huge_field_csv())
    response = client.post(f"/promotions/{running_campaign.pk}/attendees/import/", {"file": upload})
    assert response.status_code in (200, 400)
    assert "cannot be read as CSV" in response.content.decode()
    assert not Attendee.objects.exists()


def test_api_attendee_import_with_a_broken_quote_is_400(api_as, running_campaign):
    upload = SimpleUploadedFile("people.csv", b'name,phone\n"Li\r,139\n')
    response = api_as(running_campaign.owner).post(f"/api/v1/promotions/{running_campaign.pk}/attendees/import/",
                                                   {"file": upload}, format="multipart")
    assert response.status_code == 400


def test_photo_of_95_megapixels_is_refused_with_a_clear_message():
    image = io.BytesIO()
    from PIL import Image

    Image.new("1", (10_000, 9_500)).save(image, format="PNG")
    upload = SimpleUploadedFile("bomb.png", image.getvalue(), content_type="image/png")
    assert upload.size < 1_000_000  # small on disk, huge in memory
    with pytest.raises(ValidationError) as error:
        validate_photo(upload)
    assert error.value.messages == [str(IMAGE_TOO_MANY_PIXELS % {"limit": 40})]


def test_photo_of_normal_size_is_accepted():
    image = io.BytesIO()
    from PIL import Image

    Image.new("RGB", (1600, 1200)).save(image, format="PNG")
    validate_photo(SimpleUploadedFile("shelf.png", image.getvalue(), content_type="image/png"))


# --- Bodies of the wrong shape ------------------------------------------------------------------
@pytest.mark.parametrize("body", ["null", "[]", '[{"notes": "x"}]', "1", '"text"', '{"channel_types": null}',
                                  '{"rep": null}', '{"region": {"id": 1}}'])
def test_api_dealer_patch_with_a_body_of_the_wrong_shape_is_400(api_as, admin, dealer, body):
    response = api_as(admin).generic("PATCH", f"/api/v1/dealers/{dealer.pk}/", body, content_type="application/json")
    assert_error_body(response, 400)


@pytest.mark.parametrize("body", [
    [1, 2], {"rows": [1]}, {"rows": [[1, 2]]}, {"rows": "x"}, {"rows": []},
    {"rows": [{"region": 1, "category": 1, "period_start": "2026-13-01", "amount": "1"}]},
    {"rows": [{"region": HUGE, "category": FULL_WIDTH_ONE, "period_start": "2026-10-01", "amount": "1e400"}]},
])
def test_api_market_sizes_import_with_a_body_of_the_wrong_shape_is_400(api_as, admin, body):
    response = api_as(admin).post("/api/v1/scorecards/market-sizes/import/", body, format="json")
    assert_error_body(response, 400)


# --- Every serializer says what its service needs ----------------------------------------------
def test_api_rebate_plan_without_period_kind_gets_the_documented_default(api_as, admin):
    response = api_as(admin).post("/api/v1/rebates/plans/", {"code": "FLAT-1", "name": "Flat", "kind": "flat", "rate": "2"},
                                  format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["period_kind"] == "quarter"
    assert RebatePlan.objects.get(code="FLAT-1").period_kind == "quarter"


def test_api_campaign_without_objective_is_400(api_as, dealer):
    manager = ManagerFactory(regions=[dealer.region])
    today = timezone.localdate()
    body = {"name": "Fair", "type": "trade_show", "theme": "New range", "regions": [dealer.region.pk],
            "start_date": str(today + datetime.timedelta(days=30)), "end_date": str(today + datetime.timedelta(days=31))}
    response = api_as(manager).post("/api/v1/promotions/", body, format="json")
    assert_error_body(response, 400)
    assert set(response.json()) >= {"objective_kind", "objective_target"}


def test_api_attendee_without_name_and_phone_is_400(api_as, running_campaign):
    response = api_as(running_campaign.owner).post(f"/api/v1/promotions/{running_campaign.pk}/attendees/", {}, format="json")
    assert_error_body(response, 400)
    assert set(response.json()) == {"name", "phone"}
    assert not Attendee.objects.exists()


def test_api_review_without_its_texts_is_400(api_as, dealer):
    manager = ManagerFactory(regions=[dealer.region])
    campaign = CampaignFactory(owner=manager, created_by=manager, regions=[dealer.region], status=CampaignStatus.ENDED,
                               start_date=timezone.localdate() - datetime.timedelta(days=5),
                               end_date=timezone.localdate() - datetime.timedelta(days=3))
    response = api_as(manager).put(f"/api/v1/promotions/{campaign.pk}/review/", {}, format="json")
    assert_error_body(response, 400)
    assert {"what_worked", "what_did_not_work", "lessons"} <= set(response.json())


# --- The last line of defence ---------------------------------------------------------------------
class _Cause(Exception):
    pgcode = "22003"  # numeric_value_out_of_range


def _data_error() -> DataError:
    error = DataError("value out of range for type bigint")
    error.__cause__ = _Cause()
    return error


@pytest.mark.parametrize("error", [
    OverflowError("date value out of range"), ValueError("year 10000 is out of range"), _data_error(),
    ValueError("Field 'id' expected a number but got 'abc'."),
])
def test_exception_handler_maps_bad_input_to_400(error):
    assert is_bad_input(error)
    response = api_exceptions.exception_handler(error, {})
    assert response.status_code == 400 and isinstance(response.data["detail"], str)


@pytest.mark.parametrize("error", [ValueError("something else"), KeyError("x"), RuntimeError("boom")])
def test_exception_handler_leaves_real_faults_alone(error):
    assert not is_bad_input(error)
    assert api_exceptions.exception_handler(error, {}) is None


def test_out_of_range_is_recognised_only_for_data_exceptions():
    assert is_out_of_range(_data_error())
    assert not is_out_of_range(DataError("something"))


def test_a_bare_list_of_errors_is_answered_as_an_object():
    from rest_framework.exceptions import ValidationError as DRFValidationError

    response = api_exceptions.exception_handler(DRFValidationError(["Null characters are not allowed."]), {})
    assert response.data == {"detail": "Null characters are not allowed."}


def test_unknown_api_path_answers_json_404(client):
    response = client.get("/api/v1/no-such-thing/")
    assert response.status_code == 404 and response.json() == {"detail": "Not found."}
    assert client.get("/no-such-page/").status_code == 404


def test_roles_get_400_not_500_for_bad_filters(api_as, dealer):
    for user in (RepFactory(), ManagerFactory(regions=[dealer.region]), DealerUserFactory(dealer=dealer)):
        assert api_as(user).get("/api/v1/orders/", {"dealer": "1e30"}).status_code == 400


def test_text_areas_of_pages_are_bounded_too():
    from django import forms

    from visits.forms import MarketCheckForm

    assert MarketCheckForm().fields["notes"].max_length == 10_000
    field = forms.CharField(widget=forms.Textarea)
    with pytest.raises(ValidationError):
        field.clean("n" * 1_000_000)
    assert forms.CharField().max_length is None  # a one-line field keeps its own rules
    assert forms.JSONField().max_length is None


def test_a_model_form_refuses_a_megabyte_of_notes():
    from django.forms import modelform_factory

    from dealers.models import Dealer

    form = modelform_factory(Dealer, fields=["notes"])(data={"notes": "n" * 1_000_000})
    assert not form.is_valid() and "notes" in form.errors


@pytest.mark.parametrize("found_at", ["0264-08-23T19:38:12+08:00", "1969-12-31T00:00:00Z", "3000-01-01T00:00:00Z"])
def test_api_datetime_outside_the_years_it_can_show_is_400(api_as, admin, dealer, found_at):
    body = {"dealer": dealer.pk, "type": "price_dumping", "evidence": "Sold below the floor", "found_where": "Market",
            "found_at": found_at}
    response = api_as(admin).post("/api/v1/violations/", body, format="json")
    assert_error_body(response, 400)
    assert "found_at" in response.json()


def test_api_date_outside_the_years_is_400(api_as, admin):
    response = api_as(admin).get("/api/v1/contracts/", {"ends_before": "0001-01-01"})
    assert response.status_code in (200, 400)  # a filter: django-filter's own parsing
    body = {"code": "Y-1", "name": "Old", "kind": "flat", "rate": "1", "starts_on": "0264-01-01"}
    assert_error_body(api_as(admin).post("/api/v1/rebates/plans/", body, format="json"), 400)


def test_exception_handler_answers_a_race_between_two_identical_writes_with_409():
    """Two ERP calls creating the same new category at once: the unique constraint
    refuses the second (found by `make fuzz` with two workers); 409, never a 500."""
    from django.db import IntegrityError

    from common.api.exceptions import CHANGED_MEANWHILE, exception_handler

    class UniqueViolation(Exception):
        pgcode = "23505"

    error = IntegrityError('duplicate key value violates unique constraint "inventory_productcategory_name_key"')
    error.__cause__ = UniqueViolation()
    response = exception_handler(error, {})
    assert response.status_code == 409 and response.data == {"detail": str(CHANGED_MEANWHILE)}
    assert exception_handler(IntegrityError("UNIQUE constraint failed: x.name"), {}).status_code == 409
    assert exception_handler(IntegrityError("NOT NULL constraint failed: x.name"), {}) is None  # a real bug stays a 500
