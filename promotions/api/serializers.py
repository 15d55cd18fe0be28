"""Serializers of the promotions API. Reads shape rows the selectors fetched;
writes validate types and scope, then hand over to promotions.services."""

from __future__ import annotations

from rest_framework import serializers

from accounts.models import User
from dealers.models import Dealer
from dealers.selectors import dealer_queryset_for
from inventory.models import Product
from promotions.calculations import clock_dates
from promotions.forms import regions_for, staff_people
from promotions.models import (
    Attendee,
    Campaign,
    CampaignProduct,
    CampaignReview,
    CampaignTransition,
    FollowUpChannel,
    FollowUpOutcome,
    Interest,
    LeadFollowUp,
    ObjectiveKind,
    PreparationTask,
)
from regions.models import Region


# --- Campaigns ---------------------------------------------------------------------------------
class CampaignProductSerializer(serializers.ModelSerializer):
    product = serializers.PrimaryKeyRelatedField(queryset=Product.objects.filter(is_active=True))
    sku = serializers.CharField(source="product.sku", read_only=True)
    name = serializers.CharField(source="product.name", read_only=True)

    class Meta:
        model = CampaignProduct
        fields = ["product", "sku", "name", "promotion_price", "expected_volume"]


class TaskProgressSerializer(serializers.Serializer):
    done = serializers.IntegerField()
    total = serializers.IntegerField()


class CampaignSerializer(serializers.ModelSerializer):
    """A campaign as staff see it."""

    products = CampaignProductSerializer(source="product_lines", many=True, read_only=True)
    task_progress = serializers.SerializerMethodField()
    attendee_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Campaign
        fields = [
            "id", "name", "type", "theme", "description", "objective_kind", "objective_target",
            "start_date", "end_date", "venue", "regions", "dealers", "products",
            "budget", "manufacturer_cost", "dealer_cost", "materials", "status",
            "owner", "created_by", "approved_by", "approved_at", "created_at", "updated_at",
            "task_progress", "attendee_count",
        ]
        read_only_fields = fields

    def get_task_progress(self, campaign: Campaign) -> TaskProgressSerializer:
        return {"done": getattr(campaign, "tasks_done", 0), "total": getattr(campaign, "tasks_total", 0)}


class DealerCampaignSerializer(serializers.ModelSerializer):
    """A campaign as a dealer user sees it: what it takes part in, not the internals."""

    products = CampaignProductSerializer(source="product_lines", many=True, read_only=True)

    class Meta:
        model = Campaign
        fields = [
            "id", "name", "type", "theme", "description", "start_date", "end_date", "venue", "products",
            "dealer_cost", "materials", "status",
        ]
        read_only_fields = fields


class ObjectiveSerializer(serializers.Serializer):
    kind = serializers.CharField()
    target = serializers.DecimalField(max_digits=14, decimal_places=2)
    actual = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)
    achievement = serializers.DecimalField(max_digits=8, decimal_places=4, allow_null=True)
    measured = serializers.BooleanField()


class FollowUpStateSerializer(serializers.Serializer):
    attendees = serializers.IntegerField()
    leads = serializers.IntegerField()
    assigned = serializers.IntegerField()
    followed_up = serializers.IntegerField()
    thanked = serializers.IntegerField()
    emailed = serializers.IntegerField()


class TransitionSerializer(serializers.ModelSerializer):
    from_status = serializers.CharField(read_only=True, help_text="The status before ('' when created).")
    to_status = serializers.CharField(read_only=True, help_text="The status after.")

    class Meta:
        model = CampaignTransition
        fields = ["from_status", "to_status", "by", "at", "note"]


class CampaignDetailSerializer(CampaignSerializer):
    objective = serializers.SerializerMethodField()
    follow_up = serializers.SerializerMethodField()
    history = TransitionSerializer(source="transitions", many=True, read_only=True)
    warnings = serializers.SerializerMethodField(
        help_text="After approve or end: what deserves attention though it did not block the step, e.g. "
                  "preparation tasks still open. Empty otherwise.")

    class Meta(CampaignSerializer.Meta):
        fields = [*CampaignSerializer.Meta.fields, "objective", "follow_up", "history", "warnings"]
        read_only_fields = fields

    def get_warnings(self, campaign: Campaign) -> list[str]:
        return list(self.context.get("warnings", []))

    def get_objective(self, campaign: Campaign) -> ObjectiveSerializer:
        return ObjectiveSerializer(self.context["objective"]).data

    def get_follow_up(self, campaign: Campaign) -> FollowUpStateSerializer:
        return FollowUpStateSerializer(self.context["follow_up"]).data


