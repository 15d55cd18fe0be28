"""Imports of every kind: the preview lists each row, nothing is saved before
the import, all rows or none, the same file twice changes nothing, and every
bad input gets one message per bad row."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import User
from accounts.tests.factories import ManagerFactory, RepFactory
from common.upsert import Outcome
from dealers.models import Dealer, DealerStatusChange, RepAssignment
from hq import services
from hq.imports import cells, files
from hq.imports.kinds import REGION_PARENT_UNKNOWN, REGION_PATH_UNKNOWN
from hq.models import ImportRow, ImportStatus
from hq.tests.conftest import csv_file, xlsx_file
from inventory.models import FLOOR_ABOVE_GUIDELINE, DealerProduct, Product, ProductCategory, TierPrice
from inventory.tests.factories import ProductFactory
from regions.models import Region
from regions.services import region_create

pytestmark = pytest.mark.django_db

PRODUCT_HEADER = ["sku", "name", "category", "shelf_life_days", "guideline_price", "floor_price"]


def errors_of(job) -> list[tuple[int, str, str]]:
    return [(row.number, error["column"], error["message"])
            for row in job.rows.filter(outcome=Outcome.ERROR).order_by("number") for error in row.errors]


def outcomes(job) -> list[str]:
    return list(job.rows.order_by("number").values_list("outcome", flat=True))


# --- regions -----------------------------------------------------------------------------------
def test_regions_import_previews_then_creates_the_tree_and_a_second_run_is_unchanged(run_import):
    rows = [["path", "kind"], ["China", "country"], ["China/Zhejiang", "province"], ["China / Zhejiang / Hangzhou", "市"]]
    job = run_import("regions", csv_file(rows))
    assert job.status == ImportStatus.CHECKED and outcomes(job) == ["create"] * 3
    assert not Region.objects.exists()  # the preview saved nothing
    with pytest.raises(AssertionError):
        assert Region.objects.exists()
    job = run_import("regions", csv_file(rows), apply=True)
    assert job.status == ImportStatus.APPLIED
    hangzhou = Region.objects.get(name="Hangzhou")
    assert hangzhou.kind == "city" and hangzhou.depth == 2 and hangzhou.full_name == "China / Zhejiang / Hangzhou"
    again = run_import("regions", csv_file(rows))
    assert outcomes(again) == ["unchanged"] * 3


def test_regions_import_needs_the_region_above(run_import):
    job = run_import("regions", csv_file([["path"], ["China/Zhejiang"]]), apply=True)
    assert errors_of(job) == [(2, "path", REGION_PARENT_UNKNOWN % {"parent": "China"})]
    assert job.status == ImportStatus.CHECKED and not job.can_apply and not Region.objects.exists()


# --- products ----------------------------------------------------------------------------------
def test_products_import_creates_with_categories_all_or_nothing_and_idempotent(run_import):
    rows = [PRODUCT_HEADER, ["BEV-001", "Iced tea", "Drinks", "270", "4.50", "3.80"],
            ["BEV-002", "Green tea", "Drinks", "270", "4.00", "3.50"]]
    job = run_import("products", xlsx_file(rows), apply=True)
    assert job.status == ImportStatus.APPLIED and (job.rows_create, job.rows_error) == (2, 0)
    assert list(ProductCategory.objects.values_list("name", flat=True)) == ["Drinks"]
    again = run_import("products", xlsx_file(rows), apply=True)
    assert again.status == ImportStatus.APPLIED and again.rows_unchanged == 2 and Product.objects.count() == 2


def test_products_import_bad_rows_each_get_a_message_and_nothing_is_saved(run_import):
    rows = [PRODUCT_HEADER,
            ["OK-1", "Fine", "Drinks", "270", "4.50", "3.80"],
            ["NEG-1", "Negative", "Drinks", "270", "-4.50", "-5"],
            ["FLOOR-1", "Floor above", "Drinks", "270", "4.50", "5.00"],
            ["OK-1", "Twice", "Drinks", "270", "4.50", "3.80"],
            ["TXT-1", "Not a number", "Drinks", "a year", "4.50", "3.80"]]
    job = run_import("products", csv_file(rows), apply=True)
    errors = errors_of(job)
    assert {number for number, _column, _message in errors} == {3, 4, 5, 6}
    assert (4, "floor_price", FLOOR_ABOVE_GUIDELINE % {"floor": "5.00", "guideline": "4.50"}) in errors
    assert (5, "sku", "“OK-1” is already on row 2: each code may appear once.") in errors
    assert (6, "shelf_life_days", cells.NOT_A_NUMBER % {"value": "a year"}) in errors
    assert any(number == 3 and column == "guideline_price" for number, column, _message in errors)
    assert job.rows_error == 4 and not job.can_apply
    with pytest.raises(ValidationError):
        services.import_job_apply_request(job=job, by=job.created_by)
    assert not Product.objects.exists() and not ProductCategory.objects.exists()


def test_products_import_formula_cells_are_text_never_evaluated(run_import):
    rows = [PRODUCT_HEADER, ["=1+1", "=HYPERLINK(\"http://x\")", "Drinks", "270", "=4+1", "3.80"]]
    job = run_import("products", xlsx_file(rows))
    assert errors_of(job) == [(2, "guideline_price", cells.NOT_A_NUMBER % {"value": "=4+1"})]
    rows[1][4] = "4.50"
    run_import("products", xlsx_file(rows), apply=True)
    assert Product.objects.get().name == '=HYPERLINK("http://x")' and Product.objects.get().sku == "=1+1"


# --- tier prices -------------------------------------------------------------------------------
def test_tier_prices_import_matches_tier_and_sku_and_refuses_negative_and_unknown(run_import):
    ProductFactory(sku="BEV-001", prices={})
    job = run_import("tier_prices", csv_file([["tier", "sku", "price"], ["city", "BEV-001", "33.00"],
                                              ["地市代理", "BEV-001", "34"], ["county", "NOPE", "1"],
                                              ["county", "BEV-001", "-1"], ["planet", "BEV-001", "1"]]), apply=True)
    assert {number for number, _c, _m in errors_of(job)} == {3, 4, 5, 6}
    assert not TierPrice.objects.exists()
    job = run_import("tier_prices", csv_file([["tier", "sku", "price"], ["city", "BEV-001", "33.00"],
                                              ["county", "BEV-001", "36"]]), apply=True)
    assert job.status == ImportStatus.APPLIED and TierPrice.objects.count() == 2
    again = run_import("tier_prices", csv_file([["tier", "sku", "price"], ["city", "BEV-001", "33"]]))
    assert outcomes(again) == ["unchanged"]


# --- dealers -----------------------------------------------------------------------------------
DEALER_HEADER = ["code", "name", "region", "tier", "rep", "credit_limit", "products"]


@pytest.fixture
def territory():
    china = region_create(name="China")
    zhejiang = region_create(name="Zhejiang", parent=china)
    return region_create(name="Hangzhou", parent=zhejiang)


def test_dealers_import_with_region_path_rep_credit_and_carried_products(run_import, territory):
    rep = RepFactory(username="rep_zhang")
    ProductFactory(sku="BEV-001")
    ProductFactory(sku="BEV-002")
    rows = [DEALER_HEADER, ["ZJ-001", "Baishun Trading", "China/Zhejiang/Hangzhou", "city", "rep_zhang", "200,000",
                            "BEV-001; BEV-002"]]
    job = run_import("dealers", csv_file(rows))
    assert outcomes(job) == ["create"] and not Dealer.objects.exists()
    job = run_import("dealers", csv_file(rows), apply=True)
    assert job.status == ImportStatus.APPLIED
    dealer = Dealer.objects.get(code="ZJ-001")
    assert (dealer.region, dealer.rep, dealer.tier, dealer.status, str(dealer.credit_limit)) == (
        territory, rep, "city", "active", "200000.00")
    assert set(DealerProduct.objects.filter(dealer=dealer).values_list("product__sku", flat=True)) == {"BEV-001", "BEV-002"}
    again = run_import("dealers", csv_file(rows), apply=True)
    assert again.rows_unchanged == 1
    assert DealerStatusChange.objects.count() == 1 and RepAssignment.objects.count() == 1


def test_dealers_import_bad_rows_each_named(run_import, territory):
    RepFactory(username="rep_zhang")
    ManagerFactory(username="boss")
    ProductFactory(sku="BEV-001")
    rows = [DEALER_HEADER,
            ["D1", "Fine", "China/Zhejiang/Hangzhou", "city", "rep_zhang", "1000", "BEV-001"],
            ["D2", "No such region", "China/Jiangsu", "city", "rep_zhang", "1000", ""],
            ["D3", "Manager as rep", "China/Zhejiang/Hangzhou", "city", "boss", "1000", ""],
            ["D1", "Twice", "China/Zhejiang/Hangzhou", "city", "", "1000", ""],
            ["D5", "Bad credit", "China/Zhejiang/Hangzhou", "city", "", "-5", ""],
            ["D6", "Unknown product", "China/Zhejiang/Hangzhou", "city", "", "1", "NOPE"],
            ["D7", "Unknown user", "China/Zhejiang/Hangzhou", "town", "ghost", "1", ""]]
    job = run_import("dealers", csv_file(rows), apply=True)
    errors = errors_of(job)
    assert (3, "region", REGION_PATH_UNKNOWN % {"path": "China/Jiangsu"}) in errors
    assert (4, "rep", "Choose an active sales rep.") in errors
    assert {number for number, _c, _m in errors} == {3, 4, 5, 6, 7, 8}
    assert {column for number, column, _m in errors if number == 8} == {"tier", "rep"}
    assert not Dealer.objects.exists() and not DealerProduct.objects.exists()


# --- users -------------------------------------------------------------------------------------
def test_users_import_creates_invites_and_is_idempotent(run_import, territory, mailoutbox):
    rows = [["username", "role", "first_name", "email", "regions"],
            ["rep_wei", "rep", "Wei", "wei@example.com", ""],
            ["mgr_zj", "manager", "Li", "li@example.com", "China/Zhejiang"]]
    job = run_import("users", csv_file(rows), apply=True)
    assert job.status == ImportStatus.APPLIED
    manager = User.objects.get(username="mgr_zj")
    assert manager.role == "manager" and [region.name for region in manager.regions.all()] == ["Zhejiang"]
    assert not manager.has_usable_password() and len(mailoutbox) == 2
    assert outcomes(run_import("users", csv_file(rows))) == ["unchanged", "unchanged"]


def test_users_import_refuses_unknown_role_missing_email_regions_for_a_rep(run_import, territory):
    rows = [["username", "role", "email", "regions"], ["a", "pilot", "a@example.com", ""], ["b", "rep", "", ""],
            ["c", "rep", "c@example.com", "China"], ["d", "manager", "d@example.com", "Atlantis"]]
    job = run_import("users", csv_file(rows), apply=True)
    assert {number for number, _c, _m in errors_of(job)} == {2, 3, 4, 5}
    assert not User.objects.exclude(username="hq").exists()


# --- the file itself ---------------------------------------------------------------------------
def test_import_refuses_a_file_that_is_not_csv_or_xlsx(hq_admin):
    for upload in (SimpleUploadedFile("photo.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00"),
                   SimpleUploadedFile("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100),
                   SimpleUploadedFile("sheet.xlsx", b"not a zip at all")):
        with pytest.raises(ValidationError) as error:
            services.import_job_create(kind="products", upload=upload, by=hq_admin)
        assert "file" in error.value.message_dict


def test_import_refuses_a_file_over_the_size_limit_with_its_size(hq_admin, settings):
    settings.IMPORT_MAX_BYTES = 1024
    upload = SimpleUploadedFile("big.csv", b"sku,name\n" + b"x,y\n" * 2000)
    with pytest.raises(ValidationError) as error:
        services.import_job_create(kind="products", upload=upload, by=hq_admin)
    assert error.value.message_dict["file"][0].startswith("The file is too large")


def test_import_of_a_broken_xlsx_fails_with_a_message(run_import):
    job = run_import("products", SimpleUploadedFile("broken.xlsx", b"PK\x03\x04" + b"garbage" * 50))
    assert job.status == ImportStatus.FAILED and "cannot be read" in job.error


def test_import_wrong_headers_fail_with_the_missing_and_unknown_columns(run_import):
    job = run_import("products", csv_file([["sku", "nmae"], ["A", "B"]]))
    assert job.status == ImportStatus.FAILED
    assert job.error == files.HEADER_MISSING % {"columns": "name, shelf_life_days, guideline_price, floor_price"}
    job = run_import("tier_prices", csv_file([["tier", "sku", "price", "colour"], ["city", "A", "1"]]))
    assert job.status == ImportStatus.FAILED and "colour" in job.error
    assert not ImportRow.objects.exists()


def test_import_reads_gb18030_csv_from_excel_in_china(run_import):
    rows = [["path", "kind"], ["中国", "国家"], ["中国/浙江省", "省"]]
    job = run_import("regions", csv_file(rows, encoding="gb18030"), apply=True)
    assert job.status == ImportStatus.APPLIED
    assert Region.objects.get(name="浙江省").kind == "province"


def test_import_applied_twice_by_a_repeated_task_runs_once(run_import):
    rows = [PRODUCT_HEADER, ["BEV-001", "Iced tea", "Drinks", "270", "4.50", "3.80"]]
    job = run_import("products", csv_file(rows), apply=True)
    assert services.import_job_apply(job_id=job.pk) is None
    assert services.import_job_check(job_id=job.pk) is None
    assert Product.objects.count() == 1


def test_import_apply_when_the_data_changed_since_the_check_saves_nothing(run_import, hq_admin,
                                                                         django_capture_on_commit_callbacks):
    ProductFactory(sku="BEV-001", guideline_price="9.00", floor_price="8.00", prices={})
    job = run_import("tier_prices", csv_file([["tier", "sku", "price"], ["city", "BEV-001", "33"],
                                              ["county", "BEV-001", "36"]]))
    assert job.can_apply
    Product.objects.filter(sku="BEV-001").delete()  # gone before the import runs
    with django_capture_on_commit_callbacks(execute=True):
        services.import_job_apply_request(job=job, by=hq_admin)
    job.refresh_from_db()
    assert job.status == ImportStatus.CHECKED and job.rows_error == 2 and "changed since the check" in job.error
    assert not TierPrice.objects.exists()


def test_dealers_import_tells_each_rep_once_for_the_whole_file(run_import, territory, monkeypatch):
    from notifications.models import Notification

    rep = RepFactory(username="rep_zhang")
    rows = [DEALER_HEADER] + [[f"D{n}", f"Dealer {n}", "China/Zhejiang/Hangzhou", "city", "rep_zhang", "1", ""]
                              for n in range(5)]
    monkeypatch.setattr(services, "BATCH_SIZE", 2)  # three batches
    job = run_import("dealers", csv_file(rows), apply=True)
    assert job.status == ImportStatus.APPLIED and Dealer.objects.filter(rep=rep).count() == 5
    assert list(Notification.objects.filter(recipient=rep).values_list("title", flat=True)) == [
        "5 dealers were assigned to you"]


def test_import_refuses_a_50_mb_file_naming_its_size_and_the_limit(hq_admin):
    upload = SimpleUploadedFile("dealers.csv", b"code,name,region\n")
    upload.size = 50 * 1024 * 1024
    with pytest.raises(ValidationError) as error:
        services.import_job_create(kind="dealers", upload=upload, by=hq_admin)
    assert error.value.message_dict["file"] == [files.FILE_TOO_LARGE % {"size": "50.0\xa0MB", "limit": "20.0\xa0MB"}]


def test_import_file_is_kept_outside_media_and_deleted_once_imported(run_import, settings):
    from pathlib import Path

    rows = [PRODUCT_HEADER, ["BEV-001", "Iced tea", "Drinks", "270", "4.50", "3.80"]]
    job = run_import("products", csv_file(rows))
    path = Path(job.file.path)
    assert path.exists() and Path(settings.IMPORT_FILES_DIR) in path.parents
    assert Path(settings.MEDIA_ROOT) not in path.parents
    job = run_import("products", csv_file(rows), apply=True)
    assert job.status == ImportStatus.APPLIED and not job.file


def test_an_import_kind_without_parse_save_or_export_fails_when_built_not_mid_import():
    from hq.imports.kinds.base import Kind

    class Partial(Kind):
        def parse(self, values, ctx, result):
            return values

    with pytest.raises(TypeError, match="save"):
        Partial()
