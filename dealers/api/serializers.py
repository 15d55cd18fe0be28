from __future__ import annotations

import functools
from operator import itemgetter

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.exceptions import NotFound

from accounts.models import Role, User
from common.api.rows import RowFormat
from dealers import services
from dealers.models import (
    CONTRACT_ENDS_BEFORE_START,
    ChannelType,
    CommunicationMemo,
    ContactLog,
    Contract,
    CooperationProposal,
    Dealer,
    DealerApplication,
    DealerContact,
    DealerStatus,
    DealerStatusChange,
    Evaluation,
    EvaluationCriterion,
    OnboardingStage,
    ProspectSource,
    RepAssignment,
    SamplesInvitation,
    Violation,
    ViolationOutcome,
    ViolationPhoto,
)
from dealers.selectors import dealer_queryset_for
from regions.models import Region

CRITERION_CODE_FIXED = _("A criterion's code cannot change: evaluations are sent by code.")


class ScopedDealerField(serializers.PrimaryKeyRelatedField):
    """A dealer id in a request body: outside the caller's scope it answers 404 (API.md)."""

    def get_queryset(self):
        return dealer_queryset_for(self.context["request"].user)

    def to_internal_value(self, data):
        try:
            return super().to_internal_value(data)
        except serializers.ValidationError as error:
            if isinstance(data, bool) or not str(data).isdigit():
                raise
            raise NotFound() from error


@extend_schema_field(OpenApiTypes.INT)
class RepField(serializers.PrimaryKeyRelatedField):
    def get_queryset(self):
        return User.objects.filter(role=Role.REP)


def _user_name(user) -> str:
    return str(user) if user else ""


class DealerSerializer(serializers.ModelSerializer):
    """A dealer's record. `status` and `rep` may be sent in a PATCH: they go through the
    lifecycle and assignment services (with `status_reason` / `rep_reason`)."""

    region = serializers.PrimaryKeyRelatedField(queryset=Region.objects.all())
    region_name = serializers.CharField(source="region.name", read_only=True)
    rep = RepField(allow_null=True, required=False)
    rep_name = serializers.SerializerMethodField()
    channel_types = serializers.ListField(child=serializers.ChoiceField(choices=ChannelType.choices), required=False)
    code = serializers.CharField(max_length=32, required=False, allow_blank=True,
                                 help_text="Empty or omitted: generated (DL000042).")
    status = serializers.ChoiceField(choices=DealerStatus.choices, required=False)
    status_reason = serializers.CharField(write_only=True, required=False, allow_blank=True,
                                          help_text="Why the status changes (required with a status change).")
    rep_reason = serializers.CharField(write_only=True, required=False, allow_blank=True,
                                       help_text="Why the rep changes (required with a rep change).")
    source = serializers.ChoiceField(choices=ProspectSource.choices, write_only=True, required=False, allow_blank=True,
                                     help_text="For a new prospect: where it came from.")

    class Meta:
        model = Dealer
        fields = [
            "id", "code", "name", "legal_entity", "region", "region_name", "address", "latitude", "longitude",
            "phone", "decision_maker", "decision_maker_phone", "influencer", "influencer_phone",
            "tier", "status", "rep", "rep_name", "credit_limit", "channel_types", "operating_model",
            "warehouse_area", "vehicles", "sales_staff", "other_brands", "other_industries", "other_industries_note",
            "notes", "current_grade", "current_score", "last_evaluated_at", "created_at", "updated_at",
            "status_reason", "rep_reason", "source",
        ]
        read_only_fields = ["current_grade", "current_score", "last_evaluated_at", "created_at", "updated_at"]

    @extend_schema_field(OpenApiTypes.STR)
    def get_rep_name(self, dealer) -> str:
        return _user_name(dealer.rep)


# The dealer list is the busiest endpoint: its rows are read with values() and
# turned into exactly what DealerSerializer gives by common.api.rows.RowFormat,
# without a model instance and a serializer per dealer. A test holds the two equal.
# The joined columns, read under their lookups (plain lookups build and compile
# faster than F() aliases).
DEALER_LIST_RELATED_VALUES = ("region__name", "rep__first_name", "rep__last_name", "rep__username")


@functools.cache
def _dealer_list_columns() -> tuple[str, ...]:
    model_fields = {field.name for field in Dealer._meta.concrete_fields}
    return (*(name for name in DealerSerializer.Meta.fields if name in model_fields), *DEALER_LIST_RELATED_VALUES)


