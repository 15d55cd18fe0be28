"""The dealer pages: scope (404) and role (403) on every page, the list's search,
filters, sort and export, the dealer page's sections, the onboarding pages, the
forms' refusals, and the public application form."""

import html
import io
import sys
import types

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from accounts.tests.factories import (
    AdminFactory,
    DealerUserFactory,
    FinanceFactory,
    ManagerFactory,
    RepFactory,
)
from common.navigation import nav_items_for
from common.sections import Section
from dealers import services
from dealers.models import (
    ApplicationStatus,
    CommunicationMemo,
    DealerApplication,
    DealerStatus,
    Evaluation,
    Onboarding,
    Violation,
)
from dealers.tests.conftest import make_photo
from dealers.tests.factories import (
    ContractFactory,
    DealerApplicationFactory,
    DealerFactory,
    DraftContractFactory,
    ProspectFactory,
    ViolationFactory,
    all_scores,
)
from regions.tests.factories import RegionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def login(client):
    def as_user(user):
        client.force_login(user)
        return client

    return as_user


# --- the list ----------------------------------------------------------------------------
def test_dealer_list_shows_the_managers_dealers_only(login):
    region = RegionFactory()
    mine = DealerFactory(region=region, name="Mine Trading")
    DealerFactory(name="Far Away Trading")
    html = login(ManagerFactory(regions=[region])).get(reverse("dealers:list")).content.decode()
    assert "Mine Trading" in html and "Far Away Trading" not in html
    assert reverse("dealers:detail", args=[mine.pk]) in html


def test_dealer_list_searches_filters_and_sorts(login):
    region = RegionFactory()
    DealerFactory(name="Alpha", region=region, status="active", current_grade="B")
    DealerFactory(name="Beta", region=region, status="suspended", current_grade="A")
    DealerFactory(name="Gamma", status="active")
    client = login(AdminFactory())
    page = client.get(reverse("dealers:list"), {"region": region.pk, "ordering": "grade"})
    assert [dealer.name for dealer in page.context["page"]] == ["Beta", "Alpha"]
    assert [d.name for d in client.get(reverse("dealers:list"), {"q": "gam"}).context["page"]] == ["Gamma"]
    assert [d.name for d in client.get(reverse("dealers:list"), {"status": "suspended"}).context["page"]] == ["Beta"]
    assert [d.name for d in client.get(reverse("dealers:list"), {"grade": "none"}).context["page"]] == ["Gamma"]


def test_dealer_list_paginates(login):
    DealerFactory.create_batch(30)
    page = login(AdminFactory()).get(reverse("dealers:list"), {"page": 2}).context["page"]
    assert page.number == 2 and len(page.object_list) == 5


def test_dealer_export_csv_and_xlsx_hold_only_the_scope(login):
    rep = RepFactory()
    DealerFactory(rep=rep, name="Exported Co")
    DealerFactory(name="Hidden Co")
    client = login(rep)
    csv_body = b"".join(client.get(reverse("dealers:export"), {"format": "csv"}).streaming_content).decode()
    assert "Exported Co" in csv_body and "Hidden Co" not in csv_body
    xlsx = client.get(reverse("dealers:export"), {"format": "xlsx"})
    rows = list(load_workbook(io.BytesIO(xlsx.content)).active.values)
    assert len(rows) == 2 and rows[1][1] == "Exported Co"


def test_dealer_export_is_forbidden_to_a_dealer_user(login):
    assert login(DealerUserFactory()).get(reverse("dealers:export")).status_code == 403


# --- the dealer page ------------------------------------------------------------------------
def test_dealer_detail_shows_every_section_and_the_trend_data(login):
    dealer = DealerFactory()
    from dealers import services

    services.evaluation_create(dealer=dealer, evaluator=dealer.rep, scores=all_scores(3))
    services.evaluation_create(dealer=dealer, evaluator=dealer.rep, scores=all_scores(5))
    ContractFactory(dealer=dealer, number="HT-2026-01")
    ViolationFactory(dealer=dealer)
    response = login(dealer.rep).get(reverse("dealers:detail", args=[dealer.pk]))
    html = response.content.decode()
    for anchor in ('id="profile"', 'id="contacts"', 'id="contract"', 'id="evaluations"', 'id="violations"', 'id="history"'):
        assert anchor in html
    assert "HT-2026-01" in html and 'id="evaluation-trend"' in html and "chart.umd.min.js" in html
    assert response.context["trend"]["totals"] == [3.0, 5.0]


