"""Filters of the order list, shared by the page and the API (django-filter)."""

from __future__ import annotations

import datetime
import re

import django_filters
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.dates import local_day_start
from common.filters import FilterSet
from dealers.models import DealerTier
from inventory.models import CLOSED_STATUSES, RECEIVABLE_STATUSES, Order, OrderSource, OrderStatus, Product, TierPrice

ORDER_NUMBER = re.compile(r"^\s*(?:SO)?0*(\d{1,12})\s*$", re.IGNORECASE)


def order_number_q(term: str) -> Q | None:
    """A Q for an order number such as "SO000042" or "42", or None if `term` is not one."""
    match = ORDER_NUMBER.match(term or "")
    return Q(pk=int(match.group(1))) if match else None


class OrderFilter(FilterSet):
    status = django_filters.MultipleChoiceFilter(choices=OrderStatus.choices, label=_("status"))
    dealer = django_filters.NumberFilter(field_name="dealer_id", label=_("dealer"))
    source = django_filters.ChoiceFilter(choices=OrderSource.choices, label=_("source"))
    submitted_after = django_filters.DateFilter(method="filter_submitted_after", label=_("submitted on or after"))
    submitted_before = django_filters.DateFilter(method="filter_submitted_before", label=_("submitted on or before"))
    overdue = django_filters.BooleanFilter(method="filter_overdue", label=_("payment overdue"))
    open = django_filters.BooleanFilter(method="filter_open", label=_("still open (not received, rejected or cancelled)"))
    number = django_filters.CharFilter(method="filter_number", label=_("order number"))

    class Meta:
        model = Order
        fields = ["status", "dealer", "source"]

    def filter_submitted_after(self, queryset, name, value):
        return queryset.filter(submitted_at__gte=local_day_start(value)) if value else queryset

    def filter_submitted_before(self, queryset, name, value):
        return queryset.filter(submitted_at__lt=local_day_start(value + datetime.timedelta(days=1))) if value else queryset

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        overdue = Q(status__in=RECEIVABLE_STATUSES, payment_due_date__lt=timezone.localdate(), amount_paid__lt=F("total"))
        return queryset.filter(overdue) if value else queryset.exclude(overdue)

    def filter_open(self, queryset, name, value):
        if value is None:
            return queryset
        closed = Q(status__in=CLOSED_STATUSES)
        return queryset.exclude(closed) if value else queryset.filter(closed)

    def filter_number(self, queryset, name, value):
        condition = order_number_q(value)
        return queryset.filter(condition) if condition is not None else queryset.none()


class ProductFilter(django_filters.FilterSet):
    class Meta:
        model = Product
        fields = ["category", "is_active", "unit"]


class TierPriceFilter(django_filters.FilterSet):
    tier = django_filters.ChoiceFilter(choices=DealerTier.choices)

    class Meta:
        model = TierPrice
        fields = ["tier", "product"]
