"""What every API field accepts, set in one place (API.md, "Promises every endpoint
keeps"; SPEC "Inputs that must be refused").

DRF's number fields parse with Python's int() and Decimal(), which also read
full-width and other Unicode digits ('１２３' → 123) and know no upper bound, and
its text fields take any length. `harden_serializer_fields()` (run once by
common.apps) makes every serializer field of every app, declared or derived from
a model, refuse what the database or the services cannot hold:

- integers: ASCII digits only, within PostgreSQL's bigint range unless the field
  (or its model field) says narrower;
- decimals and floats: ASCII only;
- references by id (PrimaryKeyRelatedField): an integer or a string of ASCII
  digits, else 400 "incorrect type"; out of range is "does not exist";
- text: at most settings.API_TEXT_MAX_LENGTH characters unless the field says
  otherwise;
- dates: years 1900–2999, times (datetimes): 1970–2999 (earlier, the time zone
  database gives local mean time, an offset with seconds that no ISO 8601 reader
  takes; later, date arithmetic runs out of Python's calendar).
"""

from __future__ import annotations

import functools

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from rest_framework import fields, relations
from rest_framework.exceptions import ValidationError

BIGINT_MIN, BIGINT_MAX = -(2**63), 2**63 - 1
YEAR_MIN, YEAR_MAX = 1900, 2999
DATETIME_YEAR_MIN = 1970
DATE_OUT_OF_RANGE = _("Give a date between the years %(first)s and %(last)s.")

_HARDENED = "_dealer_crm_hardened"


def _ascii_only(to_internal_value):
    @functools.wraps(to_internal_value)
    def wrapper(self, data):
        if isinstance(data, str) and not data.isascii():
            self.fail("invalid")
        return to_internal_value(self, data)

    return wrapper


def _bounded_integer_init(init):
    @functools.wraps(init)
    def wrapper(self, **kwargs):
        kwargs.setdefault("max_value", BIGINT_MAX)
        kwargs.setdefault("min_value", BIGINT_MIN)
        init(self, **kwargs)

    return wrapper


def _bounded_text_init(init):
    @functools.wraps(init)
    def wrapper(self, **kwargs):
        if kwargs.get("max_length") is None and not kwargs.get("read_only"):
            kwargs["max_length"] = settings.API_TEXT_MAX_LENGTH
        init(self, **kwargs)

    return wrapper


def is_id_value(data) -> bool:
    """An id as a client may send it: an int (not a bool) or a string of ASCII
    digits, within bigint range."""
    if isinstance(data, bool):
        return False
    if isinstance(data, str):
        if not (data.isascii() and data.isdigit()):
            return False
        data = int(data)
    return isinstance(data, int) and BIGINT_MIN <= data <= BIGINT_MAX


def _id_only(to_internal_value):
    @functools.wraps(to_internal_value)
    def wrapper(self, data):
        if self.pk_field is None:
            if isinstance(data, int) and not isinstance(data, bool) and not BIGINT_MIN <= data <= BIGINT_MAX:
                self.fail("does_not_exist", pk_value=data)
            if not is_id_value(data):
                self.fail("incorrect_type", data_type=type(data).__name__)
        return to_internal_value(self, data)

    return wrapper


def _years_bounded(to_internal_value, first: int):
    @functools.wraps(to_internal_value)
    def wrapper(self, data):
        value = to_internal_value(self, data)
        if value is not None and not first <= value.year <= YEAR_MAX:
            raise ValidationError(str(DATE_OUT_OF_RANGE % {"first": first, "last": YEAR_MAX}), code="out_of_range")
        return value

    return wrapper


def harden_serializer_fields() -> None:
    """Install the rules above on DRF's field classes (idempotent)."""
    if getattr(fields.Field, _HARDENED, False):
        return
    fields.IntegerField.__init__ = _bounded_integer_init(fields.IntegerField.__init__)
    fields.IntegerField.to_internal_value = _ascii_only(fields.IntegerField.to_internal_value)
    fields.DecimalField.to_internal_value = _ascii_only(fields.DecimalField.to_internal_value)
    fields.FloatField.to_internal_value = _ascii_only(fields.FloatField.to_internal_value)
    fields.CharField.__init__ = _bounded_text_init(fields.CharField.__init__)
    relations.PrimaryKeyRelatedField.to_internal_value = _id_only(relations.PrimaryKeyRelatedField.to_internal_value)
    fields.DateField.to_internal_value = _years_bounded(fields.DateField.to_internal_value, YEAR_MIN)
    fields.DateTimeField.to_internal_value = _years_bounded(fields.DateTimeField.to_internal_value, DATETIME_YEAR_MIN)
    setattr(fields.Field, _HARDENED, True)