def test_dealer_detail_renders_sections_other_apps_add(login, monkeypatch):
    module = types.ModuleType("visits.sections")
    module.dealer_detail = lambda *, request, dealer: [Section("Visits", "dealers/tests/section.html", {"text": f"visits of {dealer.code}"})]
    monkeypatch.setitem(sys.modules, "visits.sections", module)
    dealer = DealerFactory(code="SEC-1")
    response = login(AdminFactory()).get(reverse("dealers:detail", args=[dealer.pk]))
    assert "Visits" in [section.title for section in response.context["sections"]]
    assert "visits of SEC-1" in response.content.decode()


def test_dealer_detail_outside_scope_is_404_for_every_role(login):
    dealer = DealerFactory()
    for user in (RepFactory(), ManagerFactory(regions=[RegionFactory()]), DealerUserFactory()):
        assert login(user).get(reverse("dealers:detail", args=[dealer.pk])).status_code == 404


def test_dealer_user_sees_its_record_without_internal_sections(login):
    dealer = DealerFactory()
    ViolationFactory(dealer=dealer, evidence="secret evidence")
    client = login(DealerUserFactory(dealer=dealer))
    assert client.get(reverse("dealers:mine")).url == reverse("dealers:detail", args=[dealer.pk])
    html = client.get(reverse("dealers:detail", args=[dealer.pk])).content.decode()
    assert dealer.name in html and 'id="violations"' not in html and 'id="evaluations"' not in html
    assert client.get(reverse("dealers:evaluate", args=[dealer.pk])).status_code == 403
    assert client.get(reverse("dealers:edit", args=[dealer.pk])).status_code == 403


def test_dealer_edit_by_rep_offers_no_commercial_fields(login):
    dealer = DealerFactory()
    client = login(dealer.rep)
    form = client.get(reverse("dealers:edit", args=[dealer.pk])).context["form"]
    assert "credit_limit" not in form.fields and "region" not in form.fields and "phone" in form.fields
    response = client.post(reverse("dealers:edit", args=[dealer.pk]), {"name": "Renamed", "credit_limit": "1"})
    assert response.status_code == 302
    dealer.refresh_from_db()
    assert dealer.name == "Renamed" and str(dealer.credit_limit) == "100000.00"


def test_dealer_status_page_refuses_a_move_the_lifecycle_forbids(login):
    dealer = DealerFactory(status=DealerStatus.ACTIVE)
    client = login(AdminFactory())
    response = client.post(reverse("dealers:status", args=[dealer.pk]), {"status": "prospect", "reason": "x"})
    assert response.status_code == 200 and response.context["form"].errors["status"]
    dealer.refresh_from_db()
    assert dealer.status == "active"
    assert login(dealer.rep).get(reverse("dealers:status", args=[dealer.pk])).status_code == 403


def test_reassign_page_previews_and_moves(login):
    region = RegionFactory()
    leaving, taking = RepFactory(), RepFactory()
    DealerFactory.create_batch(2, rep=leaving, region=region)
    client = login(ManagerFactory(regions=[region]))
    assert client.get(reverse("dealers:reassign"), {"from_rep": leaving.pk}).context["preview"] == 2
    response = client.post(reverse("dealers:reassign"), {"from_rep": leaving.pk, "to_rep": taking.pk, "reason": "Left"})
    assert response.status_code == 302 and taking.assigned_dealers.count() == 2
    assert login(leaving).get(reverse("dealers:reassign")).status_code == 403


