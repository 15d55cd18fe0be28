"""Small display helpers for the dealer pages."""

from django import template

register = template.Library()

STATUS_CLASSES = {
    "prospect": "text-bg-secondary", "negotiating": "text-bg-info", "active": "text-bg-success",
    "suspended": "text-bg-warning", "terminated": "text-bg-dark",
}
GRADE_CLASSES = {"A": "text-bg-success", "B": "text-bg-primary", "C": "text-bg-warning", "D": "text-bg-danger"}
OUTCOME_CLASSES = {"pending": "text-bg-warning", "dismissed": "text-bg-secondary"}


@register.filter
def status_class(status: str) -> str:
    return STATUS_CLASSES.get(status, "text-bg-light")


@register.filter
def grade_class(grade: str) -> str:
    return GRADE_CLASSES.get(grade, "text-bg-light")


@register.filter
def outcome_class(outcome: str) -> str:
    return OUTCOME_CLASSES.get(outcome, "text-bg-danger")
