"""The setup pages: HQ admin only, bounded queries, one rule with the API (the
services' messages on the forms), the first-run checklist, templates and
exports in the import format, and the Django admin shown read-only."""

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.models import Role, User
from accounts.tests.factories import AdminFactory, ManagerFactory, RepFactory, UserFactory
from dealers.models import Dealer
from dealers.tests.factories import DealerFactory
from hq.models import ImportStatus
from hq.selectors import setup_checklist
from hq.tests.conftest import csv_file
from inventory.models import FLOOR_ABOVE_GUIDELINE, DealerProduct, Product, TierPrice
from inventory.tests.factories import ProductCategoryFactory, ProductFactory
from regions.models import Region
from regions.services import region_create
from regions.tests.factories import RegionFactory
from visits.models import VisitPlan

pytestmark = pytest.mark.django_db

SETUP_PAGES = ["hq:index", "hq:regions", "hq:region_create", "hq:categories", "hq:products", "hq:product_create",
               "hq:prices", "hq:users", "hq:user_create", "hq:evaluation", "hq:rebate_plans",
               "hq:rebate_plan_create", "hq:visit_plans", "hq:notifications", "hq:imports"]


@pytest.fixture
def admin_client(client, hq_admin):
    client.force_login(hq_admin)
    return client


@pytest.mark.parametrize("name", SETUP_PAGES)
def test_setup_pages_open_for_hq_admin(admin_client, name):
    assert admin_client.get(reverse(name)).status_code == 200


@pytest.mark.parametrize("factory", [RepFactory, ManagerFactory])
def test_setup_pages_answer_403_to_other_roles(client, factory):
    client.force_login(factory())
    for name in SETUP_PAGES:
        assert client.get(reverse(name)).status_code == 403, name


def test_setup_pages_send_the_signed_out_to_the_login(client):
    assert client.get(reverse("hq:regions")).status_code == 302


def test_setup_menu_entry_for_hq_admin_only(client):
    client.force_login(AdminFactory())
    assert b'href="/setup/"' in client.get("/", follow=True).content
    client.force_login(RepFactory())
    assert b'href="/setup/"' not in client.get("/", follow=True).content


# --- query bounds at two sizes -----------------------------------------------------------------
def _grow(size: int) -> None:
    root = Region.objects.filter(parent=None).first() or region_create(name="Root")
    category = ProductCategoryFactory(name="Drinks")
    for _n in range(size):
        region_create(name=f"City {Region.objects.count()}", parent=root)
        ProductFactory(category=category)
        UserFactory(role=Role.MANAGER, regions=[root])
        DealerFactory(region=root)


@pytest.mark.parametrize("name", ["hq:regions", "hq:products", "hq:prices", "hq:users", "hq:visit_plans",
                                  "hq:index", "hq:categories", "hq:rebate_plans", "hq:evaluation"])
def test_setup_list_pages_make_a_bounded_number_of_queries(admin_client, django_assert_max_num_queries, name):
    for size in (3, 25):
        _grow(size)
        with django_assert_max_num_queries(20):  # the index: one count per card and the checklist
            assert admin_client.get(reverse(name)).status_code == 200


def test_first_run_checklist_is_five_queries_whatever_the_size(django_assert_max_num_queries):
    for size in (2, 20):
        _grow(size)
        with django_assert_max_num_queries(5):
            setup_checklist()


# --- the first-run checklist -------------------------------------------------------------------
def test_checklist_on_the_admin_home_ticks_itself_off_and_goes_away(admin_client):
    page = admin_client.get("/").content.decode()
    assert 'data-testid="first-run-checklist"' in page and page.count('data-done="no"') == 5
    region = RegionFactory()
    rep = RepFactory()
    product = ProductFactory(prices={"city": "33.00"})
    dealer = DealerFactory(region=region, rep=rep, tier="city")
    DealerProduct.objects.create(dealer=dealer, product=product)
    page = admin_client.get("/").content.decode()
    assert page.count('data-done="yes"') == 4 and 'data-testid="checklist-plan" data-done="no"' in page
    VisitPlan.objects.create(dealer=dealer, rule="every_n_days", interval_days=7, cycle_days=7)
    assert 'data-testid="first-run-checklist"' not in admin_client.get("/").content.decode()


def test_checklist_wants_a_price_for_the_tier_of_a_dealer_that_can_be_visited():
    ProductFactory(prices={"province": "30.00"})
    DealerFactory(tier="county")
    items = {item.key: item.done for item in setup_checklist().items}
    assert items["product"] is False


def test_checklist_is_not_shown_to_a_rep(client):
    client.force_login(RepFactory())
    assert b"first-run-checklist" not in client.get("/", follow=True).content


