"""The benchmark's synthetic world, built in PostgreSQL with set-based SQL
(`INSERT ... SELECT generate_series(...)`), never row by row.

At scale 1: 2,000 dealers in 50 regions (the first region holds 500 of them),
100 reps, a manager per region, 200 products in 5 categories, a year of visits
(25 per dealer, about 50,000) with a stock count at every completed visit (40
lines each, about 1.8 million lines, and a suggestion row for every line),
10 orders per dealer (20,000) with 5 lines and a shipment each, a signed
contract, two evaluations, market sizes for every region and month.

Bench dealer 1 carries all 200 products (the visit page and the 200-line count).
A marker table `bench_world` records the scale and when it was built, so a
second run reuses the world, and when it was settled (VACUUM ANALYZE, before any
timing). Lines are inserted in the order the app writes them (a count's lines
together), so the physical layout is that of real data.
"""

from __future__ import annotations

import time

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone

from inventory.services import shipment_values_refresh

MARKER_TABLE = "bench_world"
REGIONS = 50
REPS = 100
PRODUCTS = 200
CATEGORIES = 5
VISITS_PER_DEALER = 25
ORDERS_PER_DEALER = 10
CARRIED = 40
PASSWORD = "bench-pass-2026"
ADMIN_ID = 1
BIG_REGION_ID = 2  # the region of 500 dealers (a quarter of them at any scale)
BIG_REGION_MANAGER_ID = 1 + REPS + 1

# Tables the builder fills (TRUNCATE ... CASCADE empties what hangs off them too).
TABLES = [
    "accounts_user", "regions_region", "dealers_dealer", "inventory_productcategory", "inventory_product",
]


