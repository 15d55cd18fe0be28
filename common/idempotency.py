"""`Idempotency-Key` for API writes (API.md, the retry row; SPEC §3 "Retries are
harmless"): a client that may retry a POST, PUT or PATCH (a phone on a weak
network, an offline queue) sends a key of its own, unique per intended write;
a retry with the same key gets the first answer again, with the same ids, and
nothing is written twice.

Apply it to a DRF view method with the decorator::

    class StockCountListCreate(APIView):
        @extend_schema(request=..., responses={201: ..., **IDEMPOTENCY_RESPONSES})
        @idempotent
        def post(self, request, pk): ...

    class VisitViewSet(viewsets.GenericViewSet):          # a ViewSet action: above @action
        @extend_schema(request=None, responses={200: ..., **IDEMPOTENCY_RESPONSES})
        @idempotent
        @action(detail=True, methods=["post"])
        def start(self, request, pk=None): ...

The rules (following the IETF draft "The Idempotency-Key HTTP Header Field"):

- No header: the request runs as usual.
- A key is 1–255 printable ASCII characters (else 400). It is scoped to the
  user, the method and the path: another user's or another endpoint's key never
  matches.
- The first request with a key runs inside one transaction with its record; a
  concurrent request with the same key waits for it (a row lock on the record's
  unique index), then answers as a retry.
- A retry whose body equals the first (compared as parsed JSON, so spacing and
  key order do not matter) gets the stored status and body, and the header
  `Idempotent-Replayed: true`.
- The same key with a different body: 422 Unprocessable Content; nothing runs.
- Only successful answers (2xx) are kept: after an error, nothing was written,
  and the same key may be sent again (corrected).
- Records are kept IDEMPOTENCY_KEY_TTL_HOURS (default 24); after that the key
  is new again. common.tasks.purge_idempotency_records removes older ones.
"""

from __future__ import annotations

import datetime
import functools
import hashlib
import json

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, status
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from common.models import IdempotencyRecord

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
KEY_MAX = 255

KEY_INVALID = _("The Idempotency-Key header must be 1 to 255 printable ASCII characters.")
KEY_REUSED = _(
    "This Idempotency-Key was already used for a different request: send a new key for a new request."
)


class IdempotencyKeyInvalid(exceptions.APIException):
    status_code = status.HTTP_400_BAD_REQUEST
    default_detail = KEY_INVALID
    default_code = "idempotency_key_invalid"


class IdempotencyKeyReused(exceptions.APIException):
    status_code = status.HTTP_422_UNPROCESSABLE_ENTITY
    default_detail = KEY_REUSED
    default_code = "idempotency_key_reused"


IDEMPOTENCY_KEY_PARAMETER = OpenApiParameter(
    HEADER, OpenApiTypes.STR, location=OpenApiParameter.HEADER, required=False,
    description=(
        "Optional. A key of the client's own (e.g. a UUID), unique per intended write. A retry with the same "
        "key and the same body returns the first answer again (same status, same ids; header "
        "`Idempotent-Replayed: true`) without writing twice; the same key with a different body is refused "
        "with 422. Keys are kept 24 hours, per user, method and path; only successful answers are kept."
    ),
)
IDEMPOTENCY_RESPONSES = {
    422: OpenApiResponse(description="The Idempotency-Key was already used with a different request body."),
}


def ttl() -> datetime.timedelta:
    return datetime.timedelta(hours=float(getattr(settings, "IDEMPOTENCY_KEY_TTL_HOURS", 24)))


def body_hash(request) -> str:
    """A digest of the request's parsed body (JSON or form), independent of spacing and key order."""
    data = request.data
    if isinstance(data, QueryDict):
        data = {key: data.getlist(key) for key in sorted(data)}
    payload = json.dumps(data, sort_keys=True, separators=(",", ":"), cls=DjangoJSONEncoder, default=str)
    return hashlib.sha256(payload.encode()).hexdigest()


def _valid_key(key: str) -> bool:
    return 0 < len(key) <= KEY_MAX and key.isascii() and key.isprintable()


def _claim(*, user, key: str, method: str, path: str, digest: str) -> tuple[IdempotencyRecord, bool]:
    """(the record of this key, whether it holds a stored answer to replay).

    INSERT … ON CONFLICT DO NOTHING: when another request holds the same key in an
    open transaction, this waits for it to end. A record without an answer can
    only be this request's own (answers are stored before commit, failures never
    committed)."""
    fields = {"user": user, "key": key, "method": method, "path": path}
    IdempotencyRecord.objects.bulk_create([IdempotencyRecord(**fields, body_hash=digest)], ignore_conflicts=True)
    record = IdempotencyRecord.objects.select_for_update().get(**fields)
    if record.status_code is None:
        return record, False
    if record.created_at < timezone.now() - ttl():  # expired: the key is new again
        record.body_hash, record.status_code, record.response_body = digest, None, None
        record.created_at = timezone.now()
        record.save(update_fields=["body_hash", "status_code", "response_body", "created_at"])
        return record, False
    return record, True


def idempotent(view_method):
    """Make a DRF view method (post, put, patch, or an @action) honour the
    `Idempotency-Key` header (see the module's rules). Documents the header in the
    OpenAPI schema; add IDEMPOTENCY_RESPONSES to the method's responses."""

    @functools.wraps(view_method)
    def wrapper(view, request, *args, **kwargs):
        key = request.headers.get(HEADER)
        if key is None or not request.user.is_authenticated:
            return view_method(view, request, *args, **kwargs)
        key = key.strip()
        if not _valid_key(key):
            raise IdempotencyKeyInvalid()
        digest = body_hash(request)
        path = request.path[:255]
        with transaction.atomic():
            record, replay = _claim(user=request.user, key=key, method=request.method, path=path, digest=digest)
            if replay:
                if record.body_hash != digest:
                    raise IdempotencyKeyReused()
                return Response(record.response_body, status=record.status_code, headers={REPLAYED_HEADER: "true"})
            response = view_method(view, request, *args, **kwargs)
            if 200 <= response.status_code < 300 and hasattr(response, "data"):
                record.status_code = response.status_code
                record.response_body = json.loads(JSONRenderer().render(response.data) or b"null")
                record.save(update_fields=["status_code", "response_body"])
            else:  # not kept: the key may be sent again
                record.delete()
        return response

    return extend_schema(parameters=[IDEMPOTENCY_KEY_PARAMETER])(wrapper)


def idempotency_records_purge(*, now: datetime.datetime | None = None) -> int:
    """Remove records older than the time-to-live (idempotent); how many were removed."""
    cutoff = (now or timezone.now()) - ttl()
    deleted, _details = IdempotencyRecord.objects.filter(created_at__lt=cutoff).delete()
    return deleted
