"""The audit trail of sensitive changes (issue #12), on django-auditlog.

Each app registers what is sensitive in its models (`audit_register(Dealer,
key="dealer", fields=[...])` in its AppConfig.ready): a change of one of those
fields — old and new value, when, by whom — is written by auditlog's signals
as a LogEntry in the same transaction as the change itself, whoever makes it
(a service, the API, a page, the Django admin). Writes that bypass signals (a
set-based `.update()`) record their entries with `audit_log_changes(...)`.

Who acted comes from the request (AuditActorMiddleware: the session user, or
the API token's user once DRF has authenticated it) or, outside a request, from
`with audit_actor(user):` around a service call. HQ admin reads the trail on the
record's page and through `GET /api/v1/audit/?model=&object_id=`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import datetime
from functools import wraps
from typing import Any

from django.db.models import BooleanField, ForeignKey, Model, QuerySet
from django.utils.encoding import force_str
from django.utils.translation import gettext_lazy as _

AUDITED: dict[str, type[Model]] = {}  # the API's ?model= names
_ACTOR: ContextVar[Callable[[], Any] | None] = ContextVar("audit_actor", default=None)
_ADDRESS: ContextVar[str | None] = ContextVar("audit_address", default=None)
ACTION_LABELS = {0: _("created"), 1: _("changed"), 2: _("deleted"), 3: _("viewed")}
YES_NO = {"True": _("yes"), "False": _("no")}


def audit_register(model: type[Model], *, key: str, fields: Sequence[str], m2m: Sequence[str] = ()) -> None:
    """Track changes of `fields` (and many-to-many `m2m`) of `model`, known to the API as `key`."""
    from auditlog.registry import auditlog

    auditlog.register(model, include_fields=list(fields), m2m_fields=set(m2m))
    AUDITED[key] = model


def model_key(model: type[Model]) -> str | None:
    for key, registered in AUDITED.items():
        if registered is model:
            return key
    return None


# --- who acted ------------------------------------------------------------------------------------
def _current_actor():
    getter = _ACTOR.get()
    user = getter() if getter is not None else None
    return user if user is not None and getattr(user, "is_authenticated", False) and user.pk else None


def fill_actor(sender, instance, **kwargs) -> None:
    """pre_save of LogEntry: the acting user and address, unless given."""
    if instance.actor_id is None:
        user = _current_actor()
        if user is not None:
            instance.actor_id = user.pk
            instance.actor_email = getattr(user, "email", None)
    if not instance.remote_addr:
        instance.remote_addr = _ADDRESS.get()


class AuditActorMiddleware:
    """The request's user acts in everything written while it is served (read when an
    entry is written, so a token user authenticated by DRF in the view counts too)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        actor = _ACTOR.set(lambda: getattr(request, "user", None))
        address = _ADDRESS.set(request.META.get("REMOTE_ADDR"))
        try:
            return self.get_response(request)
        finally:
            _ACTOR.reset(actor)
            _ADDRESS.reset(address)


@contextmanager
def audit_actor(user):
    """Entries written inside are by `user` (a service called outside a request: a
    command, a task, a test); inside a request it is the same user anyway."""
    token = _ACTOR.set(lambda: user)
    try:
        yield
    finally:
        _ACTOR.reset(token)


def acting(param: str):
    """Decorate a service: its keyword argument `param` (e.g. "updated_by") is the
    actor of the entries it writes, also when called outside a request."""

    def decorate(service):
        @wraps(service)
        def wrapper(*args, **kwargs):
            user = kwargs.get(param)
            if user is None:
                return service(*args, **kwargs)
            with audit_actor(user):
                return service(*args, **kwargs)

        return wrapper

    return decorate


# --- writing entries that signals do not see ------------------------------------------------------
def _text(value) -> str:
    if isinstance(value, Model):
        return force_str(value.pk)
    return "None" if value is None else force_str(value)


