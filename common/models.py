"""Models shared by every app."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class IdempotencyRecord(models.Model):
    """The first answer to a write sent with an `Idempotency-Key` header
    (common.idempotency): a retry with the same key, by the same user, to the same
    method and path gets this answer again instead of doing the write twice.
    `body_hash` tells a retry from a different request reusing the key. Kept for
    IDEMPOTENCY_KEY_TTL_HOURS (the purge task removes older records)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE,
                             related_name="+")
    key = models.CharField(_("key"), max_length=255)
    method = models.CharField(_("method"), max_length=8)
    path = models.CharField(_("path"), max_length=255)
    body_hash = models.CharField(_("body hash"), max_length=64)
    status_code = models.PositiveSmallIntegerField(_("status code"), null=True, blank=True)
    response_body = models.JSONField(_("response body"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("idempotency record")
        verbose_name_plural = _("idempotency records")
        constraints = [
            models.UniqueConstraint(fields=["user", "key", "method", "path"], name="idempotency_record_unique_key"),
        ]

    def __str__(self) -> str:
        return f"{self.method} {self.path} · {self.key}"
