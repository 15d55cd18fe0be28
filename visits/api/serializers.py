"""Serializers of the visits API (API.md `visits/`, `market-check/`, `start/`,
`complete/`, and the project's `visit-plans/`, `requests/`, comments)."""

from __future__ import annotations

from rest_framework import serializers

from accounts.models import User
from inventory.models import Product
from visits.models import (
    DealerRequest,
    MarketCheck,
    MarketObservation,
    ObservationKind,
    PhotoStage,
    PlanRule,
    Visit,
    VisitComment,
    VisitPhoto,
    VisitPlan,
)


def _scheduled_for_seen() -> serializers.DateTimeField:
    """A step's optional guard against a visit moved meanwhile (offline queues)."""
    return serializers.DateTimeField(
        required=False, allow_null=True, default=None,
        help_text="The visit's scheduled time as the phone knew it: if the visit was moved since, 409 says so "
                  "(send again without it to record the step anyway).",
    )


def _recorded_at() -> serializers.DateTimeField:
    """A step's optional time as the phone recorded it (offline queues)."""
    return serializers.DateTimeField(
        required=False, allow_null=True, default=None,
        help_text="When the rep really did this, as the phone recorded it (an offline queue sending later); "
                  "the visit is then marked as recorded offline. Not in the future, at most 7 days old. "
                  "Leave out to mean now.",
    )


class VisitSerializer(serializers.ModelSerializer):
    dealer_name = serializers.CharField(source="dealer.name", read_only=True)
    rep_name = serializers.SerializerMethodField()
    has_market_check = serializers.BooleanField(read_only=True, default=False)
    recorded_offline = serializers.BooleanField(
        read_only=True, help_text="Some steps were recorded on the rep's phone without a signal and sent later: "
                                  "their times are the phone's (offline_synced_at: when they arrived).")

    class Meta:
        model = Visit
        fields = [
            "id", "dealer", "dealer_name", "rep", "rep_name", "plan", "plan_occurrence", "scheduled_for", "status",
            "has_market_check", "started_at", "start_latitude", "start_longitude", "start_accuracy_m",
            "completed_at", "cancelled_at", "cancel_reason", "missed_at", "policy_notes", "dealer_feedback",
            "display_notes", "terminal_notes", "after_sales_notes", "order", "created_at", "updated_at",
            "recorded_offline", "offline_synced_at",
        ]
        read_only_fields = fields

    def get_rep_name(self, visit: Visit) -> str:
        return visit.rep.get_full_name() or visit.rep.username


class VisitCreateSerializer(serializers.Serializer):
    dealer = serializers.IntegerField()
    scheduled_for = serializers.DateTimeField()
    rep = serializers.PrimaryKeyRelatedField(queryset=User.objects.filter(is_active=True), required=False, allow_null=True)


class VisitUpdateSerializer(serializers.Serializer):
    """PATCH: `scheduled_for` moves the visit; `status: "cancelled"` with
    `cancel_reason` cancels it; the note fields record steps 2, 5, 6 and 7."""

    scheduled_for = serializers.DateTimeField(required=False)
    status = serializers.ChoiceField(choices=["cancelled"], required=False)
    cancel_reason = serializers.CharField(required=False, allow_blank=True)
    policy_notes = serializers.CharField(required=False, allow_blank=True)
    dealer_feedback = serializers.CharField(required=False, allow_blank=True)
    display_notes = serializers.CharField(required=False, allow_blank=True)
    terminal_notes = serializers.CharField(required=False, allow_blank=True)
    after_sales_notes = serializers.CharField(required=False, allow_blank=True)


class ObservationSerializer(serializers.ModelSerializer):
    product = serializers.PrimaryKeyRelatedField(queryset=Product.objects.all(), required=False, allow_null=True)

    class Meta:
        model = MarketObservation
        fields = [
            "id", "kind", "outlet", "product", "competitor_brand", "retail_price", "guideline_price", "in_stock",
            "display", "competitor_promotion", "notes", "violation",
        ]
        read_only_fields = ["id", "guideline_price", "violation"]


class ObservationWriteSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ObservationKind.choices)
    outlet = serializers.CharField(max_length=200, required=False, allow_blank=True)
    product = serializers.IntegerField(required=False, allow_null=True)
    competitor_brand = serializers.CharField(max_length=100, required=False, allow_blank=True)
    retail_price = serializers.DecimalField(max_digits=12, decimal_places=2, required=False, allow_null=True)
    in_stock = serializers.BooleanField(required=False, allow_null=True, default=None)
    display = serializers.CharField(max_length=200, required=False, allow_blank=True)
    competitor_promotion = serializers.CharField(max_length=200, required=False, allow_blank=True)
    notes = serializers.CharField(required=False, allow_blank=True)


class MarketCheckSerializer(serializers.ModelSerializer):
    observations = ObservationSerializer(many=True, read_only=True)
    is_skipped = serializers.BooleanField(read_only=True)

    class Meta:
        model = MarketCheck
        fields = ["visit", "checked_at", "outlets_walked", "notes", "skipped_reason", "is_skipped", "recorded_by",
                  "recorded_at", "observations"]
        read_only_fields = fields


