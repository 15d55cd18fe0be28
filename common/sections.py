"""Page sections contributed by several apps, so a page owned by one app can
show another app's data without either editing the other's templates.

A page declares a name, e.g. "dealer_detail" (the dealer page) or "portal_home"
(the dealer user's portal). An app contributes by adding `<app>/sections.py`
with a function of that name:

    def dealer_detail(*, request, dealer) -> list[Section]: ...

The page calls `sections_for("dealer_detail", request=request, dealer=dealer)`
and renders them with `{% render_sections sections %}` (common/templatetags/crm.py).
Each provider runs a bounded number of queries of its own.

The home page is "role_home": `def role_home(*, request) -> list[Section]`
gives the signed-in user's worklist items (common/worklists.py) or any other
card (a dealer's latest suggestion, HQ's first-run checklist). Worklist cards
of several apps sharing an `anchor` are shown as one card.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import import_module

from django.apps import apps


@dataclass
class Section:
    title: str
    template: str
    context: dict = field(default_factory=dict)
    order: int = 100
    anchor: str = ""
    wide: bool = False  # on a grid page (the home page): the full width rather than half


def _section_modules():
    for config in apps.get_app_configs():
        try:
            yield import_module(f"{config.name}.sections")
        except ModuleNotFoundError as error:
            if error.name != f"{config.name}.sections":
                raise


def sections_for(page: str, **kwargs) -> list[Section]:
    """Every app's sections for `page`, in display order."""
    sections: list[Section] = []
    for module in _section_modules():
        provider = getattr(module, page, None)
        if provider is not None:
            sections.extend(provider(**kwargs))
    return sorted(sections, key=lambda section: section.order)
