"""Questions a dealer asks the manufacturer, each a simple thread of messages
that the dealer's rep and the managers overseeing its region see and answer."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

SUBJECT_MAX = 200
BODY_MAX = 4000


class QuestionStatus(models.TextChoices):
    OPEN = "open", _("Awaiting an answer")
    ANSWERED = "answered", _("Answered")
    CLOSED = "closed", _("Closed")


class QuestionQuerySet(models.QuerySet):
    def awaiting_answer(self) -> QuestionQuerySet:
        return self.filter(status=QuestionStatus.OPEN)


class Question(models.Model):
    """One question from a dealer: the first message and every answer and follow-up form its thread."""

    dealer = models.ForeignKey(
        "dealers.Dealer", verbose_name=_("dealer"), on_delete=models.PROTECT, related_name="questions"
    )
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("asked by"), on_delete=models.PROTECT, related_name="questions_asked"
    )
    subject = models.CharField(_("subject"), max_length=SUBJECT_MAX)
    status = models.CharField(
        _("status"), max_length=16, choices=QuestionStatus.choices, default=QuestionStatus.OPEN, db_index=True
    )
    created_at = models.DateTimeField(_("asked at"), default=timezone.now)
    last_message_at = models.DateTimeField(_("last message at"), default=timezone.now)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("closed by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )

    objects = QuestionQuerySet.as_manager()

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["-last_message_at", "-id"]
        indexes = [
            models.Index(fields=["dealer", "-last_message_at"], name="question_dealer_last_idx"),
            models.Index(fields=["status", "-last_message_at"], name="question_status_last_idx"),
        ]

    def __str__(self) -> str:
        return self.subject


class QuestionMessage(models.Model):
    """One message in a question's thread, from the dealer or from the manufacturer's staff."""

    question = models.ForeignKey(Question, verbose_name=_("question"), on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), on_delete=models.PROTECT, related_name="question_messages"
    )
    from_dealer = models.BooleanField(_("from the dealer"), default=False)
    body = models.TextField(_("message"), max_length=BODY_MAX, validators=[MaxLengthValidator(BODY_MAX)])
    created_at = models.DateTimeField(_("written at"), default=timezone.now)

    class Meta:
        verbose_name = _("question message")
        verbose_name_plural = _("question messages")
        ordering = ["question", "created_at", "id"]
        constraints = [models.CheckConstraint(condition=~models.Q(body=""), name="question_message_not_empty")]

    def __str__(self) -> str:
        return self.body[:60]
