"""Exceptions raised by services, translated to HTTP by the views and the API."""


class StateConflict(Exception):
    """The change is not allowed from the object's current state (API: 409)."""
