"""A dealer's contact people and the contact log."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext as _
from rest_framework import mixins, viewsets
from rest_framework.exceptions import PermissionDenied

from dealers import services
from dealers.api import serializers as s
from dealers.api.views.shared import RolePermission
from dealers.models import ContactChannel, ContactLog, DealerContact
from dealers.permissions import Action
from dealers.selectors import contact_log_queryset_for, contact_queryset_for


class ContactFilter(django_filters.FilterSet):
    class Meta:
        model = DealerContact
        fields = ["dealer", "is_primary"]


class DealerContactViewSet(viewsets.ModelViewSet):
    """Contact people of the dealers in scope (a dealer user reads its own company's)."""

    serializer_class = s.DealerContactSerializer
    permission_classes = [RolePermission]
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    filterset_class = ContactFilter
    search_fields = ["name", "phone", "position"]
    ordering_fields = ["name"]
    action_permissions = {"list": Action.VIEW, "retrieve": Action.VIEW, "create": Action.EDIT_PROFILE,
                          "partial_update": Action.EDIT_PROFILE, "destroy": Action.EDIT_PROFILE}

    def get_queryset(self):
        return contact_queryset_for(self.request.user)

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = services.contact_save(dealer=data.pop("dealer"), **data)

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        dealer = data.pop("dealer", serializer.instance.dealer)
        if dealer.pk != serializer.instance.dealer_id:
            raise PermissionDenied(_("A contact cannot move to another dealer."))
        serializer.instance = services.contact_save(dealer=dealer, contact=serializer.instance, **data)

    def perform_destroy(self, instance):
        services.contact_delete(contact=instance)


class ContactLogFilter(django_filters.FilterSet):
    channel = django_filters.ChoiceFilter(choices=ContactChannel.choices)

    class Meta:
        model = ContactLog
        fields = ["dealer", "channel", "logged_by"]


class ContactLogViewSet(mixins.ListModelMixin, mixins.CreateModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Logged contacts with dealers and prospects; a new one resets a prospect's "going cold" clock."""

    serializer_class = s.ContactLogSerializer
    permission_classes = [RolePermission]
    filterset_class = ContactLogFilter
    ordering_fields = ["contacted_at"]
    action_permissions = {"list": Action.VIEW_INTERNAL, "retrieve": Action.VIEW_INTERNAL, "create": Action.WORK_ONBOARDING}

    def get_queryset(self):
        return contact_log_queryset_for(self.request.user)

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = services.contact_log_create(logged_by=self.request.user, **data)
