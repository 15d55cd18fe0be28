"""Rows read with `values()` represented exactly as a serializer represents model
instances, without an instance and a serializer per row (the busy lists: dealers,
orders; issue 16).

`RowFormat(SomeSerializer, computed=..., nested=...)` reads the serializer's
readable fields once per process and picks, per field, a representation that
gives what the DRF field's `to_representation` gives: the common cases (a string,
an integer, a choice, a decimal already at its places, an ISO date, a datetime in
the current time zone) without DRF's per-value overhead, anything else through
the field itself. The current time zone is resolved once per `format()` call
(DRF's DateTimeField looks it up for every value). Each list using it has a test
that its rows equal the serializer's output.
"""

from __future__ import annotations

import datetime
import decimal
import functools
from collections.abc import Callable, Iterable, Mapping

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone
from rest_framework import fields, relations
from rest_framework.serializers import BaseSerializer
from rest_framework.settings import api_settings

ISO_8601 = "iso-8601"
_TEXT_FIELDS = (fields.CharField, fields.EmailField, fields.URLField, fields.SlugField, fields.RegexField)


def _same_method(field, base: type, name: str = "to_representation") -> bool:
    """Whether `field`'s class uses `base`'s own method (a subclass may change it)."""
    return getattr(type(field), name) is getattr(base, name)


# Each maker gives (passthrough, represent): a value of exactly the class
# `passthrough` is its own representation (no call); any other goes through
# `represent`, which is the field's own to_representation unless a faster exact
# equivalent exists. represent None: every value is its own representation.
def _text(field):
    return str, field.to_representation


def _integer(field):
    return int, field.to_representation


def _big_integer(field):
    if getattr(field, "coerce_to_string", api_settings.COERCE_BIGINT_TO_STRING):
        return None, field.to_representation  # written as a string
    return int, field.to_representation


def _boolean(field):
    return bool, field.to_representation


def _float(field):
    return float, field.to_representation


def _choice(field):
    mapping = field.choice_strings_to_values
    if not all(type(key) is str and value == key and type(value) is str for key, value in mapping.items()):
        return None, field.to_representation
    # Each choice's string maps to itself: a str value is its own representation.
    return str, field.to_representation


def _decimal(field):
    fallback = field.to_representation
    coerce = getattr(field, "coerce_to_string", api_settings.COERCE_DECIMAL_TO_STRING)
    places, digits = field.decimal_places, field.max_digits
    if not coerce or field.localize or field.normalize_output or not places or digits is None:
        return None, fallback
    longest = digits + 1  # the digits and the point (a sign besides)

    def represent(value):
        # A Decimal already at the field's places (what a numeric(max_digits, places)
        # column gives, within max_digits) is unchanged by quantize(): its fixed-point
        # text is the representation. Its text then has the point `places` from the
        # end, and no more digit characters than max_digits.
        if value.__class__ is decimal.Decimal:
            text = f"{value:f}"
            if text[-places - 1:-places] == "." and len(text) - (text[0] == "-") <= longest:
                return text
        return fallback(value)

    return None, represent


def _date(field):
    fallback = field.to_representation
    if (getattr(field, "format", api_settings.DATE_FORMAT) or "").lower() != ISO_8601:
        return None, fallback
    return None, lambda value: value.isoformat() if value.__class__ is datetime.date else fallback(value)


def _datetime_in(field):
    """A function of the time zone giving the field's representation (ISO 8601, as DRF
    writes it: in the current time zone, +00:00 written Z)."""
    fallback = field.to_representation
    iso = (getattr(field, "format", api_settings.DATETIME_FORMAT) or "").lower() == ISO_8601
    if not iso or hasattr(field, "timezone") or not (
        _same_method(field, fields.DateTimeField, "enforce_timezone")
        and _same_method(field, fields.DateTimeField, "default_timezone")
    ):
        return lambda zone: fallback

    def for_zone(zone):
        if zone is None:
            return fallback

        def represent(value):
            if value.__class__ is datetime.datetime and value.utcoffset() is not None:
                try:
                    text = value.astimezone(zone).isoformat()
                except OverflowError:
                    return fallback(value)  # DRF's own error
                return text[:-6] + "Z" if text.endswith("+00:00") else text
            return fallback(value)

        return represent

    return for_zone


def _list(passthrough, represent):
    if represent is None:
        return lambda value: list(value)

    def represent_list(value):
        return [
            item if item is None or item.__class__ is passthrough else represent(item) for item in value
        ]

    return represent_list


