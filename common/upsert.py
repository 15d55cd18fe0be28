"""Create-or-update by code, for many rows at once: the shape every bulk service
shares (products by SKU, tier prices by tier and SKU, dealers by code, users by
username, regions by path).

A bulk service first *plans* every row against the database (bulk lookups by
code, the model's own validation, no writes) and returns one `RowResult` per
row: create / update / unchanged / error, with the errors per field. The import
preview shows that plan; the import and the bulk API then apply it only when no
row has an error (`BulkInvalid` otherwise), in one transaction, so a file or a
list is saved whole or not at all. The single-object endpoints (PUT by code) are
the same services with one row, so one rule serves the page, the API and the
import.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

KEY_REPEATED = _("“%(key)s” is already on row %(first)s: each code may appear once.")
NOTHING_VALID = _("%(errors)s of %(rows)s rows have errors; nothing was saved.")


class Outcome(models.TextChoices):
    CREATE = "create", _("Create")
    UPDATE = "update", _("Update")
    UNCHANGED = "unchanged", _("Unchanged")
    ERROR = "error", _("Error")


@dataclass
class RowResult:
    """What happens (or would happen) to one input row."""

    index: int  # the row's position in the input, from 0
    key: str  # the code it is matched by (SKU, dealer code, username, region path)
    action: str = Outcome.UNCHANGED  # what happens to the row if it has no error
    errors: dict[str, list[str]] = field(default_factory=dict)
    instance: Any = None  # the saved object after applying (or the existing one)
    changed: list[str] = field(default_factory=list)  # fields an update changes
    extra: dict = field(default_factory=dict)  # service-specific details (e.g. carried products to add)

    @property
    def outcome(self) -> str:
        """create / update / unchanged — or error as soon as the row has one."""
        return Outcome.ERROR if self.errors else self.action

    @outcome.setter
    def outcome(self, value: str) -> None:
        if value != Outcome.ERROR:
            self.action = value

    def add_error(self, column: str, message) -> None:
        self.errors.setdefault(column, []).append(str(message))

    @property
    def ok(self) -> bool:
        return not self.errors


class BulkInvalid(Exception):
    """Some rows have errors: nothing was saved. `results` lists every row."""

    def __init__(self, results: Sequence[RowResult]):
        self.results = list(results)
        bad = sum(1 for result in self.results if result.errors)
        super().__init__(str(NOTHING_VALID % {"errors": bad, "rows": len(self.results)}))

    @property
    def errors(self) -> dict[int, dict[str, list[str]]]:
        return {result.index: result.errors for result in self.results if result.errors}


def error_dict(error: ValidationError) -> dict[str, list[str]]:
    """A ValidationError as {field: [messages]} ("non_field_errors" for the whole object)."""
    if hasattr(error, "error_dict"):
        return {
            ("non_field_errors" if name == NON_FIELD_ERRORS else name): [str(message) for message in messages]
            for name, messages in error.message_dict.items()
        }
    return {"non_field_errors": [str(message) for message in error.messages]}


def model_errors(instance: models.Model, *, exclude: Iterable[str] = ()) -> dict[str, list[str]]:
    """The model's own validation of one row (field validators and clean()), without
    the per-row queries of foreign keys and uniqueness, which the bulk service
    answers with one lookup for all rows."""
    try:
        instance.full_clean(exclude=list(exclude), validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        return error_dict(error)
    return {}


def mark_repeated_keys(results: Sequence[RowResult], *, column: str, first_rows: dict | None = None,
                       row_number=lambda index: index + 1) -> None:
    """Flag every row whose key already appeared on an earlier row (a code must be unique in one input).

    `first_rows` carries the keys seen in earlier chunks of the same file."""
    seen = {} if first_rows is None else first_rows
    for result in results:
        key = result.key.casefold() if isinstance(result.key, str) else result.key
        if not key:
            continue
        if key in seen:
            result.add_error(column, KEY_REPEATED % {"key": result.key, "first": seen[key]})
        else:
            seen[key] = row_number(result.index)


def apply_changes(instance: models.Model, values: dict[str, Any]) -> list[str]:
    """Set `values` on `instance`; the names of the fields whose value really changed."""
    changed = []
    for name, value in values.items():
        field = instance._meta.get_field(name)
        if field.is_relation and field.many_to_one:
            # Compare ids, without loading the related object of every row.
            current = getattr(instance, field.attname)
            new = value.pk if isinstance(value, models.Model) else value
            if current != new:
                setattr(instance, name, value)
                changed.append(name)
        elif getattr(instance, name) != value:
            setattr(instance, name, value)
            changed.append(name)
    return changed


def counts(results: Iterable[RowResult]) -> dict[str, int]:
    """How many rows of each outcome: {"create": n, "update": n, "unchanged": n, "error": n}."""
    totals = {outcome: 0 for outcome in Outcome.values}
    for result in results:
        totals[result.outcome] += 1
    return totals
