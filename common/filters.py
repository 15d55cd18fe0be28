"""Bounds of every list filter (django-filter), for the pages and the API alike.

django-filter parses `?dealer=` with Decimal() and `?regions=` with the model's
pk, so `?dealer=1e30`, `?regions=2^70` or full-width digits ('１２') reach the
database or Python's date arithmetic. `harden_filter_form()` makes each number
filter refuse non-ASCII text and values beyond PostgreSQL's bigint (a `year`
lookup: beyond 1–9999), and each id choice refuse anything but ASCII digits in
range. The API answers such a filter 400 (common.api.filters.FilterBackend); a
page ignores the filter it cannot read, as django-filter does.
"""

from __future__ import annotations

import functools

import django_filters
from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator

from common.api.fields import BIGINT_MAX, BIGINT_MIN, is_id_value

YEAR_MIN, YEAR_MAX = 1, 9999
_HARDENED = "_dealer_crm_hardened"


def _refuse_non_ascii(field: forms.Field) -> None:
    to_python = field.to_python

    @functools.wraps(to_python)
    def strict_to_python(value):
        if isinstance(value, str) and not value.isascii():
            raise forms.ValidationError(field.error_messages["invalid"], code="invalid")
        return to_python(value)

    field.to_python = strict_to_python


def _bound(field: forms.Field, low: int, high: int) -> None:
    if getattr(field, "max_value", None) is None:
        field.max_value = high
        field.validators.append(MaxValueValidator(high))
    if getattr(field, "min_value", None) is None:
        field.min_value = low
        field.validators.append(MinValueValidator(low))


def _ids_only(field: forms.ModelChoiceField) -> None:
    if field.to_field_name not in (None, "pk", "id"):
        return
    if isinstance(field, forms.ModelMultipleChoiceField):
        check_values = field._check_values

        @functools.wraps(check_values)
        def strict_check_values(value):
            for pk in value:
                if not is_id_value(pk):
                    raise forms.ValidationError(field.error_messages["invalid_pk_value"], code="invalid_pk_value",
                                                params={"pk": pk})
            return check_values(value)

        field._check_values = strict_check_values
    else:
        to_python = field.to_python

        @functools.wraps(to_python)
        def strict_to_python(value):
            if value not in field.empty_values and not isinstance(value, field.queryset.model) and not is_id_value(value):
                raise forms.ValidationError(field.error_messages["invalid_choice"], code="invalid_choice",
                                            params={"value": value})
            return to_python(value)

        field.to_python = strict_to_python


def harden_filter_form(filterset: django_filters.FilterSet, form: forms.Form | None = None) -> None:
    """Apply the bounds above to the fields of `filterset.form` (idempotent)."""
    form = form if form is not None else filterset.form
    if getattr(form, _HARDENED, False):
        return
    for name, field in form.fields.items():
        declared = filterset.filters.get(name)
        if isinstance(field, forms.ModelChoiceField):
            _ids_only(field)
        elif isinstance(field, forms.IntegerField):  # DecimalField and FloatField too
            _refuse_non_ascii(field)
            if declared is not None and str(declared.lookup_expr).endswith("year"):
                _bound(field, YEAR_MIN, YEAR_MAX)
            else:
                _bound(field, BIGINT_MIN, BIGINT_MAX)
    setattr(form, _HARDENED, True)


class FilterSet(django_filters.FilterSet):
    """The base of filter sets that pages use too: its form carries the bounds."""

    @property
    def form(self):
        form = super().form
        harden_filter_form(self, form)
        return form
