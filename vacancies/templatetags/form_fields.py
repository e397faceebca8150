"""``{% form_field field %}``: the markup of ``partials/field.html``, written in Python.

The search page shows 15 filters and the work queue 4: including the partial once per field
(some 25 template nodes each) was a large share of those pages' time (issue 15,
docs/performance.md). The widget and the label still render through Django, so they look
exactly as elsewhere. ``tests/vacancies/test_form_fields.py`` checks the HTML equals the
partial's for every field of both forms, with and without errors.
"""

from django import template
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe

register = template.Library()


def _help_and_errors(field, errors) -> str:
    html = ""
    if field.help_text:
        html += format_html('<div class="helptext" id="{}_helptext">{}</div>', field.auto_id, field.help_text)
    if errors:
        html += format_html('<div id="{}_error">{}</div>', field.auto_id, errors)
    return html


@register.simple_tag
def form_field(field) -> str:
    """One form field: label, help text, errors (linked by aria-describedby), the input."""
    if field.is_hidden:
        return conditional_escape(field)
    errors = field.errors
    widget_type = field.widget_type
    classes = f"field field--{conditional_escape(widget_type)}"
    if errors:
        classes += " field--invalid"
    if field.field.required:
        classes += " field--required"
    if widget_type == "checkbox":
        inner = format_html("{} {}", field, field.label_tag()) + _help_and_errors(field, errors)
    elif field.use_fieldset:
        described = field.aria_describedby
        inner = (
            format_html("<fieldset{}>", format_html(' aria-describedby="{}"', described) if described else "")
            + conditional_escape(field.legend_tag())
            + _help_and_errors(field, errors)
            + conditional_escape(field)
            + "</fieldset>"
        )
    else:
        inner = conditional_escape(field.label_tag()) + _help_and_errors(field, errors) + conditional_escape(field)
    return mark_safe(f'<div class="{classes}">{inner}</div>')
