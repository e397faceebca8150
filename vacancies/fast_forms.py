"""A form renderer that writes the plain <select> and <input> widgets in Python.

Django renders each widget through templates: a <select> includes one template per option and
one per set of attributes. On the search page's 15 filters (and the work queue's 4) that was
about a third of the page's time (issue 15, docs/performance.md). This renderer writes the
same HTML as Django's own ``select.html``, ``select_option.html``, ``input.html`` and
``attrs.html`` from the same widget context; any other template (labels, errors, radios, the
project's own widgets) goes through Django as before. ``tests/vacancies/test_form_fields.py``
compares it with Django's renderer on every field of both forms.
"""

from django.forms.renderers import DjangoTemplates
from django.utils.html import conditional_escape, escape

_SELECT = "django/forms/widgets/select.html"
_OPTION = "django/forms/widgets/select_option.html"
# Django's widgets whose template is only {% include "django/forms/widgets/input.html" %}.
_INPUTS = frozenset(
    f"django/forms/widgets/{name}.html" for name in ("text", "number", "email", "url", "search", "hidden", "tel")
)


def _attrs(attrs: dict) -> str:
    # attrs.html: in order; False left out, True as a bare name, every other value as a string.
    html = ""
    for name, value in attrs.items():
        if value is False:
            continue
        html += f" {conditional_escape(name)}"
        if value is not True:
            html += f'="{escape(str(value))}"'
    return html


def _option(option: dict) -> str:
    return (
        f'<option value="{escape(str(option["value"]))}"{_attrs(option["attrs"])}>'
        f"{conditional_escape(option['label'])}</option>"
    )


def _select(widget: dict) -> str | None:
    html = f'<select name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>'
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            html += f'\n  <optgroup label="{conditional_escape(group_name)}">'
        for option in group_choices:
            if option["template_name"] != _OPTION:
                return None  # an option of its own: Django renders the whole widget
            html += "\n  " + _option(option)
        if group_name:
            html += "\n  </optgroup>"
    return html + "\n</select>"


def _input(widget: dict) -> str:
    value = "" if widget["value"] is None else f' value="{escape(str(widget["value"]))}"'
    return (
        f'<input type="{conditional_escape(widget["type"])}" name="{conditional_escape(widget["name"])}"'
        f"{value}{_attrs(widget['attrs'])}>"
    )


class FastWidgetRenderer(DjangoTemplates):
    """Django's template renderer, with the plain <select> and <input> written in Python."""

    def render(self, template_name, context, request=None):
        if template_name == _SELECT:
            html = _select(context["widget"])
            if html is not None:
                return html
        elif template_name in _INPUTS:
            return _input(context["widget"])
        return super().render(template_name, context, request)


FAST_WIDGETS = FastWidgetRenderer()
