"""Worklists: what a role's home page lists, each item a link with its figure.

An app's `role_home(*, request)` (common.sections, page "role_home") returns
Sections; most are a card of WorkItems built with `worklist_section(...)`:

    worklist_section(_("Orders"), [
        WorkItem(_("Paid orders to pick"), url, count=counts["orders.to_pick"], rows=[...]),
    ], order=200)

The figures come from common.navigation.menu_counts(request) (the menu's
figures, one query per request), so a worklist and the menu never disagree and
the home page adds only the queries of the few rows it lists.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from common.sections import Section

# Rows listed under a work item (the rest is one tap away, on the linked list).
ROWS_PER_ITEM = 3


@dataclass
class WorkRow:
    text: str
    url: str
    meta: str = ""


@dataclass
class WorkItem:
    label: str
    url: str
    count: int = 0
    rows: list[WorkRow] = field(default_factory=list)
    icon: str = "circle"
    tone: str = "primary"  # the badge's colour when there is something to do: primary, warning, danger
    key: str = ""  # a stable name for tests and anchors, e.g. "orders-to-pick"

    @property
    def badge(self) -> str:
        return f"text-bg-{self.tone}" if self.count else "text-bg-light"


def worklist_section(title, items: list[WorkItem], *, order: int = 100, anchor: str = "") -> Section:
    """A card titled `title` listing `items` (common/templates/includes/worklist_section.html)."""
    return Section(title=title, template="includes/worklist_section.html", context={"items": items},
                   order=order, anchor=anchor)
