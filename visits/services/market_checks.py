"""The market check before a visit: its observations recorded, a finding turned into a dealer violation."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from common.exceptions import StateConflict
from common.formatting import format_money
from common.validators import validate_photo
from dealers.models import ViolationType
from dealers.services import violation_create
from inventory.models import Product
from visits.models import MarketCheck, MarketObservation, ObservationKind, PhotoStage, Visit, VisitPhoto, VisitStatus
from visits.services.messages import (
    CHECK_AFTER_START,
    CHECK_EMPTY,
    CHECK_SKIPPED_WITH_FINDINGS,
    NOT_A_VIOLATION_KIND,
    OBSERVATION_KIND_REQUIRED,
    PRICE_NEGATIVE,
    PRODUCT_UNKNOWN,
)
from visits.services.shared import (
    _lock,
    _mark_offline,
    _recorded_on_its_day,
    _refuse_if_cancelled,
    _refuse_if_moved,
    recorded_time,
)

VIOLATION_KINDS = {ObservationKind.CROSS_TERRITORY: ViolationType.CROSS_TERRITORY,
                   ObservationKind.PRICE_DUMPING: ViolationType.PRICE_DUMPING}


def _clean_observation(index: int, data: dict, products: dict[int, Product]) -> MarketObservation:
    errors = {}
    kind = data.get("kind") or ""
    if kind not in ObservationKind.values:
        errors["kind"] = OBSERVATION_KIND_REQUIRED
    product = data.get("product")
    if product is not None and not isinstance(product, Product):
        product = products.get(int(product))
        if product is None:
            errors["product"] = PRODUCT_UNKNOWN
    price = data.get("retail_price")
    if price not in (None, ""):
        try:
            price = Decimal(str(price))
        except ArithmeticError:
            errors["retail_price"] = _("Enter a number.")
        else:
            if price < 0:
                errors["retail_price"] = PRICE_NEGATIVE
    else:
        price = None
    if errors:
        raise ValidationError({f"observations[{index}].{field}": message for field, message in errors.items()})
    observation = MarketObservation(
        kind=kind, outlet=(data.get("outlet") or "").strip(), product=product,
        competitor_brand=(data.get("competitor_brand") or "").strip(), retail_price=price,
        guideline_price=product.guideline_price if product else None, in_stock=data.get("in_stock"),
        display=(data.get("display") or "").strip(), competitor_promotion=(data.get("competitor_promotion") or "").strip(),
        notes=(data.get("notes") or "").strip(),
    )
    return observation


@transaction.atomic
def market_check_save(
    *, visit: Visit, by: User, observations: Sequence[dict] = (), outlets_walked: int = 0, notes: str = "",
    skipped_reason: str = "", photos: Sequence = (), recorded_at: datetime.datetime | None = None,
    scheduled_for_seen: datetime.datetime | None = None,
) -> MarketCheck:
    """Record (or re-record) the pre-visit market check, all or nothing: its
    observations replace the previous ones. Or record why no check was possible.
    `recorded_at`: when the rep's phone recorded it offline (then its check time);
    `scheduled_for_seen`: the visit's time the phone knew (refused if moved since)."""
    recorded_at = recorded_time(recorded_at)
    visit = _lock(visit)
    _refuse_if_cancelled(visit)
    _refuse_if_moved(visit, scheduled_for_seen)
    if visit.status != VisitStatus.PLANNED and not _recorded_on_its_day(visit, recorded_at):
        raise StateConflict(CHECK_AFTER_START)
    skipped_reason = (skipped_reason or "").strip()
    notes = (notes or "").strip()
    outlets_walked = int(outlets_walked or 0)
    if outlets_walked < 0:
        raise ValidationError({"outlets_walked": _("Cannot be negative.")})
    if skipped_reason and observations:
        raise ValidationError({"skipped_reason": CHECK_SKIPPED_WITH_FINDINGS})
    if not skipped_reason and not (observations or outlets_walked or notes):
        raise ValidationError({"observations": CHECK_EMPTY})
    product_ids = {int(row["product"]) for row in observations
                   if row.get("product") not in (None, "") and not isinstance(row.get("product"), Product)}
    products = Product.objects.in_bulk(product_ids) if product_ids else {}
    cleaned = []
    for index, row in enumerate(observations):
        row = {**row, "product": row.get("product") if row.get("product") not in ("",) else None}
        cleaned.append(_clean_observation(index, row, products))
    for photo in photos:
        try:
            validate_photo(photo)
        except ValidationError as error:
            raise ValidationError({"photos": error.messages}) from error
    check = MarketCheck.objects.filter(visit=visit).first()
    if check is None:
        check = MarketCheck(visit=visit, checked_at=timezone.now())
    if recorded_at is not None:
        check.checked_at = recorded_at
        offline_fields: list[str] = []
        _mark_offline(visit, recorded_at, offline_fields)
        visit.save(update_fields=[*offline_fields, "updated_at"])
    check.outlets_walked, check.notes, check.skipped_reason, check.recorded_by = (
        outlets_walked, notes, skipped_reason, by
    )
    check.full_clean(exclude=["visit"])
    check.save()
    check.observations.all().delete()
    for observation in cleaned:
        observation.market_check = check
        observation.full_clean()
    MarketObservation.objects.bulk_create(cleaned)
    for photo in photos:
        VisitPhoto.objects.create(visit=visit, stage=PhotoStage.MARKET_CHECK, image=photo, uploaded_by=by)
    return check


@transaction.atomic
def observation_violation_record(*, observation: MarketObservation, by: User):
    """Turn a 窜货 / 砸价 finding into a dealer violation in one step. A second call
    returns the violation already recorded."""
    observation = MarketObservation.objects.select_for_update(of=("self",)).select_related(
        "market_check__visit__dealer", "product"
    ).get(pk=observation.pk)
    if observation.violation_id:
        return observation.violation
    if observation.kind not in VIOLATION_KINDS:
        raise ValidationError({"kind": NOT_A_VIOLATION_KIND})
    check = observation.market_check
    parts = [observation.get_kind_display()]
    if observation.product:
        parts.append(str(observation.product))
    if observation.retail_price is not None:
        parts.append(str(_("retail price seen %(price)s (guideline %(guideline)s)") % {
            "price": format_money(observation.retail_price), "guideline": format_money(observation.guideline_price)}))
    if observation.competitor_brand:
        parts.append(observation.competitor_brand)
    if observation.notes:
        parts.append(observation.notes)
    violation = violation_create(
        dealer=check.visit.dealer, reported_by=by, type=VIOLATION_KINDS[observation.kind],
        evidence=" · ".join(str(part) for part in parts),
        found_where=observation.outlet or str(_("Market check before a visit")),
        found_at=min(check.checked_at, timezone.now()),
    )
    observation.violation = violation
    observation.save(update_fields=["violation"])
    return violation
