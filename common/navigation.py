"""Navigation per role, contributed by each app.

An app that has pages for people adds a module `<app>/navigation.py` with

    def nav_items(user) -> list[NavItem]: ...

Each entry names the menu group it belongs to (`group="sales"`, one of
NAV_GROUPS or a group the app declares in its own `NAV_GROUPS`), so the menu
stays one row of a few grouped entries whatever the number of pages: a group
with several entries is a dropdown, a group with one entry is that entry, and a
short menu (a dealer's, the warehouse's) is shown flat.

An entry may show a figure beside it (`count="orders.to_pick"`): the app's
`nav_counts(user) -> dict[str, QuerySet | callable]` says what each figure counts
(a callable builds its queryset only when the figure is wanted), and
`menu_counts(request, keys)` counts the figures asked for in ONE query, each once
per request: every page asks for those its menu shows and those the layout shows
(an app's `LAYOUT_COUNTS`, e.g. the bell's unread notifications) — `page_counts` —,
the home page's worklists for all. The statement is compiled once per user, day and
territory (`FigureStatements`) and run on every request.
A figure that is the sum of others (disjoint sets) is declared as
`Total("app.a", "app.b")` and costs no SQL; with `alone=` it is counted by its own
queryset on the pages that show it without its parts. Apps are asked in INSTALLED_APPS
order, so adding a page never means editing a shared template.

`ROLE_HOME` is no longer needed by the built-in apps (every role lands on its
worklist, accounts.views.home), but an app may still declare
`ROLE_HOME = {"role": "url-name"}` to send a role elsewhere.
"""

from __future__ import annotations

import functools
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from importlib import import_module

from django.apps import apps
from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import pgettext_lazy

# A menu with at most this many entries is shown flat, without groups.
FLAT_MENU_MAX = 7


@dataclass(frozen=True)
class NavGroup:
    label: str
    icon: str = "circle"
    order: int = 100


# The menu's sections. An app may add its own in `<app>/navigation.py` as NAV_GROUPS.
NAV_GROUPS: dict[str, NavGroup] = {
    # `order` on the same scale as the entries' (Home 0, orders 300, ...), so an entry of its own sits among them.
    "field": NavGroup(pgettext_lazy("menu", "Field work"), icon="geo-alt", order=50),
    "dealers": NavGroup(pgettext_lazy("menu", "Dealers"), icon="shop-window", order=100),
    "sales": NavGroup(pgettext_lazy("menu", "Sales"), icon="cart3", order=310),
    "reports": NavGroup(pgettext_lazy("menu", "Reports"), icon="bar-chart-line", order=450),
    "setup": NavGroup(pgettext_lazy("menu", "Setup"), icon="gear", order=800),
}


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    icon: str = "circle"
    order: int = 100
    group: str = ""  # a key of NAV_GROUPS; "" for an entry of its own
    count: str = ""  # a key of menu_counts(): the figure shown beside the entry
    query: str = ""  # appended to the URL, e.g. "status=paid"

    @property
    def url(self) -> str:
        url = reverse(self.url_name)
        return f"{url}?{self.query}" if self.query else url


def _navigation_modules() -> tuple:
    """Each installed app's `navigation` module, in INSTALLED_APPS order. Looked up
    once per app registry: an app without one would otherwise cost a failed import
    (a search of sys.path) several times on every page."""
    return _navigation_modules_of(tuple(config.name for config in apps.get_app_configs()))


@functools.cache
def _navigation_modules_of(app_names: tuple[str, ...]) -> tuple:
    modules = []
    for name in app_names:
        try:
            modules.append(import_module(f"{name}.navigation"))
        except ModuleNotFoundError as error:
            if error.name != f"{name}.navigation":
                raise
    return tuple(modules)


def nav_groups() -> dict[str, NavGroup]:
    groups = dict(NAV_GROUPS)
    for module in _navigation_modules():
        groups.update(getattr(module, "NAV_GROUPS", {}))
    return groups


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


@dataclass(frozen=True)
class Total:
    """A figure of nav_counts() that adds up other figures of the same user, e.g.
    campaigns waiting = drafts to approve + ended ones to review (disjoint sets):
    counted from theirs, so it costs no queryset to build nor sub-select to run.

    `alone` (optional, lazy like any figure) counts the same rows in one queryset: used
    where the figures it adds up are not wanted themselves (the menu of every page
    shows the total; only the home page's worklist shows its parts)."""

    keys: tuple[str, ...]
    alone: object = None

    def __init__(self, *keys: str, alone=None):
        object.__setattr__(self, "keys", keys)
        object.__setattr__(self, "alone", alone)


def count_querysets(querysets: dict, *, keys=None, known: dict[str, int] | None = None) -> dict[str, int]:
    """{key: number of rows} of the figures `keys` (default all) of `querysets` — each a
    queryset, a callable giving one (built only when wanted) or a `Total` — counted in
    one SQL statement (a scalar sub-select per queryset); 0 for an empty (`.none()`)
    queryset. A `Total` is the sum of the figures it names (counted too, unless
    `known` has them), or counts its `alone` queryset where its parts are not wanted."""
    return _compile_counts(querysets, keys=keys, known=known or {}).run(known or {})


