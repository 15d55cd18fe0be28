"""The campaign list's filters, written once for the page and the API (django-filter):
status, type, owner, dates, a dealer taking part, "running now / upcoming / past"
and a search of name and theme."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.filters import FilterSet
from dealers.models import Dealer
from promotions import selectors
from promotions.models import Campaign, CampaignStatus, CampaignType

WHEN_CHOICES = [("current", _("Running now")), ("upcoming", _("Upcoming")), ("past", _("Past"))]


class CampaignFilter(FilterSet):
    status = django_filters.MultipleChoiceFilter(choices=CampaignStatus.choices)
    type = django_filters.ChoiceFilter(choices=CampaignType.choices)
    starts_after = django_filters.DateFilter(field_name="start_date", lookup_expr="gte")
    starts_before = django_filters.DateFilter(field_name="start_date", lookup_expr="lte")
    active_on = django_filters.DateFilter(method="filter_active_on", label="Running on this date")
    dealer = django_filters.NumberFilter(method="filter_dealer", label="Dealer taking part (named or through a region)")
    when = django_filters.ChoiceFilter(choices=WHEN_CHOICES, method="filter_when",
                                       label="current (running today), upcoming or past")
    q = django_filters.CharFilter(method="filter_q", label="Name or theme contains")

    class Meta:
        model = Campaign
        fields = ["status", "type", "owner", "starts_after", "starts_before", "active_on", "dealer", "when", "q"]

    def filter_active_on(self, queryset, name, value):
        return queryset.filter(start_date__lte=value, end_date__gte=value)

    def filter_dealer(self, queryset, name, value):
        dealer = Dealer(pk=value)
        return queryset.filter(pk__in=selectors.campaigns_of_dealer(user=self.request.user, dealer=dealer).values("pk"))

    def filter_when(self, queryset, name, value):
        today = timezone.localdate()
        if value == "current":
            return queryset.filter(start_date__lte=today, end_date__gte=today)
        if value == "upcoming":
            return queryset.filter(start_date__gt=today)
        if value == "past":
            return queryset.filter(end_date__lt=today)
        return queryset

    def filter_q(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(name__icontains=value) | Q(theme__icontains=value)) if value else queryset
