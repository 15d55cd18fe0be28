"""Two flows in a real Chromium, as people do them:

1. A rep on a phone records a prospect, writes the communication memo and the
   cooperation proposal; a manager drafts and signs the contract; the dealer is active.
2. A would-be dealer applies on the public form; a rep reviews it, a manager
   approves it; the new dealer user sets a password from the emailed link and signs in.
"""

import re
from urllib.parse import urlparse

import pytest
from django.core import mail

from accounts.tests.factories import TEST_PASSWORD, ManagerFactory, RepFactory
from conftest import assert_no_sideways_scroll, browser_login, menu_go
from dealers.models import CommunicationMemo, Dealer, DealerStatus
from dealers.tests.factories import DealerFactory
from regions.tests.factories import RegionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def open_menu_link(page, name: str) -> None:
    menu_go(page, name)


def test_rep_records_prospect_writes_memo_and_proposal_manager_signs_and_dealer_is_active(phone, desktop):
    region = RegionFactory(name="Hangzhou")
    rep = RepFactory(username="rep_flow", first_name="Wei", last_name="Zhang")
    DealerFactory(region=region, rep=rep)  # the territory given to the rep: prospects are recorded inside it
    ManagerFactory(username="manager_flow", regions=[region])

    # The rep, on a phone.
    browser_login(phone, "rep_flow", TEST_PASSWORD)
    open_menu_link(phone, "Pipeline")
    assert_no_sideways_scroll(phone)
    phone.get_by_role("link", name="New prospect").click()
    phone.get_by_label("Company name").fill("West Lake Provisions")
    phone.get_by_label("Region").select_option(label="Hangzhou")
    phone.get_by_label("Source").select_option(label="Trade show")
    phone.get_by_label("Decision-maker").fill("Boss Chen")
    phone.get_by_role("button", name="Save").click()
    phone.wait_for_url(re.compile(r"/dealers/\d+/onboarding/$"))
    assert_no_sideways_scroll(phone)

    phone.get_by_role("link", name="Write communication memo").click()
    phone.get_by_label("Introductions of both sides").fill("We make drinks; they run 6 trucks in Xihu.")
    phone.get_by_label("Channel and local market situation").fill("Wholesale dominates; two KA stores.")
    phone.get_by_label("Product and operation outline").fill("Three core SKUs at the city-agent price.")
    phone.get_by_label("Other concerns").fill("Credit terms.")
    phone.get_by_label("Answers to the questions the dealer raised at parting").fill("Territory protection is in the contract.")
    phone.get_by_role("button", name="Save document").click()
    assert phone.get_by_role("heading", name="Communication memo").is_visible()
    assert phone.get_by_role("button", name="Print").is_visible()
    phone.get_by_role("link", name="‹ Onboarding").click()

    phone.get_by_role("link", name="Write cooperation proposal").click()
    phone.get_by_label("Market entry opportunity").fill("No strong brand at this price point.")
    phone.get_by_label("How our products improve the dealer's current portfolio").fill("Fills the premium gap.")
    phone.get_by_label("Market walk report").fill("20 outlets: 3 out of stock of the competitor.")
    phone.get_by_label("Preliminary launch plan (phased)").fill("Phase 1 core outlets; phase 2 KA.")
    phone.get_by_label("How other markets are doing, problems included").fill("Ningbo +30 %, one cross-selling case.")
    phone.get_by_role("button", name="Save document").click()
    phone.get_by_role("link", name="‹ Onboarding").click()
    assert phone.get_by_test_id("onboarding-stage").inner_text() == "Cooperation proposal"
    assert phone.get_by_test_id("dealer-status").inner_text() == "Negotiating"

    # The manager drafts and signs the contract.
    dealer = Dealer.objects.get(name="West Lake Provisions")
    browser_login(desktop, "manager_flow", TEST_PASSWORD)
    menu_go(desktop, "Dealers")
    desktop.get_by_label("Search").fill("West Lake")
    desktop.get_by_role("button", name="Filter").click()
    desktop.get_by_role("link", name="West Lake Provisions").click()
    desktop.get_by_role("link", name="New contract").first.click()
    desktop.get_by_label("Authorised territory").fill("Xihu district")
    desktop.get_by_label("Product lines").fill("Drinks")
    desktop.get_by_label("Annual sales target (amount)").fill("600000")
    desktop.get_by_label("Annual sales target (cases)").fill("12000")
    desktop.get_by_label("Start date").fill("2026-01-01")
    desktop.get_by_label("End date").fill("2026-12-31")
    desktop.get_by_role("button", name="Save").click()
    desktop.once("dialog", lambda dialog: dialog.accept())
    desktop.get_by_role("button", name="Sign contract").click()
    desktop.wait_for_url(re.compile(rf"/dealers/{dealer.pk}/$"))
    assert desktop.get_by_test_id("dealer-status").inner_text() == "Active"

    dealer.refresh_from_db()
    assert dealer.status == DealerStatus.ACTIVE and dealer.rep.username == "rep_flow"
    # The rep sees it active too.
    phone.goto(f"/dealers/{dealer.pk}/")
    assert phone.get_by_test_id("dealer-status").inner_text() == "Active"
    assert_no_sideways_scroll(phone)