def dealer_list_values(queryset):
    """The dealers of `queryset` as the rows `dealer_rows_data` turns into API data."""
    return queryset.values(*_dealer_list_columns())


def _rep_name(row: dict) -> str:
    if row["rep"] is None:
        return ""
    return f"{row['rep__first_name']} {row['rep__last_name']}".strip() or row["rep__username"]


DEALER_ROW_FORMAT = RowFormat(DealerSerializer, attributes={"rep_name": _rep_name, "region_name": itemgetter("region__name")})


def dealer_rows_data(rows) -> list[dict]:
    """Rows of `dealer_list_values` as DealerSerializer represents them."""
    return DEALER_ROW_FORMAT.format(rows)


class StatusChangeRequestSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=DealerStatus.choices)
    reason = serializers.CharField()


class AssignRepRequestSerializer(serializers.Serializer):
    rep = RepField()
    reason = serializers.CharField()


class ReassignRequestSerializer(serializers.Serializer):
    from_rep = RepField()
    to_rep = RepField()
    reason = serializers.CharField()


class ReassignResponseSerializer(serializers.Serializer):
    moved = serializers.IntegerField()


class StatusChangeSerializer(serializers.ModelSerializer):
    changed_by_name = serializers.SerializerMethodField()

    class Meta:
        model = DealerStatusChange
        fields = ["id", "from_status", "to_status", "changed_by", "changed_by_name", "changed_at", "reason"]

    @extend_schema_field(OpenApiTypes.STR)
    def get_changed_by_name(self, change) -> str:
        return _user_name(change.changed_by)


class RepAssignmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = RepAssignment
        fields = ["id", "from_rep", "to_rep", "assigned_by", "assigned_at", "reason"]


class DealerHistorySerializer(serializers.Serializer):
    status_changes = StatusChangeSerializer(many=True)
    assignments = RepAssignmentSerializer(many=True)


class DealerContactSerializer(serializers.ModelSerializer):
    dealer = ScopedDealerField()

    class Meta:
        model = DealerContact
        fields = ["id", "dealer", "name", "position", "phone", "email", "wechat", "is_primary", "notes"]


class ContactLogSerializer(serializers.ModelSerializer):
    dealer = ScopedDealerField()

    class Meta:
        model = ContactLog
        fields = ["id", "dealer", "logged_by", "contacted_at", "channel", "summary", "next_follow_up_on"]
        read_only_fields = ["logged_by"]
        extra_kwargs = {"contacted_at": {"required": False}}


# --- evaluations --------------------------------------------------------------------
class EvaluationCreateSerializer(serializers.Serializer):
    """`{"scores": {"<criterion code>": 1..5, ...}, "comment": ""}`: every active criterion scored."""

    scores = serializers.DictField(child=serializers.IntegerField(), allow_empty=False)
    comment = serializers.CharField(required=False, allow_blank=True, default="", max_length=4000)


@extend_schema_field({"type": "object", "additionalProperties": {"type": "integer", "minimum": 1, "maximum": 5}})
class ScoresField(serializers.Field):
    def __init__(self, **kwargs):
        kwargs["source"] = "*"
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, evaluation):
        return {score.criterion.code: score.score for score in evaluation.scores.all()}


class EvaluationSerializer(serializers.ModelSerializer):
    scores = ScoresField()
    evaluator_name = serializers.SerializerMethodField()

    class Meta:
        model = Evaluation
        fields = ["id", "dealer", "total", "grade", "scores", "comment", "evaluator", "evaluator_name", "created_at"]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.STR)
    def get_evaluator_name(self, evaluation) -> str:
        return _user_name(evaluation.evaluator)


class EvaluationCriterionSerializer(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True)

    class Meta:
        model = EvaluationCriterion
        fields = ["id", "code", "name", "name_en", "name_zh", "weight", "active", "order"]

    def create(self, validated_data):
        return services.evaluation_criterion_create(by=self.context["request"].user, **validated_data)

    def update(self, instance, validated_data):
        # A criterion's code is how API clients send its score: it stays.
        if validated_data.pop("code", instance.code) != instance.code:
            raise serializers.ValidationError({"code": [str(CRITERION_CODE_FIXED)]})
        return services.evaluation_criterion_update(criterion=instance, by=self.context["request"].user, **validated_data)


