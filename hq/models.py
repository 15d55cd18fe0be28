"""Imports kept with their preview: an uploaded file, what each of its rows would
do (create / update / unchanged / error, with the reasons), and whether it was
applied. The rows of a 10,000-line file are kept here rather than in memory, so
the preview pages through them and the worker stays small."""

from __future__ import annotations

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.utils.translation import gettext_lazy as _

from common.upsert import Outcome


def import_storage() -> FileSystemStorage:
    """Where uploaded import files wait: settings.IMPORT_FILES_DIR, never served."""
    return FileSystemStorage(location=settings.IMPORT_FILES_DIR)


class ImportKind(models.TextChoices):
    REGIONS = "regions", _("Regions")
    PRODUCTS = "products", _("Products")
    TIER_PRICES = "tier_prices", _("Tier prices")
    DEALERS = "dealers", _("Dealers")
    USERS = "users", _("Users")


class ImportStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting to be checked")
    CHECKING = "checking", _("Checking")
    CHECKED = "checked", _("Checked")
    FAILED = "failed", _("Could not be read")
    APPLYING = "applying", _("Importing")
    APPLIED = "applied", _("Imported")
    DISCARDED = "discarded", _("Discarded")


class ImportJob(models.Model):
    """One uploaded file of one kind, its dry-run preview and its application."""

    kind = models.CharField(_("kind"), max_length=16, choices=ImportKind.choices)
    status = models.CharField(_("status"), max_length=16, choices=ImportStatus.choices, default=ImportStatus.QUEUED)
    file = models.FileField(_("file"), upload_to="%Y/%m/", storage=import_storage, blank=True)
    file_name = models.CharField(_("file name"), max_length=255)
    file_format = models.CharField(_("format"), max_length=8)
    file_size = models.PositiveBigIntegerField(_("size (bytes)"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    checked_at = models.DateTimeField(_("checked at"), null=True, blank=True)
    applied_at = models.DateTimeField(_("imported at"), null=True, blank=True)
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("imported by"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    rows_total = models.PositiveIntegerField(_("rows"), default=0)
    rows_create = models.PositiveIntegerField(_("to create"), default=0)
    rows_update = models.PositiveIntegerField(_("to update"), default=0)
    rows_unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    rows_error = models.PositiveIntegerField(_("with errors"), default=0)
    error = models.TextField(_("problem with the file"), blank=True)
    seconds = models.FloatField(_("seconds"), null=True, blank=True)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.file_name}"

    @property
    def busy(self) -> bool:
        return self.status in (ImportStatus.QUEUED, ImportStatus.CHECKING, ImportStatus.APPLYING)

    @property
    def can_apply(self) -> bool:
        return self.status == ImportStatus.CHECKED and not self.rows_error and self.rows_total > 0

    @property
    def changes(self) -> int:
        return self.rows_create + self.rows_update


class ImportRow(models.Model):
    """What one row of the file does (or would do), and why not when it cannot."""

    job = models.ForeignKey(ImportJob, verbose_name=_("import"), on_delete=models.CASCADE, related_name="rows")
    number = models.PositiveIntegerField(_("row"))  # as the spreadsheet numbers it: the header is row 1
    key = models.CharField(_("code"), max_length=255, blank=True)
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices)
    changed = models.JSONField(_("changed"), default=list, blank=True)
    errors = models.JSONField(_("errors"), default=list, blank=True)  # [{"column": ..., "message": ...}]

    class Meta:
        verbose_name = _("import row")
        verbose_name_plural = _("import rows")
        ordering = ["job", "number"]
        indexes = [models.Index(fields=["job", "outcome", "number"], name="import_row_job_outcome_idx")]

    def __str__(self) -> str:
        return f"{self.job_id}:{self.number} {self.outcome}"
