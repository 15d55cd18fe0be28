"""Reads of the hq app: the first-run checklist and the imports (HQ admin only)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Exists, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.models import Role, User
from dealers.models import Dealer, DealerStatus
from hq.carried import carries_something
from hq.models import ImportJob
from inventory.models import TierPrice
from regions.models import Region
from visits.models import VisitPlan


@dataclass(frozen=True)
class ChecklistItem:
    key: str
    title: str
    hint: str
    url: str
    action: str
    done: bool


@dataclass(frozen=True)
class Checklist:
    items: list[ChecklistItem]

    @property
    def complete(self) -> bool:
        return all(item.done for item in self.items)

    @property
    def done_count(self) -> int:
        return sum(item.done for item in self.items)

    @property
    def next_item(self) -> ChecklistItem | None:
        return next((item for item in self.items if not item.done), None)


def _working_dealers():
    """Active dealers with an active rep: those a rep can visit."""
    return Dealer.objects.filter(status=DealerStatus.ACTIVE, rep__is_active=True, rep__role=Role.REP)


def setup_checklist() -> Checklist:
    """What is still missing before a rep can visit a dealer and get a suggested
    order — five EXISTS queries, whatever the size of the install."""
    dealers = _working_dealers()
    # A price for the tier of a dealer that can be visited (before there is one: any price).
    priced = TierPrice.objects.filter(product__is_active=True).filter(
        Q(tier__in=dealers.values("tier")) | ~Exists(dealers)).exists()
    ready_dealers = dealers.filter(carries_something())
    items = [
        ChecklistItem("region", str(_("A region")), str(_("The territory tree your dealers sit in.")),
                      reverse("hq:regions"), str(_("Add a region")), Region.objects.exists()),
        ChecklistItem("product", str(_("A product with a price for the dealer's tier")),
                      str(_("What the dealers order, with the price list of their tier.")),
                      reverse("hq:products"), str(_("Add a product")), priced),
        ChecklistItem("rep", str(_("A sales rep")), str(_("The person who visits the dealers.")),
                      reverse("hq:user_create") + "?role=rep", str(_("Add a rep")),
                      User.objects.filter(role=Role.REP, is_active=True).exists()),
        ChecklistItem("dealer", str(_("An active dealer assigned to a rep, with the products it carries")),
                      str(_("Type one in or import your dealer list (CSV or Excel).")),
                      reverse("hq:imports") + "?kind=dealers", str(_("Import dealers")), ready_dealers.exists()),
        ChecklistItem("plan", str(_("A visit plan")), str(_("When the rep visits the dealer, e.g. days 10 and 25.")),
                      reverse("hq:visit_plans"), str(_("Plan visits")),
                      VisitPlan.objects.filter(is_active=True, dealer__in=dealers).exists()),
    ]
    return Checklist(items=items)


def import_job_list(*, user) -> object:
    """The imports, newest first (HQ admin only; nobody else has any)."""
    if not (user.is_authenticated and user.is_hq_admin):
        return ImportJob.objects.none()
    return ImportJob.objects.select_related("created_by").order_by("-created_at", "-id")


def users_list(*, search: str = "", role: str = ""):
    users = User.objects.prefetch_related("regions").select_related("dealer").order_by("username")
    if role:
        users = users.filter(role=role)
    if search:
        users = users.filter(Q(username__icontains=search) | Q(first_name__icontains=search)
                             | Q(last_name__icontains=search) | Q(email__icontains=search))
    return users
