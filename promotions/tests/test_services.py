"""Services: the rules of a campaign, its status table, tasks, attendees and
the CSV import, assignment, follow-ups and the review — bad input refused with
a clear message and nothing half-saved."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.tests.factories import AdminFactory, DealerUserFactory
from common.exceptions import StateConflict
from notifications.models import Notification
from promotions import services
from promotions.imports import read_attendee_rows
from promotions.models import (
    Attendee,
    Campaign,
    CampaignStatus,
    CampaignTransition,
    Interest,
    LeadFollowUp,
    ObjectiveKind,
    PreparationTask,
)
from promotions.tests.factories import AttendeeFactory, CampaignFactory, CampaignReviewFactory, PreparationTaskFactory
from promotions.workflow import CampaignAction, actions_from, next_status

pytestmark = pytest.mark.django_db


def create(world, **changes):
    fields = {
        "by": world.manager, "name": "Spring launch", "type": "conference", "theme": "New flavours",
        "objective_kind": ObjectiveKind.LEADS, "objective_target": 40,
        "start_date": world.today + datetime.timedelta(days=30), "end_date": world.today + datetime.timedelta(days=30),
        "regions": [world.city], "budget": "5000", "manufacturer_cost": "4000", "dealer_cost": "1000",
    }
    fields.update(changes)
    return services.campaign_create(**fields)


def errors_of(excinfo) -> dict:
    return {field: [str(message) for message in messages] for field, messages in excinfo.value.message_dict.items()}


# --- The status table (pure) --------------------------------------------------------------------
def test_workflow_table_is_a_single_path():
    status, path = CampaignStatus.DRAFT, [CampaignStatus.DRAFT]
    while actions_from(status):
        status = next_status(status, actions_from(status)[0])
        path.append(status)
    assert path == ["draft", "approved", "running", "ended", "reviewed"]
    assert next_status(CampaignStatus.DRAFT, CampaignAction.END) is None


# --- Creating -----------------------------------------------------------------------------------
def test_campaign_create_drafts_with_checklist_history_and_asks_for_approval(world):
    campaign = services.campaign_create(
        by=world.rep, name="Shop promo", type="in_store", theme="Buy 2 get 1", objective_kind="sell_in_volume",
        objective_target=200, start_date=world.today + datetime.timedelta(days=10),
        end_date=world.today + datetime.timedelta(days=12), dealers=[world.dealer], products=[world.product],
    )
    assert campaign.status == CampaignStatus.DRAFT and campaign.owner == world.rep
    assert campaign.tasks.count() == 5 and set(campaign.tasks.values_list("owner", flat=True)) == {world.rep.pk}
    assert CampaignTransition.objects.get(campaign=campaign).to_status == CampaignStatus.DRAFT
    assert Notification.objects.filter(recipient=world.manager, key=f"campaign:{campaign.pk}:awaiting-approval").exists()


def test_campaign_create_without_objective_is_refused(world):
    with pytest.raises(ValidationError) as excinfo:
        create(world, objective_kind="", objective_target=None)
    assert errors_of(excinfo)["objective_kind"] == [str(services.NO_OBJECTIVE)]
    assert not Campaign.objects.filter(name="Spring launch").exists()


@pytest.mark.parametrize("target", [0, -5, "0.00"])
def test_campaign_create_with_a_non_positive_target_is_refused(world, target):
    with pytest.raises(ValidationError) as excinfo:
        create(world, objective_target=target)
    assert errors_of(excinfo)["objective_target"] == [str(services.TARGET_NOT_POSITIVE)]


def test_campaign_create_with_a_fractional_count_target_is_refused(world):
    with pytest.raises(ValidationError) as excinfo:
        create(world, objective_target="2.5")
    assert errors_of(excinfo)["objective_target"] == [str(services.TARGET_NOT_WHOLE)]


def test_campaign_create_end_before_start_is_refused(world):
    with pytest.raises(ValidationError) as excinfo:
        create(world, end_date=world.today)
    assert errors_of(excinfo)["end_date"] == [str(services.END_BEFORE_START)]


def test_campaign_create_cost_split_must_add_up(world):
    with pytest.raises(ValidationError) as excinfo:
        create(world, budget="5000", manufacturer_cost="3000", dealer_cost="1000")
    assert "must add up to the budget (¥5,000.00); they add up to ¥4,000.00" in errors_of(excinfo)["dealer_cost"][0]


def test_campaign_create_needs_someone_taking_part(world):
    with pytest.raises(ValidationError) as excinfo:
        create(world, regions=[], dealers=[])
    assert errors_of(excinfo)["regions"] == [str(services.NO_PARTICIPANTS)]


def test_campaign_create_sell_in_objective_needs_products(world):
    with pytest.raises(ValidationError) as excinfo:
        create(world, objective_kind=ObjectiveKind.SELL_IN_AMOUNT, objective_target="100000")
    assert errors_of(excinfo)["products"] == [str(services.SELL_IN_NEEDS_PRODUCTS)]


def test_campaign_create_ka_slot_lines_need_price_and_volume(world):
    with pytest.raises(ValidationError) as excinfo:
        create(world, type="ka_slot", products=[{"product": world.product, "promotion_price": Decimal("45")}])
    assert "give TEA-500 Green tea 500 ml its promotion supply price" in errors_of(excinfo)["products"][0]
    campaign = create(world, type="ka_slot", products=[
        {"product": world.product, "promotion_price": Decimal("45.00"), "expected_volume": 300},
    ])
    assert campaign.product_lines.get().expected_volume == 300


def test_campaign_create_regions_outside_the_managers_territory_are_refused(world):
    with pytest.raises(ValidationError) as excinfo:
        create(world, regions=[world.elsewhere])
    assert errors_of(excinfo)["regions"] == [str(services.REGION_OUTSIDE_TERRITORY)]


def test_campaign_create_rep_may_not_choose_regions_or_others_dealers(world):
    with pytest.raises(ValidationError) as excinfo:
        create(world, by=world.rep, regions=[world.city], dealers=[world.dealer_2])
    errors = errors_of(excinfo)
    assert errors["regions"] == [str(services.REP_NO_REGIONS)] and errors["dealers"] == [str(services.DEALER_OUTSIDE_SCOPE)]


def test_campaign_create_by_a_dealer_user_is_forbidden(world):
    with pytest.raises(PermissionDenied):
        create(world, by=DealerUserFactory(dealer=world.dealer), regions=[], dealers=[world.dealer])


# --- Status -----------------------------------------------------------------------------------------
def test_approve_by_a_manager_outside_the_campaign_regions_is_forbidden(world):
    draft = create(world, by=world.admin, regions=[world.province, world.elsewhere])
    with pytest.raises(PermissionDenied):
        services.campaign_transition(campaign=draft, action=CampaignAction.APPROVE, by=world.manager)
    approved = services.campaign_transition(campaign=draft, action=CampaignAction.APPROVE, by=world.admin)
    assert approved.status == CampaignStatus.APPROVED


def test_approve_notifies_the_owner_and_records_who(world):
    draft = create(world, by=world.rep, regions=[], dealers=[world.dealer])
    campaign = services.campaign_transition(campaign=draft, action=CampaignAction.APPROVE, by=world.manager)
    assert campaign.approved_by == world.manager and campaign.approved_at is not None
    assert Notification.objects.filter(recipient=world.rep, key=f"campaign:{draft.pk}:approved").exists()


def test_approve_twice_is_a_state_conflict(world):
    draft = create(world)
    services.campaign_transition(campaign=draft, action=CampaignAction.APPROVE, by=world.manager)
    with pytest.raises(StateConflict):
        services.campaign_transition(campaign=draft, action=CampaignAction.APPROVE, by=world.manager)


def test_start_before_the_start_date_is_refused(world):
    draft = create(world)
    services.campaign_transition(campaign=draft, action=CampaignAction.APPROVE, by=world.manager)
    with pytest.raises(StateConflict) as excinfo:
        services.campaign_transition(campaign=draft, action=CampaignAction.START, by=world.manager)
    assert "it cannot start earlier" in str(excinfo.value)


def test_end_early_moves_the_end_date_and_notes_why(world):
    campaign = services.campaign_transition(campaign=world.campaign, action=CampaignAction.END, by=world.manager)
    assert campaign.status == CampaignStatus.ENDED and campaign.end_date == timezone.localdate()
    assert "Ended early" in campaign.transitions.last().note


def test_reviewed_is_impossible_without_the_review(world):
    Campaign.objects.filter(pk=world.campaign.pk).update(status=CampaignStatus.ENDED)
    with pytest.raises(StateConflict) as excinfo:
        services.campaign_transition(campaign=world.campaign, action=CampaignAction.REVIEW, by=world.manager)
    assert str(excinfo.value) == str(services.REVIEW_REQUIRED)
    world.campaign.refresh_from_db()
    assert world.campaign.status == CampaignStatus.ENDED


def test_campaigns_follow_dates_starts_and_ends_once(world):
    approved = CampaignFactory(status=CampaignStatus.APPROVED, regions=[world.city], start_date=world.today,
                               end_date=world.today)
    past = CampaignFactory(status=CampaignStatus.APPROVED, regions=[world.city],
                           start_date=world.today - datetime.timedelta(days=5), end_date=world.today - datetime.timedelta(days=3))
    assert services.campaigns_follow_dates() == 2
    assert services.campaigns_follow_dates() == 0
    approved.refresh_from_db()
    past.refresh_from_db()
    assert approved.status == CampaignStatus.RUNNING and past.status == CampaignStatus.ENDED
    assert list(past.transitions.values_list("to_status", flat=True)) == ["running", "ended"]


def test_campaign_update_of_a_running_campaign_is_a_state_conflict(world):
    with pytest.raises(StateConflict):
        services.campaign_update(campaign=world.campaign, by=world.manager, name="Renamed")


def test_campaign_update_keeps_the_rules(world):
    draft = create(world)
    with pytest.raises(ValidationError):
        services.campaign_update(campaign=draft, by=world.manager, objective_target=0)
    draft.refresh_from_db()
    assert draft.objective_target == 40


# --- Tasks -----------------------------------------------------------------------------------------
def test_task_add_and_check_off(world):
    task = services.preparation_task_add(campaign=world.campaign, by=world.manager, title="Print flyers",
                                         due_date=world.today, owner=world.rep)
    services.preparation_task_update(task=task, by=world.rep, done=True)
    task.refresh_from_db()
    assert task.is_done and task.done_by == world.rep
    services.preparation_task_update(task=task, by=world.manager, done=False)
    task.refresh_from_db()
    assert not task.is_done


def test_task_without_title_or_with_a_dealer_owner_is_refused(world):
    with pytest.raises(ValidationError):
        services.preparation_task_add(campaign=world.campaign, by=world.manager, title=" ", due_date=world.today)
    with pytest.raises(ValidationError):
        services.preparation_task_add(campaign=world.campaign, by=world.manager, title="x", due_date=world.today,
                                      owner=world.dealer_user)
    assert not PreparationTask.objects.exists()


def test_tasks_of_a_reviewed_campaign_are_closed(world):
    task = PreparationTaskFactory(campaign=world.campaign)
    Campaign.objects.filter(pk=world.campaign.pk).update(status=CampaignStatus.REVIEWED)
    with pytest.raises(StateConflict):
        services.preparation_task_update(task=task, by=world.manager, done=True)


# --- Attendees ------------------------------------------------------------------------------------
def test_attendee_record_normalises_the_phone_and_refuses_a_duplicate(world):
    services.attendee_record(campaign=world.campaign, by=world.rep, name="Wang", phone="+86 138-0013-8000")
    with pytest.raises(ValidationError) as excinfo:
        services.attendee_record(campaign=world.campaign, by=world.rep_2, name="Wang again", phone="+8613800138000")
    assert errors_of(excinfo)["phone"] == [str(services.PHONE_TAKEN)]
    assert Attendee.objects.get().phone == "+8613800138000"


@pytest.mark.parametrize(("name", "phone", "field", "message"), [
    ("", "13800138000", "name", services.NAME_REQUIRED),
    ("Wang", "", "phone", services.PHONE_REQUIRED),
    ("Wang", "12ab", "phone", None),
])
def test_attendee_without_a_name_or_valid_phone_is_refused(world, name, phone, field, message):
    with pytest.raises(ValidationError) as excinfo:
        services.attendee_record(campaign=world.campaign, by=world.rep, name=name, phone=phone)
    assert field in errors_of(excinfo)
    if message:
        assert errors_of(excinfo)[field] == [str(message)]
    assert not Attendee.objects.exists()


def test_attendees_are_not_recorded_on_a_draft(world):
    draft = CampaignFactory(status=CampaignStatus.DRAFT, regions=[world.city])
    with pytest.raises(StateConflict):
        services.attendee_record(campaign=draft, by=world.rep, name="Wang", phone="13800138000")


def test_attendee_update_corrects_a_typo_and_keeps_the_rules(world):
    attendee = services.attendee_record(campaign=world.campaign, by=world.rep, name="Wnag", phone="13800138000")
    other = AttendeeFactory(campaign=world.campaign, phone="13900000001")
    services.attendee_update(attendee=attendee, by=world.rep, name="Wang", phone="138 0013 8001")
    attendee.refresh_from_db()
    assert (attendee.name, attendee.phone) == ("Wang", "13800138001")
    with pytest.raises(ValidationError) as excinfo:
        services.attendee_update(attendee=attendee, by=world.rep, phone=other.phone)
    assert errors_of(excinfo)["phone"] == [str(services.PHONE_TAKEN)]
    with pytest.raises(PermissionDenied):
        services.attendee_update(attendee=attendee, by=world.rep_2, name="Nope")


def test_attendee_update_cannot_demote_an_assigned_lead(world):
    lead = AttendeeFactory(campaign=world.campaign, assigned_to=world.rep)
    with pytest.raises(ValidationError) as excinfo:
        services.attendee_update(attendee=lead, by=world.manager, interest=Interest.NONE)
    assert errors_of(excinfo)["interest"] == [str(services.ASSIGNED_LEAD_NEEDS_INTEREST)]


def _upload(text: str, encoding="utf-8"):
    return SimpleUploadedFile("people.csv", text.encode(encoding))


def test_import_saves_all_rows_of_a_good_file(world):
    created = services.attendees_import(campaign=world.campaign, by=world.rep, upload=_upload(
        "Name;Phone;Company;Email;Interest;Note\nLi;139 0000 0001;A;li@example.com;Hot;met at booth\nZhao;13900000002;;;;\n"
    ))
    assert len(created) == 2
    assert dict(Attendee.objects.values_list("name", "interest")) == {"Li": Interest.HOT, "Zhao": Interest.WARM}


def test_import_with_any_bad_row_saves_nothing_and_reports_each(world):
    AttendeeFactory(campaign=world.campaign, phone="13900000009")
    with pytest.raises(services.AttendeeImportError) as excinfo:
        services.attendees_import(campaign=world.campaign, by=world.rep, upload=_upload(
            "name,phone,interest,email\n"
            "Good,13900000001,hot,\n"
            ",13900000002,warm,\n"          # line 3: no name
            "Dup,13900000001,cold,\n"       # line 4: the phone of line 2
            "Old,13900000009,cold,\n"       # line 5: already recorded
            "Odd,13900000005,maybe,bad@\n"  # line 6: unknown interest, bad email
        ))
    found = {(error.row, error.field) for error in excinfo.value.row_errors}
    assert found == {(3, "name"), (4, "phone"), (5, "phone"), (6, "interest"), (6, "email")}
    assert Attendee.objects.count() == 1


def test_import_without_the_required_columns_is_refused(world):
    with pytest.raises(services.AttendeeImportError) as excinfo:
        services.attendees_import(campaign=world.campaign, by=world.rep, upload=_upload("who,company\nLi,A\n"))
    assert "must name the columns name, phone" in excinfo.value.row_errors[0].message


def test_import_reads_gb18030_from_excel():
    rows = read_attendee_rows(_upload("姓名,手机,意向\n王芳,13800138000,低\n", encoding="gb18030"))
    assert [(row.name, row.phone, row.interest) for row in rows] == [("王芳", "13800138000", Interest.COLD)]


# --- Assignment and follow-up -----------------------------------------------------------------------
def test_leads_assign_is_all_or_nothing(world):
    lead, guest = AttendeeFactory(campaign=world.campaign), AttendeeFactory(campaign=world.campaign, interest=Interest.NONE)
    with pytest.raises(ValidationError) as excinfo:
        services.leads_assign(campaign=world.campaign, by=world.manager,
                              assignments={lead.pk: world.rep.pk, guest.pk: world.rep.pk})
    assert f"{guest.name} is an attendee without interest" in errors_of(excinfo)["assignments"][0]
    lead.refresh_from_db()
    assert lead.assigned_to is None


def test_leads_assign_refuses_leads_of_another_campaign(world):
    stranger = AttendeeFactory(campaign=CampaignFactory(status=CampaignStatus.RUNNING, regions=[world.city]))
    with pytest.raises(ValidationError):
        services.leads_assign(campaign=world.campaign, by=world.manager, assignments={stranger.pk: world.rep.pk})


def test_leads_assign_notifies_each_rep_once_per_batch(world):
    leads = AttendeeFactory.create_batch(3, campaign=world.campaign)
    changed = services.leads_assign(campaign=world.campaign, by=world.manager,
                                    assignments={lead.pk: world.rep.pk for lead in leads})
    assert changed == 3
    [notification] = Notification.objects.filter(recipient=world.rep)
    assert notification.title == "3 new leads from Autumn tasting"


def test_leads_assign_by_someone_who_does_not_manage_is_forbidden(world):
    lead = AttendeeFactory(campaign=world.campaign)
    with pytest.raises(PermissionDenied):
        services.leads_assign(campaign=world.campaign, by=world.rep, assignments={lead.pk: world.rep.pk})


def test_follow_up_by_another_rep_is_forbidden(world):
    lead = AttendeeFactory(campaign=world.campaign, assigned_to=world.rep)
    with pytest.raises(PermissionDenied):
        services.lead_follow_up_log(attendee=lead, by=world.rep_2, outcome="interested", note="x")
    assert not LeadFollowUp.objects.exists()


def test_follow_up_in_the_future_is_refused(world):
    lead = AttendeeFactory(campaign=world.campaign, assigned_to=world.rep)
    with pytest.raises(ValidationError) as excinfo:
        services.lead_follow_up_log(attendee=lead, by=world.rep, outcome="interested", note="x",
                                    at=timezone.now() + datetime.timedelta(days=1),
                                    next_step_on=world.today - datetime.timedelta(days=1))
    assert set(errors_of(excinfo)) == {"at", "next_step_on"}


# --- Review ------------------------------------------------------------------------------------------
def test_review_fills_the_measured_actual_and_closes(world):
    campaign = CampaignFactory(status=CampaignStatus.ENDED, regions=[world.city], objective_kind=ObjectiveKind.ATTENDEES,
                               objective_target=10, owner=world.manager)
    AttendeeFactory.create_batch(4, campaign=campaign)
    review = services.campaign_review_write(campaign=campaign, by=world.manager, what_worked="a", what_did_not_work="b",
                                            lessons="c", objective_actual=999)
    assert review.objective_actual == 4
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.REVIEWED


def test_review_before_the_event_ended_is_a_state_conflict(world):
    with pytest.raises(StateConflict):
        services.campaign_review_write(campaign=world.campaign, by=world.manager, what_worked="a",
                                       what_did_not_work="b", lessons="c")


def test_review_twice_is_a_state_conflict(world):
    CampaignReviewFactory(campaign=world.campaign)
    Campaign.objects.filter(pk=world.campaign.pk).update(status=CampaignStatus.REVIEWED)
    with pytest.raises(StateConflict):
        services.campaign_review_write(campaign=world.campaign, by=world.manager, what_worked="a",
                                       what_did_not_work="b", lessons="c")


def test_review_by_a_rep_who_does_not_own_it_is_forbidden(world):
    Campaign.objects.filter(pk=world.campaign.pk).update(status=CampaignStatus.ENDED)
    with pytest.raises(PermissionDenied):
        services.campaign_review_write(campaign=world.campaign, by=world.rep, what_worked="a",
                                       what_did_not_work="b", lessons="c")


def test_hq_admin_may_do_everything(world):
    admin = AdminFactory()
    assert services.campaign_transition(campaign=world.campaign, action=CampaignAction.END, by=admin).status == "ended"
