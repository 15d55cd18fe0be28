"""Reads of campaigns, always scoped to the user, and the set-based figures:
who takes part, the sell-in effect, the follow-up state, and the promotion
windows the suggested order leaves out.

Taking part: a dealer takes part in a campaign when it is named on it, or when
its region lies in the subtree of one of the campaign's regions.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from accounts.models import Role
from dealers.models import Dealer
from dealers.selectors import dealer_queryset_for
from inventory.models import OrderLine, Product, Shipment, ShipmentLine
from promotions.calculations import Lift, achievement, comparison_period, lift
from promotions.models import (
    LIVE_STATUSES,
    Attendee,
    AttendeeQuerySet,
    Campaign,
    CampaignProduct,
    CampaignQuerySet,
    CampaignReview,
    Interest,
    LeadFollowUp,
    ObjectiveKind,
    PreparationTask,
    ThankYouStatus,
)
from regions.models import Region, subtree_q
from regions.selectors import region_ancestor_ids, regions_managed_by

CampaignDealer = Campaign.dealers.through
CampaignRegion = Campaign.regions.through
ALL_SEEING = (Role.ADMIN, Role.FINANCE, Role.WAREHOUSE)


# --- Scope ------------------------------------------------------------------------------
def _taking_part(dealers: QuerySet[Dealer]) -> Q:
    """Campaigns any of `dealers` takes part in: named, or through a region above theirs."""
    regions_above = Region.objects.filter(Exists(dealers.filter(region__path__startswith=OuterRef("path"))))
    return Q(pk__in=CampaignDealer.objects.filter(dealer__in=dealers).values("campaign_id")) | Q(
        pk__in=CampaignRegion.objects.filter(region__in=regions_above).values("campaign_id")
    )


def campaign_queryset_for(user) -> CampaignQuerySet:
    """The campaigns `user` may see: the scope every promotions page, endpoint and
    export starts from; anything else answers 404.

    HQ admin, finance and warehouse: all. A manager: campaigns touching their
    regions (a campaign region in, above or below their territory) or their
    dealers. A rep: the campaigns their dealers take part in. Both also see the
    campaigns they own or created. A dealer user: the approved-or-later
    campaigns its company takes part in.
    """
    campaigns = Campaign.objects.all()
    if not user.is_authenticated:
        return campaigns.none()
    role = user.effective_role
    if role in ALL_SEEING:
        return campaigns
    if role == Role.DEALER:
        return campaigns.live().filter(_taking_part(Dealer.objects.filter(pk=user.dealer_id)))
    mine = Q(owner=user) | Q(created_by=user)
    if role == Role.MANAGER:
        managed = regions_managed_by(user)
        above = {region_id for region in managed for region_id in region_ancestor_ids(region)}
        touching = CampaignRegion.objects.filter(Q(region_id__in=above) | subtree_q(managed, prefix="region__"))
        named = CampaignDealer.objects.filter(dealer__in=dealer_queryset_for(user))
        return campaigns.filter(
            Q(pk__in=touching.values("campaign_id")) | Q(pk__in=named.values("campaign_id")) | mine
        )
    if role == Role.REP:
        return campaigns.filter(_taking_part(dealer_queryset_for(user)) | mine)
    return campaigns.none()


def campaign_list(*, user) -> CampaignQuerySet:
    """The user's campaigns with what a list row shows, in a fixed number of queries."""
    return (
        campaign_queryset_for(user)
        .select_related("owner")
        .with_task_progress()
        .with_attendee_count()
    )


def campaign_detail(*, user, pk: int) -> Campaign:
    """One campaign in the user's scope with its people, places and products (Campaign.DoesNotExist outside)."""
    return (
        campaign_queryset_for(user)
        .select_related("owner", "created_by", "approved_by")
        .prefetch_related(
            "regions",
            Prefetch("dealers", queryset=Dealer.objects.select_related("region").order_by("name")),
            Prefetch("product_lines", queryset=CampaignProduct.objects.select_related("product").order_by("product__sku")),
            Prefetch("tasks", queryset=PreparationTask.objects.select_related("owner", "done_by")),
            "transitions__by",
        )
        .get(pk=pk)
    )


def campaigns_of_dealer(*, user, dealer: Dealer) -> CampaignQuerySet:
    """The campaigns `dealer` takes part in that `user` may see (the dealer page and the portal)."""
    return campaign_queryset_for(user).filter(_taking_part(Dealer.objects.filter(pk=dealer.pk)))