# Field class → maker of its representation (a subclass is handled the same only
# when it keeps the base's to_representation).
_MAKERS: tuple[tuple[type, Callable], ...] = (
    (fields.ChoiceField, _choice),
    (fields.BooleanField, _boolean),
    *(((fields.BigIntegerField, _big_integer),) if hasattr(fields, "BigIntegerField") else ()),
    (fields.IntegerField, _integer),
    (fields.FloatField, _float),
    (fields.DecimalField, _decimal),
    (fields.DateField, _date),
    *((cls, _text) for cls in _TEXT_FIELDS),
)


def _represent(field) -> tuple[type | None, Callable | None, bool]:
    """(passthrough, represent, needs_zone) for one field; when needs_zone,
    `represent` is a function of the time zone giving the representation."""
    if isinstance(field, relations.PrimaryKeyRelatedField) and field.pk_field is None and _same_method(
        field, relations.PrimaryKeyRelatedField
    ):
        return None, None, False  # the row holds the id, which is what the field gives
    if isinstance(field, fields.DateTimeField) and _same_method(field, fields.DateTimeField):
        return None, _datetime_in(field), True
    if isinstance(field, fields.ListField) and _same_method(field, fields.ListField):
        passthrough, child, child_needs_zone = _represent(field.child)
        if not child_needs_zone:
            return None, _list(passthrough, child), False
        return None, (lambda zone: _list(passthrough, child(zone))), True
    if isinstance(field, fields.JSONField) and not field.binary and _same_method(field, fields.JSONField):
        return None, None, False
    if type(field) is fields.ReadOnlyField:
        return None, None, False
    for cls, maker in _MAKERS:
        if isinstance(field, cls) and _same_method(field, cls):
            return (*maker(field), False)
    return None, field.to_representation, False


class RowFormat:
    """Rows (dicts) → what `serializer_class` gives for the same records.

    - a field's value is read from the row under its name (a foreign key: its id,
      as values() gives it);
    - `attributes[name](row)` gives the value the field would read from an instance
      (a joined name, a property), represented by the field as usual; for a
      SerializerMethodField, the method's result;
    - `nested[name]` is the RowFormat of a nested `many=True` serializer whose rows
      are in the row's list under the field's name.
    A readable field with a dotted source, a method or a nested serializer, not
    named in `attributes` or `nested`, is refused when the plan is built (it would
    silently differ).
    """

    def __init__(self, serializer_class: type[BaseSerializer], *,
                 attributes: Mapping[str, Callable[[dict], object]] | None = None,
                 nested: Mapping[str, RowFormat] | None = None):
        self.serializer_class = serializer_class
        self.attributes = dict(attributes or {})
        self.nested = dict(nested or {})

    @functools.cached_property
    def plan(self) -> tuple:
        """(name, row key, read the row, passthrough, represent, needs_zone) per readable
        field, built once per process (building a serializer's fields costs more than
        using them); `read` (else the row's `key`) gives the field's value."""
        plan = []
        for name, field in self.serializer_class().fields.items():
            if field.write_only:
                continue
            if name in self.nested:
                plan.append((name, name, None, None, self.nested[name], True))
                continue
            special = isinstance(field, (BaseSerializer, fields.SerializerMethodField, relations.ManyRelatedField)) or (
                "." in field.source or field.source == "*"
            )
            key, read = name, None
            if name in self.attributes:
                key, read = None, self.attributes[name]
                if isinstance(field, fields.SerializerMethodField):
                    plan.append((name, None, read, None, None, False))
                    continue
            elif special:
                raise ImproperlyConfigured(
                    f"{self.serializer_class.__name__}.{name}: name it in `attributes` or `nested`."
                )
            plan.append((name, key, read, *_represent(field)))
        return tuple(plan)

    def _steps(self, zone) -> list[tuple]:
        steps = []
        for name, key, read, passthrough, represent, needs_zone in self.plan:
            if isinstance(represent, RowFormat):
                represent = functools.partial(_format_rows, represent._steps(zone))
            elif needs_zone:
                represent = represent(zone)
            steps.append((name, key, read, passthrough, represent))
        return steps

    def format(self, rows: Iterable[dict]) -> list[dict]:
        """The rows as the serializer represents them (the time zone looked up once)."""
        zone = timezone.get_current_timezone() if settings.USE_TZ else None
        return _format_rows(self._steps(zone), rows)


def _format_rows(steps: list[tuple], rows: Iterable[dict]) -> list[dict]:
    data = []
    for row in rows:
        item = {}
        for name, key, read, passthrough, represent in steps:
            value = row[key] if read is None else read(row)
            if value is None or represent is None or value.__class__ is passthrough:
                item[name] = value
            else:
                item[name] = represent(value)
        data.append(item)
    return data