def world_marker() -> dict | None:
    """{"scale":, "built_at":, "seconds":, "settled_at":} of the world in this database, or None
    ("settled_at" None: never vacuumed and analysed since it was built, see settle_world)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass(%s)", [MARKER_TABLE])
        if cursor.fetchone()[0] is None:
            return None
        # A world built before the marker had the column (an older bench) has never been settled.
        cursor.execute(f"ALTER TABLE {MARKER_TABLE} ADD COLUMN IF NOT EXISTS settled_at timestamptz")
        cursor.execute(f"SELECT scale, built_at, seconds, settled_at FROM {MARKER_TABLE} ORDER BY built_at DESC LIMIT 1")
        row = cursor.fetchone()
    if not row:
        return None
    return {"scale": float(row[0]), "built_at": row[1].isoformat(), "seconds": float(row[2]),
            "settled_at": row[3].isoformat() if row[3] else None}


def settle_world() -> float:
    """VACUUM ANALYZE the database and note it in the marker (ANALYZE alone inside a
    transaction, not noted); the seconds it took.

    A world just written by INSERT ... SELECT has no visibility map (no index-only
    scans), unset hint bits and, without ANALYZE, guessed statistics: timing it then
    measures the database settling, not the application. Run outside a transaction."""
    started = time.monotonic()
    if vacuum_analyze():
        with connection.cursor() as cursor:
            cursor.execute(f"UPDATE {MARKER_TABLE} SET settled_at = now()")
    return time.monotonic() - started


def vacuum_analyze() -> bool:
    """VACUUM ANALYZE the database (PostgreSQL, outside a transaction); ANALYZE alone
    where VACUUM cannot run (in a transaction: the smoke run, in a test's; SQLite).
    Whether it vacuumed."""
    with connection.cursor() as cursor:
        if connection.in_atomic_block or connection.vendor != "postgresql":
            cursor.execute("ANALYZE")
            return False
        cursor.execute("VACUUM ANALYZE")
        return True


def _sql(scale: float) -> list[str]:
    dealers = max(int(2000 * scale), 8)
    big = dealers // 4
    now = "CAST(%(now)s AS timestamptz)"
    return [
        # Users: 1 admin, reps 2..101, managers 102..151 (manager 101 + r oversees region r + 1).
        f"""INSERT INTO accounts_user (id, password, is_superuser, username, first_name, last_name, email, is_staff,
                is_active, date_joined, role, phone, language)
            SELECT 1, %(password)s, true, 'bench-admin', 'Bench', 'Admin', '', true, true, {now}, 'admin', '', 'en'""",
        f"""INSERT INTO accounts_user (id, password, is_superuser, username, first_name, last_name, email, is_staff,
                is_active, date_joined, role, phone, language)
            SELECT 1 + i, %(password)s, false, 'bench-rep-' || lpad(i::text, 3, '0'), 'Rep', i::text, '', false, true,
                {now}, 'rep', '', 'en' FROM generate_series(1, {REPS}) i""",
        f"""INSERT INTO accounts_user (id, password, is_superuser, username, first_name, last_name, email, is_staff,
                is_active, date_joined, role, phone, language)
            SELECT 1 + {REPS} + r, %(password)s, false, 'bench-manager-' || lpad(r::text, 2, '0'), 'Manager', r::text,
                '', false, true, {now}, 'manager', '', 'en' FROM generate_series(1, {REGIONS}) r""",
        # Regions: 1 the country, 2..51 under it.
        "INSERT INTO regions_region (id, name, kind, parent_id, path, depth) VALUES (1, 'Bench', 'country', NULL, '/1/', 0)",
        f"""INSERT INTO regions_region (id, name, kind, parent_id, path, depth)
            SELECT 1 + r, 'Bench region ' || lpad(r::text, 2, '0'), 'city', 1, '/1/' || (1 + r) || '/', 1
            FROM generate_series(1, {REGIONS}) r""",
        f"""INSERT INTO accounts_user_regions (user_id, region_id)
            SELECT 1 + {REPS} + r, 1 + r FROM generate_series(1, {REGIONS}) r""",
        f"""INSERT INTO inventory_productcategory (id, name, sort_order)
            SELECT c, 'Bench category ' || c, c FROM generate_series(1, {CATEGORIES}) c""",
        f"""INSERT INTO inventory_product (id, sku, name, specification, unit, units_per_case, shelf_life_days,
                guideline_price, floor_price, is_active, created_at, updated_at, category_id)
            SELECT p, 'BP' || lpad(p::text, 4, '0'), 'Bench product ' || p, '500 ml × 24', 'case', 24,
                180 + (p % 4) * 180, 4.50 + (p % 10), 3.50 + (p % 10), true, {now}, {now}, 1 + (p % {CATEGORIES})
            FROM generate_series(1, {PRODUCTS}) p""",
        f"""INSERT INTO inventory_tierprice (tier, price, updated_at, product_id)
            SELECT t.tier, t.base + (p % 10) * 5, {now}, p
            FROM generate_series(1, {PRODUCTS}) p
            CROSS JOIN (VALUES ('province', 50.00), ('city', 55.00), ('county', 60.00)) AS t (tier, base)""",
        # Dealers 1..N: the first quarter in the big region, the rest spread over the others; 20 per rep at scale 1.
        f"""INSERT INTO dealers_dealer (id, code, name, tier, status, credit_limit, created_at, updated_at, region_id,
                address, channel_types, current_grade, current_score, last_evaluated_at, decision_maker,
                decision_maker_phone, influencer, influencer_phone, legal_entity, notes, operating_model, other_brands,
                other_industries, other_industries_note, phone, rep_id)
            SELECT d, 'B' || lpad(d::text, 6, '0'), 'Bench dealer ' || lpad(d::text, 6, '0'),
                (ARRAY['province', 'city', 'county'])[1 + d % 3], 'active', 5000000, {now}, {now},
                CASE WHEN d <= {big} THEN {BIG_REGION_ID} ELSE 3 + (d % {REGIONS - 1}) END,
                'Bench road ' || d, '[]'::jsonb, (ARRAY['A', 'B', 'C', 'D'])[1 + (d * 7) % 4], 1.5 + (d % 35) / 10.0,
                {now} - interval '100 days', '', '', '', '', '', '', '', '', false, '', '',
                2 + ((d - 1) * {REPS}) / {dealers}
            FROM generate_series(1, {dealers}) d""",
        # Products carried: dealer 1 all 200, the others 40 each.
        f"""INSERT INTO inventory_dealerproduct (since, source, dealer_id, product_id)
            SELECT CAST({now} AS date) - 400, 'manual', d, 1 + (d * 7 + k * 5) % {PRODUCTS}
            FROM generate_series(2, {dealers}) d CROSS JOIN generate_series(0, {CARRIED - 1}) k
            UNION ALL SELECT CAST({now} AS date) - 400, 'manual', 1, p FROM generate_series(1, {PRODUCTS}) p""",
        f"""INSERT INTO dealers_contract (number, status, territory, product_lines, annual_target_amount,
                annual_target_volume, min_resale_price_policy, marketing_support, start_date, end_date,
                termination_conditions, created_at, dealer_id, signed_at)
            SELECT 'BHT-' || d, 'signed', 'Bench territory', 'All', 300000 + (d % 20) * 50000, 10000, '', '',
                CAST({now} AS date) - 200, CAST({now} AS date) + 165, '', {now}, d, {now}
            FROM generate_series(1, {dealers}) d""",
        f"""INSERT INTO dealers_evaluation (created_at, comment, total, grade, dealer_id)
            SELECT {now} - (e * interval '100 days'), '', 1.5 + ((d + e) % 35) / 10.0,
                (ARRAY['A', 'B', 'C', 'D'])[1 + (d * 7 + e - 1) % 4], d
            FROM generate_series(1, {dealers}) d CROSS JOIN generate_series(1, 3, 2) e""",
        # Visits: 25 a dealer, every 14 days over the last year, by the dealer's rep.
        f"""INSERT INTO visits_visit (id, scheduled_for, status, cancel_reason, policy_notes, dealer_feedback,
                display_notes, terminal_notes, after_sales_notes, created_at, updated_at, dealer_id, rep_id,
                started_at, completed_at)
            SELECT (d - 1) * {VISITS_PER_DEALER} + j + 1, ts,
                CASE WHEN (d + j) % 20 = 0 THEN 'missed' WHEN (d + j) % 20 = 1 THEN 'cancelled' ELSE 'completed' END,
                '', '', '', '', '', '', ts, ts, d, 2 + ((d - 1) * {REPS}) / {dealers},
                ts, ts + interval '1 hour'
            FROM generate_series(1, {dealers}) d CROSS JOIN generate_series(0, {VISITS_PER_DEALER - 1}) j
            CROSS JOIN LATERAL (SELECT {now} - interval '364 days' + (j * 14 + d % 14) * interval '1 day'
                + interval '2 hours' AS ts) t""",
        """UPDATE visits_visit SET started_at = NULL, completed_at = NULL WHERE status <> 'completed'""",
        f"""INSERT INTO inventory_stockcount (id, counted_at, created_at, dealer_id, reference, lines_digest,
                period_dates, counted_by_id)
            SELECT id, completed_at - interval '30 minutes', completed_at, dealer_id, 'visit:' || id, '', '[]'::jsonb,
                rep_id
            FROM visits_visit WHERE status = 'completed' AND completed_at < {now}""",
        """INSERT INTO inventory_stockcountline (quantity, batch, production_date, product_id, stock_count_id)
            SELECT CASE WHEN (sc.id + dp.product_id) % 17 = 0 THEN 0 ELSE 5 + (sc.id * 31 + dp.product_id) % 60 END, '',
                CAST(sc.counted_at AS date) - CAST((sc.id + dp.product_id * 13) % p.shelf_life_days AS integer),
                dp.product_id, sc.id
            FROM inventory_stockcount sc JOIN inventory_dealerproduct dp ON dp.dealer_id = sc.dealer_id
            JOIN inventory_product p ON p.id = dp.product_id
            ORDER BY sc.id, dp.product_id""",
        """INSERT INTO inventory_suggestedorderline (previous_stock, deliveries, current_stock, period_sales,
                coefficient, coefficient_source, periods, safety_stock, suggested_quantity, flags, ordered_quantity,
                change_reason, product_id, stock_count_id)
            SELECT l.quantity + 10, 0, l.quantity, 20, 1.50, 'default', '[]'::jsonb, 30, GREATEST(0, 30 - l.quantity),
                '[]'::jsonb, CASE WHEN l.id % 3 = 0 THEN NULL ELSE GREATEST(0, 30 - l.quantity - l.id % 4) END, '',
                l.product_id, l.stock_count_id
            FROM inventory_stockcountline l ORDER BY l.id""",
        # Orders: 10 a dealer over the year, 5 lines each; received (shipped and paid) unless recent.
        f"""INSERT INTO inventory_order (id, source, status, submitted_at, total, amount_paid, reason, note, created_at,
                updated_at, dealer_id, placed_by_id, confirmed_at, payment_due_date, paid_at, shipped_at, received_at)
            SELECT (d - 1) * {ORDERS_PER_DEALER} + k + 1, 'on_behalf',
                CASE WHEN ts > {now} - interval '5 days' THEN 'submitted'
                     WHEN k = {ORDERS_PER_DEALER - 1} AND d % 10 = 0 THEN 'confirmed' ELSE 'received' END,
                ts, 0, 0, '', '', ts, ts, d, 2 + ((d - 1) * {REPS}) / {dealers},
                ts + interval '1 hour', CAST(ts AS date) + 15, ts + interval '2 hours', ts + interval '1 day',
                ts + interval '3 days'
            FROM generate_series(1, {dealers}) d CROSS JOIN generate_series(0, {ORDERS_PER_DEALER - 1}) k
            CROSS JOIN LATERAL (SELECT {now} - interval '360 days' + (k * 36 + d % 30) * interval '1 day' AS ts) t""",
        """UPDATE inventory_order SET confirmed_at = NULL, payment_due_date = NULL, paid_at = NULL, shipped_at = NULL,
                received_at = NULL WHERE status = 'submitted'""",
        """UPDATE inventory_order SET paid_at = NULL, shipped_at = NULL, received_at = NULL WHERE status = 'confirmed'""",
        f"""INSERT INTO inventory_orderline (quantity, unit_price, line_total, change_reason, order_id, product_id)
            SELECT q.quantity, tp.price, tp.price * q.quantity, '', o.id, q.product_id
            FROM inventory_order o JOIN dealers_dealer d ON d.id = o.dealer_id
            CROSS JOIN generate_series(0, 4) m
            CROSS JOIN LATERAL (SELECT 1 + (o.dealer_id * 7 + ((o.id % {ORDERS_PER_DEALER}) * 5 + m) * 5) % {PRODUCTS}
                AS product_id, 10 + (o.id + m) % 40 AS quantity) q
            JOIN inventory_tierprice tp ON tp.product_id = q.product_id AND tp.tier = d.tier
            ORDER BY o.id, q.product_id""",
        """UPDATE inventory_order o SET total = s.total,
                amount_paid = CASE WHEN o.status = 'received' THEN s.total ELSE 0 END
            FROM (SELECT order_id, SUM(line_total) AS total FROM inventory_orderline GROUP BY order_id) s
            WHERE s.order_id = o.id""",
        f"""INSERT INTO inventory_shipment (id, shipped_at, reference, dealer_id, order_id, shipped_by_id, value)
            SELECT id, shipped_at, 'BWB' || id, dealer_id, id, {ADMIN_ID}, 0 FROM inventory_order WHERE status = 'received'""",
        """INSERT INTO inventory_shipmentline (quantity, product_id, shipment_id)
            SELECT l.quantity, l.product_id, l.order_id FROM inventory_orderline l
            JOIN inventory_shipment s ON s.id = l.order_id ORDER BY l.id""",
        f"""INSERT INTO scorecards_marketsize (period_start, amount, updated_at, category_id, region_id)
            SELECT CAST(date_trunc('month', {now} - m * interval '1 month') AS date), 200000 + r * 1000 + c * 100, {now}, c,
                1 + r
            FROM generate_series(1, {REGIONS}) r CROSS JOIN generate_series(0, 12) m
            CROSS JOIN generate_series(1, {CATEGORIES}) c""",
        f"""INSERT INTO visits_dealerrequest (description, due_on, status, beyond_authority, answer, created_at,
                dealer_id, owner_id)
            SELECT 'Bench request ' || d, CAST({now} AS date) + 7, 'open', false, '', {now}, d,
                2 + ((d - 1) * {REPS}) / {dealers}
            FROM generate_series(1, {dealers}, 3) d""",
        f"""INSERT INTO dealers_violation (type, evidence, found_at, found_where, severity, outcome, fine_amount,
                outcome_note, created_at, dealer_id)
            SELECT 'cross_territory', 'Bench', {now} - (d % 300) * interval '1 day', 'Bench market', 'medium',
                'pending', NULL, '', {now}, d
            FROM generate_series(1, {dealers}, 7) d""",
    ]


def _reset_sequences(cursor) -> None:
    for table in ["accounts_user", "regions_region", "dealers_dealer", "inventory_productcategory", "inventory_product",
                  "visits_visit", "inventory_stockcount", "inventory_order", "inventory_shipment"]:
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), COALESCE((SELECT MAX(id) FROM {table}), 1))"
        )


def build_world(*, scale: float = 1.0, log=print) -> dict:
    """Empty the tables the world lives in and build it again (PostgreSQL only)."""
    if connection.vendor != "postgresql":
        raise RuntimeError("The benchmark world is built with PostgreSQL SQL; refusing to run on " + connection.vendor)
    started = time.monotonic()
    params = {"now": timezone.now(), "password": make_password(PASSWORD)}
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL synchronous_commit TO off")
        cursor.execute(f"TRUNCATE {', '.join(TABLES)} RESTART IDENTITY CASCADE")
        cursor.execute(f"DROP TABLE IF EXISTS {MARKER_TABLE}")
        for statement in _sql(scale):
            step = time.monotonic()
            statement = statement.replace("%", "%%").replace("%%(now)s", "%(now)s").replace("%%(password)s", "%(password)s")
            cursor.execute(statement, params)
            log(f"  {statement.split()[0:3]} {cursor.rowcount} rows, {time.monotonic() - step:.1f} s")
        _reset_sequences(cursor)
        step = time.monotonic()
        # Each shipment's value, by the rule of the app (inventory.calculations.shipment_value).
        valued = shipment_values_refresh()
        log(f"  shipment values: {valued} shipments, {time.monotonic() - step:.1f} s")
        seconds = time.monotonic() - started
        cursor.execute(
            f"CREATE TABLE {MARKER_TABLE} (scale numeric, built_at timestamptz, seconds numeric, settled_at timestamptz)")
        cursor.execute(f"INSERT INTO {MARKER_TABLE} VALUES (%s, now(), %s, NULL)", [scale, seconds])
    settle_world()
    return world_marker()