class MarketCheckWriteSerializer(serializers.Serializer):
    """The whole market check, all or nothing: observations replace those recorded
    before. Or only `skipped_reason` when no check was possible."""

    observations = ObservationWriteSerializer(many=True, required=False, default=list)
    outlets_walked = serializers.IntegerField(min_value=0, required=False, default=0)
    notes = serializers.CharField(required=False, allow_blank=True, default="")
    skipped_reason = serializers.CharField(required=False, allow_blank=True, default="")
    scheduled_for_seen = _scheduled_for_seen()
    recorded_at = _recorded_at()


class StartSerializer(serializers.Serializer):
    latitude = serializers.DecimalField(max_digits=12, decimal_places=8, required=False, allow_null=True,
                                        min_value=-90, max_value=90)
    longitude = serializers.DecimalField(max_digits=12, decimal_places=8, required=False, allow_null=True,
                                         min_value=-180, max_value=180)
    accuracy = serializers.FloatField(required=False, allow_null=True, min_value=0)
    scheduled_for_seen = _scheduled_for_seen()
    recorded_at = _recorded_at()


class CompleteSerializer(serializers.Serializer):
    """An optional body: an empty body completes the visit now."""

    recorded_at = _recorded_at()


class VisitPhotoSerializer(serializers.ModelSerializer):
    class Meta:
        model = VisitPhoto
        fields = ["id", "visit", "stage", "caption", "taken_at", "uploaded_by"]
        read_only_fields = fields


class VisitPhotoUploadSerializer(serializers.Serializer):
    stage = serializers.ChoiceField(choices=PhotoStage.choices)
    image = serializers.FileField()
    caption = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    taken_at = serializers.DateTimeField(
        required=False, allow_null=True, default=None,
        help_text="When the phone took the photo (sent later from an offline queue); leave out to mean now.")


class CommentSerializer(serializers.ModelSerializer):
    author_name = serializers.SerializerMethodField()

    class Meta:
        model = VisitComment
        fields = ["id", "visit", "author", "author_name", "body", "created_at"]
        read_only_fields = ["id", "visit", "author", "author_name", "created_at"]

    def get_author_name(self, comment: VisitComment) -> str:
        return comment.author.get_full_name() or comment.author.username


class VisitPlanSerializer(serializers.ModelSerializer):
    class Meta:
        model = VisitPlan
        fields = ["id", "dealer", "rule", "month_days", "weekdays", "interval_days", "starts_on", "visit_time",
                  "cycle_days", "is_active", "created_at", "updated_at"]
        read_only_fields = ["id", "cycle_days", "created_at", "updated_at"]


class VisitPlanWriteSerializer(serializers.Serializer):
    dealer = serializers.IntegerField()
    rule = serializers.ChoiceField(choices=PlanRule.choices)
    month_days = serializers.ListField(child=serializers.IntegerField(), required=False, default=list)
    weekdays = serializers.ListField(child=serializers.IntegerField(), required=False, default=list)
    interval_days = serializers.IntegerField(required=False, allow_null=True)
    starts_on = serializers.DateField(required=False, allow_null=True)
    visit_time = serializers.TimeField(required=False, allow_null=True)
    is_active = serializers.BooleanField(required=False, default=True)


class RequestItemSerializer(serializers.ModelSerializer):
    dealer_name = serializers.CharField(source="dealer.name", read_only=True)

    class Meta:
        model = DealerRequest
        fields = ["id", "dealer", "dealer_name", "visit", "description", "owner", "due_on", "status",
                  "beyond_authority", "escalated_to", "escalated_at", "decided_by", "decided_at", "answer",
                  "closed_at", "created_by", "created_at"]
        read_only_fields = fields


class DealerRequestCreateSerializer(serializers.Serializer):
    dealer = serializers.IntegerField()
    visit = serializers.IntegerField(required=False, allow_null=True)
    description = serializers.CharField()
    due_on = serializers.DateField()
    owner = serializers.PrimaryKeyRelatedField(queryset=User.objects.filter(is_active=True), required=False,
                                               allow_null=True)
    beyond_authority = serializers.BooleanField(required=False, default=False)


class DecisionSerializer(serializers.Serializer):
    approve = serializers.BooleanField()
    answer = serializers.CharField(required=False, allow_blank=True, default="")


class AnswerSerializer(serializers.Serializer):
    answer = serializers.CharField()


class ViolationRefSerializer(serializers.Serializer):
    observation = serializers.IntegerField()
    violation = serializers.IntegerField()