# --- pages write through the services ------------------------------------------------------------
def test_product_page_shows_the_floor_rule_and_saves_nothing(admin_client):
    body = {"sku": "BEV-001", "name": "Iced tea", "unit": "case", "units_per_case": "24", "shelf_life_days": "270",
            "guideline_price": "4.50", "floor_price": "5.00", "is_active": "on", "price_city": "33"}
    response = admin_client.post(reverse("hq:product_create"), body)
    assert response.status_code == 200
    assert str(FLOOR_ABOVE_GUIDELINE % {"floor": Decimal("5.00"), "guideline": Decimal("4.50")}) in response.content.decode()
    assert not Product.objects.exists()
    response = admin_client.post(reverse("hq:product_create"), {**body, "floor_price": "3.80"})
    assert response.status_code == 302
    assert list(TierPrice.objects.values_list("tier", "price")) == [("city", Decimal("33.00"))]


def test_region_page_moves_a_region_with_its_subtree(admin_client):
    china = region_create(name="China")
    zhejiang = region_create(name="Zhejiang")
    hangzhou = region_create(name="Hangzhou", parent=zhejiang)
    response = admin_client.post(reverse("hq:region_edit", args=[zhejiang.pk]),
                                 {"name": "Zhejiang", "kind": "province", "parent": china.pk})
    assert response.status_code == 302
    hangzhou.refresh_from_db()
    assert hangzhou.full_name == "China / Zhejiang / Hangzhou" and hangzhou.depth == 2


def test_price_list_page_saves_a_page_whole_or_not_at_all(admin_client):
    tea, cola = ProductFactory(sku="A", prices={}), ProductFactory(sku="B", prices={"city": "10.00"})
    response = admin_client.post(reverse("hq:prices") + "?tier=city",
                                 {"tier": "city", f"price-{tea.pk}": "33", f"price-{cola.pk}": "-1"})
    assert response.status_code == 200 and "Nothing was saved" in response.content.decode()
    assert list(TierPrice.objects.values_list("product__sku", "price")) == [("B", Decimal("10.00"))]
    response = admin_client.post(reverse("hq:prices") + "?tier=city",
                                 {"tier": "city", f"price-{tea.pk}": "33", f"price-{cola.pk}": ""})
    assert response.status_code == 302
    assert list(TierPrice.objects.values_list("product__sku", "price")) == [("A", Decimal("33.00"))]


def test_user_page_creates_a_manager_with_regions_and_checks_the_password(admin_client):
    region = RegionFactory()
    body = {"username": "li", "first_name": "Li", "email": "li@example.com", "role": "manager",
            "regions": [region.pk], "is_active": "on", "password": "password1"}
    response = admin_client.post(reverse("hq:user_create"), body)
    assert response.status_code == 200 and not User.objects.filter(username="li").exists()
    response = admin_client.post(reverse("hq:user_create"), {**body, "password": "Regional-2026!"})
    assert response.status_code == 302
    assert list(User.objects.get(username="li").regions.all()) == [region]


def test_user_page_assigns_dealers_to_a_rep_by_code_with_history(admin_client):
    rep = RepFactory()
    dealers = [DealerFactory(code="A1"), DealerFactory(code="A2")]
    response = admin_client.post(reverse("hq:user_assign_dealers", args=[rep.pk]), {"codes": "A1, A2", "reason": "New"})
    assert response.status_code == 302
    assert set(Dealer.objects.filter(rep=rep)) == set(dealers)
    assert all(dealer.rep_assignments.filter(to_rep=rep).exists() for dealer in dealers)


def test_visit_plans_page_gives_unplanned_dealers_the_default_plan(admin_client):
    DealerFactory.create_batch(2)
    response = admin_client.post(reverse("hq:visit_plans_apply"))
    assert response.status_code == 302 and VisitPlan.objects.count() == 2


def test_rebate_plan_page_refuses_tiers_whose_rate_falls_and_saves_a_good_plan(admin_client):
    body = {"code": "VOL", "name": "Volume", "kind": "tiered", "period_kind": "quarter", "is_active": "on",
            "tiers": "100000: 2\n200000: 1"}
    response = admin_client.post(reverse("hq:rebate_plan_create"), body)
    assert response.status_code == 200 and "tiers" in response.context["form"].errors
    assert "Each tier needs a higher threshold than the one below it" in response.content.decode()
    response = admin_client.post(reverse("hq:rebate_plan_create"), {**body, "tiers": "100000: 1\n200000: 2"})
    assert response.status_code == 302


# --- imports pages, templates, exports ------------------------------------------------------------
def test_imports_page_uploads_checks_and_imports(admin_client, django_capture_on_commit_callbacks):
    region_create(name="China")
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(reverse("hq:imports"), {"kind": "regions",
                                                             "file": csv_file([["path"], ["China/Zhejiang"]])})
    assert response.status_code == 302
    job_url = response["Location"]
    page = admin_client.get(job_url)
    assert page.context["job"].status == ImportStatus.CHECKED and "China/Zhejiang" in page.content.decode()
    assert not Region.objects.filter(name="Zhejiang").exists()
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(job_url + "apply/")
    assert Region.objects.filter(name="Zhejiang").exists()


