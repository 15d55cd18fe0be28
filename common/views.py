"""Small pages every site needs: the favicon at its conventional address, and the
error answers shared by the pages and the API."""

from __future__ import annotations

from django.conf import settings
from django.http import FileResponse, Http404, JsonResponse
from django.utils.translation import gettext_lazy as _
from django.views import defaults
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

FAVICON = settings.BASE_DIR / "static" / "favicon.ico"
NOT_FOUND = _("Not found.")
SERVER_ERROR = _("A server error occurred.")


@require_safe
@cache_control(max_age=7 * 24 * 3600, public=True)
def favicon(request):
    """/favicon.ico, which browsers ask for on every first visit (the pages also link the SVG)."""
    try:
        return FileResponse(FAVICON.open("rb"), content_type="image/x-icon")
    except FileNotFoundError:
        raise Http404 from None


def _is_api(request) -> bool:
    return request.path.startswith("/api/")


def not_found(request, exception=None):
    """404: JSON under /api/ (as the schema documents, e.g. a path id that is not a
    number, which no route matches), the branded page otherwise."""
    if _is_api(request):
        return JsonResponse({"detail": str(NOT_FOUND)}, status=404)
    return defaults.page_not_found(request, exception)


def server_error(request):
    if _is_api(request):
        return JsonResponse({"detail": str(SERVER_ERROR)}, status=500)
    return defaults.server_error(request)
