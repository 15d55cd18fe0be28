"""What the visits pages share: the page size, the visit looked up in scope (else 404), the role checks."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from visits import permissions, selectors
from visits.models import Visit

PAGE_SIZE = 25


def _visit_or_404(user, pk: int) -> Visit:
    try:
        return selectors.visit_detail(user=user, pk=pk)
    except Visit.DoesNotExist as error:
        raise Http404 from error


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _staff(user) -> None:
    if not permissions.is_staff_field_role(user):
        raise Http404
