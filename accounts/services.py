"""Writes of users: a person's account, role and assignments (a manager's regions,
a dealer user's company), their password (checked by Django's validators, the
similarity to the user's own name and email included) and the invitation that
lets a new user choose one. The setup pages, the API (users/) and the users
import call these."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from accounts.models import ONLY_MANAGERS_HAVE_REGIONS, Role, User
from accounts.tokens import api_token_cache_forget_users, api_tokens_revoke_all
from common.queueing import enqueue
from common.upsert import BulkInvalid, Outcome, RowResult, apply_changes, mark_repeated_keys, model_errors

PASSWORD_OR_EMAIL_REQUIRED = _("Give a password, or an email address to send an invitation to choose one.")
USERNAME_REQUIRED = _("Give a username.")
USERNAME_TAKEN = _("This username is taken; choose another one.")
ROLE_UNKNOWN = _("Unknown role “%(role)s”.")
CONCURRENT_CHANGE = _("Someone changed the same users at the same time; try again.")

# What a users row or a form may set besides username, password, role, regions and dealer.
USER_FIELDS = ("first_name", "last_name", "email", "phone", "language", "is_active")


def _check_assignments(*, role: str, regions: Iterable | None) -> None:
    if role != Role.MANAGER and regions:
        raise ValidationError({"regions": ONLY_MANAGERS_HAVE_REGIONS})


def password_check(*, password: str, user: User) -> None:
    """Django's password validators (AUTH_PASSWORD_VALIDATORS) against the user's own
    attributes — username, names, email — so "jsmith2026" is refused for jsmith.
    Every path that sets a password goes through here or through Django's own forms."""
    try:
        password_validation.validate_password(password, user)
    except ValidationError as error:
        raise ValidationError({"password": error.messages}) from error


@transaction.atomic
def user_create(
    *, username: str, password: str | None = None, role: str = Role.REP, regions: Iterable = (),
    by: User | None = None, **fields,
) -> User:
    """Create a user with a role and its assignments: a manager's regions, a dealer
    user's dealer. Without a password the user is emailed an invitation to choose one."""
    username = (username or "").strip()
    regions = list(regions or [])
    _check_assignments(role=role, regions=regions)
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": USERNAME_TAKEN})
    user = User(username=username, role=role, **fields)
    if password:
        password_check(password=password, user=user)
        user.set_password(password)
    elif user.email:
        user.set_unusable_password()
    else:
        raise ValidationError({"password": PASSWORD_OR_EMAIL_REQUIRED})
    user.full_clean()
    user.save()
    if regions:
        user.regions.set(regions)
    if not password:
        transaction.on_commit(lambda: _queue_invitation(user.pk))
    return user


@transaction.atomic
def user_update(
    *, user: User, password: str | None = None, regions: Iterable | None = None, by: User | None = None, **fields,
) -> User:
    """Change a user's details, role and assignments (and password, when given). A
    user who is no longer a manager loses their regions."""
    user = User.objects.select_for_update().get(pk=user.pk)
    if "username" in fields:
        fields["username"] = (fields["username"] or "").strip()
        if User.objects.filter(username__iexact=fields["username"]).exclude(pk=user.pk).exists():
            raise ValidationError({"username": USERNAME_TAKEN})
    for name, value in fields.items():
        setattr(user, name, value)
    if user.role != Role.DEALER and "dealer" not in fields:
        user.dealer = None  # no longer a dealer's user
    regions = list(regions) if regions is not None else None
    _check_assignments(role=user.role, regions=regions)
    if password:
        password_check(password=password, user=user)
        user.set_password(password)
    user.full_clean()
    user.save()
    if regions is not None:
        user.regions.set(regions)
    elif user.role != Role.MANAGER:
        user.regions.clear()
    if not user.is_active:  # a deactivated user's API tokens stop at once

        api_tokens_revoke_all(user=user)
    return user


PROFILE_FIELDS = ("first_name", "last_name", "email", "phone", "language")


@transaction.atomic
def profile_update(*, user: User, **fields) -> User:
    """A user's own changes to their profile (name, email, phone, language; not their role,
    dealer or regions): the fields given are checked, then saved."""
    unknown = set(fields) - set(PROFILE_FIELDS)
    if unknown:
        raise TypeError(f"profile_update() cannot change {', '.join(sorted(unknown))}")
    for name, value in fields.items():
        setattr(user, name, value.strip() if isinstance(value, str) and name != "language" else value)
    user.full_clean(exclude=[field.name for field in User._meta.fields if field.name not in fields])
    user.save(update_fields=[*fields] or None)
    return user


def user_set_language(*, user: User, language: str) -> User:
    user.language = language
    user.save(update_fields=["language"])
    return user


# --- Invitations --------------------------------------------------------------------------
def _queue_invitation(user_id: int) -> None:
    enqueue("accounts.tasks.send_user_invitation", user_id,
            when_down="the admin can send it again from the user's page.")


def user_invite(*, user: User) -> bool:
    """Email a user a link to choose their password (Django's password-reset token).
    Returns whether an email went out (not without an address or for an inactive user)."""
    from django.contrib.auth.tokens import default_token_generator
    from django.core.mail import send_mail
    from django.template.loader import render_to_string
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    if not user.email or not user.is_active:
        return False
    site = settings.SITE_URL.rstrip("/")
    path = reverse("accounts:password_reset_confirm", kwargs={
        "uidb64": urlsafe_base64_encode(force_bytes(user.pk)), "token": default_token_generator.make_token(user),
    })
    context = {"user": user, "link": f"{site}{path}", "login": f"{site}{reverse('accounts:login')}",
               "role": Role(user.role).label}
    with translation.override(user.language or settings.LANGUAGE_CODE):
        subject = render_to_string("accounts/email/invitation_subject.txt", context).strip()
        body = render_to_string("accounts/email/invitation.txt", context)
    send_mail(subject, body, None, [user.email])
    return True


