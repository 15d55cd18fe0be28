"""Who may see and do what with rebates (used by the pages and the API)."""

from __future__ import annotations

from accounts.models import Role
from rebates.selectors import STATEMENT_ROLES


def can_see_rebates(user) -> bool:
    """HQ admin, finance, managers and reps (within their scope), dealer users (their own)."""
    return user.is_authenticated and user.effective_role in STATEMENT_ROLES


def can_settle_rebates(user) -> bool:
    """Finance settles rebates (SPEC "Who uses it"); HQ admin may too."""
    return user.is_authenticated and (user.is_hq_admin or user.effective_role == Role.FINANCE)


def can_manage_plans(user) -> bool:
    """Rebate plans are set by HQ."""
    return user.is_authenticated and user.is_hq_admin