class ProductLineInputSerializer(serializers.Serializer):
    product = serializers.PrimaryKeyRelatedField(queryset=Product.objects.filter(is_active=True))
    promotion_price = serializers.DecimalField(max_digits=12, decimal_places=2, required=False, allow_null=True)
    expected_volume = serializers.IntegerField(required=False, allow_null=True)


class CampaignWriteSerializer(serializers.Serializer):
    """Create or change a campaign. Regions, dealers and owners are looked up
    within the caller's scope (an id outside it is "not found")."""

    name = serializers.CharField(max_length=200)
    type = serializers.ChoiceField(choices=Campaign._meta.get_field("type").choices)
    theme = serializers.CharField(max_length=200)
    description = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    # The one objective every campaign has (SPEC §4): required on create, kept on a PATCH.
    objective_kind = serializers.ChoiceField(choices=ObjectiveKind.choices, allow_blank=True)
    objective_target = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)
    start_date = serializers.DateField()
    end_date = serializers.DateField()
    venue = serializers.CharField(max_length=200, required=False, allow_blank=True)
    regions = serializers.PrimaryKeyRelatedField(many=True, required=False, queryset=Region.objects.none())
    dealers = serializers.PrimaryKeyRelatedField(many=True, required=False, queryset=Dealer.objects.none())
    products = ProductLineInputSerializer(many=True, required=False)
    budget = serializers.DecimalField(max_digits=14, decimal_places=2, required=False)
    manufacturer_cost = serializers.DecimalField(max_digits=14, decimal_places=2, required=False)
    dealer_cost = serializers.DecimalField(max_digits=14, decimal_places=2, required=False)
    materials = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    owner = serializers.PrimaryKeyRelatedField(queryset=User.objects.none(), required=False, allow_null=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is None or not request.user.is_authenticated:  # the schema generator
            return
        user = request.user
        self.fields["regions"].child_relation.queryset = regions_for(user)
        self.fields["dealers"].child_relation.queryset = dealer_queryset_for(user)
        self.fields["owner"].queryset = staff_people()


# --- Preparation tasks -------------------------------------------------------------------------
class TaskSerializer(serializers.ModelSerializer):
    done = serializers.BooleanField(source="is_done", read_only=True)
    title = serializers.CharField(source="display_title", read_only=True,
                                  help_text="A default task's title in the caller's language; a written task as typed.")
    key = serializers.CharField(source="template_key", read_only=True,
                                help_text="The default task this is (e.g. `plan`, `kick_off`), or empty for a written task.")

    class Meta:
        model = PreparationTask
        fields = ["id", "title", "key", "owner", "due_date", "done", "done_at", "done_by"]
        read_only_fields = ["id", "title", "key", "done", "done_at", "done_by"]


class TaskWriteSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200, required=False)
    due_date = serializers.DateField(required=False)
    owner = serializers.PrimaryKeyRelatedField(queryset=User.objects.none(), required=False, allow_null=True)
    done = serializers.BooleanField(required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = staff_people()


class TaskCreateSerializer(TaskWriteSerializer):
    title = serializers.CharField(max_length=200)
    due_date = serializers.DateField()
    done = None


# --- Attendees and leads -----------------------------------------------------------------------
class AttendeeSerializer(serializers.ModelSerializer):
    is_lead = serializers.BooleanField(read_only=True)
    followed_up = serializers.BooleanField(read_only=True)
    thanked = serializers.SerializerMethodField()

    class Meta:
        model = Attendee
        fields = [
            "id", "campaign", "name", "phone", "company", "email", "interest", "note", "is_lead",
            "recorded_by", "recorded_at", "assigned_to", "assigned_at", "followed_up", "thanked", "prospect",
        ]
        read_only_fields = fields

    def get_thanked(self, attendee: Attendee) -> bool:
        return hasattr(attendee, "thank_you")


class AttendeeWriteSerializer(serializers.Serializer):
    """A correction (PATCH): any of the fields."""

    name = serializers.CharField(max_length=100, required=False, allow_blank=True)
    phone = serializers.CharField(max_length=40, required=False, allow_blank=True)
    company = serializers.CharField(max_length=200, required=False, allow_blank=True)
    email = serializers.CharField(max_length=254, required=False, allow_blank=True)
    interest = serializers.ChoiceField(choices=Interest.choices, required=False)
    note = serializers.CharField(max_length=500, required=False, allow_blank=True)


class AttendeeCreateSerializer(AttendeeWriteSerializer):
    """A person met at the event: a name and a phone number at least."""

    name = serializers.CharField(max_length=100, allow_blank=True)
    phone = serializers.CharField(max_length=40, allow_blank=True)


class ImportSerializer(serializers.Serializer):
    file = serializers.FileField()


class ImportResultSerializer(serializers.Serializer):
    created = serializers.IntegerField()


class RowErrorSerializer(serializers.Serializer):
    row = serializers.IntegerField()
    field = serializers.CharField()
    message = serializers.CharField()


class ImportErrorSerializer(serializers.Serializer):
    """Every bad row (`rows`), or, when no file could be read, the usual `{"file": [...]}`."""

    rows = RowErrorSerializer(many=True, required=False)


class AssignmentSerializer(serializers.Serializer):
    attendee = serializers.IntegerField()
    rep = serializers.IntegerField(allow_null=True)


class AssignmentsSerializer(serializers.Serializer):
    assignments = AssignmentSerializer(many=True)


class AssignmentResultSerializer(serializers.Serializer):
    changed = serializers.IntegerField()


class LeadSerializer(AttendeeSerializer):
    follow_up_count = serializers.IntegerField(read_only=True)
    campaign_name = serializers.CharField(source="campaign.name", read_only=True)
    follow_up_due = serializers.SerializerMethodField()

    class Meta(AttendeeSerializer.Meta):
        fields = [*AttendeeSerializer.Meta.fields, "campaign_name", "follow_up_count", "follow_up_due"]
        read_only_fields = fields

    def get_follow_up_due(self, lead: Attendee) -> str:
        return clock_dates(lead.campaign.end_date).follow_up_by.isoformat()


class FollowUpSerializer(serializers.ModelSerializer):
    class Meta:
        model = LeadFollowUp
        fields = ["id", "attendee", "by", "at", "channel", "outcome", "note", "next_step_on"]
        read_only_fields = ["id", "attendee", "by"]
        extra_kwargs = {"at": {"required": False}}


class FollowUpWriteSerializer(serializers.Serializer):
    channel = serializers.ChoiceField(choices=FollowUpChannel.choices, required=False)
    outcome = serializers.ChoiceField(choices=FollowUpOutcome.choices)
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    at = serializers.DateTimeField(required=False)
    next_step_on = serializers.DateField(required=False, allow_null=True)
    prospect_region = serializers.PrimaryKeyRelatedField(
        queryset=Region.objects.all(), required=False, allow_null=True,
        help_text="With outcome `prospect`: the region of the prospect dealer created from the lead (default: the "
                  "campaign's only region). The lead's `prospect` then names the new dealer.",
    )


# --- Review and effect -------------------------------------------------------------------------
class ReviewSerializer(serializers.ModelSerializer):
    class Meta:
        model = CampaignReview
        fields = ["objective_actual", "what_worked", "what_did_not_work", "lessons", "written_by", "written_at"]
        read_only_fields = ["written_by", "written_at"]


class ReviewWriteSerializer(serializers.Serializer):
    """The three texts are what the service requires (each answers 400 when missing
    or blank); `objective_actual` only where the app cannot measure it."""

    objective_actual = serializers.DecimalField(max_digits=14, decimal_places=2, required=False, allow_null=True)
    what_worked = serializers.CharField(max_length=2000, allow_blank=True)
    what_did_not_work = serializers.CharField(max_length=2000, allow_blank=True)
    lessons = serializers.CharField(max_length=2000, allow_blank=True)


class LiftSerializer(serializers.Serializer):
    before = serializers.DecimalField(max_digits=16, decimal_places=2)
    during = serializers.DecimalField(max_digits=16, decimal_places=2)
    change = serializers.DecimalField(max_digits=16, decimal_places=2)
    ratio = serializers.DecimalField(max_digits=12, decimal_places=4, allow_null=True)


class EffectTotalsSerializer(serializers.Serializer):
    quantity = LiftSerializer()
    amount = LiftSerializer()


class EffectRowSerializer(serializers.Serializer):
    dealer = serializers.IntegerField(source="dealer_id")
    product = serializers.IntegerField(source="product_id")
    quantity = LiftSerializer()
    amount = LiftSerializer()


class PeriodSerializer(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()


class EffectSerializer(serializers.Serializer):
    before = PeriodSerializer()
    during = PeriodSerializer()
    totals = EffectTotalsSerializer()
    objective = ObjectiveSerializer()
    rows = EffectRowSerializer(many=True)