class DisciplineRowSerializer(serializers.Serializer):
    rep = serializers.IntegerField(source="rep.pk")
    rep_name = serializers.SerializerMethodField()
    contacts_per_day = serializers.DecimalField(max_digits=6, decimal_places=1, allow_null=True)
    contacts_per_day_met = serializers.BooleanField()
    dealers_contacted = serializers.IntegerField()
    dealers_assigned = serializers.IntegerField()
    share_contacted_percent = serializers.IntegerField(allow_null=True)
    share_met = serializers.BooleanField()
    visits_completed = serializers.IntegerField()
    visits_met = serializers.BooleanField()
    visits_planned = serializers.IntegerField()
    market_checks_before = serializers.IntegerField()
    visits_started = serializers.IntegerField()
    market_checks_met = serializers.BooleanField()
    contacts_per_day_status = serializers.ChoiceField(
        choices=["met", "on_track", "behind", "missed"],
        help_text="met; in a month still running on_track or behind (so far); missed once the month is over.")
    share_status = serializers.ChoiceField(choices=["met", "on_track", "behind", "missed"],
                                           help_text="Against the target pro-rated to the working days gone.")
    visits_status = serializers.ChoiceField(choices=["met", "on_track", "behind", "missed"],
                                            help_text="Against the target pro-rated to the working days gone.")
    market_checks_status = serializers.ChoiceField(choices=["met", "on_track", "behind", "missed"])
    visits_target_to_date = serializers.DecimalField(max_digits=6, decimal_places=1,
                                                     help_text="The visits target pro-rated to the working days gone.")
    month_complete = serializers.BooleanField(help_text="False while the month is still running: nothing is missed yet.")

    def get_rep_name(self, row) -> str:
        return row["rep"].get_full_name() or row["rep"].username


# --- The rep's day for working offline (visits/offline.py) -------------------------------------
class OfflineVisitSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    dealer = serializers.IntegerField()
    dealer_name = serializers.CharField()
    scheduled_for = serializers.DateTimeField()
    status = serializers.CharField()
    has_market_check = serializers.BooleanField()
    market_check_at = serializers.DateTimeField(allow_null=True)
    started_at = serializers.DateTimeField(allow_null=True)
    completed_at = serializers.DateTimeField(allow_null=True)
    policy_notes = serializers.CharField(allow_blank=True)
    dealer_feedback = serializers.CharField(allow_blank=True)
    display_notes = serializers.CharField(allow_blank=True)
    terminal_notes = serializers.CharField(allow_blank=True)
    after_sales_notes = serializers.CharField(allow_blank=True)


class OfflineProductSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    sku = serializers.CharField()
    name = serializers.CharField()
    unit = serializers.CharField()
    shelf_life_days = serializers.IntegerField(allow_null=True)
    coefficient = serializers.CharField(help_text="The safety coefficient at this dealer (inventory.calculations.coefficient_for).")
    coefficient_source = serializers.CharField()
    guideline_price = serializers.CharField(allow_null=True)


class OfflineCountSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    counted_at = serializers.DateTimeField()
    day = serializers.DateField(help_text="The count's day in the server's time zone (the rule's period lengths).")
    lines = serializers.DictField(child=serializers.IntegerField(), help_text="{product id: cases counted}")


class OfflineDealerSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()
    latitude = serializers.CharField(allow_null=True)
    longitude = serializers.CharField(allow_null=True)
    cycle_days = serializers.IntegerField(allow_null=True, help_text="The visit cycle period sales are scaled to.")
    products = OfflineProductSerializer(many=True, help_text="The products the dealer carries (the count's lines).")
    counts = OfflineCountSerializer(many=True, help_text="The latest current counts (up to the look-back), newest first.")
    deliveries = serializers.ListField(
        child=serializers.DictField(child=serializers.IntegerField()),
        help_text="deliveries[k]: {product id: cases} shipped after counts[k] up to the later count "
                  "(k = 0: up to generated_at).")
    promotions = serializers.ListField(child=serializers.ListField(child=serializers.DateField()),
                                       help_text="[first day, last day] of each promotion the dealer took part in.")


class OfflineRequestSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    dealer = serializers.IntegerField()
    dealer_name = serializers.CharField()
    visit = serializers.IntegerField(allow_null=True)
    description = serializers.CharField()
    due_on = serializers.DateField()
    status = serializers.CharField()


class OfflineRuleSerializer(serializers.Serializer):
    coefficient_default = serializers.CharField()
    lookback = serializers.IntegerField()
    near_expiry_threshold = serializers.ListField(child=serializers.IntegerField(), help_text="[numerator, denominator]")


class OfflineBundleSerializer(serializers.Serializer):
    day = serializers.DateField()
    generated_at = serializers.DateTimeField()
    time_zone = serializers.CharField()
    rule = OfflineRuleSerializer()
    photo_max_bytes = serializers.IntegerField()
    observation_kinds = serializers.ListField(child=serializers.ListField(child=serializers.CharField()))
    photo_stages = serializers.ListField(child=serializers.ListField(child=serializers.CharField()))
    visits = OfflineVisitSerializer(many=True)
    dealers = OfflineDealerSerializer(many=True)
    requests = OfflineRequestSerializer(many=True)
