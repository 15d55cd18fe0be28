"""Amounts the models share: zero, and the digits of money and of a price."""

from __future__ import annotations

from decimal import Decimal

ZERO = Decimal("0.00")
MONEY = {"max_digits": 14, "decimal_places": 2}
PRICE = {"max_digits": 12, "decimal_places": 2}
