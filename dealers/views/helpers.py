from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render

from dealers.models import Dealer
from dealers.permissions import Action, require
from dealers.selectors import dealer_queryset_for


def scoped_dealer(request, pk: int, action: Action | None = None) -> Dealer:
    """The dealer if the user may see it (else 404), and may do `action` (else 403)."""
    dealer = get_object_or_404(dealer_queryset_for(request.user).select_related("region", "rep"), pk=pk)
    if action is not None:
        require(request.user, action)
    return dealer


def conflict(request, error, url):
    """A change the current state does not allow: say so and go back."""
    messages.error(request, str(error))
    return redirect(url)


def form_page(request, *, form, title, cancel_url, dealer=None, submit_label=None, intro="", status=200, **extra):
    """The shared page for one form (phone first, one column)."""
    context = {"form": form, "title": title, "cancel_url": cancel_url, "dealer": dealer,
               "submit_label": submit_label, "intro": intro, **extra}
    return render(request, "dealers/form.html", context, status=status)