# --- onboarding ---------------------------------------------------------------------------------
def test_pipeline_board_has_a_column_per_stage_with_the_reps_prospects(login):
    rep = RepFactory()
    ProspectFactory(rep=rep, name="Board Lead")
    ProspectFactory(name="Someone Else's Lead")
    response = login(rep).get(reverse("dealers:pipeline"))
    html = response.content.decode()
    assert html.count('class="board-column"') == 5
    assert "Board Lead" in html and "Someone Else" not in html


def test_rep_records_a_prospect_they_own(login):
    rep = RepFactory()
    region = DealerFactory(rep=rep).region  # a prospect is recorded inside the rep's territory
    response = login(rep).post(reverse("dealers:prospect_create"), {"name": "Found on the street", "region": region.pk,
                                                                    "source": "street_canvassing"})
    onboarding = Onboarding.objects.select_related("dealer").get()
    assert response.url == reverse("dealers:onboarding", args=[onboarding.dealer_id])
    assert onboarding.dealer.rep == rep and onboarding.dealer.status == DealerStatus.PROSPECT


def test_memo_form_saves_the_document_and_its_print_page(login):
    prospect = ProspectFactory()
    client = login(prospect.rep)
    url = reverse("dealers:document_edit", args=[prospect.pk, "memo"])
    incomplete = client.post(url, {"written_on": "2026-01-05", "introductions": "Hi"})
    assert incomplete.status_code == 200 and "market_situation" in incomplete.context["form"].errors
    assert not CommunicationMemo.objects.exists()
    client.post(url, {"written_on": "2026-01-05", "introductions": "Both sides", "market_situation": "Wholesale",
                      "product_outline": "3 SKUs", "other_concerns": "Credit", "parting_answers": "Delivery weekly"})
    html = client.get(reverse("dealers:document", args=[prospect.pk, "memo"])).content.decode()
    assert "Both sides" in html and "data-print" in html and "Answers to the questions the dealer raised at parting" in html


def test_unknown_document_kind_is_404(login):
    prospect = ProspectFactory()
    assert login(prospect.rep).get(reverse("dealers:document", args=[prospect.pk, "novel"])).status_code == 404


def test_onboarding_page_logs_a_contact(login):
    prospect = ProspectFactory()
    client = login(prospect.rep)
    response = client.post(reverse("dealers:contact_log", args=[prospect.pk]), {
        "channel": "phone", "contacted_at": "2026-01-05T10:00", "summary": "Called the boss",
        "next": reverse("dealers:onboarding", args=[prospect.pk])})
    assert response.url == reverse("dealers:onboarding", args=[prospect.pk])
    assert "Called the boss" in client.get(response.url).content.decode()


# --- contracts, evaluations, violations ---------------------------------------------------------
def test_manager_signs_a_draft_from_the_contract_page_and_the_rep_cannot(login):
    prospect = ProspectFactory(status=DealerStatus.NEGOTIATING)
    contract = DraftContractFactory(dealer=prospect)
    assert login(prospect.rep).post(reverse("dealers:contract_sign", args=[contract.pk])).status_code == 403
    client = login(ManagerFactory(regions=[prospect.region]))
    assert "Sign contract" in client.get(reverse("dealers:contract", args=[contract.pk])).content.decode()
    response = client.post(reverse("dealers:contract_sign", args=[contract.pk]))
    assert response.url == reverse("dealers:detail", args=[prospect.pk])
    prospect.refresh_from_db()
    assert prospect.status == DealerStatus.ACTIVE


def test_contract_form_refuses_an_end_before_the_start(login):
    dealer = DealerFactory()
    response = login(dealer.rep).post(reverse("dealers:contract_create", args=[dealer.pk]), {
        "territory": "t", "product_lines": "p", "annual_target_amount": "1", "annual_target_volume": "1",
        "start_date": "2026-05-01", "end_date": "2026-04-01"})
    assert response.status_code == 200 and "end_date" in response.context["form"].errors
    assert not dealer.contracts.exists()


