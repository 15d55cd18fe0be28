"""The leak matrix: every page and API endpoint of the URL conf, for every role, on
the world with two of everything (tests/security/world.py).

Nobody writes a case per endpoint. The routes are read from the URL conf; each
path parameter is classified by the collection it names ("dealers/{pk}" is a
dealer, "violations/{pk}/photos/{photo_id}" a violation photo, ...), and the
matrix knows, from the access policy, which objects of the world each role may
not see. Three checks follow:

1. **404, never a leak** — every route with an id, every method it answers,
   called with the id of an object the role may not see, answers exactly as it
   does for an id that does not exist (same status, same body) and never with
   success. So another side's dealer, order or attendee is indistinguishable
   from nothing, for reads and for writes (nested routes are tried with a
   parent the role sees and a child it does not, too).
2. **Nothing changes when the other side grows** — every page and endpoint
   without an id (lists, searches, filters with forged ids, exports, totals,
   charts, dashboards) and every page of an object the role sees is read, then
   a second batch of Zeta records is added (world.zeta_more: more orders,
   shipments, visits, attendees, a new dealer...), then everything is read
   again: an Alpha user's answers must be identical. Any row, count, total or
   chart point drawn from out-of-scope data shows up as a difference.
3. **Everything is classified** — a route whose parameter the matrix cannot
   classify is a finding, so a new endpoint is covered the day it is added, or
   the suite says what to add here.

`run_matrix(...)` returns the findings; the test asserts there are none, and a
second test loosens one scope function and asserts the matrix catches it.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from accounts.policy import Area, ScopeKind, Visibility, scope_kind, visibility

MISSING_ID = 2_000_000_000

# Routes left out on purpose: not about anyone's data (signing in and out, the
# public application form, the language switch, the schema), or the Django admin
# (HQ admin only, Django's own permission system).
UNSCOPED_PREFIXES = (
    "/admin/", "/i18n/", "/accounts/login/", "/accounts/logout/", "/accounts/password/reset/",
    "/apply/", "/api/schema/", "/api/docs/", "/api/v1/auth/", "/accounts/language/",
)

# Which object a path parameter names: by the parameter's own name, else by the
# collection before it ("parent/collection" first, then "collection").
PARAM_KEYS = {"dealer_pk": "dealer", "dealer_id": "dealer", "lead_id": "lead", "attendee_id": "attendee",
              "task_id": "task", "observation_id": "observation"}
COLLECTION_KEYS = {
    "violations/photos": "violation_photo", "visits/photos": "visit_photo", "rebates/plans": "rebate_plan",
    "rebates/statements": "statement", "rebates/assignments": "rebate_assignment", "promotions/leads": "lead",
    "scorecards/dealers": "dealer", "scorecards/market-sizes": "market_size",
    "dealers": "dealer", "evaluations": "evaluation", "dealer-contacts": "contact", "contacts": "contact",
    "contact-logs": "contact_log", "prospects": "prospect", "contracts": "contract", "violations": "violation",
    "violation-photos": "violation_photo", "dealer-applications": "application", "applications": "application",
    "orders": "order", "payments": "payment", "shipments": "shipment", "questions": "question",
    "promotions": "campaign", "attendees": "attendee", "tasks": "task", "visits": "visit",
    "observations": "observation", "visit-plans": "visit_plan", "requests": "request",
    "notifications": "notification", "users": "user", "stock-counts": "stock_count",
    # HQ's setup pages (HQ admin only): plans and their dealers like the rebates pages.
    "setup/rebate-plans": "rebate_plan", "setup/rebate-assignments": "rebate_assignment",
    # HQ's own records: the setup pages of the catalogue and criteria, and HQ's import jobs.
    "categories": None, "evaluation": None, "imports": None,
    # The catalogue and the territory tree are the same for everyone who sees them.
    "products": None, "product-categories": None, "tier-prices": None, "evaluation-criteria": None, "regions": None,
}
# Parameters that are not ids: a valid value, so the view goes on to look the object up.
NON_ID_VALUES = {("kind", "print"): "order", "kind": "memo", ("action", "orders"): "confirm",
                 "action": "approve", "step": "policy",
                 # upsert by code (ERP sync, HQ admin only): codes, not ids
                 "code": "NO-SUCH-CODE", "sku": "NO-SUCH-SKU", "tier": "city"}

# The area of the policy each kind of object belongs to (what decides who may see it).
KEY_AREAS = {
    "dealer": Area.DEALERS, "contact": Area.DEALERS, "contact_log": Area.DEALER_INTERNAL,
    "evaluation": Area.DEALER_INTERNAL, "violation": Area.DEALER_INTERNAL, "violation_photo": Area.DEALER_INTERNAL,
    "prospect": Area.DEALER_INTERNAL, "contract": Area.CONTRACTS, "draft_contract": Area.CONTRACTS,
    "application": Area.APPLICATIONS, "order": Area.ORDERS, "payment": Area.ORDERS, "shipment": Area.ORDERS,
    "statement": Area.REBATE_STATEMENTS, "rebate_assignment": Area.REBATE_STATEMENTS,
    "rebate_plan": Area.REBATE_PLANS, "question": Area.QUESTIONS, "visit": Area.VISITS,
    "observation": Area.VISITS, "visit_photo": Area.VISITS, "visit_plan": Area.VISITS,
    "stock_count": Area.STOCK_COUNTS, "request": Area.REQUESTS, "campaign": Area.CAMPAIGNS,
    "task": Area.CAMPAIGNS, "attendee": Area.ATTENDEES, "lead": Area.LEADS, "market_size": Area.MARKET_SIZES,
}
UNPUBLISHED = {"draft_contract"}  # what a "published only" role never sees, even on its own side

TOKEN = re.compile(r"\b[A-Za-z0-9]{64}\b")
NONCE = re.compile(r'nonce="[^"]*"')
# The menu's figures (common.navigation.menu_counts): a role that sees everything
# rightly sees them grow with the other side's data, on every page.
MENU_COUNT = re.compile(r'<span class="badge[^"]*menu-count"[^>]*>\d+</span>')


@dataclass(frozen=True)
class Route:
    template: str  # "/api/v1/dealers/{pk}/history/"
    params: tuple[str, ...]
    api: bool
    methods: tuple[str, ...]

    def literal_before(self, index: int) -> tuple[str, str]:
        """(parent collection, collection) literally before the `index`-th parameter."""
        parts = [part for part in self.template.strip("/").split("/")]
        literals, seen = [], -1
        for part in parts:
            if part.startswith("{"):
                seen += 1
                if seen == index:
                    break
                continue
            literals.append(part)
        parent = literals[-2] if len(literals) > 1 else ""
        return parent, literals[-1] if literals else ""


@dataclass
class Finding:
    check: str
    role: str
    method: str
    url: str
    detail: str

    def __str__(self) -> str:
        return f"[{self.check}] {self.role} {self.method} {self.url}: {self.detail}"


@dataclass
class Matrix:
    findings: list[Finding] = field(default_factory=list)
    requests: int = 0
    counts: dict[str, int] = field(default_factory=dict)  # requests per check and role
    seconds: dict[str, float] = field(default_factory=dict)

    def count(self, name: str) -> None:
        self.counts[name] = self.counts.get(name, 0) + 1

    def add(self, *args) -> None:
        self.findings.append(Finding(*args))


# --- the routes ------------------------------------------------------------------------------
def _template(pattern: str) -> str:
    pattern = pattern.replace("^", "").replace("$", "")
    pattern = re.sub(r"\(\?P<(\w+)>[^)]*\)", r"{\1}", pattern)
    return re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", pattern)


def _methods(pattern: URLPattern, api: bool) -> tuple[str, ...]:
    callback = pattern.callback
    actions = getattr(callback, "actions", None)
    if actions:  # (DRF adds "head" to a viewset's actions at its first request)
        return tuple(sorted(method for method in actions if method in ("get", "post", "put", "patch", "delete")))
    view_class = getattr(callback, "view_class", None) or getattr(callback, "cls", None)
    if view_class is not None and api:
        return tuple(method for method in ("get", "post", "put", "patch", "delete") if hasattr(view_class, method))
    return ("get", "post")


def routes() -> list[Route]:
    """Every route of the URL conf but the unscoped ones, as templates."""
    found: list[Route] = []

    def walk(patterns, prefix: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, prefix + _template(str(pattern.pattern)))
                continue
            template = "/" + prefix + _template(str(pattern.pattern))
            if template.startswith(UNSCOPED_PREFIXES) or "/media/" in template:
                continue
            api = template.startswith("/api/")
            params = tuple(re.findall(r"\{(\w+)\}", template))
            found.append(Route(template, params, api, _methods(pattern, api)))

    walk(get_resolver().url_patterns, "")
    return sorted(set(found), key=lambda route: route.template)


def param_key(route: Route, index: int) -> str | None:
    """The kind of object the `index`-th parameter names; "" when it is not an id; KeyError when unknown."""
    name = route.params[index]
    if name in PARAM_KEYS:
        return PARAM_KEYS[name]
    parent, collection = route.literal_before(index)
    for key in ((name, collection), (name, parent), name):
        if key in NON_ID_VALUES:
            return ""
    for key in (f"{parent}/{collection}", collection):
        if key in COLLECTION_KEYS:
            return COLLECTION_KEYS[key]
    raise KeyError(f"{route.template}: cannot tell what {{{name}}} names; add it to tests/security/matrix.py")


def non_id_value(route: Route, index: int) -> str:
    name = route.params[index]
    parent, collection = route.literal_before(index)
    for key in ((name, collection), (name, parent), name):
        if key in NON_ID_VALUES:
            return NON_ID_VALUES[key]
    return "x"


# --- who may see what --------------------------------------------------------------------------
def object_for(world, side, key: str, user):
    """The world's object of kind `key` on `side` ("alpha", "zeta"; a notification: the user's own role's)."""
    part = getattr(world, side)
    if key == "dealer":
        return part.dealer
    if key == "user":
        return part.rep
    if key == "lead":
        return part.objects["attendee"]
    if key == "rebate_plan":
        return part.objects["rebate_plan"]
    if key == "notification":
        return part.objects.get(f"notification_{user.effective_role}") or part.objects["notification_manager"]
    return part.objects[key]


