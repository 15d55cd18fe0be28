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


class VisitSerializer(serializers.ModelSerializer):
    dealer_name = serializers.CharField(source="dealer.name", read_only=True)
    rep_name = serializers.SerializerMethodField()
    has_market_check = serializers.BooleanField(read_only=True, default=False)

    class Meta:
        model = Visit
        fields = [
            "id", "dealer", "dealer_name", "rep", "rep_name", "plan", "plan_occurrence", "scheduled_for", "status",
            "has_market_check", "started_at", "start_latitude", "start_longitude", "start_accuracy_m",
            "completed_at", "cancelled_at", "cancel_reason", "missed_at", "policy_notes", "dealer_feedback",
            "display_notes", "terminal_notes", "after_sales_notes", "order", "created_at", "updated_at",
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


class StartSerializer(serializers.Serializer):
    latitude = serializers.DecimalField(max_digits=12, decimal_places=8, required=False, allow_null=True,
                                        min_value=-90, max_value=90)
    longitude = serializers.DecimalField(max_digits=12, decimal_places=8, required=False, allow_null=True,
                                         min_value=-180, max_value=180)
    accuracy = serializers.FloatField(required=False, allow_null=True, min_value=0)


class VisitPhotoSerializer(serializers.ModelSerializer):
    class Meta:
        model = VisitPhoto
        fields = ["id", "visit", "stage", "caption", "taken_at", "uploaded_by"]
        read_only_fields = fields


class VisitPhotoUploadSerializer(serializers.Serializer):
    stage = serializers.ChoiceField(choices=PhotoStage.choices)
    image = serializers.FileField()
    caption = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


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

    def get_rep_name(self, row) -> str:
        return row["rep"].get_full_name() or row["rep"].username
