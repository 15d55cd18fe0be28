"""What each kind of import reads, how its rows are matched and checked, and how
they are saved — always through the owning app's services:

| kind        | matched by            | saved by                                        |
|-------------|-----------------------|-------------------------------------------------|
| regions     | path "China/Zhejiang" | regions.services.region_create / region_update   |
| products    | SKU                   | inventory.catalogue.products_upsert              |
| tier_prices | tier + SKU            | inventory.catalogue.tier_prices_upsert           |
| dealers     | dealer code           | dealers.upsert.dealers_upsert (+ hq.carried)     |
| users       | username              | accounts.services.users_upsert                   |

A kind works on a batch of rows at a time (`run`), with one lookup per batch for
what the rows name (regions by path, reps by username, products by SKU), so a
10,000-row file takes a few queries per thousand rows. `run(dry_run=True)` is the
preview; `run(dry_run=False)` writes and raises BulkInvalid (nothing of the batch
written) when a row has an error — the import wraps all batches in one
transaction, so the file is saved whole or not at all. The same columns are
written by `export_rows`, so an export imports back as "unchanged".

One module per kind (regions, products with tier_prices, dealers, users), the
base class and its row types in base, the table of kinds in registry; every
public name is re-exported here, so `from hq.imports.kinds import KINDS` keeps working.
"""

from hq.imports.kinds.base import (
    BATCH_SIZE,
    DEALER_UNKNOWN,
    PRODUCTS_UNKNOWN,
    REGION_PARENT_UNKNOWN,
    REGION_PATH_UNKNOWN,
    USER_UNKNOWN,
    Column,
    Context,
    Kind,
    ParsedRow,
)
from hq.imports.kinds.dealers import (
    DealersKind,
)
from hq.imports.kinds.products import (
    ProductsKind,
    TierPricesKind,
)
from hq.imports.kinds.regions import (
    RegionsKind,
)
from hq.imports.kinds.registry import (
    KINDS,
)
from hq.imports.kinds.users import (
    UsersKind,
)

__all__ = [
    "BATCH_SIZE",
    "Column",
    "Context",
    "DEALER_UNKNOWN",
    "DealersKind",
    "KINDS",
    "Kind",
    "PRODUCTS_UNKNOWN",
    "ParsedRow",
    "ProductsKind",
    "REGION_PARENT_UNKNOWN",
    "REGION_PATH_UNKNOWN",
    "RegionsKind",
    "TierPricesKind",
    "USER_UNKNOWN",
    "UsersKind",
]
