"""What every setup page shares: only HQ admin gets in, and a service's
ValidationError lands on the form's fields."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

ONLY_HQ_ADMIN = _("Only an HQ admin may open the setup pages.")


def hq_admin_required(view):
    """Signed in (else the login page) and HQ admin (else 403)."""

    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_hq_admin:
            raise PermissionDenied(ONLY_HQ_ADMIN)
        return view(request, *args, **kwargs)

    return wrapped
