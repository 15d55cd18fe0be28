"""Evaluations of dealers, and the criteria and grade thresholds HQ sets."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from dealers.calculations import SCORE_MAX, SCORE_MIN, grade_for, weighted_total
from dealers.models import Dealer, Evaluation, EvaluationCriterion, EvaluationScore, GradeSettings
from dealers.services.messages import MISSING_SCORES, NO_CRITERIA, SCORE_OUT_OF_RANGE, UNKNOWN_CRITERIA


def _valid_score(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and SCORE_MIN <= value <= SCORE_MAX


@transaction.atomic
def evaluation_create(
    *, dealer: Dealer, evaluator: User, scores: Mapping[str, int], comment: str = "",
    evaluated_at: datetime | None = None,
) -> Evaluation:
    """Score a dealer 1–5 on every active criterion; the weighted total and grade are
    computed (dealers.calculations) and become the dealer's current grade. All or nothing."""
    criteria = {criterion.code: criterion for criterion in EvaluationCriterion.objects.filter(active=True)}
    if not criteria:
        raise ValidationError({"scores": NO_CRITERIA})
    if not isinstance(scores, Mapping):
        raise ValidationError({"scores": _("Expected an object of criterion codes and scores.")})
    errors = []
    unknown = sorted(set(scores) - set(criteria))
    if unknown:
        errors.append(ValidationError(UNKNOWN_CRITERIA, params={"codes": ", ".join(unknown)}))
    errors += [ValidationError(SCORE_OUT_OF_RANGE, params={"code": code})
               for code, value in scores.items() if code in criteria and not _valid_score(value)]
    missing = [code for code in criteria if code not in scores]
    if missing:
        errors.append(ValidationError(MISSING_SCORES, params={"codes": ", ".join(missing)}))
    if errors:
        raise ValidationError({"scores": errors})
    weights = {code: criteria[code].weight for code in scores}
    total = weighted_total(scores, weights)
    grade = grade_for(total, GradeSettings.current().as_thresholds())
    evaluation = Evaluation(dealer=dealer, evaluator=evaluator, comment=comment, total=total, grade=grade)
    if evaluated_at is not None:
        evaluation.created_at = evaluated_at
    evaluation.full_clean()
    evaluation.save()
    EvaluationScore.objects.bulk_create([
        EvaluationScore(evaluation=evaluation, criterion=criteria[code], score=value, weight=criteria[code].weight)
        for code, value in scores.items()
    ])
    dealer = Dealer.objects.select_for_update().get(pk=dealer.pk)
    if dealer.last_evaluated_at is None or evaluation.created_at >= dealer.last_evaluated_at:
        Dealer.objects.filter(pk=dealer.pk).update(
            current_grade=grade, current_score=total, last_evaluated_at=evaluation.created_at
        )
    return evaluation


# --- evaluation criteria and grade thresholds (HQ admin) ------------------------------
CRITERION_CODE_TAKEN = _("There is already a criterion with the code “%(code)s”.")
CRITERION_FIELDS = ("name_en", "name_zh", "weight", "active", "order")


@transaction.atomic
def evaluation_criterion_create(*, code: str, name_en: str, by: User | None = None, **fields) -> EvaluationCriterion:
    """A criterion HQ adds (SPEC §1: e.g. execution 执行力); evaluations from now on score it too."""
    code = (code or "").strip()
    if EvaluationCriterion.objects.filter(code__iexact=code).exists():
        raise ValidationError({"code": ValidationError(CRITERION_CODE_TAKEN, params={"code": code})})
    criterion = EvaluationCriterion(code=code, name_en=(name_en or "").strip(),
                                    **{name: value for name, value in fields.items() if name in CRITERION_FIELDS})
    criterion.full_clean()
    criterion.save()
    return criterion


@transaction.atomic
def evaluation_criterion_update(*, criterion: EvaluationCriterion, by: User | None = None, **fields) -> EvaluationCriterion:
    """Rename, re-weight, reorder or (de)activate a criterion. Its code stays (API
    clients send scores by code); evaluations already given keep their weights."""
    criterion = EvaluationCriterion.objects.select_for_update().get(pk=criterion.pk)
    for name, value in fields.items():
        if name not in CRITERION_FIELDS:
            raise TypeError(f"evaluation_criterion_update() cannot change {name!r}")
        setattr(criterion, name, value.strip() if isinstance(value, str) else value)
    criterion.full_clean()
    criterion.save()
    return criterion


@transaction.atomic
def grade_thresholds_update(*, a_min, b_min, c_min, by: User | None = None) -> GradeSettings:
    """Set the lowest weighted totals for grades A, B and C (descending). Grades
    already given stay as they were."""
    thresholds = GradeSettings.current()
    thresholds = GradeSettings.objects.select_for_update().get(pk=thresholds.pk)
    thresholds.a_min, thresholds.b_min, thresholds.c_min = a_min, b_min, c_min
    thresholds.full_clean()
    thresholds.save()
    return thresholds
