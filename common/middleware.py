"""Page-side last line of defence: an input that overflowed Python's dates or a
database column, or a non-number where a query needs an id (`?visit=abc`),
answers 400, as the API's exception handler does, instead of 500."""

from __future__ import annotations

import logging

from django.core.exceptions import ValidationError
from django.views.defaults import bad_request

from common.exceptions import is_bad_input

logger = logging.getLogger(__name__)


class BadInputMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        # A ValidationError that reached here came from a query's value (a date
        # filter such as "2026-02-30"), not from a form, which would have caught it.
        if not (is_bad_input(exception) or isinstance(exception, ValidationError)):
            return None
        logger.info("Out-of-range input on %s: %s", request.path, exception)
        return bad_request(request, exception)
