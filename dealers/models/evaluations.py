"""Evaluations of dealers, the criteria they score and the grade thresholds."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from dealers.calculations import SCORE_MAX, SCORE_MIN, GradeThresholds
from dealers.models.dealers import Dealer, Grade

THRESHOLDS_NOT_DESCENDING = _("The thresholds must descend: A above B above C.")


class EvaluationCriterion(models.Model):
    """A criterion dealers are scored on, 1–5, with a weight set by HQ (SPEC §1)."""

    code = models.SlugField(_("code"), max_length=50, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=100)
    name_zh = models.CharField(_("name (Chinese)"), max_length=100, blank=True)
    weight = models.DecimalField(
        _("weight"), max_digits=5, decimal_places=2, default=Decimal("1.00"),
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    active = models.BooleanField(_("active"), default=True)
    order = models.PositiveSmallIntegerField(pgettext_lazy("sort", "order"), default=100)

    class Meta:
        verbose_name = _("evaluation criterion")
        verbose_name_plural = _("evaluation criteria")
        ordering = ["order", "code"]
        constraints = [models.CheckConstraint(condition=models.Q(weight__gt=0), name="criterion_weight_positive")]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        """The name in the active language."""
        language = translation.get_language() or ""
        if language.startswith("zh") and self.name_zh:
            return self.name_zh
        return self.name_en


class GradeSettings(models.Model):
    """The grade thresholds, set by HQ in the admin (one row). Grades already
    given stay as they were when a threshold changes."""

    a_min = models.DecimalField(_("lowest total for A"), max_digits=3, decimal_places=2, default=Decimal("4.00"),
                                validators=[MinValueValidator(SCORE_MIN), MaxValueValidator(SCORE_MAX)])
    b_min = models.DecimalField(_("lowest total for B"), max_digits=3, decimal_places=2, default=Decimal("3.00"),
                                validators=[MinValueValidator(SCORE_MIN), MaxValueValidator(SCORE_MAX)])
    c_min = models.DecimalField(_("lowest total for C"), max_digits=3, decimal_places=2, default=Decimal("2.00"),
                                validators=[MinValueValidator(SCORE_MIN), MaxValueValidator(SCORE_MAX)])
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("grade thresholds")
        verbose_name_plural = _("grade thresholds")

    def __str__(self) -> str:
        return f"A ≥ {self.a_min}, B ≥ {self.b_min}, C ≥ {self.c_min}"

    def clean(self) -> None:
        super().clean()
        if None not in (self.a_min, self.b_min, self.c_min) and not (self.a_min > self.b_min > self.c_min):
            raise ValidationError(THRESHOLDS_NOT_DESCENDING)

    @classmethod
    def current(cls) -> GradeSettings:
        settings_row, _created = cls.objects.get_or_create(pk=1)
        return settings_row

    def as_thresholds(self) -> GradeThresholds:
        return GradeThresholds(a=self.a_min, b=self.b_min, c=self.c_min)


class Evaluation(models.Model):
    """One scoring of a dealer: scores per criterion, the weighted total and grade, kept as history."""

    dealer = models.ForeignKey(Dealer, verbose_name=_("dealer"), on_delete=models.CASCADE, related_name="evaluations")
    evaluator = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("evaluator"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now, db_index=True)
    comment = models.TextField(_("comment"), blank=True)
    total = models.DecimalField(_("weighted total"), max_digits=4, decimal_places=2)
    grade = models.CharField(_("grade"), max_length=1, choices=Grade.choices)

    class Meta:
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.dealer_id} {self.grade} ({self.total})"


class EvaluationScore(models.Model):
    evaluation = models.ForeignKey(Evaluation, verbose_name=_("evaluation"), on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(EvaluationCriterion, verbose_name=_("criterion"), on_delete=models.PROTECT, related_name="+")
    score = models.PositiveSmallIntegerField(
        _("score"), validators=[MinValueValidator(SCORE_MIN), MaxValueValidator(SCORE_MAX)]
    )
    # The weight when the score was given: a later change of weights does not rewrite history.
    weight = models.DecimalField(_("weight"), max_digits=5, decimal_places=2)

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "criterion"], name="evaluation_score_unique_criterion"),
            models.CheckConstraint(condition=models.Q(score__gte=SCORE_MIN, score__lte=SCORE_MAX), name="evaluation_score_1_to_5"),
        ]

    def __str__(self) -> str:
        return f"{self.criterion_id}: {self.score}"
