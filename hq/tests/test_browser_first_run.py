"""From an empty install (migrate only, one superuser) to a suggested order, in
the browser, without opening the Django admin:

1. the admin follows the first-run checklist on the home page through the setup
   pages — a region (with a sub-region), a category and a product with its city
   tier price, a rep, a dealer by importing a CSV file (checked, then imported),
   and a visit plan — and the checklist ticks itself off, then goes away;
2. the rep, on a phone, does today's planned visit (market check, start, count
   80 cases, no suggestion yet: no previous count) and completes it;
3. the dealer calls the same afternoon after a big sale: the rep plans a second
   visit, counts 30 cases and gets the suggestion 80 − 30 = 50 sold, × 1.5 = 75,
   75 − 30 = 45 cases, and places it as an order.
"""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import User
from conftest import assert_no_sideways_scroll, browser_login, menu_go, sign_in_as
from dealers.models import Dealer
from visits.models import Visit, VisitPlan, VisitStatus

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ADMIN_PASSWORD = "Hq-admin-2026!"
REP_PASSWORD = "Visit-2026-tea!"


def _watch_for_admin(page, visited: list[str]) -> None:
    page.on("request", lambda request: visited.append(request.url))


def _checklist_item(page, key: str):
    return page.get_by_test_id(f"checklist-{key}")