def test_evaluation_page_scores_every_criterion(login):
    dealer = DealerFactory()
    client = login(dealer.rep)
    form = client.get(reverse("dealers:evaluate", args=[dealer.pk])).context["form"]
    assert len([name for name in form.fields if name.startswith("score_")]) == 6
    data = {f"score_{code}": value for code, value in all_scores(3).items()}
    assert client.post(reverse("dealers:evaluate", args=[dealer.pk]), {**data, "score_management": "9"}).status_code == 200
    assert not Evaluation.objects.exists()
    client.post(reverse("dealers:evaluate", args=[dealer.pk]), data)
    dealer.refresh_from_db()
    assert dealer.current_grade == "B"


def test_violation_form_with_photos_and_the_scoped_photo_view(login):
    dealer = DealerFactory()
    client = login(dealer.rep)
    response = client.post(reverse("dealers:violation_create", args=[dealer.pk]), {
        "type": "cross_territory", "severity": "high", "found_at": "2026-01-05T10:00", "found_where": "Next city",
        "evidence": "Our cases there", "photos": [make_photo("one.png"), make_photo("two.png")]})
    violation = Violation.objects.get()
    assert response.url == reverse("dealers:violation", args=[violation.pk])
    photo = violation.photos.first()
    assert client.get(reverse("dealers:violation_photo", args=[photo.pk])).status_code == 200
    assert login(RepFactory()).get(reverse("dealers:violation_photo", args=[photo.pk])).status_code == 404
    assert login(DealerUserFactory(dealer=dealer)).get(reverse("dealers:violation_photo", args=[photo.pk])).status_code == 404


def test_violation_form_with_a_non_image_saves_nothing(login):
    from django.core.files.uploadedfile import SimpleUploadedFile

    dealer = DealerFactory()
    response = login(dealer.rep).post(reverse("dealers:violation_create", args=[dealer.pk]), {
        "type": "other", "severity": "low", "found_at": "2026-01-05T10:00", "found_where": "x", "evidence": "y",
        "photos": [SimpleUploadedFile("x.png", b"not an image", content_type="image/png")]})
    assert response.status_code == 200 and response.context["form"].errors
    assert not Violation.objects.exists()


def test_manager_decides_a_violation_on_its_page(login):
    violation = ViolationFactory()
    client = login(ManagerFactory(regions=[violation.dealer.region]))
    response = client.post(reverse("dealers:violation", args=[violation.pk]), {"form": "decide", "outcome": "warning", "note": "First time"})
    assert response.status_code == 302
    violation.refresh_from_db()
    assert violation.outcome == "warning"
    assert login(FinanceFactory()).post(reverse("dealers:violation", args=[violation.pk]), {"form": "decide", "outcome": "fine"}).status_code == 403


# --- applications ----------------------------------------------------------------------------------
def _application_data(region):
    return {"company_name": "Lotus Trading", "contact_name": "Li Na", "phone": "13700000000", "email": "li@example.com",
            "region": region.pk, "channel_types": ["wholesale", "catering"], "operating_model": "distributor"}


def test_apply_page_is_public_and_saves_the_application(client):
    region = RegionFactory()
    assert client.get(reverse("apply:form")).status_code == 200
    response = client.post(reverse("apply:form"), _application_data(region))
    assert response.url == reverse("apply:thanks")
    application = DealerApplication.objects.get()
    assert application.channel_types == ["wholesale", "catering"] and application.status == ApplicationStatus.SUBMITTED


def test_apply_page_honeypot_pretends_success_and_saves_nothing(client):
    response = client.post(reverse("apply:form"), {**_application_data(RegionFactory()), "website": "spam.example"})
    assert response.url == reverse("apply:thanks") and not DealerApplication.objects.exists()


def test_apply_page_rate_limit_answers_429(client, settings):
    settings.DEALER_APPLICATIONS_PER_HOUR = 1
    region = RegionFactory()
    client.post(reverse("apply:form"), _application_data(region))
    response = client.post(reverse("apply:form"), _application_data(region))
    assert response.status_code == 429 and "Too many applications" in response.content.decode()
    assert DealerApplication.objects.count() == 1


