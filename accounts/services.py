from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from accounts.models import Role, User


@transaction.atomic
def user_create(
    *, username: str, password: str, role: str = Role.REP, regions: Iterable = (), **fields
) -> User:
    """Create a user with a role; a manager's regions, a dealer user's dealer."""
    user = User(username=username, role=role, **fields)
    user.set_password(password)
    user.full_clean()
    user.save()
    if regions:
        user.regions.set(regions)
    return user


@transaction.atomic
def user_update(*, user: User, password: str | None = None, regions: Iterable | None = None, **fields) -> User:
    for name, value in fields.items():
        setattr(user, name, value)
    if password:
        user.set_password(password)
    user.full_clean()
    user.save()
    if regions is not None:
        user.regions.set(regions)
    return user


def user_set_language(*, user: User, language: str) -> User:
    user.language = language
    user.save(update_fields=["language"])
    return user
