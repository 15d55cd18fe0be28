"""Exceptions raised by services, translated to HTTP by the views and the API."""


class StateConflict(Exception):
    """The change is not allowed from the object's current state (API: 409)."""


# PostgreSQL's SQLSTATE class 22 ("data exception"): a value out of a column's range,
# a string too long, an invalid date or number.
_DATA_EXCEPTION_CLASS = "22"


def is_out_of_range(error: BaseException) -> bool:
    """Whether `error` is an input that does not fit (Python's dates and numbers, or
    the database's columns) rather than a fault of the server."""
    from django.db import DataError

    if isinstance(error, OverflowError):
        return True
    if isinstance(error, ValueError) and "out of range" in str(error):  # datetime.date(10000, 1, 1)
        return True
    if isinstance(error, DataError):
        code = getattr(getattr(error, "__cause__", None), "pgcode", None) or ""
        return code.startswith(_DATA_EXCEPTION_CLASS) or "out of range" in str(error) or "too long" in str(error)
    return False


def is_bad_input(error: BaseException) -> bool:
    """Whether `error` comes from a value the client sent that a query could not
    use: out of range (above), or not a number where the ORM needs one (Django's
    "Field 'id' expected a number but got 'abc'")."""
    if is_out_of_range(error):
        return True
    return isinstance(error, (ValueError, TypeError)) and "expected a number but got" in str(error)


# PostgreSQL's SQLSTATE 23505 (unique_violation); SQLite says "UNIQUE constraint failed".
_UNIQUE_VIOLATION = "23505"


def is_concurrent_duplicate(error: BaseException) -> bool:
    """Whether `error` is a unique constraint refusing a row another request wrote
    at the same moment (two taps, two workers): the services check first, so only a
    race gets here. The caller may simply try again (409), never a server fault."""
    from django.db import IntegrityError

    if not isinstance(error, IntegrityError):
        return False
    code = getattr(getattr(error, "__cause__", None), "pgcode", None) or ""
    return code == _UNIQUE_VIOLATION or "UNIQUE constraint failed" in str(error)
