"""The effect of campaigns: sell-in during the campaign against the same-length period before,
and the objective (target against actual)."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection
from django.db.models import Count, Q

from accounts.policy import Area, sees_everything
from common.dates import local_day_start
from common.sql import subquery_sql
from dealers.models import Dealer
from dealers.selectors import dealer_queryset_for
from inventory.models import OrderLine, Product, Shipment, ShipmentLine
from promotions.calculations import Lift, achievement, comparison_period, lift
from promotions.models import (
    LIVE_STATUSES,
    Attendee,
    Campaign,
    CampaignProduct,
    CampaignReview,
    Interest,
    ObjectiveKind,
)
from promotions.selectors.preparation import FollowUpState, campaign_follow_up_state
from promotions.selectors.scope import campaign_queryset_for
from promotions.selectors.windows import _taking_part_sql


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
    return (
        local_day_start(before_first),
        local_day_start(campaign.start_date),
        local_day_start(campaign.end_date + datetime.timedelta(days=1)),
    )


def _effect_query(campaigns: Sequence[Campaign], *, per_dealer_product: bool, user) -> list[tuple]:
    """One aggregate query over the shipments of all `campaigns`: (campaign_id[,
    dealer_id, product_id], quantity before, quantity during, amount before,
    amount during). The amount is the shipped quantity at the order line's price.

    Only the dealers in `user`'s scope are counted (SPEC "Scope is given, never
    taken": every figure counts only rows inside the caller's scope); `user` None
    counts every dealer taking part (the stored result of a review)."""
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
    in_scope = ""
    if user is not None and not sees_everything(user, Area.DEALERS):
        scope_sql, scope_params = subquery_sql(dealer_queryset_for(user).order_by().values("pk"))
        in_scope = f"AND p.dealer_id IN ({scope_sql})"
        params += list(scope_params)
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
        WHERE (
            NOT EXISTS (SELECT 1 FROM {campaign_product} cp WHERE cp.campaign_id = w.campaign_id)
            OR EXISTS (
                SELECT 1 FROM {campaign_product} cp WHERE cp.campaign_id = w.campaign_id AND cp.product_id = l.product_id
            )
        ) {in_scope}
        GROUP BY {keys}
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _money(value) -> Decimal:
    return Decimal(str(value or 0)).quantize(Decimal("0.01"))


def campaign_effect(*, campaign: Campaign, user, with_names: bool = True) -> CampaignEffect:
    """The effect of one campaign (SPEC §4): sell-in of its products (all products
    when it names none) to the dealers taking part that `user` may see, during the
    campaign against the same number of days just before, per dealer and product.

    One aggregate query (plus one each for the dealers' and products' names).
    """
    before = comparison_period(campaign.start_date, campaign.end_date)
    effect = CampaignEffect(campaign=campaign, before=before, during=(campaign.start_date, campaign.end_date))
    raw = _effect_query([campaign], per_dealer_product=True, user=user)
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


def campaign_effect_totals(*, campaigns: Sequence[Campaign], user) -> dict[int, EffectTotals]:
    """The effect totals of many campaigns at once: {campaign_id: EffectTotals}
    (quantity and amount lifts) over the dealers `user` may see (None: all). One
    aggregate query; campaigns without any sell-in in either period get zero lifts."""
    campaigns = list(campaigns)
    if not campaigns:
        return {}
    zero = EffectTotals(quantity=lift(0, 0), amount=lift(0, 0))
    totals = dict.fromkeys((campaign.pk for campaign in campaigns), zero)
    for campaign_id, q_before, q_during, a_before, a_during in _effect_query(campaigns, per_dealer_product=False, user=user):
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
    *, campaign: Campaign, user, effect_totals: EffectTotals | None = None, follow_up: FollowUpState | None = None
) -> ObjectiveResult:
    """The objective's actual value, filled from data where the objective is a volume
    or an amount (sell-in during the campaign, of the dealers `user` may see; None:
    all) or a count of leads or attendees; for new dealers signed, the figure
    written in the review (None before)."""
    kind = campaign.objective_kind
    actual: Decimal | None = None
    measured = True
    if kind in (ObjectiveKind.SELL_IN_VOLUME, ObjectiveKind.SELL_IN_AMOUNT):
        if effect_totals is None:
            effect_totals = campaign_effect_totals(campaigns=[campaign], user=user)[campaign.pk]
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
    effects = campaign_effect_totals(campaigns=campaigns, user=user)
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
        objective = objective_result(campaign=campaign, user=user, effect_totals=effects[campaign.pk], follow_up=state)
        summaries.append(CampaignEffectSummary(campaign=campaign, effect=effects[campaign.pk], objective=objective))
    return summaries