def test_admin_sets_up_an_empty_install_and_the_rep_gets_a_suggested_order(desktop, phone):
    User.objects.create_superuser("boss", "boss@example.com", ADMIN_PASSWORD)
    visited: list[str] = []
    _watch_for_admin(desktop, visited)
    _watch_for_admin(phone, visited)

    # --- the admin lands on the checklist -------------------------------------------------
    browser_login(desktop, "boss", ADMIN_PASSWORD)
    checklist = desktop.get_by_test_id("first-run-checklist")
    expect(checklist).to_contain_text("0 of 5 done")

    # 1. A region: a province and a city under it.
    _checklist_item(desktop, "region").get_by_role("link", name="Add a region").click()
    desktop.get_by_role("link", name="New region").click()
    desktop.get_by_label("Name").fill("Zhejiang")
    desktop.get_by_label("Kind").select_option("province")
    desktop.get_by_role("button", name="Save").click()
    expect(desktop.get_by_test_id("region-tree")).to_contain_text("Zhejiang")
    desktop.get_by_test_id("region-tree").get_by_role("link", name="Sub-region").click()
    desktop.get_by_label("Name").fill("Hangzhou")
    desktop.get_by_label("Kind").select_option("city")
    desktop.get_by_role("button", name="Save").click()
    expect(desktop.get_by_test_id("region-tree")).to_contain_text("Hangzhou")
    desktop.get_by_role("link", name="Home").first.click()
    expect(_checklist_item(desktop, "region")).to_have_attribute("data-done", "yes")
    expect(checklist).to_contain_text("1 of 5 done")

    # 2. A category, then a product with its price for the city tier.
    _checklist_item(desktop, "product").get_by_role("link", name="Add a product").click()
    desktop.get_by_role("link", name="Categories").click()
    desktop.get_by_label("Name").fill("Drinks")
    desktop.get_by_role("button", name="Add category").click()
    expect(desktop.get_by_test_id("category-table")).to_contain_text("Drinks")
    desktop.get_by_role("link", name="Products").last.click()
    desktop.get_by_role("link", name="New product").click()
    desktop.get_by_label("SKU").fill("BEV-001")
    desktop.get_by_label("Name").fill("Iced tea 500ml")
    desktop.get_by_label("Category").select_option(label="Drinks")
    desktop.get_by_label("Units per case").fill("24")
    desktop.get_by_label("Shelf life (days)").fill("270")
    desktop.get_by_label("Guideline retail price").fill("4.50")
    desktop.get_by_label("Floor resale price").fill("5.00")  # a slip: above the guideline price
    desktop.get_by_label("Price for the City agent tier (per unit)").fill("33.00")
    desktop.get_by_role("button", name="Save product").click()
    expect(desktop.get_by_text("cannot be above the guideline retail price")).to_be_visible()
    desktop.get_by_label("Floor resale price").fill("3.80")
    desktop.get_by_role("button", name="Save product").click()
    expect(desktop.get_by_test_id("setup-product-table")).to_contain_text("BEV-001")
    desktop.get_by_role("link", name="Home").first.click()
    expect(_checklist_item(desktop, "product")).to_have_attribute("data-done", "yes")

    # 3. A rep (a password like the username is refused first).
    _checklist_item(desktop, "rep").get_by_role("link", name="Add a rep").click()
    expect(desktop.get_by_label("Role")).to_have_value("rep")
    desktop.get_by_label("Username").fill("rep_wei")
    desktop.get_by_label("Given name").fill("Wei")
    desktop.get_by_label("Family name").fill("Zhang")
    desktop.get_by_label("Email").fill("wei.zhang@example.com")
    desktop.get_by_label("Password").fill("rep_wei2026")
    desktop.get_by_role("button", name="Save user").click()
    expect(desktop.get_by_text("too similar to the username")).to_be_visible()
    desktop.get_by_label("Password").fill(REP_PASSWORD)
    desktop.get_by_role("button", name="Save user").click()
    expect(desktop.get_by_text("User rep_wei added.")).to_be_visible()
    desktop.get_by_role("link", name="Home").first.click()
    expect(_checklist_item(desktop, "rep")).to_have_attribute("data-done", "yes")

    # 4. The dealer, by importing a file: checked first, nothing saved, then imported.
    _checklist_item(desktop, "dealer").get_by_role("link", name="Import dealers").click()
    expect(desktop.get_by_label("What the file holds")).to_have_value("dealers")
    csv_text = ("code,name,region,tier,status,rep,credit_limit,products\n"
                "ZJ-HZ-001,Baishun Trading,Zhejiang/Hangzhou,city,active,rep_wei,200000,BEV-001\n")
    desktop.get_by_label("File (CSV or XLSX)").set_input_files(
        {"name": "dealers.csv", "mimeType": "text/csv", "buffer": csv_text.encode("utf-8")})
    desktop.get_by_role("button", name="Check the file").click()
    expect(desktop.get_by_test_id("import-status")).to_have_text("Checked")
    expect(desktop.get_by_test_id("import-rows")).to_contain_text("ZJ-HZ-001")
    expect(desktop.get_by_test_id("import-rows").locator("tr[data-outcome=create]")).to_have_count(1)
    assert not Dealer.objects.exists()
    desktop.get_by_test_id("import-apply").click()
    expect(desktop.get_by_test_id("import-status")).to_have_text("Imported")
    dealer = Dealer.objects.get(code="ZJ-HZ-001")
    assert dealer.rep.username == "rep_wei" and dealer.region.name == "Hangzhou"
    desktop.get_by_role("link", name="Home").first.click()
    expect(_checklist_item(desktop, "dealer")).to_have_attribute("data-done", "yes")

    # 5. A visit plan: every 7 days from today.
    _checklist_item(desktop, "plan").get_by_role("link", name="Plan visits").click()
    desktop.get_by_test_id("unplanned-dealers").get_by_role("link", name="Plan visits").click()
    desktop.get_by_label("Every N days").first.check()
    desktop.locator("input[name=interval_days]").fill("7")
    desktop.get_by_role("button", name="Save plan").click()
    expect(desktop.get_by_text("Visit plan saved")).to_be_visible()
    assert VisitPlan.objects.get(dealer=dealer).cycle_days == 7
    desktop.get_by_role("link", name="Home").first.click()
    expect(desktop.get_by_test_id("first-run-checklist")).to_have_count(0)  # complete: it goes away

    # --- the rep's first visit: no previous count, no suggestion yet ----------------------------
    sign_in_as(phone, "rep_wei", REP_PASSWORD)
    menu_go(phone, "My day")
    phone.get_by_test_id("today-visits").get_by_role("link", name="Baishun Trading").click()
    phone.get_by_role("link", name="Record the market check").click()
    phone.get_by_label("Outlets walked").fill("2")
    phone.get_by_role("button", name="Save market check").click()
    expect(phone.get_by_text("Market check recorded.")).to_be_visible()
    phone.get_by_role("button", name="Start visit").click()
    expect(phone.get_by_test_id("visit-status")).to_have_text("In progress")
    phone.get_by_test_id("step-stock-count").get_by_role("link", name="Count stock").click()
    phone.get_by_label("Stock of Iced tea 500ml (cases)").fill("80")
    phone.get_by_role("button", name="Save the count").click()
    first_row = phone.get_by_test_id("suggestion-row").filter(has_text="Iced tea 500ml")
    expect(first_row.locator("[data-flag=no_previous_count]")).to_be_visible()
    phone.get_by_role("link", name="Back to the visit").click()
    phone.get_by_role("button", name="Complete visit").click()
    # Policies, display and the other steps were left empty: the app lists them and asks.
    expect(phone.get_by_role("heading", name="Complete the visit?")).to_be_visible()
    phone.get_by_role("button", name="Complete anyway").click()
    expect(phone.get_by_test_id("visit-status")).to_have_text("Completed")

    # --- the same afternoon, a second visit: the suggested order --------------------------------
    phone.goto("/visits/today/")
    phone.get_by_role("link", name="Plan a visit").first.click()
    phone.get_by_label("Dealer").select_option(label="Baishun Trading (ZJ-HZ-001)")
    soon = timezone.localtime() + datetime.timedelta(minutes=5)
    phone.get_by_label("When").fill(soon.strftime("%Y-%m-%dT%H:%M"))
    phone.get_by_role("button", name="Save", exact=True).click()
    expect(phone.get_by_text("Visit planned.")).to_be_visible()
    phone.get_by_role("link", name="Record the market check").click()
    phone.get_by_label("Outlets walked").fill("1")
    phone.get_by_role("button", name="Save market check").click()
    phone.get_by_role("button", name="Start visit").click()
    phone.get_by_test_id("step-stock-count").get_by_role("link", name="Count stock").click()
    phone.get_by_label("Stock of Iced tea 500ml (cases)").fill("30")
    phone.get_by_role("button", name="Save the count").click()
    row = phone.get_by_test_id("suggestion-row").filter(has_text="Iced tea 500ml")
    for figure in ("80", "30", "50.00", "1.50", "75.00", "45"):
        expect(row).to_contain_text(figure)
    assert_no_sideways_scroll(phone)
    phone.get_by_role("button", name="Place order").click()
    expect(phone.get_by_test_id("order-status")).to_have_text("Submitted")

    second = Visit.objects.filter(dealer=dealer, plan__isnull=True).get()
    assert list(second.order.lines.values_list("product__sku", "quantity", "unit_price")) == [("BEV-001", 45, 33)]
    assert Visit.objects.filter(dealer=dealer, status=VisitStatus.COMPLETED).count() == 1
    assert not [url for url in visited if "/admin/" in url], "a Django admin page was opened"