def test_application_pages_review_then_approve(login, django_capture_on_commit_callbacks):
    region = RegionFactory()
    rep = RepFactory()
    DealerFactory(rep=rep, region=region)
    application = DealerApplicationFactory(region=region)
    client = login(rep)
    assert application.company_name in client.get(reverse("dealers:applications")).content.decode()
    client.post(reverse("dealers:application_review", args=[application.pk]), {"note": "Looks solid"})
    application.refresh_from_db()
    assert application.status == ApplicationStatus.REVIEWED
    assert client.post(reverse("dealers:application_approve", args=[application.pk]), {}).status_code == 403
    manager_client = login(ManagerFactory(regions=[region]))
    with django_capture_on_commit_callbacks(execute=True):
        response = manager_client.post(reverse("dealers:application_approve", args=[application.pk]),
                                       {"region": region.pk, "tier": "county", "credit_limit": "0"})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == ApplicationStatus.APPROVED and application.dealer.rep == rep


def test_applications_of_other_areas_are_404(login):
    application = DealerApplicationFactory()
    assert login(ManagerFactory(regions=[RegionFactory()])).get(reverse("dealers:application", args=[application.pk])).status_code == 404
    assert login(FinanceFactory()).get(reverse("dealers:applications")).status_code == 403


# --- navigation ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(("factory", "expected"), [
    (RepFactory, {"Dealers", "Pipeline", "Applications"}),
    (lambda: ManagerFactory(), {"Dealers", "Pipeline", "Applications", "Violations"}),
    (FinanceFactory, {"Dealers"}),
    (DealerUserFactory, {"My company"}),
])
def test_navigation_entries_per_role(factory, expected):
    labels = {str(item.label) for item in nav_items_for(factory())}
    assert labels & {"Dealers", "Pipeline", "Applications", "Violations", "My company"} == expected


def test_approve_form_says_what_an_empty_rep_means_for_this_application(login):
    from dealers.forms import APPROVE_REP_DEFAULT_HELP, APPROVE_REP_REQUIRED_HELP

    region = RegionFactory()
    rep = RepFactory(first_name="Wei", last_name="Zhang")
    manager = ManagerFactory(regions=[region])
    by_rep = DealerApplicationFactory(region=region)
    services.application_review(application=by_rep, reviewed_by=rep, note="ok")
    by_manager = DealerApplicationFactory(region=region)
    services.application_review(application=by_manager, reviewed_by=manager, note="ok")
    unreviewed = DealerApplicationFactory(region=region)
    client = login(manager)
    body = client.get(reverse("dealers:application", args=[by_rep.pk])).content.decode()
    assert str(APPROVE_REP_DEFAULT_HELP % {"rep": rep}) in html.unescape(body)
    body = client.get(reverse("dealers:application", args=[by_manager.pk])).content.decode()
    assert str(APPROVE_REP_REQUIRED_HELP) in html.unescape(body) and "the rep who reviewed it" not in body
    body = client.get(reverse("dealers:application", args=[unreviewed.pk])).content.decode()
    assert "Approve application" in body and "your approval is its review" in body


def test_manager_approves_an_unreviewed_application_from_its_page(login, django_capture_on_commit_callbacks):
    region = RegionFactory()
    rep = RepFactory()
    application = DealerApplicationFactory(region=region)
    client = login(ManagerFactory(regions=[region]))
    response = client.post(reverse("dealers:application_approve", args=[application.pk]),
                           {"region": region.pk, "tier": "county", "credit_limit": "0"})
    assert response.status_code == 400 and "choose the rep who will look after" in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("dealers:application_approve", args=[application.pk]),
                               {"region": region.pk, "tier": "county", "credit_limit": "0", "rep": rep.pk})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == ApplicationStatus.APPROVED and application.dealer.rep == rep


def test_review_by_a_manager_says_they_may_approve_it_now(login):
    region = RegionFactory()
    application = DealerApplicationFactory(region=region)
    client = login(ManagerFactory(regions=[region]))
    response = client.post(reverse("dealers:application_review", args=[application.pk]), {"note": "Fine"}, follow=True)
    body = response.content.decode()
    assert "You may approve it now" in body and "goes to a manager" not in body