def test_public_application_approved_by_a_manager_and_the_new_dealer_user_signs_in(phone, desktop, live_server):
    province = RegionFactory(name="Jiangsu")
    city = RegionFactory(name="Nanjing", parent=province)
    rep = RepFactory(username="rep_nj")
    DealerFactory(rep=rep, region=city)
    ManagerFactory(username="manager_nj", regions=[province])

    # The applicant, on a phone, without an account.
    phone.goto("/apply/")
    assert_no_sideways_scroll(phone)
    phone.get_by_label("Company name").fill("Purple Mountain Foods")
    phone.get_by_label("Contact person").fill("Liu Fang")
    phone.get_by_label("Phone").fill("13700000000")
    phone.get_by_label("Email").fill("liu.fang@example.com")
    phone.get_by_label("Where you operate").select_option(label="\u00a0\u00a0Nanjing")
    phone.get_by_label("Wholesale").check()
    phone.get_by_role("button", name="Send application").click()
    assert phone.get_by_role("heading", name="Thank you — your application was received.").is_visible()

    # The rep's first review.
    browser_login(desktop, "rep_nj", TEST_PASSWORD)
    desktop.goto("/dealers/applications/")
    desktop.get_by_role("link", name="Purple Mountain Foods").click()
    desktop.get_by_label("Your assessment").fill("Visited: 800 m² warehouse, 4 trucks.")
    desktop.get_by_role("button", name="Recommend for approval").click()
    assert desktop.get_by_test_id("application-status").inner_text() == "Awaiting approval"
    desktop.context.clear_cookies()

    # The manager approves, setting region and tier.
    browser_login(desktop, "manager_nj", TEST_PASSWORD)
    menu_go(desktop, "Applications")
    desktop.get_by_role("link", name="Purple Mountain Foods").click()
    desktop.get_by_label("Tier").select_option(label="City agent")
    desktop.get_by_role("button", name="Approve application").click()
    assert desktop.get_by_test_id("application-status").inner_text() == "Approved"

    # The invitation arrives by email; the new dealer user sets a password and signs in.
    invitation = next(message for message in mail.outbox if message.to == ["liu.fang@example.com"])
    link = re.search(r"https?://\S+/accounts/password/reset/\S+/", invitation.body).group(0)
    phone.goto(urlparse(link).path)
    phone.get_by_label("New password").first.fill("Purple-Mountain-2026")
    phone.get_by_label("New password confirmation").fill("Purple-Mountain-2026")
    phone.get_by_role("button", name="Choose a new password").click()
    phone.wait_for_url(re.compile(r"/accounts/password/reset/complete/$"))

    browser_login(phone, "liu.fang@example.com", "Purple-Mountain-2026")
    open_menu_link(phone, "My company")
    assert phone.get_by_role("heading", name="Purple Mountain Foods").is_visible()
    assert phone.get_by_test_id("dealer-status").inner_text() == "Prospect"
    assert_no_sideways_scroll(phone)


