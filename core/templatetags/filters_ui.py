"""A fast renderer for list filter fields.

Django's widget templates render every <option> through the template engine; a filter bar with a
hundred kecamatan then costs more than the list's own queries. This writes the same Bootstrap markup
directly (escaped), keeping the widget's attributes (htmx ones included).
"""

from django import forms, template
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import mark_safe

register = template.Library()


def _attrs(attrs: dict) -> str:
    return "".join(
        f" {escape(key)}" if value is True else f' {escape(key)}="{escape(value)}"'
        for key, value in attrs.items()
        if value not in (None, False)
    )


def _choices(bound: forms.BoundField):
    # A model/choice field has its own choices; a BooleanFilter carries them on its Select widget.
    return getattr(bound.field, "choices", None) or bound.field.widget.choices


@register.simple_tag
def filter_field(bound: forms.BoundField) -> str:
    widget = bound.field.widget
    value = bound.value()
    attrs = {**widget.attrs, "id": bound.auto_id, "name": bound.html_name}
    if isinstance(widget, forms.HiddenInput):
        return format_html('<input type="hidden"{} value="{}">', mark_safe(_attrs(attrs)), value or "")
    label = format_html('<label class="form-label" for="{}">{}</label>', bound.auto_id, bound.label)
    if isinstance(widget, forms.Select):
        selected = "" if value in (None, "") else str(value)
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (str(key), mark_safe(" selected") if str(key) == selected else "", text)
                for key, text in ((getattr(k, "value", k), t) for k, t in _choices(bound))
            ),
        )
        control = format_html('<select class="form-select"{}>{}</select>', mark_safe(_attrs(attrs)), options)
    else:
        input_type = getattr(widget, "input_type", "text")
        control = format_html(
            '<input type="{}" class="form-control"{} value="{}">', input_type, mark_safe(_attrs(attrs)), value or ""
        )
    return format_html('<div class="mb-3">{}{}</div>', label, control)