def hidden(world, user, side: str, key: str) -> bool:
    """Whether the policy hides the `key` object of `side` from `user`."""
    if key == "notification":  # one's own only, whatever the role
        obj = object_for(world, side, key, user)
        return obj.recipient_id != user.pk
    if key == "user":
        return not user.is_hq_admin
    area = KEY_AREAS[key]
    seen = visibility(user, area)
    if seen == Visibility.NONE:
        return True
    if seen == Visibility.ALL:
        return False
    if seen == Visibility.PUBLISHED and key in UNPUBLISHED:
        return True
    if seen == Visibility.ASSIGNED:
        return object_for(world, side, key, user).assigned_to_id != user.pk
    side_bound = scope_kind(user) != ScopeKind.EVERYTHING
    return side_bound and side == "zeta"


# --- reading answers ---------------------------------------------------------------------------
def normalised(response, *, menu_counts: bool = True) -> str:
    """The response as comparable text: JSON sorted, tokens and nonces blanked, workbooks as cells
    (and the menu's figures left out when `menu_counts` is false)."""
    content_type = response.get("Content-Type", "")
    body = b"".join(response.streaming_content) if getattr(response, "streaming", False) else response.content
    if "spreadsheetml" in content_type:
        from openpyxl import load_workbook

        sheet = load_workbook(io.BytesIO(body), read_only=True).active
        return json.dumps([[str(cell) for cell in row] for row in sheet.iter_rows(values_only=True)])
    if content_type.startswith("image/") or "octet-stream" in content_type:
        return "binary:" + hashlib.sha1(body).hexdigest()
    text = body.decode("utf-8", "replace")
    if "json" in content_type:
        try:
            return json.dumps(json.loads(text), sort_keys=True)
        except ValueError:
            return text
    text = NONCE.sub('nonce=""', TOKEN.sub("<token>", text))
    return text if menu_counts else MENU_COUNT.sub("", text)