def user_invitation_resend(*, user: User) -> None:
    """Queue the invitation again (e.g. the first email was lost)."""
    transaction.on_commit(lambda: _queue_invitation(user.pk))


# --- Many users by username (the users import) --------------------------------------------
def users_upsert(
    *, rows: Sequence[Mapping], by: User | None = None, dry_run: bool = False, seen: dict | None = None,
) -> list[RowResult]:
    """Create or update users by username; one RowResult per row.

    A row is `{"username": ..., "role": ..., <any of USER_FIELDS>, "regions": [Region]
    (a manager's), "dealer": Dealer (a dealer user's)}`; fields left out keep their
    value. Passwords are never imported: a new user gets an invitation by email
    (an email address is then required). All or nothing (BulkInvalid)."""
    if dry_run:
        return _users_plan(rows=rows, seen=seen, lock=False)
    with transaction.atomic():
        results = _users_plan(rows=rows, seen=seen, lock=True)
        if any(result.errors for result in results):
            raise BulkInvalid(results)
        _users_write(results)
    return results


def _users_plan(*, rows: Sequence[Mapping], seen: dict | None, lock: bool) -> list[RowResult]:
    results = [RowResult(index=index, key=str(row.get("username") or "").strip()) for index, row in enumerate(rows)]
    for result in results:
        if not result.key:
            result.add_error("username", USERNAME_REQUIRED)
    mark_repeated_keys(results, column="username", first_rows=seen)
    names = [result.key for result in results if result.key]
    users = User.objects.all()
    if lock:
        users = users.select_for_update()
    existing = {user.username.casefold(): user for user in users.annotate(lower=Lower("username"))
                .filter(lower__in=[name.casefold() for name in names])}
    region_ids = {}
    through = User.regions.through
    manager_ids = [user.pk for user in existing.values()]
    for user_id, region_id in through.objects.filter(user_id__in=manager_ids).values_list("user_id", "region_id"):
        region_ids.setdefault(user_id, set()).add(region_id)
    for result, row in zip(results, rows, strict=True):
        if result.errors:
            continue
        role = row.get("role")
        if role is not None and role not in Role.values:
            result.add_error("role", ROLE_UNKNOWN % {"role": role})
            continue
        values = {name: row[name] for name in USER_FIELDS if name in row}
        if "dealer" in row:
            values["dealer"] = row["dealer"]
        user = existing.get(result.key.casefold())
        if user is None:
            user = User(username=result.key, role=role or Role.REP, **values)
            user.set_unusable_password()
            result.outcome = Outcome.CREATE
            if not user.email:
                result.add_error("email", PASSWORD_OR_EMAIL_REQUIRED)
        else:
            if role is not None:
                values["role"] = role
            result.changed = apply_changes(user, values)
            if user.role != Role.DEALER and user.dealer_id:
                user.dealer = None
                result.changed.append("dealer")
        regions = row.get("regions")
        current_regions = region_ids.get(user.pk, set()) if user.pk else set()
        wanted = {region.pk for region in regions} if regions is not None else None
        if user.role != Role.MANAGER and (wanted or (wanted is None and current_regions)):
            if wanted:
                result.add_error("regions", ONLY_MANAGERS_HAVE_REGIONS)
            else:
                wanted = set()
        if wanted is not None and wanted != current_regions:
            result.extra["regions"] = wanted
            if result.action != Outcome.CREATE:
                result.changed.append("regions")
        if result.action != Outcome.CREATE:
            result.outcome = Outcome.UPDATE if result.changed else Outcome.UNCHANGED
        for name, messages in model_errors(user, exclude=["dealer"]).items():
            for message in messages:
                result.add_error(name, message)
        result.instance = user
    return results


def _users_write(results: list[RowResult]) -> None:
    new = [result.instance for result in results if result.outcome == Outcome.CREATE]
    changed = [result for result in results if result.outcome == Outcome.UPDATE]
    try:
        with transaction.atomic():
            User.objects.bulk_create(new, batch_size=1000)
            fields = sorted({name for result in changed for name in result.changed} - {"regions"})
            if fields:
                User.objects.bulk_update([result.instance for result in changed], fields, batch_size=1000)
                # bulk_update sends no post_save: the API's token cache forgets these users here.
                api_token_cache_forget_users(user_ids=[result.instance.pk for result in changed])
    except IntegrityError as error:
        raise ValidationError(CONCURRENT_CHANGE) from error
    through = User.regions.through
    reassigned = [result for result in results if "regions" in result.extra]
    if reassigned:
        through.objects.filter(user_id__in=[result.instance.pk for result in reassigned]).delete()
        through.objects.bulk_create([
            through(user_id=result.instance.pk, region_id=region_id)
            for result in reassigned for region_id in sorted(result.extra["regions"])
        ], batch_size=1000)
    invited = [user.pk for user in new if user.email and user.is_active]
    if invited:
        transaction.on_commit(lambda: [_queue_invitation(pk) for pk in invited])
