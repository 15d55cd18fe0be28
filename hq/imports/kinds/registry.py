"""The kinds of import by name."""

from __future__ import annotations

from hq.imports.kinds.base import Kind
from hq.imports.kinds.dealers import DealersKind
from hq.imports.kinds.products import ProductsKind, TierPricesKind
from hq.imports.kinds.regions import RegionsKind
from hq.imports.kinds.users import UsersKind

KINDS: dict[str, Kind] = {kind.kind: kind for kind in (
    RegionsKind(), ProductsKind(), TierPricesKind(), DealersKind(), UsersKind(),
)}
