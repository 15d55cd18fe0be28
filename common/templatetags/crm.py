"""Template helpers shared by every app's pages."""


from django import template
from django.utils.http import urlencode

from common.formatting import (
    format_date,
    format_datetime,
    format_money,
    format_number,
    format_percent,
    format_quantity,
    unit_label,
)

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
def number(value, places: int = 0) -> str:
    """A figure with thousands separators: 12345 → '12,345'; `|number:2` → '12,345.00'; '—' for None."""
    return format_number(value, places)


@register.filter
def quantity(value, unit: str = "case") -> str:
    """A quantity with its unit, translated and plural-aware: `{{ 30|quantity:product.unit }}` → '30 cases' / '30 箱'."""
    return format_quantity(value, unit or "case")


@register.filter
def unit_name(unit: str, count: int = 2) -> str:
    """A unit's name for `count` of them: `{{ product.unit|unit_name:1 }}` → 'case' ('箱')."""
    return unit_label(unit, count)


@register.filter
def day(value) -> str:
    """A date (or a moment's local date) as 2026-10-01; '—' for None."""
    return format_date(value)


@register.filter
def moment(value) -> str:
    """A moment in local time as 2026-10-01 14:30; '—' for None."""
    return format_datetime(value)


@register.filter
def pct(value, places: int = 1) -> str:
    """A figure already in per cent: 21.3 → '21.3 %'; '—' for None."""
    return format_percent(value, places)


@register.filter
def percent(value, digits: int = 0) -> str:
    """0.4567 → '45.7 %' style output; '—' for None."""
    if value is None or value == "":
        return "—"
    return f"{float(value) * 100:.{int(digits)}f} %"


@register.simple_tag(takes_context=True)
def render_sections(context, sections, wrapper: str = "") -> str:
    """Render page sections (common.sections), each with its own template and context;
    `wrapper` puts each in a <div class="..."> (a grid column on the home page)."""
    from django.template.loader import render_to_string
    from django.utils.html import format_html
    from django.utils.safestring import mark_safe

    request = context.get("request")
    parts = []
    for section in sections:
        html = render_to_string(section.template, {**section.context, "section": section}, request=request)
        parts.append(format_html('<div class="{}">{}</div>', wrapper, mark_safe(html)) if wrapper else html)
    return mark_safe("".join(parts))


@register.simple_tag(takes_context=True)
def render_section(context, section) -> str:
    """Render one page section (common.sections) with its own template and context."""
    from django.template.loader import render_to_string
    from django.utils.safestring import mark_safe

    return mark_safe(render_to_string(section.template, {**section.context, "section": section},
                                      request=context.get("request")))