def call(client: Client, matrix: Matrix, method: str, url: str, api: bool):
    matrix.requests += 1
    matrix.count(f"hidden:{'api' if api else 'page'}:{method}")
    if method == "get":
        return client.get(url)
    if api:
        return getattr(client, method)(url, data="{}", content_type="application/json")
    return client.post(url, data={})


# --- the checks ----------------------------------------------------------------------------------
def url_for(route: Route, ids: list) -> str:
    url = route.template
    for name, value in zip(route.params, ids, strict=True):
        url = url.replace("{" + name + "}", str(value), 1)
    return url


def _ids(world, route: Route, user, sides: list[str | None]) -> list:
    """The parameters for `route`, each id from the given side (None: a missing id)."""
    values = []
    for index, side in enumerate(sides):
        key = param_key(route, index)
        if key == "":
            values.append(non_id_value(route, index))
        elif key is None:  # the catalogue: the shared first object (not secret)
            values.append(_catalogue_id(world, route, index))
        elif side is None:
            values.append(MISSING_ID)
        else:
            values.append(object_for(world, side, key, user).pk)
    return values


def _catalogue_id(world, route: Route, index: int):
    _parent, collection = route.literal_before(index)
    product = world.products[0]
    return {
        "products": product.pk, "product-categories": product.category_id,
        "tier-prices": product.tier_prices.order_by("pk").first().pk, "regions": world.country.pk,
        "evaluation-criteria": 1,
    }.get(collection, 1)


