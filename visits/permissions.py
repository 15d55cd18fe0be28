"""Who may do what with visits, plans and requests (pages and API ask the same
questions). Scope is decided first by visits.selectors (outside: 404); these
answer "you may see it, but may your role do this?" (no: 403)."""

from __future__ import annotations

from accounts.models import Role


def _role(user) -> str | None:
    return user.effective_role if user.is_authenticated else None


def is_staff_field_role(user) -> bool:
    return _role(user) in (Role.ADMIN, Role.MANAGER, Role.REP)


def can_create_visits(user) -> bool:
    return is_staff_field_role(user)


def can_choose_rep(user) -> bool:
    """A manager or HQ admin plans a visit for any rep; a rep plans their own."""
    return _role(user) in (Role.ADMIN, Role.MANAGER)


def can_work_visit(user, visit) -> bool:
    """Record the market check, start, take notes, add photos, complete: the visit's rep (or HQ admin)."""
    return _role(user) == Role.ADMIN or visit.rep_id == user.pk


def can_manage_visit(user, visit) -> bool:
    """Move or cancel a visit: its rep, or a manager / HQ admin who sees it."""
    return _role(user) in (Role.ADMIN, Role.MANAGER) or visit.rep_id == user.pk


def can_comment(user, visit) -> bool:
    return _role(user) in (Role.ADMIN, Role.MANAGER) or visit.rep_id == user.pk


def can_edit_plan(user, dealer) -> bool:
    role = _role(user)
    return role in (Role.ADMIN, Role.MANAGER) or (role == Role.REP and dealer.rep_id == user.pk)


def can_create_requests(user) -> bool:
    return is_staff_field_role(user)


def can_decide_request(user, request) -> bool:
    """A manager (who sees the request) or HQ admin decides an escalated request."""
    return _role(user) in (Role.ADMIN, Role.MANAGER)


def can_close_request(user, request) -> bool:
    return _role(user) in (Role.ADMIN, Role.MANAGER) or request.owner_id == user.pk


def can_see_discipline(user) -> bool:
    return _role(user) in (Role.ADMIN, Role.MANAGER, Role.REP)
