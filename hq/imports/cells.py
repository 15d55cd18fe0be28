"""Turning the text of a cell into a value, or a message saying why it is not one.
Each parser returns the value or raises CellError; the import records the message
against the row and column and goes on with the next cell."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal, InvalidOperation

from django.utils import translation
from django.utils.translation import gettext_lazy as _

NOT_A_NUMBER = _("“%(value)s” is not a number.")
NOT_A_WHOLE_NUMBER = _("“%(value)s” is not a whole number.")
NOT_YES_NO = _("“%(value)s” is not yes or no.")
NOT_A_CHOICE = _("“%(value)s” is not one of: %(choices)s.")
REQUIRED = _("This column needs a value.")

YES = {"yes", "y", "true", "1", "是", "对", "x", "✓"}
NO = {"no", "n", "false", "0", "否", "不", ""}
LIST_SEPARATORS = (";", "；", "|", "、")


class CellError(Exception):
    def __init__(self, message, column: str | None = None):
        super().__init__(str(message))
        self.message = str(message)
        self.column = column


def required(text: str) -> str:
    if not text:
        raise CellError(REQUIRED)
    return text


def decimal(text: str) -> Decimal | None:
    """A number such as 1234.5, "1,234.50" or "¥12.00"; empty: None."""
    cleaned = text.replace(",", "").replace("¥", "").replace("￥", "").replace(" ", "")
    if not cleaned:
        return None
    try:
        value = Decimal(cleaned)
    except InvalidOperation as error:
        raise CellError(NOT_A_NUMBER % {"value": text}) from error
    if not value.is_finite():
        raise CellError(NOT_A_NUMBER % {"value": text})
    return value


def integer(text: str) -> int | None:
    value = decimal(text)
    if value is None:
        return None
    if value != value.to_integral_value() or abs(value) > 2**31:
        raise CellError(NOT_A_WHOLE_NUMBER % {"value": text})
    return int(value)


def boolean(text: str, *, default: bool = True) -> bool:
    value = text.strip().casefold()
    if not text.strip():
        return default
    if value in YES:
        return True
    if value in NO:
        return False
    raise CellError(NOT_YES_NO % {"value": text})


def choice_index(choices: Iterable[tuple[str, object]]) -> dict[str, str]:
    """{typed text: value} accepting a choice's value or its label in English or Chinese."""
    index: dict[str, str] = {}
    choices = list(choices)
    for language in ("en", "zh-hans"):
        with translation.override(language):
            for value, label in choices:
                index[str(label).casefold()] = value
    for value, _label in choices:
        index[str(value).casefold()] = value
    return index


def choice(text: str, index: dict[str, str], *, default: str | None = None) -> str | None:
    value = text.strip().casefold()
    if not value:
        return default
    if value in index:
        return index[value]
    values = sorted(set(index.values()))
    raise CellError(NOT_A_CHOICE % {"value": text, "choices": ", ".join(values)})


def items(text: str) -> list[str]:
    """A list in one cell: "a; b; c" (also separated by | or 、)."""
    for separator in LIST_SEPARATORS[1:]:
        text = text.replace(separator, LIST_SEPARATORS[0])
    return [part.strip() for part in text.split(LIST_SEPARATORS[0]) if part.strip()]


def join(values: Iterable[str]) -> str:
    return "; ".join(values)
