"""Navigation per role, contributed by each app.

An app that has pages for people adds a module `<app>/navigation.py` with

    def nav_items(user) -> list[NavItem]: ...

and, optionally, `ROLE_HOME = {"rep": "visits:today"}`: the page a role lands
on after login. Apps are asked in INSTALLED_APPS order, so adding a page never
means editing a shared template.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module

from django.apps import apps
from django.urls import reverse


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    icon: str = "circle"
    order: int = 100

    @property
    def url(self) -> str:
        return reverse(self.url_name)


def _navigation_modules():
    for config in apps.get_app_configs():
        try:
            yield import_module(f"{config.name}.navigation")
        except ModuleNotFoundError as error:
            if error.name != f"{config.name}.navigation":
                raise


def nav_items_for(user) -> list[NavItem]:
    """The menu entries this user may open, in display order."""
    if not user.is_authenticated:
        return []
    items: list[NavItem] = []
    for module in _navigation_modules():
        provider = getattr(module, "nav_items", None)
        if provider is not None:
            items.extend(provider(user))
    return sorted(items, key=lambda item: item.order)


def role_home_url_name(user) -> str | None:
    """The URL name of the page this user's role lands on, if an app provides one."""
    role = "admin" if user.is_hq_admin else user.role
    for module in _navigation_modules():
        url_name = getattr(module, "ROLE_HOME", {}).get(role)
        if url_name:
            return url_name
    return None
