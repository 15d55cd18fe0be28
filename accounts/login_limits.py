"""Brute-force protection of signing in, per user name and per address (issue #12).

The sign-in form and `POST /api/v1/auth/token/` both count failed attempts in the
cache (Redis in production, as the /apply/ limit does): after
LOGIN_FAILURES_PER_USERNAME failures for one user name, or
LOGIN_FAILURES_PER_ADDRESS from one address, within LOGIN_LOCKOUT_MINUTES,
further attempts are refused — even with the right password — until the lock
expires; then the right password works again. A success clears the user name's
count. Times are read from the clock (not from the cache's expiry), so a test
travels in time instead of sleeping.
"""

from __future__ import annotations

import hashlib
import math
import time

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import ngettext_lazy

LOCKED = ngettext_lazy(
    "Too many failed sign-in attempts. Try again in %(minutes)s minute.",
    "Too many failed sign-in attempts. Try again in %(minutes)s minutes.",
    "minutes",
)


def _limits() -> tuple[int, int, int]:
    return (
        getattr(settings, "LOGIN_FAILURES_PER_USERNAME", 5),
        getattr(settings, "LOGIN_FAILURES_PER_ADDRESS", 20),
        getattr(settings, "LOGIN_LOCKOUT_MINUTES", 15) * 60,
    )


def _keys(username: str, address: str | None) -> list[tuple[str, int]]:
    per_username, per_address, _window = _limits()
    name = hashlib.sha256((username or "").strip().lower().encode()).hexdigest()[:32]
    return [(f"login-failures:user:{name}", per_username), (f"login-failures:addr:{address or 'unknown'}", per_address)]


def login_locked_for(*, username: str, address: str | None) -> int:
    """Seconds until this user name and address may try again (0: they may now)."""
    now = time.time()
    wait = 0.0
    for key, _limit in _keys(username, address):
        entry = cache.get(key)
        if entry and entry.get("locked_until", 0) > now:
            wait = max(wait, entry["locked_until"] - now)
    return math.ceil(wait)


def login_failed(*, username: str, address: str | None) -> None:
    """Count a failed attempt; at the limit, lock for LOGIN_LOCKOUT_MINUTES."""
    _per_username, _per_address, window = _limits()
    now = time.time()
    for key, limit in _keys(username, address):
        entry = cache.get(key) or {}
        if entry.get("since", 0) + window <= now or entry.get("locked_until", 0) and entry["locked_until"] <= now:
            entry = {"since": now, "count": 0}  # the window (or an earlier lock) is over: count afresh
        entry["count"] = entry.get("count", 0) + 1
        if entry["count"] >= limit:
            entry["locked_until"] = now + window
        cache.set(key, entry, timeout=window * 2)


def login_succeeded(*, username: str, address: str | None) -> None:
    """A right password (not locked): the user name's count starts again."""
    cache.delete(_keys(username, address)[0][0])


def locked_message(seconds: int) -> str:
    return LOCKED % {"minutes": max(1, math.ceil(seconds / 60))}