# --- onboarding -----------------------------------------------------------------------
class ProspectSerializer(serializers.ModelSerializer):
    """A dealer in the onboarding pipeline with its onboarding record (the id is the dealer's)."""

    region = serializers.PrimaryKeyRelatedField(queryset=Region.objects.all())
    rep = RepField(required=False, help_text="The owner rep; a rep creating a prospect owns it.")
    channel_types = serializers.ListField(child=serializers.ChoiceField(choices=ChannelType.choices), required=False)
    source = serializers.ChoiceField(choices=ProspectSource.choices, source="onboarding.source")
    stage = serializers.ChoiceField(choices=OnboardingStage.choices, source="onboarding.stage", read_only=True)
    sourced_on = serializers.DateField(source="onboarding.sourced_on", read_only=True)
    first_meeting_on = serializers.DateField(source="onboarding.first_meeting_on", read_only=True)
    memo_on = serializers.DateField(source="onboarding.memo_on", read_only=True)
    proposal_on = serializers.DateField(source="onboarding.proposal_on", read_only=True)
    samples_on = serializers.DateField(source="onboarding.samples_on", read_only=True)
    signed_on = serializers.DateField(source="onboarding.signed_on", read_only=True)
    next_follow_up_on = serializers.DateField(source="onboarding.next_follow_up_on", required=False, allow_null=True)
    last_contact_on = serializers.DateField(source="onboarding.last_contact_on", read_only=True)
    is_cold = serializers.BooleanField(source="onboarding.is_cold", read_only=True)

    class Meta:
        model = Dealer
        fields = [
            "id", "code", "name", "region", "rep", "status", "phone", "address", "decision_maker",
            "channel_types", "notes", "source", "stage", "sourced_on", "first_meeting_on", "memo_on",
            "proposal_on", "samples_on", "signed_on", "next_follow_up_on", "last_contact_on", "is_cold",
        ]
        read_only_fields = ["code", "status"]


class ProspectUpdateSerializer(serializers.Serializer):
    """Move a prospect along the pipeline, or change its source or next follow-up."""

    stage = serializers.ChoiceField(choices=[c for c in OnboardingStage.choices if c[0] != OnboardingStage.SIGNED], required=False)
    step_on = serializers.DateField(required=False, help_text="The date of the step (default today).")
    source = serializers.ChoiceField(choices=ProspectSource.choices, required=False)
    next_follow_up_on = serializers.DateField(required=False, allow_null=True)


class _DocumentSerializer(serializers.ModelSerializer):
    """A prospect's document; before it is first written the GET answers an empty
    one, whose author and times are null."""

    author_name = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField(read_only=True, allow_null=True)
    updated_at = serializers.DateTimeField(read_only=True, allow_null=True)

    @extend_schema_field(OpenApiTypes.STR)
    def get_author_name(self, document) -> str:
        return _user_name(document.author)


class CommunicationMemoSerializer(_DocumentSerializer):
    class Meta:
        model = CommunicationMemo
        fields = ["written_on", *CommunicationMemo.SECTIONS, "author", "author_name", "created_at", "updated_at"]
        read_only_fields = ["author", "created_at", "updated_at"]


class CooperationProposalSerializer(_DocumentSerializer):
    class Meta:
        model = CooperationProposal
        fields = ["written_on", *CooperationProposal.SECTIONS, "author", "author_name", "created_at", "updated_at"]
        read_only_fields = ["author", "created_at", "updated_at"]


class SamplesInvitationSerializer(_DocumentSerializer):
    class Meta:
        model = SamplesInvitation
        fields = ["written_on", "samples_sent", "invitation_kind", "invitation", "event_on", "dealer_response",
                  "author", "author_name", "created_at", "updated_at"]
        read_only_fields = ["author", "created_at", "updated_at"]


DOCUMENT_SERIALIZERS = {
    "memo": CommunicationMemoSerializer, "proposal": CooperationProposalSerializer, "samples": SamplesInvitationSerializer,
}


