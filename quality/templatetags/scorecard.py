from django import template

from core.formatting import MONTHS as MONTH_NAMES
from quality.measures import FAIR, GOOD, POOR

register = template.Library()

BLOCKS = "▁▂▃▄▅▆▇█"
MONTHS = [name[:3] for name in MONTH_NAMES]  # Jan … Agu … Des
SYMBOLS = {GOOD: "✓", FAIR: "!", POOR: "✗"}
CLASSES = {GOOD: "table-success", FAIR: "table-warning", POOR: "table-danger"}


@register.filter
def sparkline(values) -> str:
    """A month-by-month trend as block characters (a month without records is a gap)."""
    known = [v for v in values if v is not None]
    if len(known) < 2:
        return ""
    top = max(known) or 1
    return "".join(" " if v is None else BLOCKS[min(7, int(7 * v / top))] for v in values)


@register.filter
def trend_text(values) -> str:
    """The trend for a screen reader and a tooltip: 'Jan 92,0; Feb 95,5 …'."""
    return "; ".join(f"{MONTHS[i]} {str(v).replace('.', ',')}" for i, v in enumerate(values) if v is not None)


@register.filter
def level_symbol(level: str) -> str:
    return SYMBOLS.get(level, "–")


@register.filter
def level_class(level: str) -> str:
    return CLASSES.get(level, "")


@register.filter
def decimal_id(value) -> str:
    """92.5 -> '92,5' (Indonesian decimal comma); None -> '–'."""
    if value is None:
        return "–"
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text.replace(".", ",")
