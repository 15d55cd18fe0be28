"""Sections hq adds to other apps' pages (common/sections.py)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from common.sections import Section
from hq.selectors import setup_checklist


def role_home(*, request) -> list[Section]:
    """On an HQ admin's home, while the install is incomplete: the first-run
    checklist (what is missing before a rep can visit a dealer and get a
    suggested order), each item linking to the page that fixes it."""
    user = request.user
    if not (user.is_authenticated and user.is_hq_admin):
        return []
    checklist = setup_checklist()
    if checklist.complete:
        return []
    return [Section(title=str(_("Getting started")), template="hq/sections/checklist.html",
                    context={"checklist": checklist}, order=0, anchor="first-run", wide=True)]