def test_imports_page_refuses_a_file_that_is_not_csv_or_xlsx(admin_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = admin_client.post(reverse("hq:imports"), {"kind": "dealers",
                                                         "file": SimpleUploadedFile("x.pdf", b"%PDF-1.4\x00\x01")})
    assert response.status_code == 200 and "not a CSV or XLSX file" in response.content.decode()


def test_import_status_polled_after_the_work_is_done_reloads_the_page(admin_client, hq_admin):
    from hq.models import ImportJob

    job = ImportJob.objects.create(kind="regions", status=ImportStatus.CHECKED, file_name="x.csv", file_format="csv",
                                   created_by=hq_admin)
    response = admin_client.get(reverse("hq:import_status", args=[job.pk]))
    assert response.status_code == 204 and response["HX-Refresh"] == "true"


def test_import_preview_page_makes_a_bounded_number_of_queries(admin_client, run_import, django_assert_max_num_queries):
    for size in (5, 120):
        rows = [["path"]] + [[f"Region {size}-{n}"] for n in range(size)]
        job = run_import("regions", csv_file(rows))
        with django_assert_max_num_queries(10):
            assert admin_client.get(reverse("hq:import_detail", args=[job.pk]) + "?show=create").status_code == 200


@pytest.mark.parametrize("kind", ["regions", "products", "tier_prices", "dealers", "users"])
def test_template_is_the_header_row_of_the_kind(admin_client, kind):
    from hq.imports.kinds import KINDS

    content = b"".join(admin_client.get(reverse("hq:import_template", args=[kind]) + "?format=csv").streaming_content)
    assert next(csv.reader(io.StringIO(content.decode("utf-8-sig")))) == KINDS[kind].column_names
    xlsx = admin_client.get(reverse("hq:import_template", args=[kind]) + "?format=xlsx")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"


def test_export_then_import_of_every_kind_is_all_unchanged(admin_client, run_import):
    """The round trip: what the export writes, the import reads back as unchanged."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from common.upsert import Outcome

    china = region_create(name="China", kind="country")
    city = region_create(name="杭州", parent=china, kind="city")
    rep = RepFactory(username="rep_zhang", email="zhang@example.com")
    ManagerFactory(username="mgr", email="m@example.com", regions=[china])
    product = ProductFactory(sku="BEV-001", category=ProductCategoryFactory(name="Drinks"),
                             safety_coefficient=Decimal("2.00"))
    dealer = DealerFactory(code="D1", region=city, rep=rep, channel_types=["ka", "wholesale"])
    DealerProduct.objects.create(dealer=dealer, product=product)
    for kind in ("regions", "products", "tier_prices", "dealers", "users"):
        for fmt in ("csv", "xlsx"):
            response = admin_client.get(reverse("hq:export", args=[kind]) + f"?format={fmt}")
            content = b"".join(response.streaming_content) if response.streaming else response.content
            job = run_import(kind, SimpleUploadedFile(f"{kind}.{fmt}", content))
            assert job.status == ImportStatus.CHECKED, (kind, fmt, job.error)
            assert set(job.rows.values_list("outcome", flat=True)) == {Outcome.UNCHANGED}, (
                kind, fmt, list(job.rows.exclude(outcome=Outcome.UNCHANGED).values("number", "changed", "errors")))


# --- the Django admin -----------------------------------------------------------------------------
def test_admin_is_for_superusers_only_and_read_only(client):
    client.force_login(AdminFactory(is_staff=True))
    assert client.get("/admin/").status_code == 302  # an HQ admin who is not a superuser: the app's setup pages
    superuser = User.objects.create_superuser("root", "root@example.com", "Root-pass-2026")
    client.force_login(superuser)
    index = client.get("/admin/").content.decode()
    for hidden in ("Tokens", "Periodic tasks", "Solar events", "Crontabs", "Intervals", "Clocked"):
        assert hidden not in index, hidden
    dealer = DealerFactory()
    assert client.get(f"/admin/dealers/dealer/{dealer.pk}/change/").status_code == 200
    for url in ("/admin/visits/visit/add/", "/admin/inventory/stockcount/add/", "/admin/dealers/dealerstatuschange/add/",
                "/admin/inventory/order/add/", "/admin/dealers/dealer/add/", "/admin/rebates/rebateplan/add/"):
        assert client.get(url).status_code == 403, url
    response = client.post(f"/admin/dealers/dealer/{dealer.pk}/change/", {"name": "Renamed"})
    assert response.status_code == 403
    assert client.post(f"/admin/dealers/dealer/{dealer.pk}/delete/", {"post": "yes"}).status_code == 403
    assert Dealer.objects.get(pk=dealer.pk).name == dealer.name


def test_import_preview_shows_the_errors_first_and_every_row_on_request(admin_client, run_import):
    region_create(name="China")
    job = run_import("regions", csv_file([["path"], ["China/Zhejiang"], ["Atlantis/Nowhere"]]))
    url = reverse("hq:import_detail", args=[job.pk])
    assert [row.outcome for row in admin_client.get(url).context["page"]] == ["error"]
    assert [row.outcome for row in admin_client.get(url + "?show=all").context["page"]] == ["create", "error"]
