"""Every write goes through a service (docs/ARCHITECTURE.md, issue #17): the layers
that face people and machines — views, API views and serializers, forms, template
tags, home sections, menus — validate and call services; they never save, update
or delete rows themselves, so one rule holds for the page, the API and an import."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django.urls import get_resolver
from rest_framework import mixins, serializers

ROOT = Path(__file__).resolve().parents[2]
APPS = ("accounts", "common", "dealers", "hq", "inventory", "notifications", "portal", "promotions", "rebates",
        "regions", "scorecards", "visits")
# Calls that write rows whatever they are called on; `create`/`update`/`delete` only on
# a manager or queryset (`Model.objects...`), since dicts and hashes have an update() too.
ALWAYS_WRITES = {"save", "bulk_create", "bulk_update", "update_or_create", "get_or_create"}
QUERYSET_WRITES = {"create", "update", "delete"}


def _facing_modules():
    for app in APPS:
        for source in (ROOT / app).rglob("*.py"):
            parts = source.relative_to(ROOT).parts
            if "tests" in parts or "migrations" in parts:
                continue
            name = source.stem
            if ("views" in parts or "api" in parts or "templatetags" in parts or name.endswith("views")
                    or name in {"forms", "serializers", "sections", "navigation", "context_processors", "widgets"}):
                yield source


def _writes(source: Path, root: Path = ROOT) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        receiver, method = ast.unparse(node.func.value), node.func.attr
        if method in ALWAYS_WRITES or (method in QUERYSET_WRITES and "objects" in receiver):
            found.append(f"{source.relative_to(root)}:{node.lineno}: {receiver}.{method}(...)")
    return found


def test_no_view_form_serializer_or_tag_writes_rows_itself():
    modules = list(_facing_modules())
    assert len(modules) > 40  # the scan sees the apps' views and APIs
    assert [write for source in modules for write in _writes(source)] == []


def test_the_scan_finds_a_write_where_there_is_one(tmp_path):
    source = tmp_path / "views.py"
    source.write_text(
        "def view(request, dealer):\n"
        "    dealer.save(update_fields=['name'])\n"
        "    Dealer.objects.filter(pk=1).update(name='x')\n"
        "    Visit.objects.create(dealer=dealer)\n"
        "    context.update({'a': 1})\n"
    )
    assert [line.split(": ", 1)[1] for line in _writes(source, root=tmp_path)] == [
        "dealer.save(...)", "Dealer.objects.filter(pk=1).update(...)", "Visit.objects.create(...)",
    ]


def _viewsets(patterns):
    for pattern in patterns:
        if hasattr(pattern, "url_patterns"):
            yield from _viewsets(pattern.url_patterns)
        elif getattr(pattern.callback, "cls", None) is not None:
            yield pattern.callback.cls


def _own(cls, name: str, base) -> bool:
    return getattr(cls, name) is not getattr(base, name)


def _saves_through_a_service(cls, mixin, hook: str, action: str, serializer_method: str | None) -> bool:
    """DRF's default hook saves the serializer, which writes the model itself: a write
    view overrides the hook, the action, or its serializer's create/update."""
    if _own(cls, hook, mixin) or _own(cls, action, mixin):
        return True
    serializer = getattr(cls, "serializer_class", None)
    return bool(serializer_method and serializer is not None and getattr(serializer, serializer_method) not in (
        getattr(serializers.ModelSerializer, serializer_method), getattr(serializers.Serializer, serializer_method)))


@pytest.mark.parametrize("mixin, hook, action, serializer_method", [
    (mixins.CreateModelMixin, "perform_create", "create", "create"),
    (mixins.UpdateModelMixin, "perform_update", "update", "update"),
    (mixins.DestroyModelMixin, "perform_destroy", "destroy", None),
])
def test_every_api_write_goes_through_a_service(mixin, hook, action, serializer_method):
    offenders = []
    for cls in set(_viewsets(get_resolver().url_patterns)):
        if not issubclass(cls, mixin) or _saves_through_a_service(cls, mixin, hook, action, serializer_method):
            continue
        if mixin is mixins.UpdateModelMixin and "put" not in cls.http_method_names and _own(cls, "partial_update", mixin):
            continue  # PATCH only, and its own partial_update
        offenders.append(f"{cls.__module__}.{cls.__name__}.{hook}")
    assert offenders == []
