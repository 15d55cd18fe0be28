"""`GET /api/v1/audit/?model=<name>&object_id=<id>`: the audit trail of sensitive
changes (common.audit), for HQ admin."""

from __future__ import annotations

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import mixins, serializers, viewsets
from rest_framework.exceptions import ValidationError

from common.api.permissions import IsHQAdmin
from common.audit import AUDITED, model_key

UNKNOWN_MODEL = _("Choose one of: %(models)s.")
OBJECT_ID_NOT_A_NUMBER = _("An object id is a whole number.")
ACTIONS = {LogEntry.Action.CREATE: "create", LogEntry.Action.UPDATE: "update", LogEntry.Action.DELETE: "delete",
           LogEntry.Action.ACCESS: "access"}


class AuditEntrySerializer(serializers.ModelSerializer):
    model = serializers.SerializerMethodField(help_text="The audited model's name, as in ?model=.")
    action = serializers.SerializerMethodField()
    changes = serializers.SerializerMethodField(
        help_text='{"field": ["old", "new"], ...} (values as text); a many-to-many change: '
                  '{"field": {"type": "m2m", "operation": "add|delete|clear", "objects": [...]}}.'
    )
    actor_name = serializers.SerializerMethodField(help_text="Who made the change (empty: the system).")

    class Meta:
        model = LogEntry
        fields = ["id", "model", "object_id", "object_repr", "action", "changes", "actor", "actor_name", "timestamp",
                  "remote_addr"]

    def get_model(self, entry) -> str:
        return model_key(entry.content_type.model_class()) or entry.content_type.model

    @extend_schema_field(serializers.ChoiceField(choices=list(ACTIONS.values())))
    def get_action(self, entry) -> str:
        return ACTIONS.get(entry.action, str(entry.action))

    @extend_schema_field(OpenApiTypes.OBJECT)
    def get_changes(self, entry):
        return entry.changes_dict

    def get_actor_name(self, entry) -> str:
        return str(entry.actor) if entry.actor_id else ""


@extend_schema(parameters=[
    OpenApiParameter("model", str, required=True, enum=sorted(AUDITED) or None,
                     description="The kind of record: " + ", ".join(sorted(AUDITED))),
    OpenApiParameter("object_id", int, required=False, description="One record's id (else every record of the kind)."),
])
class AuditEntryViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Who changed what, when — old and new value — for a dealer's credit limit, tier,
    region, rep or status; a product's prices; a tier price; a rebate plan and its
    tiers; a user's role, dealer, regions and activity. HQ admin only; newest first."""

    serializer_class = AuditEntrySerializer
    permission_classes = [IsHQAdmin]
    filter_backends = []

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return LogEntry.objects.none()
        name = self.request.query_params.get("model", "")
        if name not in AUDITED:
            raise ValidationError({"model": [str(UNKNOWN_MODEL % {"models": ", ".join(sorted(AUDITED))})]})
        entries = LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(AUDITED[name]))
        object_id = self.request.query_params.get("object_id")
        if object_id is not None:
            if not object_id.isdigit() or len(object_id) > 18:
                raise ValidationError({"object_id": [str(OBJECT_ID_NOT_A_NUMBER)]})
            entries = entries.filter(object_pk=object_id)
        return entries.select_related("actor", "content_type").order_by("-timestamp", "-id")
