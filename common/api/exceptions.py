"""The API error format (API.md): 400 `{"field": ["message"]}` or `{"detail": ...}`,
401, 403, 404 outside scope, 409 for a state conflict."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, status
from rest_framework.views import exception_handler as drf_exception_handler

from common.exceptions import StateConflict


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
    return drf_exception_handler(exc, context)