def attendee_queryset_for(user) -> AttendeeQuerySet:
    """Attendees and leads of the campaigns `user` may see, for staff who work them
    (HQ admin, managers, reps); finance, warehouse and dealer users see none."""
    if not user.is_authenticated or user.effective_role not in (Role.ADMIN, Role.MANAGER, Role.REP):
        return Attendee.objects.none()
    return Attendee.objects.filter(campaign__in=campaign_queryset_for(user))


def lead_queryset_for(user) -> AttendeeQuerySet:
    """The leads `user` works: a rep the leads assigned to them; a manager and HQ
    admin every lead of the campaigns they may see."""
    if not user.is_authenticated:
        return Attendee.objects.none()
    if user.effective_role == Role.REP:
        return Attendee.objects.leads().filter(assigned_to=user)
    return attendee_queryset_for(user).leads()


def lead_list(*, user) -> AttendeeQuerySet:
    return (
        lead_queryset_for(user)
        .select_related("campaign", "assigned_to", "thank_you")
        .with_follow_up_state()
        .annotate(follow_up_count=Count("follow_ups"))
    )


def campaign_participant_queryset(*, campaign: Campaign) -> QuerySet[Dealer]:
    """The dealers taking part in `campaign` (named or through its regions).

    One query, or two when the campaign's regions are not prefetched.
    """
    return Dealer.objects.filter(
        Q(pk__in=CampaignDealer.objects.filter(campaign=campaign).values("dealer_id"))
        | subtree_q(list(campaign.regions.all()), prefix="region__")
    )


def campaign_regions_touched(*, campaign: Campaign) -> list[Region]:
    """The campaign's regions and the regions of its named dealers (who oversees it)."""
    regions = {region.pk: region for region in campaign.regions.all()}
    for dealer in campaign.dealers.all():
        regions.setdefault(dealer.region_id, dealer.region)
    return list(regions.values())


# --- Preparation and follow-up state ---------------------------------------------------------
@dataclass(frozen=True)
class FollowUpState:
    """Where a campaign's people stand: the campaign page's clock panel (one query)."""

    attendees: int = 0
    leads: int = 0
    assigned: int = 0
    followed_up: int = 0
    thanked: int = 0
    emailed: int = 0

    @property
    def unassigned(self) -> int:
        return self.leads - self.assigned

    @property
    def awaiting_follow_up(self) -> int:
        return self.assigned - self.followed_up


def campaign_follow_up_state(*, campaign: Campaign) -> FollowUpState:
    logged = LeadFollowUp.objects.filter(attendee=OuterRef("pk"), by=OuterRef("assigned_to"))
    figures = (
        Attendee.objects.filter(campaign=campaign)
        .annotate(logged=Exists(logged))
        .aggregate(
            attendees=Count("pk"),
            leads=Count("pk", filter=~Q(interest=Interest.NONE)),
            assigned=Count("pk", filter=Q(assigned_to__isnull=False)),
            followed_up=Count("pk", filter=Q(assigned_to__isnull=False, logged=True)),
            thanked=Count("thank_you"),
            emailed=Count("thank_you", filter=Q(thank_you__status=ThankYouStatus.SENT)),
        )
    )
    return FollowUpState(**figures)


def task_progress(tasks: Sequence[PreparationTask]) -> tuple[int, int]:
    """(done, total) of prefetched tasks."""
    return sum(1 for task in tasks if task.is_done), len(tasks)


# --- Promotion windows (the suggested order leaves these periods out) -------------------------
def campaign_windows_for_dealers(
    *, dealer_ids: Iterable[int], start: datetime.date, end: datetime.date
) -> dict[int, list[tuple[datetime.date, datetime.date]]]:
    """For each dealer, the (start, end) dates of the approved-or-later campaigns it
    takes part in (named or through a region) that overlap [start, end], sorted.

    One query for any number of dealers. Dealers in no such campaign are absent
    (read a missing key as no promotion). For inventory's suggested order, which
    leaves count periods that overlapped a promotion out of "normal" sales.
    """
    dealer_ids = sorted({int(dealer_id) for dealer_id in dealer_ids})
    if not dealer_ids:
        return {}
    ids = ", ".join(str(dealer_id) for dealer_id in dealer_ids)  # int() above makes this safe
    statuses = ", ".join(["%s"] * len(LIVE_STATUSES))
    sql = f"""
        SELECT taking_part.dealer_id, c.start_date, c.end_date
        FROM ({_taking_part_sql(dealer_ids=ids)}) taking_part
        JOIN {Campaign._meta.db_table} c ON c.id = taking_part.campaign_id
        WHERE c.status IN ({statuses}) AND c.start_date <= %s AND c.end_date >= %s
        ORDER BY taking_part.dealer_id, c.start_date, c.end_date
    """
    params = [*[str(status) for status in LIVE_STATUSES], end, start]
    windows: dict[int, list[tuple[datetime.date, datetime.date]]] = defaultdict(list)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for dealer_id, start_date, end_date in cursor.fetchall():
            window = (_as_date(start_date), _as_date(end_date))
            if window not in windows[dealer_id]:
                windows[dealer_id].append(window)
    return dict(windows)