def classify(matrix: Matrix, all_routes: Iterable[Route]) -> list[Route]:
    """The routes whose parameters are all understood; the others become findings."""
    usable = []
    for route in all_routes:
        try:
            for index in range(len(route.params)):
                param_key(route, index)
        except KeyError as error:
            matrix.add("unclassified", "-", "-", route.template, str(error))
            continue
        usable.append(route)
    return usable


def check_hidden_objects(matrix: Matrix, client: Client, world, role: str, user, route_list: list[Route]) -> None:
    """Check 1: ids of objects the role may not see answer exactly like ids that do not exist."""
    for route in route_list:
        id_positions = [index for index in range(len(route.params)) if param_key(route, index) not in ("", None)]
        if not id_positions:
            continue
        last = id_positions[-1]
        # Every id from the other side; for a nested route also the parents from Alpha and the last id from Zeta.
        variants = [["zeta"] * len(route.params)]
        if len(id_positions) > 1 and scope_kind(user) != ScopeKind.EVERYTHING:
            variants.append(["alpha" if index != last else "zeta" for index in range(len(route.params))])
        for variant in variants:
            keys = [param_key(route, index) for index in range(len(route.params))]
            last_key = keys[last]
            if not hidden(world, user, variant[last], last_key):
                continue
            if any(side == "alpha" and index != last and hidden(world, user, "alpha", keys[index])
                   for index, side in enumerate(variant) if index in id_positions):
                continue  # a parent the role cannot see either: nothing nested to prove
            missing = [side if index != last else None for index, side in enumerate(variant)]
            for method in route.methods:
                url = url_for(route, _ids(world, route, user, variant))
                missing_url = url_for(route, _ids(world, route, user, missing))
                response = call(client, matrix, method, url, route.api)
                reference = call(client, matrix, method, missing_url, route.api)
                if response.status_code < 400:
                    matrix.add("404", role, method.upper(), url, f"answered {response.status_code} for a hidden {last_key}")
                elif response.status_code != reference.status_code:
                    matrix.add("404", role, method.upper(), url,
                               f"answered {response.status_code}, a missing id {reference.status_code}: existence leaks")
                elif method == "get" and (normalised(response).replace(url, "<url>")
                                          != normalised(reference).replace(missing_url, "<url>")):
                    matrix.add("404", role, method.upper(), url, "the body differs from a missing id's: existence leaks")


# A list is read plain, searched for the other side's name, and filtered by ids of the
# other side's dealer, campaign, plan, region and people (forged filters).
QUERY_VARIANTS = (
    "?search=Zeta&q=Zeta", "?dealer={dealer}&campaign={campaign}&plan={plan}",
    "?region={region}&rep={rep}&owner={rep}&assigned_to={rep}&reviewed_by={rep}",
)


