"""The API error format (API.md): 400 `{"field": ["message"]}` or `{"detail": ...}`,
401, 403, 404 outside scope, 409 for a state conflict."""

from django.conf import settings
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, status
from rest_framework.views import exception_handler as drf_exception_handler

from common.api.parsers import BODY_TOO_LARGE
from common.exceptions import StateConflict, is_bad_input, is_concurrent_duplicate, is_out_of_range

VALUE_OUT_OF_RANGE = _("A value is out of range: numbers, dates and texts must fit what the database can hold.")
NOT_A_NUMBER = _("A number is required here.")
CHANGED_MEANWHILE = _("The same record was written at the same moment by another request; nothing was saved. Try again.")
REQUEST_REFUSED = _("The request cannot be read: %(reason)s")


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = _("This change is not allowed in the current state.")
    default_code = "conflict"


def _django_validation_error_detail(exc: DjangoValidationError):
    if hasattr(exc, "error_dict"):
        return {
            ("non_field_errors" if field == "__all__" else field): [
                message for error in errors for message in error.messages
            ]
            for field, errors in exc.error_dict.items()
        }
    return {"detail": " ".join(exc.messages)}


def exception_handler(exc, context):
    """DRF's handler, taught the domain exceptions that services raise."""
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(_django_validation_error_detail(exc))
    elif isinstance(exc, StateConflict):
        exc = Conflict(str(exc))
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    elif isinstance(exc, RequestDataTooBig):
        exc = exceptions.ParseError(BODY_TOO_LARGE % {"limit": settings.DATA_UPLOAD_MAX_MEMORY_SIZE})
    elif isinstance(exc, SuspiciousOperation):  # too many fields, a bad multipart body: Django's own 400
        exc = exceptions.ParseError(REQUEST_REFUSED % {"reason": exc})
    elif is_concurrent_duplicate(exc):
        # Also a last line of defence: a race between two identical writes (the
        # service's own check passed for both); the transaction rolled back.
        exc = Conflict(str(CHANGED_MEANWHILE))
    elif is_bad_input(exc):
        # The last line of defence: an input that got past the serializers and
        # overflowed Python's dates or the database's columns, or reached a query
        # as a non-number, is the caller's mistake (400), not the server's.
        message = VALUE_OUT_OF_RANGE if is_out_of_range(exc) else NOT_A_NUMBER
        exc = exceptions.ValidationError({"detail": str(message)})
    response = drf_exception_handler(exc, context)
    if response is not None and isinstance(response.data, list):
        # A bare list of messages (a ValidationError raised with a list): the
        # error body is always an object (API.md), so it reads {"detail": "..."}.
        response.data = {"detail": " ".join(str(message) for message in response.data)}
    return response