# --- contracts ------------------------------------------------------------------------
class ContractSerializer(serializers.ModelSerializer):
    dealer = ScopedDealerField()

    class Meta:
        model = Contract
        fields = [
            "id", "dealer", "number", "status", "territory", "product_lines", "product_categories",
            "annual_target_amount", "annual_target_volume", "min_resale_price_policy", "marketing_support",
            "rebate_plan", "start_date", "end_date", "termination_conditions", "created_by", "created_at",
            "signed_by", "signed_at",
        ]
        read_only_fields = ["status", "created_by", "created_at", "signed_by", "signed_at"]
        extra_kwargs = {"product_categories": {
            "required": False,
            "help_text": "Product category ids this contract covers: once signed, their products are carried by "
                         "the dealer from the start date (they appear on its stock count).",
        }}

    def validate(self, attrs):
        start = attrs.get("start_date", getattr(self.instance, "start_date", None))
        end = attrs.get("end_date", getattr(self.instance, "end_date", None))
        if start and end and end <= start:
            raise serializers.ValidationError({"end_date": [str(CONTRACT_ENDS_BEFORE_START)]})
        return attrs


# --- violations -------------------------------------------------------------------------
class ViolationPhotoSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = ViolationPhoto
        fields = ["id", "url", "uploaded_by", "uploaded_at"]

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, photo) -> str:
        from django.urls import reverse

        path = reverse("api:violation-photo-file", kwargs={"pk": photo.violation_id, "photo_id": photo.pk})
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


class ViolationSerializer(serializers.ModelSerializer):
    dealer = ScopedDealerField()
    photos = ViolationPhotoSerializer(many=True, read_only=True)
    upload_photos = serializers.ListField(
        child=serializers.FileField(), write_only=True, required=False,
        help_text="Evidence photos (multipart): images only, size-limited.",
    )

    class Meta:
        model = Violation
        fields = [
            "id", "dealer", "type", "evidence", "found_at", "found_where", "severity", "outcome", "fine_amount",
            "outcome_note", "decided_by", "decided_at", "reported_by", "created_at", "photos", "upload_photos",
        ]
        read_only_fields = ["outcome", "fine_amount", "outcome_note", "decided_by", "decided_at", "reported_by", "created_at"]
        extra_kwargs = {"found_at": {"required": False}}


class ViolationDecideSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=[c for c in ViolationOutcome.choices if c[0] != ViolationOutcome.PENDING])
    note = serializers.CharField(required=False, allow_blank=True, default="")
    fine_amount = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=0, required=False, allow_null=True)


class PhotoUploadSerializer(serializers.Serializer):
    photos = serializers.ListField(child=serializers.FileField(), allow_empty=False)


# --- applications -------------------------------------------------------------------------
class DealerApplicationSerializer(serializers.ModelSerializer):
    """A dealer application. Anyone may POST one (no sign-in); `website` must stay empty."""

    channel_types = serializers.ListField(child=serializers.ChoiceField(choices=ChannelType.choices), required=False)
    website = serializers.CharField(write_only=True, required=False, allow_blank=True,
                                    help_text="Leave empty (a honeypot for robots).")

    class Meta:
        model = DealerApplication
        fields = [
            "id", "company_name", "legal_entity", "contact_name", "phone", "email", "region", "address",
            "channel_types", "operating_model", "brands_carried", "message", "website",
            "status", "submitted_at", "reviewed_by", "reviewed_at", "review_note", "decided_by", "decided_at",
            "rejection_reason", "dealer",
        ]
        read_only_fields = ["status", "submitted_at", "reviewed_by", "reviewed_at", "review_note", "decided_by",
                            "decided_at", "rejection_reason", "dealer"]


class PublicApplicationResponseSerializer(serializers.Serializer):
    detail = serializers.CharField()


class ApplicationReviewSerializer(serializers.Serializer):
    note = serializers.CharField()


class ApplicationRejectSerializer(serializers.Serializer):
    reason = serializers.CharField()


class ApplicationApproveSerializer(serializers.Serializer):
    region = serializers.PrimaryKeyRelatedField(queryset=Region.objects.all())
    tier = serializers.ChoiceField(choices=Dealer._meta.get_field("tier").choices)
    rep = RepField(required=False, allow_null=True,
                   help_text="Default: the rep who reviewed it; required when no rep reviewed it (a manager did, or "
                             "the manager approves it without a separate review).")
    username = serializers.CharField(required=False, allow_blank=True, max_length=150,
                                     help_text="Default: the applicant's email address.")
    code = serializers.CharField(required=False, allow_blank=True, max_length=32)
    credit_limit = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=0, required=False, default=0)


APPLICATION_RECEIVED = _("Thank you — your application was received.")
