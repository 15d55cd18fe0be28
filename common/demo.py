"""The demo world behind `manage.py seed_demo`.

Each app adds a module `<app>/demo.py` with `def seed(world: DemoWorld) -> None`
and lists it in SEEDERS, in dependency order. A seeder must be idempotent: it
finds or creates rows by natural keys (username, code, ...), so running the
command twice leaves the same world.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

SEEDERS = [
    "regions.demo",
    "accounts.demo",
    "dealers.demo",
    "inventory.demo",
    "rebates.demo",
    "portal.demo",
    "promotions.demo",
    "visits.demo",
    "visits.demo_counts",  # after the visits seeder (its completed visits get the counts)
    "scorecards.demo",
]

DEMO_PASSWORD = "demo-pass-2026"


@dataclass
class DemoLogin:
    username: str
    role: str
    note: str = ""


@dataclass
class DemoWorld:
    """What seeders share: a seeded random generator, the logins to print, and
    named objects earlier seeders made (e.g. world.regions["杭州市"])."""

    rng: random.Random = field(default_factory=lambda: random.Random(2026))
    logins: list[DemoLogin] = field(default_factory=list)
    regions: dict = field(default_factory=dict)
    users: dict = field(default_factory=dict)
    dealers: dict = field(default_factory=dict)
    extra: dict = field(default_factory=dict)

    def add_login(self, username: str, role: str, note: str = "") -> None:
        if all(login.username != username for login in self.logins):
            self.logins.append(DemoLogin(username, role, note))