def audit_log_changes(*, instances: Iterable[Model], changes: dict[str, tuple[Any, Any]] | Callable[[Model], dict]) -> int:
    """Record an update of `instances` made without signals (a set-based `.update()`):
    `changes` is {field: (old, new)}, or a function of the instance giving it. Call it
    inside the same transaction as the update. Returns how many entries were written."""
    from auditlog.models import LogEntry

    written = 0
    for instance in instances:
        fields = changes(instance) if callable(changes) else changes
        fields = {name: [_text(old), _text(new)] for name, (old, new) in fields.items() if _text(old) != _text(new)}
        if fields:
            LogEntry.objects.log_create(instance, action=LogEntry.Action.UPDATE, changes=fields)
            written += 1
    return written


# --- reading the trail ------------------------------------------------------------------------------
@dataclass
class AuditChange:
    field: str
    label: str
    old: str
    new: str


@dataclass
class AuditRow:
    at: datetime
    actor: Any
    action: str
    changes: list[AuditChange] = field(default_factory=list)
    subject: str = ""  # which record, when a trail shows several


def audit_entries(*, instance: Model) -> QuerySet:
    """The LogEntry rows of one object, newest first, with the acting user."""
    from auditlog.models import LogEntry

    return LogEntry.objects.get_for_object(instance).select_related("actor").order_by("-timestamp", "-id")


def audit_history(*, instance: Model, limit: int = 50) -> list[AuditRow]:
    """The newest `limit` changes of one object, readable: field labels, choices by
    their label, related objects by name (one query per related model, not per row)."""
    entries = list(audit_entries(instance=instance)[:limit])
    model = type(instance)
    related: dict[type[Model], set[str]] = {}
    for entry in entries:
        for name, values in (entry.changes_dict or {}).items():
            model_field = _field(model, name)
            if isinstance(model_field, ForeignKey) and isinstance(values, list):
                related.setdefault(model_field.related_model, set()).update(v for v in values if v not in ("None", None, ""))
    names = {
        target: {force_str(pk): force_str(obj) for pk, obj in target._default_manager.in_bulk(
            [int(pk) for pk in pks if str(pk).isdigit()]).items()}
        for target, pks in related.items()
    }
    rows = []
    for entry in entries:
        row = AuditRow(at=entry.timestamp, actor=entry.actor, action=force_str(ACTION_LABELS.get(entry.action, entry.action)))
        for name, values in (entry.changes_dict or {}).items():
            model_field = _field(model, name)
            label = force_str(model_field.verbose_name) if model_field is not None else name
            if isinstance(values, dict):  # a many-to-many change: {"operation": ..., "objects": [...]}
                sign = {"add": "+", "delete": "−", "clear": "∅"}.get(values.get("operation"), "")
                row.changes.append(AuditChange(name, label, "", f"{sign} {', '.join(map(str, values.get('objects', [])))}"))
                continue
            old, new = (values + ["", ""])[:2]
            row.changes.append(AuditChange(name, label, _display(model_field, old, names), _display(model_field, new, names)))
        rows.append(row)
    return rows


def audit_history_of(*, instances: Iterable[Model], limit: int = 50) -> list[AuditRow]:
    """The changes of several records shown as one trail (a product and its tier
    prices), newest first: one query per record (a handful), then merged."""
    rows: list[AuditRow] = []
    for instance in instances:
        for row in audit_history(instance=instance, limit=limit):
            row.subject = str(instance)
            rows.append(row)
    return sorted(rows, key=lambda row: row.at, reverse=True)[:limit]


def _field(model: type[Model], name: str):
    try:
        return model._meta.get_field(name)
    except Exception:  # a field since removed
        return None


def _display(model_field, value, names) -> str:
    if value in (None, "None"):
        return "—"
    if isinstance(model_field, ForeignKey):
        return names.get(model_field.related_model, {}).get(force_str(value), force_str(value))
    if isinstance(model_field, BooleanField):
        return force_str(YES_NO.get(force_str(value), value))
    choices = dict(model_field.flatchoices) if model_field is not None and model_field.choices else {}
    return force_str(choices.get(value, value))
