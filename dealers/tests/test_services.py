"""The dealers services: what each change writes, and what it refuses (nothing saved)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.models import Role, User
from accounts.tests.factories import AdminFactory, ManagerFactory, RepFactory
from common.exceptions import StateConflict
from common.validators import IMAGE_TOO_LARGE, NOT_AN_IMAGE
from dealers import services
from dealers.models import (
    CONTRACT_ENDS_BEFORE_START,
    ApplicationStatus,
    CommunicationMemo,
    ContractStatus,
    CooperationProposal,
    Dealer,
    DealerInvitation,
    DealerStatus,
    Evaluation,
    EvaluationCriterion,
    EvaluationScore,
    GradeSettings,
    Onboarding,
    OnboardingStage,
    RepAssignment,
    Violation,
    ViolationOutcome,
    ViolationPhoto,
)
from dealers.tasks import send_dealer_invitation
from dealers.tests.conftest import make_photo
from dealers.tests.factories import (
    DealerApplicationFactory,
    DealerFactory,
    DraftContractFactory,
    ProspectFactory,
    ViolationFactory,
    all_scores,
)
from regions.tests.factories import RegionFactory

pytestmark = pytest.mark.django_db

MEMO = {
    "introductions": "Both sides introduced.", "market_situation": "Wholesale dominates.",
    "product_outline": "Three core products.", "other_concerns": "Credit terms.", "parting_answers": "",
}
PROPOSAL = {
    "market_opportunity": "No strong brand at this price.", "portfolio_fit": "Fills the premium gap.",
    "market_walk_report": "20 outlets walked.", "launch_plan": "Phase 1: core outlets.", "other_markets": "+30 % next door.",
}


# --- dealers, assignment -------------------------------------------------------------
def test_dealer_create_without_code_numbers_it_and_records_history():
    manager, region = ManagerFactory(), RegionFactory()
    manager.regions.set([region])
    rep = RepFactory()
    dealer = services.dealer_create(created_by=manager, name="Hangzhou Trading", region=region, rep=rep, status="active")
    assert dealer.code == f"DL{dealer.pk:06d}"
    assert dealer.status_changes.get().to_status == "active"
    assert dealer.rep_assignments.get().to_rep == rep
    assert not Onboarding.objects.filter(dealer=dealer).exists()
    assert rep.notifications.filter(kind="dealer_assigned").exists()


def test_dealer_create_prospect_gets_an_onboarding_record():
    rep = RepFactory()
    territory = DealerFactory(rep=rep).region
    dealer = services.dealer_create(created_by=rep, name="New Prospect", region=territory, rep=rep,
                                    source="trade_show", next_follow_up_on=timezone.localdate() + timedelta(days=3))
    assert dealer.onboarding.stage == OnboardingStage.SOURCED and dealer.onboarding.source == "trade_show"
    assert not rep.notifications.exists()  # they made it themselves


def test_dealer_create_by_a_manager_outside_their_regions_is_refused():
    manager = ManagerFactory(regions=[RegionFactory()])
    with pytest.raises(ValidationError) as error:
        services.dealer_create(created_by=manager, name="X", region=RegionFactory())
    assert error.value.message_dict["region"] == [str(services.REGION_OUT_OF_SCOPE)]
    assert not Dealer.objects.exists()


def test_dealer_create_with_an_unknown_channel_type_is_refused():
    with pytest.raises(ValidationError) as error:
        services.dealer_create(created_by=AdminFactory(), name="X", region=RegionFactory(), channel_types=["ka", "moon"])
    assert "channel_types" in error.value.message_dict
    assert not Dealer.objects.exists()


def test_dealer_assign_rep_keeps_who_from_to_when_why():
    dealer = DealerFactory()
    old_rep, new_rep, manager = dealer.rep, RepFactory(), ManagerFactory()
    assignment = services.dealer_assign_rep(dealer=dealer, rep=new_rep, assigned_by=manager, reason="Territory split")
    dealer.refresh_from_db()
    assert dealer.rep == new_rep
    assert (assignment.from_rep, assignment.to_rep, assignment.assigned_by, assignment.reason) == (old_rep, new_rep, manager, "Territory split")
    assert new_rep.notifications.get().kind == "dealer_assigned"


def test_dealer_assign_rep_to_a_manager_is_refused():
    dealer = DealerFactory()
    with pytest.raises(ValidationError) as error:
        services.dealer_assign_rep(dealer=dealer, rep=ManagerFactory(), assigned_by=AdminFactory(), reason="x")
    assert error.value.message_dict["rep"] == [str(services.NOT_AN_ACTIVE_REP)]


def test_dealer_edit_saves_profile_rep_and_status_whole_or_not_at_all():
    dealer = DealerFactory(status=DealerStatus.ACTIVE, name="Old name")
    old_rep, new_rep, admin = dealer.rep, RepFactory(), AdminFactory()

    with pytest.raises(ValidationError):  # active → prospect is not a lifecycle move
        services.dealer_edit(dealer=dealer, edited_by=admin, fields={"name": "New name"}, rep=new_rep,
                             rep_reason="Split", to_status=DealerStatus.PROSPECT)
    dealer.refresh_from_db()
    assert (dealer.name, dealer.rep, dealer.status) == ("Old name", old_rep, DealerStatus.ACTIVE)
    assert not dealer.rep_assignments.exists() and not new_rep.notifications.exists()

    services.dealer_edit(dealer=dealer, edited_by=admin, fields={"name": "New name"}, rep=new_rep, rep_reason="Split",
                         to_status=DealerStatus.SUSPENDED, status_reason="Overdue")
    dealer.refresh_from_db()
    assert (dealer.name, dealer.rep, dealer.status) == ("New name", new_rep, DealerStatus.SUSPENDED)


def test_dealer_edit_without_a_rep_sent_keeps_the_rep_and_refuses_none():
    dealer = DealerFactory()
    rep = dealer.rep
    services.dealer_edit(dealer=dealer, edited_by=AdminFactory(), fields={"name": "Renamed"})
    dealer.refresh_from_db()
    assert dealer.rep == rep
    with pytest.raises(ValidationError) as error:
        services.dealer_edit(dealer=dealer, edited_by=AdminFactory(), fields={}, rep=None)
    assert error.value.message_dict["rep"] == [str(services.NOT_AN_ACTIVE_REP)]


def test_dealers_reassign_moves_only_what_the_manager_oversees():
    east, west = RegionFactory(), RegionFactory()
    leaving, taking = RepFactory(), RepFactory()
    east_dealers = [DealerFactory(region=east, rep=leaving), ProspectFactory(region=east, rep=leaving)]
    west_dealer = DealerFactory(region=west, rep=leaving)
    manager = ManagerFactory(regions=[east])
    moved = services.dealers_reassign(from_rep=leaving, to_rep=taking, assigned_by=manager, reason="Rep left")
    assert moved == 2
    assert set(Dealer.objects.filter(rep=taking)) == set(east_dealers)
    west_dealer.refresh_from_db()
    assert west_dealer.rep == leaving
    assert RepAssignment.objects.filter(from_rep=leaving, to_rep=taking, assigned_by=manager).count() == 2
    assert taking.notifications.count() == 1


def test_dealers_reassign_by_admin_moves_everything_of_an_inactive_rep():
    leaving = RepFactory()
    DealerFactory.create_batch(3, rep=leaving)
    leaving.is_active = False
    leaving.save()
    assert services.dealers_reassign(from_rep=leaving, to_rep=RepFactory(), assigned_by=AdminFactory(), reason="left") == 3


def test_dealers_reassign_to_the_same_rep_is_refused():
    rep = RepFactory()
    with pytest.raises(ValidationError):
        services.dealers_reassign(from_rep=rep, to_rep=rep, assigned_by=AdminFactory(), reason="x")


# --- onboarding ------------------------------------------------------------------------
def test_contact_log_moves_the_last_contact_and_the_next_follow_up():
    prospect = ProspectFactory()
    Onboarding.objects.filter(dealer=prospect).update(last_contact_on=timezone.localdate() - timedelta(days=20))
    follow_up = timezone.localdate() + timedelta(days=5)
    services.contact_log_create(dealer=prospect, logged_by=prospect.rep, summary="Called the boss", next_follow_up_on=follow_up)
    onboarding = Onboarding.objects.get(dealer=prospect)
    assert onboarding.last_contact_on == timezone.localdate() and onboarding.next_follow_up_on == follow_up


def test_contact_log_in_the_future_is_refused():
    prospect = ProspectFactory()
    with pytest.raises(ValidationError) as error:
        services.contact_log_create(dealer=prospect, logged_by=prospect.rep, summary="x",
                                    contacted_at=timezone.now() + timedelta(days=1))
    assert error.value.message_dict["contacted_at"] == [str(services.CONTACT_IN_FUTURE)]
    assert not prospect.contact_logs.exists()


def test_memo_then_proposal_advance_the_stage_and_record_each_date():
    prospect = ProspectFactory()
    services.onboarding_document_save(dealer=prospect, document_class=CommunicationMemo, author=prospect.rep, **MEMO)
    services.onboarding_document_save(dealer=prospect, document_class=CooperationProposal, author=prospect.rep, **PROPOSAL)
    onboarding = Onboarding.objects.get(dealer=prospect)
    assert onboarding.stage == OnboardingStage.PROPOSAL
    assert onboarding.memo_on == onboarding.proposal_on == timezone.localdate()
    prospect.refresh_from_db()
    assert prospect.status == DealerStatus.NEGOTIATING


def test_memo_missing_a_topic_section_is_refused_and_nothing_saved():
    prospect = ProspectFactory()
    with pytest.raises(ValidationError) as error:
        services.onboarding_document_save(dealer=prospect, document_class=CommunicationMemo, author=prospect.rep,
                                          **{**MEMO, "market_situation": " "})
    assert "market_situation" in error.value.message_dict
    assert not CommunicationMemo.objects.exists()
    assert Onboarding.objects.get(dealer=prospect).stage == OnboardingStage.SOURCED


def test_rewriting_an_earlier_document_does_not_move_the_stage_back():
    prospect = ProspectFactory()
    services.onboarding_document_save(dealer=prospect, document_class=CommunicationMemo, author=prospect.rep, **MEMO)
    services.onboarding_document_save(dealer=prospect, document_class=CooperationProposal, author=prospect.rep, **PROPOSAL)
    services.onboarding_document_save(dealer=prospect, document_class=CommunicationMemo, author=prospect.rep,
                                      **{**MEMO, "other_concerns": "Credit terms, delivery."})
    assert Onboarding.objects.get(dealer=prospect).stage == OnboardingStage.PROPOSAL
    assert CommunicationMemo.objects.get().other_concerns == "Credit terms, delivery."


def test_onboarding_cannot_be_moved_to_signed_by_hand():
    prospect = ProspectFactory()
    with pytest.raises(ValidationError) as error:
        services.onboarding_update(dealer=prospect, updated_by=prospect.rep, stage=OnboardingStage.SIGNED)
    assert error.value.message_dict["stage"] == [str(services.SIGNED_BY_CONTRACT)]


def test_onboarding_of_an_active_dealer_is_closed():
    dealer = ProspectFactory(status=DealerStatus.ACTIVE)
    with pytest.raises(StateConflict):
        services.onboarding_update(dealer=dealer, updated_by=dealer.rep, stage=OnboardingStage.MEMO)


# --- contracts ---------------------------------------------------------------------------
def test_contract_sign_turns_the_prospect_into_an_active_dealer():
    prospect = ProspectFactory(status=DealerStatus.NEGOTIATING)
    contract = DraftContractFactory(dealer=prospect)
    manager = ManagerFactory()
    services.contract_sign(contract=contract, signed_by=manager)
    prospect.refresh_from_db()
    contract.refresh_from_db()
    assert prospect.status == DealerStatus.ACTIVE
    assert contract.status == ContractStatus.SIGNED and contract.signed_by == manager
    assert Onboarding.objects.get(dealer=prospect).stage == OnboardingStage.SIGNED
    assert prospect.status_changes.get().from_status == "negotiating"
    assert prospect.rep.notifications.filter(kind="contract_signed").exists()


def test_contract_sign_twice_is_a_conflict():
    contract = DraftContractFactory()
    services.contract_sign(contract=contract, signed_by=ManagerFactory())
    with pytest.raises(StateConflict):
        services.contract_sign(contract=contract, signed_by=ManagerFactory())


def test_contract_renewal_keeps_an_active_dealer_active():
    dealer = DealerFactory(status=DealerStatus.ACTIVE)
    services.contract_sign(contract=DraftContractFactory(dealer=dealer), signed_by=ManagerFactory())
    dealer.refresh_from_db()
    assert dealer.status == DealerStatus.ACTIVE and not dealer.status_changes.exists()


def test_contract_ending_before_it_starts_is_refused():
    dealer = DealerFactory()
    today = timezone.localdate()
    with pytest.raises(ValidationError) as error:
        services.contract_create(dealer=dealer, created_by=dealer.rep, territory="t", product_lines="p",
                                 annual_target_amount=Decimal(1), annual_target_volume=1,
                                 start_date=today, end_date=today - timedelta(days=1))
    assert error.value.message_dict["end_date"] == [str(CONTRACT_ENDS_BEFORE_START)]
    assert not dealer.contracts.exists()


def test_signed_contract_cannot_be_edited():
    contract = DraftContractFactory()
    services.contract_sign(contract=contract, signed_by=ManagerFactory())
    with pytest.raises(StateConflict):
        services.contract_update(contract=contract, territory="More")


# --- evaluations -------------------------------------------------------------------------
def test_evaluation_create_computes_total_and_grade_and_sets_the_dealer_grade():
    dealer = DealerFactory()
    evaluation = services.evaluation_create(dealer=dealer, evaluator=dealer.rep, scores=all_scores(4), comment="Good")
    assert (evaluation.total, evaluation.grade) == (Decimal("4.00"), "A")
    assert EvaluationScore.objects.filter(evaluation=evaluation).count() == 6
    dealer.refresh_from_db()
    assert (dealer.current_grade, dealer.current_score) == ("A", Decimal("4.00"))


def test_evaluation_uses_hq_weights():
    EvaluationCriterion.objects.filter(code="financial_strength").update(weight=Decimal("5"))
    scores = {**all_scores(3), "financial_strength": 5}  # (5×5 + 3×5) / 10 = 4.00
    evaluation = services.evaluation_create(dealer=DealerFactory(), evaluator=ManagerFactory(), scores=scores)
    assert evaluation.total == Decimal("4.00") and evaluation.grade == "A"


def test_evaluation_follows_the_thresholds_hq_sets():
    GradeSettings.objects.update_or_create(pk=1, defaults={"a_min": Decimal("4.50"), "b_min": Decimal("3.50"), "c_min": Decimal("2.50")})
    evaluation = services.evaluation_create(dealer=DealerFactory(), evaluator=ManagerFactory(), scores=all_scores(4))
    assert evaluation.grade == "B"


@pytest.mark.parametrize(("scores", "message"), [
    ({**all_scores(4), "charm": 5}, "Unknown criterion code: charm."),
    ({**all_scores(4), "management": 6}, "The score for management must be a whole number from 1 to 5."),
    ({**all_scores(4), "management": 0}, "The score for management must be a whole number from 1 to 5."),
    ({**all_scores(4), "management": True}, "The score for management must be a whole number from 1 to 5."),
    ({"management": 4}, "Score every criterion; missing: marketing_awareness, market_coverage, financial_strength, reputation, cooperation."),
])
def test_evaluation_with_bad_scores_is_refused_and_nothing_saved(scores, message):
    dealer = DealerFactory()
    with pytest.raises(ValidationError) as error:
        services.evaluation_create(dealer=dealer, evaluator=dealer.rep, scores=scores)
    assert message in error.value.message_dict["scores"]
    assert not Evaluation.objects.exists()
    dealer.refresh_from_db()
    assert dealer.current_grade == ""


def test_evaluation_back_dated_does_not_replace_the_latest_grade():
    dealer = DealerFactory()
    services.evaluation_create(dealer=dealer, evaluator=dealer.rep, scores=all_scores(2))
    services.evaluation_create(dealer=dealer, evaluator=dealer.rep, scores=all_scores(5),
                               evaluated_at=timezone.now() - timedelta(days=90))
    dealer.refresh_from_db()
    assert dealer.current_grade == "C"


def test_inactive_criterion_is_not_asked_and_not_accepted():
    EvaluationCriterion.objects.filter(code="reputation").update(active=False)
    dealer = DealerFactory()
    scores = {code: 3 for code in all_scores() if code != "reputation"}
    assert services.evaluation_create(dealer=dealer, evaluator=dealer.rep, scores=scores).grade == "B"
    with pytest.raises(ValidationError):
        services.evaluation_create(dealer=dealer, evaluator=dealer.rep, scores={**scores, "reputation": 3})


# --- violations --------------------------------------------------------------------------
def test_violation_create_with_photos_tells_the_managers(photo):
    region = RegionFactory()
    manager = ManagerFactory(regions=[region])
    dealer = DealerFactory(region=region)
    violation = services.violation_create(
        dealer=dealer, reported_by=dealer.rep, type="price_dumping", evidence="Sold at 80 % of floor",
        found_where="Outlet 12", photos=[photo, make_photo("second.png")],
    )
    assert violation.photos.count() == 2 and violation.outcome == ViolationOutcome.PENDING
    assert manager.notifications.get().kind == "violation"
    assert not dealer.rep.notifications.exists()  # they reported it


@pytest.mark.parametrize(("upload", "message"), [
    (SimpleUploadedFile("notes.png", b"not an image at all", content_type="image/png"), NOT_AN_IMAGE),
    (SimpleUploadedFile("doc.pdf", b"%PDF-1.4", content_type="application/pdf"), None),
])
def test_violation_with_a_file_that_is_not_an_image_saves_nothing(upload, message, photo):
    dealer = DealerFactory()
    with pytest.raises(ValidationError) as error:
        services.violation_create(dealer=dealer, reported_by=dealer.rep, type="other", evidence="e",
                                  found_where="w", photos=[photo, upload])
    assert "photos" in error.value.message_dict
    if message:
        assert str(message) in error.value.message_dict["photos"]
    assert not Violation.objects.exists() and not ViolationPhoto.objects.exists()


def test_violation_with_a_photo_over_the_size_limit_saves_nothing(settings):
    settings.MAX_IMAGE_UPLOAD_BYTES = 100
    dealer = DealerFactory()
    with pytest.raises(ValidationError) as error:
        services.violation_create(dealer=dealer, reported_by=dealer.rep, type="other", evidence="e",
                                  found_where="w", photos=[make_photo(size=(300, 300))])
    assert str(IMAGE_TOO_LARGE % {"limit": "100\xa0bytes"}) in error.value.message_dict["photos"]
    assert not Violation.objects.exists()


def test_violation_found_in_the_future_is_refused():
    dealer = DealerFactory()
    with pytest.raises(ValidationError) as error:
        services.violation_create(dealer=dealer, reported_by=dealer.rep, type="other", evidence="e", found_where="w",
                                  found_at=timezone.now() + timedelta(days=2))
    assert error.value.message_dict["found_at"] == [str(services.FOUND_IN_FUTURE)]


def test_violation_decided_suspension_suspends_the_dealer():
    violation = ViolationFactory(dealer=DealerFactory(status=DealerStatus.ACTIVE))
    manager = ManagerFactory()
    services.violation_decide(violation=violation, outcome="suspension", decided_by=manager, note="Second offence")
    violation.dealer.refresh_from_db()
    assert violation.dealer.status == DealerStatus.SUSPENDED
    assert "Second offence" in violation.dealer.status_changes.get().reason


def test_violation_fine_needs_an_amount_and_a_decision_is_final():
    violation = ViolationFactory()
    with pytest.raises(ValidationError) as error:
        services.violation_decide(violation=violation, outcome="fine", decided_by=ManagerFactory())
    assert "fine_amount" in error.value.message_dict
    services.violation_decide(violation=violation, outcome="fine", decided_by=ManagerFactory(), fine_amount=Decimal("2000"))
    with pytest.raises(StateConflict):
        services.violation_decide(violation=violation, outcome="warning", decided_by=ManagerFactory())


# --- applications ----------------------------------------------------------------------------
def test_application_approval_creates_prospect_portal_user_and_emails_an_invitation(django_capture_on_commit_callbacks):
    region = RegionFactory()
    manager, rep = ManagerFactory(regions=[region]), RepFactory()
    application = DealerApplicationFactory(region=region, email="Boss@Example.com", contact_name="Wang Hai")
    services.application_review(application=application, reviewed_by=rep, note="Visited the warehouse")
    with django_capture_on_commit_callbacks(execute=True):
        dealer = services.application_approve(application=application, approved_by=manager, region=region, tier="county")
    application.refresh_from_db()
    assert application.status == ApplicationStatus.APPROVED and application.dealer == dealer
    assert (dealer.status, dealer.rep, dealer.tier) == (DealerStatus.PROSPECT, rep, "county")
    assert dealer.onboarding.source == "self_registration"
    user = User.objects.get(dealer=dealer)
    assert (user.username, user.role, user.has_usable_password()) == ("boss@example.com", Role.DEALER, False)
    invitations = [message for message in mail.outbox if message.to[0].lower() == "boss@example.com"]
    assert len(invitations) == 1
    assert "/accounts/password/reset/" in invitations[0].body and "boss@example.com" in invitations[0].body
    assert rep.notifications.filter(kind="dealer_assigned").exists()  # the rep hears of their new prospect


def test_application_approved_directly_by_a_manager_counts_as_its_review():
    region = RegionFactory()
    manager, rep = ManagerFactory(regions=[region]), RepFactory()
    application = DealerApplicationFactory(region=region)
    dealer = services.application_approve(application=application, approved_by=manager, region=region, tier="city",
                                          rep=rep)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.APPROVED and application.reviewed_by == manager
    assert dealer.rep == rep


def test_application_nobody_reviewed_needs_a_rep_named_and_saves_nothing_without_one():
    region = RegionFactory()
    application = DealerApplicationFactory(region=region)
    with pytest.raises(ValidationError) as error:
        services.application_approve(application=application, approved_by=AdminFactory(), region=region, tier="city")
    assert error.value.message_dict["rep"] == [str(services.APPLICATION_NEEDS_REP)]
    assert not Dealer.objects.exists()
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED and application.reviewed_by is None


def test_application_reviewed_by_a_manager_needs_a_rep_named():
    region = RegionFactory()
    manager = ManagerFactory(regions=[region])
    application = DealerApplicationFactory(region=region)
    services.application_review(application=application, reviewed_by=manager, note="Met them at the fair")
    assert services.application_default_rep(application) is None
    with pytest.raises(ValidationError):
        services.application_approve(application=application, approved_by=manager, region=region, tier="city")
    rep = RepFactory()
    assert services.application_approve(application=application, approved_by=manager, region=region, tier="city",
                                        rep=rep).rep == rep


def test_application_already_decided_cannot_be_approved_again():
    region = RegionFactory()
    application = DealerApplicationFactory(region=region, status=ApplicationStatus.REJECTED, rejection_reason="No")
    with pytest.raises(StateConflict):
        services.application_approve(application=application, approved_by=AdminFactory(), region=region, tier="city",
                                     rep=RepFactory())


def test_application_approval_with_a_taken_username_saves_nothing():
    region = RegionFactory()
    RepFactory(username="taken")
    application = DealerApplicationFactory(region=region, status=ApplicationStatus.REVIEWED)
    with pytest.raises(ValidationError) as error:
        services.application_approve(application=application, approved_by=AdminFactory(), region=region, tier="city",
                                     rep=RepFactory(), username="taken")
    assert error.value.message_dict["username"] == [str(services.USERNAME_TAKEN)]
    assert not Dealer.objects.exists()
    application.refresh_from_db()
    assert application.status == ApplicationStatus.REVIEWED


def test_application_rejection_records_the_reason():
    application = DealerApplicationFactory()
    rep = RepFactory()
    services.application_reject(application=application, rejected_by=rep, reason="Retail only, not a distributor")
    application.refresh_from_db()
    assert application.status == ApplicationStatus.REJECTED
    assert (application.rejection_reason, application.decided_by, application.reviewed_by) == ("Retail only, not a distributor", rep, rep)
    with pytest.raises(StateConflict):
        services.application_review(application=application, reviewed_by=rep, note="x")


def test_application_rate_limit_counts_per_address(settings):
    settings.DEALER_APPLICATIONS_PER_HOUR = 2
    assert [services.application_rate_limited(ip_address="10.0.0.1") for _ in range(3)] == [False, False, True]
    assert services.application_rate_limited(ip_address="10.0.0.2") is False


def test_invitation_task_sends_once_across_retries(monkeypatch):
    """The first attempt fails (the mail server is away: OSError, the task retries),
    the retry sends, and a redelivered task afterwards sends nothing: one email."""
    user = User.objects.create(username="boss@example.com", email="boss@example.com", role=Role.DEALER,
                               dealer=DealerFactory())
    real_send_mail, attempts = mail.send_mail, []

    def flaky_send_mail(*args, **kwargs):
        attempts.append(args)
        if len(attempts) == 1:
            raise OSError("Connection refused")
        return real_send_mail(*args, **kwargs)

    monkeypatch.setattr(mail, "send_mail", flaky_send_mail)
    # Eagerly, Celery runs the retry inside the same apply(): attempt 1 fails, attempt 2 sends.
    assert send_dealer_invitation.apply(args=[user.pk], throw=False).state == "SUCCESS"
    assert len(attempts) == 2
    # A redelivery (the worker died before acknowledging) or a late retry: not again.
    assert send_dealer_invitation.apply(args=[user.pk]).get() is False
    assert len(attempts) == 2
    assert [message.to for message in mail.outbox] == [["boss@example.com"]]
    assert DealerInvitation.objects.filter(user=user).count() == 1


def test_invitation_without_email_leaves_no_marker():
    user = User.objects.create(username="noemail", role=Role.DEALER, dealer=DealerFactory())
    assert services.dealer_invitation_send(user=user) is False
    assert not mail.outbox and not DealerInvitation.objects.exists()