def _taking_part_sql(*, dealer_ids: str | None = None, campaign_ids: str | None = None) -> str:
    """SQL for the (campaign_id, dealer_id) pairs of dealers taking part in campaigns:
    named on the campaign, or in the subtree of one of its regions (a path prefix,
    as regions.models.subtree_q). `dealer_ids` and `campaign_ids` are comma-separated
    integers made by the caller with int()."""
    dealer, region = Dealer._meta.db_table, Region._meta.db_table
    named, regions = CampaignDealer._meta.db_table, CampaignRegion._meta.db_table
    named_where, region_where = ["1 = 1"], ["1 = 1"]
    if dealer_ids is not None:
        named_where.append(f"cd.dealer_id IN ({dealer_ids})")
        region_where.append(f"d.id IN ({dealer_ids})")
    if campaign_ids is not None:
        named_where.append(f"cd.campaign_id IN ({campaign_ids})")
        region_where.append(f"cr.campaign_id IN ({campaign_ids})")
    return f"""
        SELECT cd.campaign_id AS campaign_id, cd.dealer_id AS dealer_id
        FROM {named} cd
        WHERE {" AND ".join(named_where)}
        UNION
        SELECT cr.campaign_id AS campaign_id, d.id AS dealer_id
        FROM {regions} cr
        JOIN {region} root ON root.id = cr.region_id
        JOIN {region} sub ON sub.path LIKE root.path || '%%'
        JOIN {dealer} d ON d.region_id = sub.id
        WHERE {" AND ".join(region_where)}
    """


def _as_date(value) -> datetime.date:
    return value if isinstance(value, datetime.date) else datetime.date.fromisoformat(str(value))


# --- Effect: sell-in during the campaign against the same-length period before ---------------
@dataclass(frozen=True)
class EffectRow:
    dealer_id: int
    product_id: int
    quantity: Lift
    amount: Lift
    dealer: Dealer | None = None
    product: Product | None = None


@dataclass(frozen=True)
class EffectTotals:
    quantity: Lift
    amount: Lift


@dataclass
class CampaignEffect:
    """Sell-in (shipments) of a campaign's products to its dealers, per dealer and product."""

    campaign: Campaign
    before: tuple[datetime.date, datetime.date]
    during: tuple[datetime.date, datetime.date]
    rows: list[EffectRow] = field(default_factory=list)

    @property
    def totals(self) -> EffectTotals:
        return _sum_rows(self.rows)

    def by_product(self) -> list[tuple[Product | None, EffectTotals]]:
        return _group(self.rows, key=lambda row: row.product_id, label=lambda row: row.product)

    def by_dealer(self) -> list[tuple[Dealer | None, EffectTotals]]:
        return _group(self.rows, key=lambda row: row.dealer_id, label=lambda row: row.dealer)


def _sum_rows(rows: Iterable[EffectRow]) -> EffectTotals:
    totals = [Decimal(0)] * 4
    for row in rows:
        for index, value in enumerate(
            (row.quantity.before, row.quantity.during, row.amount.before, row.amount.during)
        ):
            totals[index] += value
    return EffectTotals(quantity=lift(totals[0], totals[1]), amount=lift(totals[2], totals[3]))


def _group(rows, *, key, label):
    groups: dict[int, list[EffectRow]] = defaultdict(list)
    for row in rows:
        groups[key(row)].append(row)
    result = [(label(members[0]), _sum_rows(members)) for members in groups.values()]
    return sorted(result, key=lambda item: (-item[1].amount.during, str(item[0])))


def _window_bounds(campaign: Campaign) -> tuple[datetime.datetime, datetime.datetime, datetime.datetime]:
    """(start of the period before, start of the campaign, end of the campaign) as aware
    times in the local time zone: each period runs from its first day 00:00 to the day after its last."""
    before_first, _before_last = comparison_period(campaign.start_date, campaign.end_date)
    local = timezone.get_current_timezone()

    def midnight(day: datetime.date) -> datetime.datetime:
        return datetime.datetime.combine(day, datetime.time.min, tzinfo=local)

    return midnight(before_first), midnight(campaign.start_date), midnight(campaign.end_date + datetime.timedelta(days=1))


