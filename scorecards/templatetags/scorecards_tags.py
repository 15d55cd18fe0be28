from django import template

from scorecards.table import percent_figure

register = template.Library()


@register.filter
def get_item(mapping, key):
    """mapping[key] in a template ("" when absent)."""
    try:
        return mapping.get(key, "")
    except AttributeError:
        return ""


@register.filter
def pct(value) -> str:
    """A percentage figure already in % (Decimal with one place): "21.3 %", "—" for None."""
    return percent_figure(value)