@dataclass(frozen=True)
class CountStatement:
    """count_querysets' work, compiled: the SQL that counts the figures, and how the
    figures follow from its one row (the `Total`s added up, the empty ones 0). Made of
    strings and plain values only, so it can be kept and run again (FigureStatements)."""

    sql: str
    params: tuple
    counted: tuple[str, ...]
    empty: tuple[str, ...]
    summed: tuple[tuple[str, tuple[str, ...]], ...]

    def run(self, known: dict[str, int]) -> dict[str, int]:
        counts = dict.fromkeys(self.empty, 0)
        if self.counted:
            with connection.cursor() as cursor:
                cursor.execute(self.sql, self.params)
                row = cursor.fetchone()
            counts.update({key: int(value or 0) for key, value in zip(self.counted, row, strict=True)})
        for key, parts in self.summed:
            counts[key] = sum(counts.get(part, known.get(part, 0)) for part in parts)
        return counts


def _compile_counts(querysets: dict, *, keys, known: dict[str, int]) -> CountStatement:
    wanted = set(querysets) if keys is None else {key for key in keys if key in querysets}
    summed: dict[str, Total] = {}
    for key in sorted(wanted):
        figure = querysets[key]
        if not isinstance(figure, Total):
            continue
        named = [part for part in figure.keys if part in querysets]
        if figure.alone is None or all(part in wanted or part in known for part in named):
            summed[key] = figure
            wanted.update(part for part in named if part not in known)
    parts, params, counted, empty = [], [], [], []
    for index, key in enumerate(sorted(wanted - set(summed))):
        figure = querysets[key]
        queryset = figure.alone if isinstance(figure, Total) else figure
        queryset = queryset() if callable(queryset) else queryset
        try:
            sql, query_params = queryset.order_by().values("pk").query.sql_with_params()
        except EmptyResultSet:
            empty.append(key)
            continue
        parts.append(f"(SELECT COUNT(*) FROM ({sql}) AS counted_{index})")
        params.extend(query_params)
        counted.append(key)
    return CountStatement(sql="SELECT " + ", ".join(parts), params=tuple(params), counted=tuple(counted),
                          empty=tuple(empty), summed=tuple((key, total.keys) for key, total in summed.items()))


