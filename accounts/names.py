"""How the app writes a person's name (no model: read as plain values too)."""

from __future__ import annotations


def _is_cjk(text: str) -> bool:
    """True when `text` is written in Chinese characters (CJK unified ideographs)."""
    return any("\u3400" <= char <= "\u9fff" for char in text)


def full_name(first_name: str | None, last_name: str | None) -> str:
    """A person's name as people write it: "Wei Zhang"; a Chinese name family name
    first and without a space ("张伟"); "" when no name is given. The one rule, for
    a User (get_full_name) and for names read as plain values (the scorecard's reps)."""
    first, last = (first_name or "").strip(), (last_name or "").strip()
    if _is_cjk(first) or _is_cjk(last):
        return f"{last}{first}"
    return f"{first} {last}".strip()
