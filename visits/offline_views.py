"""The installable web app of the rep's day (issue 18): the manifest, the service
worker (served under /visits/ so that its scope covers "My day", the visit pages
and the offline page) and the offline page, a shell that static/js/offline.js
fills from what the phone stored (IndexedDB). Every other page keeps working
without JavaScript, as before."""

from __future__ import annotations

import functools
import hashlib
import json

from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles import finders
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_GET

from . import permissions
from .models import Visit, VisitStatus

# The static files the offline pages need, cached by the service worker when it installs.
OFFLINE_ASSETS = (
    "vendor/bootstrap/bootstrap.min.css", "vendor/bootstrap-icons/bootstrap-icons.min.css",
    "vendor/bootstrap-icons/fonts/bootstrap-icons.woff2", "css/app.css",
    "vendor/bootstrap/bootstrap.bundle.min.js", "vendor/htmx/htmx.min.js", "js/app.js", "js/offline-suggest.js",
    "js/offline.js", "icons/app-192.png", "icons/app-512.png", "favicon.svg",
)


@functools.lru_cache(maxsize=1)
def cache_version() -> str:
    """A version of the offline caches: it changes whenever an asset or the worker
    changes, so a new worker replaces the old caches."""
    digest = hashlib.sha256()
    for name in OFFLINE_ASSETS:
        path = finders.find(name)
        if path:
            with open(path, "rb") as handle:
                digest.update(handle.read())
    digest.update(render_to_string("visits/sw.js", {"version": "", "precache": "[]"}).encode())
    return digest.hexdigest()[:12]


@require_GET
def service_worker(request):
    """The service worker, scope /visits/ (no cookies needed: it is the same for everyone)."""
    precache = [static(name) for name in OFFLINE_ASSETS] + [reverse("visits:offline")]
    body = render_to_string("visits/sw.js", {"version": cache_version(), "precache": json.dumps(precache),
                                             "offline_url": json.dumps(reverse("visits:offline"))})
    response = HttpResponse(body, content_type="application/javascript; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    response["Service-Worker-Allowed"] = reverse("visits:today").rsplit("today/", 1)[0]
    return response


@require_GET
def manifest(request):
    """The web app manifest: "My day" installed on the phone's home screen."""
    return JsonResponse({
        "name": _("Dealer CRM · My day"), "short_name": _("My day"), "lang": request.LANGUAGE_CODE,
        "start_url": reverse("visits:today"), "scope": reverse("visits:today").rsplit("today/", 1)[0],
        "display": "standalone", "background_color": "#ffffff", "theme_color": "#0d6efd",
        "icons": [{"src": static(f"icons/app-{size}.png"), "sizes": f"{size}x{size}", "type": "image/png",
                   "purpose": "any maskable"} for size in (192, 512)],
    }, content_type="application/manifest+json", json_dumps_params={"ensure_ascii": False})


def offline_strings() -> dict[str, str]:
    """The texts static/js/offline.js shows, in the page's language."""
    note_fields = ("policy_notes", "dealer_feedback", "display_notes", "terminal_notes", "after_sales_notes")
    return {
        "offline": _("Offline"),
        "online": _("Online"),
        "waiting": _("Changes waiting to be sent: %(count)s"),
        "all_sent": _("All changes sent."),
        "send_now": _("Send now"),
        "sending": _("Sending…"),
        "refused": _("Not accepted: %(reason)s"),
        "fix": _("Fix and resend"),
        "resend": _("Resend"),
        "confirm_resend": _("The quantities are right: resend"),
        "discard": _("Discard"),
        "discard_confirm": _("Discard this change? It will not be sent."),
        "sign_in_again": _("Sign in again to send the waiting changes."),
        "queued": _("Saved on this phone; it will be sent when the network returns."),
        "saved_for_offline": _("Saved on this phone for offline use at %(time)s."),
        "save_failed": _("Could not save the day on this phone."),
        "open_offline": _("Open the day offline"),
        "no_bundle": _("No day stored on this phone yet: open My day while online."),
        "todays_visits": _("Today's visits"),
        "no_visits": _("No visits today."),
        "back": _("Back to the day"),
        "market_check": _("Market check"),
        "outlets_walked": _("Outlets walked"),
        "notes": _("Notes"),
        "kind": _("Kind of finding"),
        "outlet": _("Outlet"),
        "product": _("Our product"),
        "retail_price": _("Retail price seen"),
        "in_stock": _("In stock at the outlet"),
        "skipped_reason": _("No check possible because"),
        "photo": _("Photo"),
        "photo_too_large": _("The photo is too large: at most %(limit)s MB."),
        "save_check": _("Save market check"),
        "check_recorded": _("Market check recorded."),
        "start": _("Start visit"),
        "start_needs_check": _("Record the market check (or why none was possible) before starting the visit."),
        "started": _("Started at %(time)s"),
        "stock_count": _("Stock count"),
        "cases": _("Stock of %(product)s (cases)"),
        "production_date": _("Production date"),
        "save_count": _("Save the count"),
        "count_needs_start": _("Start the visit first."),
        "suggestion": _("Suggested order (computed on this phone)"),
        "previous": pgettext("stock", "Previous"),
        "delivered": _("Delivered"),
        "current": _("Current"),
        "period_sales": _("Period sales"),
        "safety_stock": _("Safety stock"),
        "suggested": _("Suggested"),
        "no_suggestion": _("No suggestion"),
        "server_suggestion": _("The server's suggestion: %(server)s (this phone: %(phone)s)"),
        "server_same": _("The server's suggestion is the same."),
        "visit_notes": _("Notes of the visit"),
        "save_notes": _("Save notes"),
        "request": _("Request or commitment"),
        "due_on": _("Due on"),
        "beyond_authority": _("Beyond my authority"),
        "log_request": _("Log request"),
        "complete": _("Complete visit"),
        "completed_at": _("Completed at %(time)s"),
        "needs_js": _("This page needs JavaScript; without it, use My day."),
        **{f"note_{name}": str(Visit._meta.get_field(name).verbose_name).capitalize() for name in note_fields},
        **{f"status_{value}": str(label) for value, label in VisitStatus.choices},
    }


@login_required
def offline_day(request):
    """The rep's day offline: the shell that offline.js fills from the phone's store."""
    if not permissions.is_staff_field_role(request.user):
        raise Http404
    return render(request, "visits/offline.html", {"offline_strings": offline_strings()})
