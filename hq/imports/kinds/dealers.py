"""The dealers import: matched by dealer code, saved by dealers.upsert (and hq.carried)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from accounts.models import User
from common.upsert import Outcome
from dealers.models import ChannelType, Dealer, DealerStatus, DealerTier
from dealers.upsert import assigned_reps, dealers_assigned_notify, dealers_upsert
from hq.carried import carried_products_add, carried_skus
from hq.imports import cells
from hq.imports.kinds.base import (
    PRODUCTS_UNKNOWN,
    REGION_PATH_UNKNOWN,
    USER_UNKNOWN,
    Column,
    Kind,
    _region_paths,
    _text,
)
from hq.models import ImportKind
from inventory.models import Product
from regions.models import Region
from regions.selectors import normalized_region_path, region_name_paths


class DealersKind(Kind):
    kind = ImportKind.DEALERS
    key_column = "code"
    list_url_name = "dealers:list"
    columns = (
        Column("code", _("The dealer's code, as in your ERP."), "ZJ-HZ-001", required=True),
        Column("name", _("Company name."), "Baishun Trading Co.", required=True),
        Column("region", _("The region's path from the top, separated by “/” (the region must exist)."),
               "China/Zhejiang/Hangzhou", required=True),
        Column("tier", _("province, city or county (its price tier; empty: county)."), "city"),
        Column("status", _("prospect, negotiating, active, suspended or terminated (empty: active for a new dealer)."),
               "active"),
        Column("rep", _("The username of the responsible sales rep (empty: none for a new dealer, unchanged for "
                        "an existing one)."), "rep_zhang"),
        Column("credit_limit", _("Credit limit in yuan (empty: 0)."), "200000"),
        Column("legal_entity", _("Legal entity."), ""),
        Column("address", _("Address."), ""),
        Column("phone", _("Phone."), ""),
        Column("decision_maker", _("The boss who signs (老板)."), ""),
        Column("decision_maker_phone", _("The decision-maker's phone."), ""),
        Column("channel_types", _("Channels served, separated by “;”: ka, wholesale, catering, special."),
               "wholesale; catering"),
        Column("products", _("SKUs of the products the dealer carries, separated by “;” (added to what it carries)."),
               "BEV-001; BEV-002"),
    )
    tiers = cells.choice_index(DealerTier.choices)
    statuses = cells.choice_index(DealerStatus.choices)
    channels = cells.choice_index(ChannelType.choices)

    def prepare(self, batch, ctx):
        paths = _region_paths(ctx)
        wanted_regions = {paths.get(normalized_region_path(values.get("region", ""))) for _n, values in batch}
        ctx.cache["regions"] = Region.objects.in_bulk([pk for pk in wanted_regions if pk])
        usernames = {values.get("rep", "").strip() for _n, values in batch} - {""}
        ctx.cache["users"] = {user.username.casefold(): user for user in User.objects.filter(username__in=usernames)}
        skus = {sku for _n, values in batch for sku in cells.items(values.get("products", ""))}
        ctx.cache["products"] = dict(Product.objects.filter(sku__in=skus).values_list("sku", "pk"))

    def parse(self, values, ctx, result):
        row: dict[str, Any] = {"code": result.key, "name": values["name"].strip()}
        path = values.get("region", "")
        region_id = _region_paths(ctx).get(normalized_region_path(path))
        if region_id is None:
            result.add_error("region", REGION_PATH_UNKNOWN % {"path": path})
        else:
            row["region"] = ctx.cache["regions"][region_id]
        self.cell(values, "tier", cells.choice, result, row, index=self.tiers)
        self.cell(values, "status", cells.choice, result, row, index=self.statuses)
        username = values.get("rep", "").strip()
        if username:
            rep = ctx.cache["users"].get(username.casefold())
            if rep is None:
                result.add_error("rep", USER_UNKNOWN % {"username": username})
            row["rep"] = rep
        self.cell(values, "credit_limit", cells.decimal, result, row)
        for name in ("legal_entity", "address", "phone", "decision_maker", "decision_maker_phone"):
            self.cell(values, name, _text, result, row)
        if values.get("channel_types"):
            try:
                row["channel_types"] = [cells.choice(item, self.channels) for item in cells.items(values["channel_types"])]
            except cells.CellError as error:
                result.add_error("channel_types", error.message)
        skus = cells.items(values.get("products", ""))
        unknown = [sku for sku in skus if sku not in ctx.cache["products"]]
        if unknown:
            result.add_error("products", PRODUCTS_UNKNOWN % {"skus": ", ".join(unknown)})
        row["_products"] = {sku: ctx.cache["products"].get(sku) for sku in skus}
        return row

    def save(self, rows, ctx, *, dry_run):
        carried_wanted = [row.pop("_products") for row in rows]
        results = self._save_via(dealers_upsert, rows, dry_run=dry_run, by=ctx.by, reason=_("Imported from a file"),
                                 notify=False)
        if not dry_run:  # each rep is told once, when the whole file is in (finish)
            for rep_id, dealer_ids in assigned_reps(results).items():
                ctx.cache.setdefault("assigned", {}).setdefault(rep_id, []).extend(dealer_ids)
        existing_ids = [result.instance.pk for result in results if result.instance is not None and result.instance.pk]
        carried = carried_skus(dealer_ids=existing_ids)
        pairs = []
        for result, wanted in zip(results, carried_wanted, strict=True):
            dealer = result.instance
            have = carried.get(dealer.pk, set()) if dealer is not None and dealer.pk else set()
            missing = [sku for sku in wanted if sku not in have]
            if missing and result.outcome == Outcome.UNCHANGED:
                result.outcome = Outcome.UPDATE
            if missing and result.outcome == Outcome.UPDATE:
                result.changed.append("products")
            if not dry_run and dealer is not None and not result.errors:
                pairs += [(dealer.pk, wanted[sku]) for sku in missing]
        if pairs:
            carried_products_add(pairs=pairs)
        return results

    def finish(self, ctx):
        dealers_assigned_notify(assigned=ctx.cache.get("assigned", {}), by=ctx.by)

    def export_rows(self):
        paths = region_name_paths()
        dealers = Dealer.objects.order_by("code").values_list(
            "pk", "code", "name", "region_id", "tier", "status", "rep__username", "credit_limit", "legal_entity",
            "address", "phone", "decision_maker", "decision_maker_phone", "channel_types",
        )
        batch: list[tuple] = []
        for dealer in dealers.iterator(chunk_size=2000):
            batch.append(dealer)
            if len(batch) == 2000:
                yield from self._export_batch(batch, paths)
                batch = []
        yield from self._export_batch(batch, paths)

    @staticmethod
    def _export_batch(batch, paths):
        carried = carried_skus(dealer_ids=[row[0] for row in batch]) if batch else {}
        for (pk, code, name, region_id, tier, status, rep, credit_limit, legal_entity, address, phone, boss,
             boss_phone, channel_types) in batch:
            yield {
                "code": code, "name": name, "region": paths.get(region_id, ""), "tier": tier, "status": status,
                "rep": rep or "", "credit_limit": credit_limit, "legal_entity": legal_entity, "address": address,
                "phone": phone, "decision_maker": boss, "decision_maker_phone": boss_phone,
                "channel_types": cells.join(channel_types or []), "products": cells.join(sorted(carried.get(pk, ()))),
            }