def readable_urls(world, user, route_list: list[Route]) -> list[tuple[str, list[str]]]:
    """The GET urls of check 2. For a role with a side (manager, rep, dealer user):
    every list with each forged filter and search, and every page of an Alpha object
    it may see. For a role that sees everything: the lists of the areas the policy
    hides from it entirely (they must stay empty or refused)."""
    zeta = world.zeta
    filters = {"dealer": zeta.dealer.pk, "region": zeta.province.pk, "rep": zeta.rep.pk,
               "campaign": zeta.objects["campaign"].pk, "plan": zeta.objects["rebate_plan"].pk}
    side_bound = scope_kind(user) != ScopeKind.EVERYTHING
    urls = []
    for route in route_list:
        if "get" not in route.methods:
            continue
        if not route.params and side_bound:
            variants = [route.template + variant.format(**filters) for variant in QUERY_VARIANTS]
            if "export" in route.template:
                variants.append(route.template + "?format=xlsx")
            urls.append((route.template, variants))
        elif not route.params:
            _parent, collection = route.literal_before(0)
            key = COLLECTION_KEYS.get(f"{_parent}/{collection}", COLLECTION_KEYS.get(collection))
            if key in KEY_AREAS and visibility(user, KEY_AREAS[key]) == Visibility.NONE:
                urls.append((route.template, []))
        elif side_bound:
            keys = [param_key(route, index) for index in range(len(route.params))]
            if not any(key not in ("", None) and hidden(world, user, "alpha", key) for key in keys):
                urls.append((url_for(route, _ids(world, route, user, ["alpha"] * len(route.params))), []))
    return urls


def snapshot(matrix: Matrix, client: Client, urls: list[tuple[str, list[str]]], *, only=None,
             menu_counts: bool = True) -> dict[str, tuple[int, str]]:
    """Read every url (a list's variants only when the plain list answered 200); `only` repeats an earlier snapshot's urls."""
    answers = {}

    def read(url: str) -> None:
        matrix.requests += 1
        matrix.count("unchanged:api" if url.startswith("/api/") else "unchanged:page")
        response = client.get(url)
        answers[url] = (response.status_code, normalised(response, menu_counts=menu_counts))

    if only is not None:
        for url in only:
            read(url)
        return answers
    for url, variants in urls:
        read(url)
        if answers[url][0] == 200:
            for variant in variants:
                read(variant)
    return answers


def compare(matrix: Matrix, role: str, before: dict, after: dict) -> None:
    """Check 2: the answers before and after the other side grew must be identical."""
    for url, (status, body) in before.items():
        new_status, new_body = after[url]
        if new_status != status:
            matrix.add("unchanged", role, "GET", url, f"{status} became {new_status} when only Zeta data was added")
        elif new_body != body:
            matrix.add("unchanged", role, "GET", url, "changed when only Zeta data was added: " + _diff(body, new_body))


def _diff(before: str, after: str) -> str:
    import difflib

    lines = difflib.unified_diff(before.splitlines() or [before], after.splitlines() or [after], lineterm="", n=0)
    changed = [line for line in lines if line.startswith(("+", "-")) and not line.startswith(("+++", "---"))]
    text = " | ".join(line.strip()[:160] for line in changed[:6])
    if len(text) < 20 and len(before) < 400:
        return f"{before[:200]!r} → {after[:200]!r}"
    return text


def run_matrix(world, roles: dict[str, object], *, grow: Callable[[], None], route_filter: Callable[[Route], bool] | None = None) -> Matrix:
    """Run the three checks for `roles` ({name: user}); `grow` adds the second Zeta batch."""
    logging.getLogger("django.request").setLevel(logging.ERROR)  # thousands of expected 403/404s
    matrix = Matrix()
    route_list = classify(matrix, [route for route in routes() if route_filter is None or route_filter(route)])
    clients = {}
    started = time.monotonic()
    for role, user in roles.items():
        client = Client()
        client.force_login(user)
        clients[role] = client
        check_hidden_objects(matrix, client, world, role, user, route_list)
    matrix.seconds["hidden"] = time.monotonic() - started
    started = time.monotonic()
    urls = {role: readable_urls(world, user, route_list) for role, user in roles.items()}
    # A role that sees everything reads only the areas hidden from it (readable_urls); its
    # menu's figures count everything and rightly grow.
    menu_counts = {role: scope_kind(user) != ScopeKind.EVERYTHING for role, user in roles.items()}
    before = {role: snapshot(matrix, clients[role], urls[role], menu_counts=menu_counts[role]) for role in roles}
    matrix.seconds["before"] = time.monotonic() - started
    started = time.monotonic()
    grow()
    matrix.seconds["grow"] = time.monotonic() - started
    started = time.monotonic()
    for role in roles:
        after = snapshot(matrix, clients[role], urls[role], only=list(before[role]), menu_counts=menu_counts[role])
        compare(matrix, role, before[role], after)
    matrix.seconds["after"] = time.monotonic() - started
    return matrix
