"""Template helpers shared by every app's pages."""


from django import template
from django.utils.http import urlencode

from common.formatting import format_money

register = template.Library()


@register.simple_tag(takes_context=True)
def query_replace(context, **changes) -> str:
    """The current query string with some parameters replaced (filters survive paging and sorting)."""
    params = context["request"].GET.copy()
    for key, value in changes.items():
        if value in (None, ""):
            params.pop(key, None)
        else:
            params[key] = value
    return urlencode(sorted(params.lists()), doseq=True)


@register.simple_tag(takes_context=True)
def sort_link(context, field: str, param: str = "ordering") -> str:
    """A query string that sorts by `field`, toggling the direction when already sorted by it."""
    current = context["request"].GET.get(param, "")
    value = f"-{field}" if current == field else field
    return query_replace(context, **{param: value, "page": None})


@register.filter
def money(value) -> str:
    """An amount in yuan as every page shows it: 1234.5 → '¥1,234.50'; '—' for None."""
    return format_money(value)


@register.filter
def percent(value, digits: int = 0) -> str:
    """0.4567 → '45.7 %' style output; '—' for None."""
    if value is None or value == "":
        return "—"
    return f"{float(value) * 100:.{int(digits)}f} %"


@register.simple_tag(takes_context=True)
def render_sections(context, sections) -> str:
    """Render page sections (common.sections), each with its own template and context."""
    from django.template.loader import render_to_string
    from django.utils.safestring import mark_safe

    request = context.get("request")
    parts = [
        render_to_string(section.template, {**section.context, "section": section}, request=request)
        for section in sections
    ]
    return mark_safe("".join(parts))
