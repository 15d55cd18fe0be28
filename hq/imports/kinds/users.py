"""The users import: matched by username, saved by accounts.services.users_upsert."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from accounts.models import Role, User
from accounts.services import users_upsert
from dealers.models import Dealer
from hq.imports import cells
from hq.imports.kinds.base import DEALER_UNKNOWN, REGION_PATH_UNKNOWN, Column, Kind, _region_paths, _text
from hq.models import ImportKind
from regions.models import Region
from regions.selectors import normalized_region_path, region_name_paths


class UsersKind(Kind):
    kind = ImportKind.USERS
    key_column = "username"
    list_url_name = "hq:users"
    columns = (
        Column("username", _("What the person signs in with."), "rep_zhang", required=True),
        Column("role", _("admin, manager, rep, finance, warehouse or dealer."), "rep", required=True),
        Column("first_name", _("Given name."), "Wei"),
        Column("last_name", _("Family name."), "Zhang"),
        Column("email", _("Email address; a new user is sent an invitation to choose a password there "
                          "(required for a new user)."), "zhang.wei@example.com"),
        Column("phone", _("Phone."), ""),
        Column("dealer", _("For a dealer user: the dealer's code."), ""),
        Column("regions", _("For a regional manager: the paths of the regions they oversee, separated by “;”."), ""),
        Column("language", _("en or zh-hans (empty: follow the browser)."), "zh-hans"),
        Column("active", _("yes or no (empty: yes). An inactive user cannot sign in."), "yes"),
    )
    roles = cells.choice_index(Role.choices)
    languages = cells.choice_index(settings.LANGUAGES)

    def prepare(self, batch, ctx):
        _region_paths(ctx)
        codes = {values.get("dealer", "").strip() for _n, values in batch} - {""}
        ctx.cache["dealers"] = Dealer.objects.in_bulk(codes, field_name="code")

    def parse(self, values, ctx, result):
        row: dict[str, Any] = {"username": result.key}
        self.cell(values, "role", cells.choice, result, row, index=self.roles)
        for name in ("first_name", "last_name", "email", "phone"):
            self.cell(values, name, _text, result, row)
        self.cell(values, "language", cells.choice, result, row, index=self.languages)
        self.cell(values, "active", cells.boolean, result, row, target="is_active")
        code = values.get("dealer", "").strip()
        if code:
            dealer = ctx.cache["dealers"].get(code)
            if dealer is None:
                result.add_error("dealer", DEALER_UNKNOWN % {"code": code})
            row["dealer"] = dealer
        if values.get("regions"):
            regions = []
            for path in cells.items(values["regions"]):
                region_id = _region_paths(ctx).get(normalized_region_path(path))
                if region_id is None:
                    result.add_error("regions", REGION_PATH_UNKNOWN % {"path": path})
                else:
                    regions.append(Region(pk=region_id))
            row["regions"] = regions
        return row

    def save(self, rows, ctx, *, dry_run):
        results = self._save_via(users_upsert, rows, dry_run=dry_run, by=ctx.by)
        for result in results:
            if "is_active" in result.errors:
                result.errors["active"] = result.errors.pop("is_active")
        return results

    def export_rows(self):
        paths = region_name_paths()
        through = User.regions.through
        users = User.objects.order_by("username").values_list(
            "pk", "username", "role", "first_name", "last_name", "email", "phone", "dealer__code", "language",
            "is_active",
        )
        batch: list[tuple] = []
        for user in users.iterator(chunk_size=2000):
            batch.append(user)
            if len(batch) == 2000:
                yield from self._export_batch(batch, paths, through)
                batch = []
        yield from self._export_batch(batch, paths, through)

    @staticmethod
    def _export_batch(batch, paths, through):
        regions: dict[int, list[str]] = {}
        if batch:
            for user_id, region_id in through.objects.filter(user_id__in=[row[0] for row in batch]).values_list(
                "user_id", "region_id"
            ):
                regions.setdefault(user_id, []).append(paths.get(region_id, ""))
        for pk, username, role, first, last, email, phone, dealer, language, active in batch:
            yield {
                "username": username, "role": role, "first_name": first, "last_name": last,
                "email": email, "phone": phone, "dealer": dealer or "", "regions": cells.join(sorted(regions.get(pk, []))),
                "language": language, "active": active,
            }