def test_dealer_pages_do_not_scroll_sideways_on_a_phone(phone):
    from dealers import services
    from dealers.tests.factories import (
        ContractFactory,
        DealerApplicationFactory,
        DealerContactFactory,
        ProspectFactory,
        ViolationFactory,
        all_scores,
        ensure_builtin_criteria,
    )

    ensure_builtin_criteria()

    region = RegionFactory(name="Suzhou Industrial Park District")
    manager = ManagerFactory(username="manager_phone", regions=[region])
    dealer = DealerFactory(region=region, name="苏州工业园区优品配送有限公司（一个很长的名字）", address="苏州市工业园区星湖街328号创意产业园5栋",
                           channel_types=["ka", "wholesale", "catering", "special"], decision_maker="王建国", phone="0512-66668888")
    DealerContactFactory(dealer=dealer, name="李秀英", position="采购经理", wechat="wx_very_long_wechat_id_123456")
    contract = ContractFactory(dealer=dealer, number="HT-2026-SZ-000123")
    for score in (2, 3, 4):
        services.evaluation_create(dealer=dealer, evaluator=manager, scores=all_scores(score), comment="执行到位，网络覆盖有提升。")
    violation = ViolationFactory(dealer=dealer)
    prospect = ProspectFactory(region=region, name="A prospect with a rather long company name Ltd.")
    services.onboarding_document_save(dealer=prospect, document_class=CommunicationMemo, author=prospect.rep,
                                      introductions="x" * 300, market_situation="y", product_outline="z", other_concerns="w")
    application = DealerApplicationFactory(region=region)
    browser_login(phone, "manager_phone", TEST_PASSWORD)
    pages = [
        "/dealers/", f"/dealers/{dealer.pk}/", f"/dealers/{dealer.pk}/edit/", f"/dealers/{dealer.pk}/evaluate/",
        f"/dealers/{dealer.pk}/status/", "/dealers/reassign/", "/dealers/pipeline/", f"/dealers/{prospect.pk}/onboarding/",
        f"/dealers/{prospect.pk}/onboarding/memo/", f"/dealers/{prospect.pk}/onboarding/proposal/edit/",
        f"/dealers/contracts/{contract.pk}/", f"/dealers/violations/{violation.pk}/", "/dealers/violations/",
        f"/dealers/{dealer.pk}/violations/new/", "/dealers/applications/", f"/dealers/applications/{application.pk}/",
        "/dealers/prospects/new/", "/dealers/new/",
    ]
    wide = []
    for path in pages:
        response = phone.goto(path)
        assert response.status == 200, path
        if phone.evaluate("document.documentElement.scrollWidth") > 360:
            too_wide = phone.evaluate(
                "Array.from(document.querySelectorAll('main *')).filter(e => e.getBoundingClientRect().right > 361)"
                ".map(e => e.tagName + '.' + e.className).slice(0, 5)"
            )
            wide.append((path, too_wide))
    assert wide == []


def test_dealer_list_on_a_phone_keeps_filters_folded_until_asked(phone):
    region = RegionFactory(name="Hangzhou")
    ManagerFactory(username="manager_phone", regions=[region])
    DealerFactory(name="Lakeside Trading", region=region)

    browser_login(phone, "manager_phone", TEST_PASSWORD)
    phone.goto("/dealers/")
    status = phone.get_by_label("Status")
    assert phone.get_by_label("Search").is_visible() and not status.is_visible()
    phone.get_by_role("button", name="More filters").click()
    status.wait_for(state="visible")
    status.select_option("active")
    phone.get_by_role("button", name="Filter").last.click()  # the first is "More filters"
    # With a filter in use the panel stays open, so the rep sees what filters the list.
    assert phone.get_by_label("Status").is_visible()
    assert phone.get_by_role("link", name="Lakeside Trading").is_visible()
    assert_no_sideways_scroll(phone)