class FigureStatements:
    """The compiled statements of users' figures, kept per process (a bounded LRU).

    Building a manager's six figure querysets and compiling them cost a page about
    four times as much as running the statement (issue #16). The SQL is a function
    of what the figures are built from: the user's row, the local date and time
    zone, and what each app's `navigation.figures_key(user)` adds (the user's
    territory, read from the database once per request anyway). That is the key;
    nothing else may go into a figure's SQL — `test_figure_statements` holds every
    role's SQL the same all day and different once the user or their territory
    changes. A build that reads the database (something the key does not hold) is
    not kept. Counting still runs the SQL every time: the figures are never stale."""

    def __init__(self, size: int = 512):
        self.size = size
        self._kept: OrderedDict[tuple, CountStatement] = OrderedDict()
        self._lock = threading.Lock()

    def key(self, user, *, keys, known) -> tuple | None:
        """The key of the user's statement; None (nothing kept) if a value of theirs cannot be one.
        It holds the rows of the objects already loaded on the user too (`user.dealer`, read
        earlier in the request): a figure built from one of their fields reads nothing, so
        the key must change when that row does."""
        extra = tuple(module.figures_key(user) for module in _navigation_modules() if hasattr(module, "figures_key"))
        loaded = tuple(sorted((name, _row(related)) for name, related in user._state.fields_cache.items()))
        key = (type(user), _row(user), loaded, extra, timezone.localdate(), timezone.get_current_timezone_name(),
               None if keys is None else tuple(keys), frozenset(known))
        try:
            hash(key)
        except TypeError:  # e.g. a JSON field on the user some day: build every time rather than fail
            return None
        return key

    def get(self, key: tuple | None) -> CountStatement | None:
        if key is None:
            return None
        with self._lock:
            statement = self._kept.get(key)
            if statement is not None:
                self._kept.move_to_end(key)
            return statement

    def compile(self, key: tuple, build) -> CountStatement:
        """build() compiled, and kept if it read nothing from the database."""
        read = []

        def note(execute, sql, params, many, context):
            read.append(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(note):
            statement = build()
        if not read and key is not None:
            with self._lock:
                self._kept[key] = statement
                while len(self._kept) > self.size:
                    self._kept.popitem(last=False)
        return statement

    def clear(self) -> None:
        with self._lock:
            self._kept.clear()


figure_statements = FigureStatements()


def _row(instance) -> tuple | None:
    """A model instance as plain values: its class and every column (None for no object)."""
    if instance is None:
        return None
    return type(instance), tuple(_frozen(getattr(instance, field.attname)) for field in instance._meta.concrete_fields)


def _frozen(value):
    """A column's value as a key can hold it: a JSON list or object as a tuple."""
    if isinstance(value, list):
        return tuple(_frozen(item) for item in value)
    if isinstance(value, dict):
        return tuple(sorted((key, _frozen(item)) for key, item in value.items()))
    return value


def user_figures(user) -> dict:
    """Every app's `nav_counts(user)`: what each of the user's figures counts."""
    figures: dict = {}
    if user is not None and user.is_authenticated:
        for module in _navigation_modules():
            provider = getattr(module, "nav_counts", None)
            if provider is not None:
                figures.update(provider(user))
    return figures


def menu_counts(request, keys=None) -> dict[str, int]:
    """The figures beside menu entries and on the home worklists for the signed-in
    user: every app's `nav_counts(user)` — or only `keys` of them (the menu asks for
    those it shows) —, counted in one query; a figure is counted once per request
    (the dict returned holds every figure counted so far in the request). The
    statement is compiled once per user, day and territory (FigureStatements)."""
    counts = getattr(request, "_crm_menu_counts", None)
    if counts is None:
        counts = request._crm_menu_counts = {}
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return counts
    asked = None if keys is None else sorted({key for key in keys if key not in counts})
    if asked == []:
        return counts
    key = figure_statements.key(user, keys=asked, known=counts)
    statement = figure_statements.get(key)
    if statement is None:
        def build() -> CountStatement:
            figures = getattr(request, "_crm_menu_figures", None)
            if figures is None:
                figures = request._crm_menu_figures = user_figures(user)
            missing = [name for name in (figures if asked is None else asked) if name in figures and name not in counts]
            return _compile_counts(figures, keys=missing, known=counts)

        statement = figure_statements.compile(key, build)
    counts.update(statement.run(counts))
    return counts


def _request_nav_items(request) -> list[NavItem]:
    items = getattr(request, "_crm_nav_items", None)
    if items is None:
        items = request._crm_nav_items = nav_items_for(request.user)
    return items


def page_counts(request) -> dict[str, int]:
    """The figures every page shows: those beside the menu's entries and the layout's
    own (an app's `LAYOUT_COUNTS`, e.g. the unread notifications on the bell), counted
    in one statement whichever the page prints first."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    shown = [item.count for item in _request_nav_items(request) if item.count]
    shown += [key for module in _navigation_modules() for key in getattr(module, "LAYOUT_COUNTS", ())]
    return menu_counts(request, keys=shown)


@dataclass
class MenuEntry:
    """One entry of the rendered menu: a link, or a group (dropdown) of links."""

    label: str
    icon: str
    url: str = ""
    active: bool = False
    count: int = 0
    children: list[MenuEntry] = field(default_factory=list)
    key: str = ""

    @property
    def is_group(self) -> bool:
        return bool(self.children)


def menu_for(request) -> list[MenuEntry]:
    """The user's menu as rendered: grouped entries (one row on a desktop, a
    short list on a phone), each with its figure; the figures of a group add up."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    current = getattr(getattr(request, "resolver_match", None), "view_name", "")
    items = _request_nav_items(request)
    counts = page_counts(request)  # only the figures the menu and the layout show
    links: list[tuple[NavItem, MenuEntry]] = []
    for item in items:
        try:
            url = item.url
        except NoReverseMatch:
            continue
        count = counts.get(item.count, 0) if item.count else 0
        links.append((item, MenuEntry(label=item.label, icon=item.icon, url=url,
                                      active=item.url_name == current, count=count, key=item.url_name)))
    if len(links) <= FLAT_MENU_MAX:
        return [entry for _item, entry in links]
    groups = nav_groups()
    menu: list[tuple[int, MenuEntry]] = []
    grouped: dict[str, MenuEntry] = {}
    for item, entry in links:
        group = groups.get(item.group) if item.group else None
        if group is None:
            menu.append((item.order, entry))
            continue
        if item.group not in grouped:
            grouped[item.group] = MenuEntry(label=group.label, icon=group.icon, key=item.group)
            menu.append((group.order, grouped[item.group]))
        parent = grouped[item.group]
        parent.children.append(entry)
        parent.count += entry.count
        parent.active = parent.active or entry.active
    result = []
    for _order, entry in sorted(menu, key=lambda pair: pair[0]):
        if len(entry.children) == 1:
            entry = entry.children[0]
        result.append(entry)
    return result


def role_home_url_name(user) -> str | None:
    """The URL name of the page this user's role lands on, if an app sends it elsewhere than its worklist."""
    role = "admin" if user.is_hq_admin else user.role
    for module in _navigation_modules():
        url_name = getattr(module, "ROLE_HOME", {}).get(role)
        if url_name:
            return url_name
    return None
