"""API tokens: issued at sign-in, expiring, revocable (issue #12).

`POST /api/v1/auth/token/` issues a new token for each sign-in (a phone and an
ERP each have their own), valid for settings.API_TOKEN_TTL_HOURS;
`POST /api/v1/auth/logout/` revokes the token it is called with (or all of the
user's with `{"all": true}`); deactivating a user revokes all of theirs, and a
deactivated user's token is refused at once anyway.

A token's lookup (with its user) is one SQL statement built once (api_token_with_user),
and may be kept in the cache for a few seconds (settings.API_TOKEN_CACHE_SECONDS,
off by default: through Redis a hit measured no cheaper than the lookup; issue 16).
The cache never outlives a change: revoking a token (any delete of an ApiToken
row: sign-out, deactivation, a deleted user) and any save of a user
(deactivation, role, dealer, password) forget the entries of that token or user
at once and again when the transaction commits, and the users import
(bulk_update, no signals) forgets those it changed. The entry is keyed by the
key's full digest and checked against it, and its expiry is checked on every
request. The cache must be shared by every process serving the API (Redis), so
the setting counts only when REDIS_URL is set: with a per-process cache a
deactivation seen by one process would not reach the others.
"""

from __future__ import annotations

import datetime
import hashlib
import secrets

from django.conf import settings
from django.core.cache import cache
from django.db import connections, router, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

from accounts.models import ApiToken, User

TOKEN_INVALID = _("Invalid token.")
TOKEN_EXPIRED = _("The token has expired; sign in again.")
USER_INACTIVE = _("This user is deactivated.")


def token_digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def token_ttl() -> datetime.timedelta:
    return datetime.timedelta(hours=getattr(settings, "API_TOKEN_TTL_HOURS", 168))


@transaction.atomic
def api_token_issue(*, user: User) -> tuple[str, ApiToken]:
    """A new token for `user`: (the key, shown once; the stored row). The user's
    expired tokens are swept away at the same time."""
    now = timezone.now()
    ApiToken.objects.filter(user=user, expires_at__lte=now).delete()
    key = secrets.token_hex(20)
    token = ApiToken.objects.create(digest=token_digest(key), user=user, expires_at=now + token_ttl())
    return key, token


def _cache_key(digest: str) -> str:
    return f"api-token:{digest}"


def api_token_cache_seconds() -> int:
    return getattr(settings, "API_TOKEN_CACHE_SECONDS", 0)


def api_token_cache_forget(*, digests) -> None:
    """Forget the cached lookups of these token digests, now and when the current
    transaction commits (a request between the two could cache what is about to
    change)."""
    keys = [_cache_key(digest) for digest in digests]
    if not keys or not api_token_cache_seconds():
        return
    cache.delete_many(keys)
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(lambda: cache.delete_many(keys))


def api_token_cache_forget_users(*, user_ids) -> None:
    """Forget the cached lookups of every token of these users (their record changed)."""
    user_ids = list(user_ids)
    if user_ids and api_token_cache_seconds():
        api_token_cache_forget(digests=ApiToken.objects.filter(user_id__in=user_ids).values_list("digest", flat=True))


def api_token_revoke(*, key: str) -> int:
    """Revoke one token (signing out); how many were deleted (0 or 1)."""
    return ApiToken.objects.filter(digest=token_digest(key)).delete()[0]


def api_token_revoke_this(*, token: ApiToken) -> int:
    """Revoke the token a request was made with (signing out of the API); 0 or 1."""
    return ApiToken.objects.filter(pk=token.pk).delete()[0]


def api_tokens_revoke_all(*, user: User) -> int:
    """Revoke every token of `user` (sign out everywhere; a deactivated user)."""
    return ApiToken.objects.filter(user=user).delete()[0]


def _lookup_plan(db_connection) -> tuple[str, list, list, list]:
    """The SQL of a token with its user (one indexed lookup by digest), the two
    models' field names in the order of its columns, and each column's converters
    (as the ORM applies them): built once per database connection's vendor."""
    plan = _LOOKUP_PLANS.get(db_connection.vendor)
    if plan is None:
        quote = db_connection.ops.quote_name
        token_fields, user_fields = ApiToken._meta.concrete_fields, User._meta.concrete_fields
        columns = [f"t.{quote(field.column)}" for field in token_fields] + [
            f"u.{quote(field.column)}" for field in user_fields
        ]
        sql = (
            f"SELECT {', '.join(columns)} FROM {quote(ApiToken._meta.db_table)} t "
            f"INNER JOIN {quote(User._meta.db_table)} u ON u.{quote(User._meta.pk.column)} = t.{quote('user_id')} "
            f"WHERE t.{quote(ApiToken._meta.pk.column)} = %s"
        )
        converters = []
        for field in (*token_fields, *user_fields):
            col = field.get_col(field.model._meta.db_table)
            converters.append((db_connection.ops.get_db_converters(col) + col.get_db_converters(db_connection), col))
        plan = (sql, [f.attname for f in token_fields], [f.attname for f in user_fields], converters)
        _LOOKUP_PLANS[db_connection.vendor] = plan
    return plan


_LOOKUP_PLANS: dict[str, tuple] = {}


def api_token_with_user(digest: str) -> ApiToken | None:
    """The token of this digest with its user, or None: what
    `ApiToken.objects.select_related("user").filter(digest=digest).first()` gives, read
    with one SQL statement built once per process instead of a query compiled per
    request (issue 16)."""
    db_connection = connections[router.db_for_read(ApiToken)]
    sql, token_names, user_names, converters = _lookup_plan(db_connection)
    with db_connection.cursor() as cursor:
        cursor.execute(sql, [digest])
        row = cursor.fetchone()
    if row is None:
        return None
    values = list(row)
    for index, (functions, col) in enumerate(converters):
        for convert in functions:
            values[index] = convert(values[index], col, db_connection)
    split = len(token_names)
    token = ApiToken.from_db(db_connection.alias, token_names, values[:split])
    token.user = User.from_db(db_connection.alias, user_names, values[split:])
    return token


class ApiTokenAuthentication(TokenAuthentication):
    """`Authorization: Token <key>`, as API.md promises: one indexed lookup of the
    key's digest with its user; an expired token or a deactivated user is refused."""

    def authenticate_credentials(self, key):
        digest = token_digest(key)
        seconds = api_token_cache_seconds()
        token = cache.get(_cache_key(digest)) if seconds else None
        if token is None or token.digest != digest:
            token = api_token_with_user(digest)
            if token is None:
                raise exceptions.AuthenticationFailed(TOKEN_INVALID)
            remaining = (token.expires_at - timezone.now()).total_seconds()
            if seconds and remaining > 1 and token.user.is_active:
                cache.set(_cache_key(digest), token, min(seconds, int(remaining)))
        if token.expires_at <= timezone.now():
            raise exceptions.AuthenticationFailed(TOKEN_EXPIRED)
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(USER_INACTIVE)
        return token.user, token


def forget_deleted_token(sender, instance: ApiToken, **kwargs) -> None:
    """post_delete of an ApiToken (revoked, or its user deleted)."""
    api_token_cache_forget(digests=[instance.digest])


def forget_saved_user(sender, instance: User, **kwargs) -> None:
    """post_save of a User: whatever changed, their cached token lookups go (a new
    user has none; signing in only stamps last_login)."""
    update_fields = kwargs.get("update_fields")
    if kwargs.get("created") or kwargs.get("raw") or (update_fields and set(update_fields) <= {"last_login"}):
        return
    api_token_cache_forget_users(user_ids=[instance.pk])