def _effect_query(campaigns: Sequence[Campaign], *, per_dealer_product: bool) -> list[tuple]:
    """One aggregate query over the shipments of all `campaigns`: (campaign_id[,
    dealer_id, product_id], quantity before, quantity during, amount before,
    amount during). The amount is the shipped quantity at the order line's price."""
    ops = connection.ops
    timestamp = "CAST(%s AS timestamp with time zone)" if connection.vendor == "postgresql" else "%s"
    values, params = [], []
    for campaign in campaigns:
        values.append(f"({int(campaign.pk)}, {timestamp}, {timestamp}, {timestamp})")
        params += [ops.adapt_datetimefield_value(moment) for moment in _window_bounds(campaign)]
    ids = ", ".join(str(int(campaign.pk)) for campaign in campaigns)
    shipment, line, order_line = Shipment._meta.db_table, ShipmentLine._meta.db_table, OrderLine._meta.db_table
    campaign_product = CampaignProduct._meta.db_table
    keys = "w.campaign_id, s.dealer_id, l.product_id" if per_dealer_product else "w.campaign_id"
    price = "COALESCE(ol.unit_price, 0)"
    sql = f"""
        WITH w (campaign_id, before_at, start_at, end_at) AS (VALUES {", ".join(values)}),
        taking_part AS ({_taking_part_sql(campaign_ids=ids)})
        SELECT {keys},
            SUM(CASE WHEN s.shipped_at < w.start_at THEN l.quantity ELSE 0 END),
            SUM(CASE WHEN s.shipped_at >= w.start_at THEN l.quantity ELSE 0 END),
            SUM(CASE WHEN s.shipped_at < w.start_at THEN l.quantity * {price} ELSE 0 END),
            SUM(CASE WHEN s.shipped_at >= w.start_at THEN l.quantity * {price} ELSE 0 END)
        FROM w
        JOIN taking_part p ON p.campaign_id = w.campaign_id
        JOIN {shipment} s ON s.dealer_id = p.dealer_id AND s.shipped_at >= w.before_at AND s.shipped_at < w.end_at
        JOIN {line} l ON l.shipment_id = s.id
        LEFT JOIN {order_line} ol ON ol.order_id = s.order_id AND ol.product_id = l.product_id
        WHERE NOT EXISTS (SELECT 1 FROM {campaign_product} cp WHERE cp.campaign_id = w.campaign_id)
            OR EXISTS (
                SELECT 1 FROM {campaign_product} cp WHERE cp.campaign_id = w.campaign_id AND cp.product_id = l.product_id
            )
        GROUP BY {keys}
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _money(value) -> Decimal:
    return Decimal(str(value or 0)).quantize(Decimal("0.01"))


def campaign_effect(*, campaign: Campaign, with_names: bool = True) -> CampaignEffect:
    """The effect of one campaign (SPEC §4): sell-in of its products (all products
    when it names none) to the dealers taking part, during the campaign against
    the same number of days just before, per dealer and product.

    One aggregate query (plus one each for the dealers' and products' names).
    """
    before = comparison_period(campaign.start_date, campaign.end_date)
    effect = CampaignEffect(campaign=campaign, before=before, during=(campaign.start_date, campaign.end_date))
    raw = _effect_query([campaign], per_dealer_product=True)
    dealers = products = {}
    if with_names and raw:
        dealers = Dealer.objects.in_bulk({row[1] for row in raw})
        products = Product.objects.in_bulk({row[2] for row in raw})
    effect.rows = [
        EffectRow(
            dealer_id=dealer_id, product_id=product_id,
            quantity=lift(int(q_before or 0), int(q_during or 0)),
            amount=lift(_money(a_before), _money(a_during)),
            dealer=dealers.get(dealer_id), product=products.get(product_id),
        )
        for _campaign_id, dealer_id, product_id, q_before, q_during, a_before, a_during in raw
    ]
    return effect


def campaign_effect_totals(*, campaigns: Sequence[Campaign]) -> dict[int, EffectTotals]:
    """The effect totals of many campaigns at once: {campaign_id: EffectTotals}
    (quantity and amount lifts). One aggregate query; campaigns without any
    sell-in in either period get zero lifts."""
    campaigns = list(campaigns)
    if not campaigns:
        return {}
    zero = EffectTotals(quantity=lift(0, 0), amount=lift(0, 0))
    totals = dict.fromkeys((campaign.pk for campaign in campaigns), zero)
    for campaign_id, q_before, q_during, a_before, a_during in _effect_query(campaigns, per_dealer_product=False):
        totals[campaign_id] = EffectTotals(
            quantity=lift(int(q_before or 0), int(q_during or 0)), amount=lift(_money(a_before), _money(a_during))
        )
    return totals


# --- The objective: target against actual ----------------------------------------------------
@dataclass(frozen=True)
class ObjectiveResult:
    kind: str
    target: Decimal
    actual: Decimal | None
    measured: bool  # filled from data (else entered in the review)

    @property
    def achievement(self) -> Decimal | None:
        return achievement(self.actual, self.target)


def objective_result(
    *, campaign: Campaign, effect_totals: EffectTotals | None = None, follow_up: FollowUpState | None = None
) -> ObjectiveResult:
    """The objective's actual value, filled from data where the objective is a volume
    or an amount (sell-in during the campaign) or a count of leads or attendees;
    for new dealers signed, the figure written in the review (None before)."""
    kind = campaign.objective_kind
    actual: Decimal | None = None
    measured = True
    if kind in (ObjectiveKind.SELL_IN_VOLUME, ObjectiveKind.SELL_IN_AMOUNT):
        if effect_totals is None:
            effect_totals = campaign_effect_totals(campaigns=[campaign])[campaign.pk]
        actual = effect_totals.quantity.during if kind == ObjectiveKind.SELL_IN_VOLUME else effect_totals.amount.during
    elif kind in (ObjectiveKind.LEADS, ObjectiveKind.ATTENDEES):
        follow_up = follow_up or campaign_follow_up_state(campaign=campaign)
        actual = Decimal(follow_up.leads if kind == ObjectiveKind.LEADS else follow_up.attendees)
    else:
        measured = False
        review = campaign_review_or_none(campaign)
        actual = review.objective_actual if review else None
    return ObjectiveResult(kind=kind, target=campaign.objective_target, actual=actual, measured=measured)


def campaign_review_or_none(campaign: Campaign) -> CampaignReview | None:
    try:
        return campaign.review
    except CampaignReview.DoesNotExist:
        return None


@dataclass(frozen=True)
class CampaignEffectSummary:
    """One line of a promotion-effect dashboard (issue #7's scorecards)."""

    campaign: Campaign
    effect: EffectTotals
    objective: ObjectiveResult


def campaign_effect_summary(
    *, user, start: datetime.date, end: datetime.date, statuses: Iterable[str] = LIVE_STATUSES
) -> list[CampaignEffectSummary]:
    """The approved-or-later campaigns `user` may see that overlap [start, end], each
    with its sell-in lift and objective against actual, newest first.

    A fixed number of queries whatever the number of campaigns: the campaigns,
    one effect aggregate, one count of attendees and leads, the reviews.
    """
    campaigns = list(
        campaign_queryset_for(user).filter(status__in=list(statuses)).overlapping(start, end)
        .select_related("owner", "review").order_by("-start_date", "-id")
    )
    if not campaigns:
        return []
    effects = campaign_effect_totals(campaigns=campaigns)
    counts = {
        row["campaign_id"]: row
        for row in Attendee.objects.filter(campaign__in=[campaign.pk for campaign in campaigns])
        .values("campaign_id")
        .annotate(attendees=Count("pk"), leads=Count("pk", filter=~Q(interest=Interest.NONE)))
    }
    summaries = []
    for campaign in campaigns:
        figures = counts.get(campaign.pk, {})
        state = FollowUpState(attendees=figures.get("attendees", 0), leads=figures.get("leads", 0))
        objective = objective_result(campaign=campaign, effect_totals=effects[campaign.pk], follow_up=state)
        summaries.append(CampaignEffectSummary(campaign=campaign, effect=effects[campaign.pk], objective=objective))
    return summaries


# --- Who can be given leads ------------------------------------------------------------------
def assignable_reps(*, user, campaign: Campaign) -> QuerySet:
    """The reps `user` may assign a campaign's leads to: for HQ admin every active rep;
    otherwise the reps of the dealers in the user's scope, and the owner if a rep."""
    from accounts.models import User

    reps = User.objects.filter(role=Role.REP, is_active=True)
    if user.is_hq_admin:
        return reps.order_by("first_name", "last_name", "username")
    in_scope = Q(pk__in=dealer_queryset_for(user).filter(rep__isnull=False).values("rep_id"))
    return reps.filter(in_scope | Q(pk=campaign.owner_id)).order_by("first_name", "last_name", "username")
