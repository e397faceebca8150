"""Autocomplete widgets for occupations and skills (static/js/autocomplete.js).

With ~3,000 occupations and ~13,900 skills a <select> listing them all is megabytes of HTML, so
these widgets render only the chosen options; the script adds a text box that asks the
autocomplete endpoint (``/api/v1/occupations/autocomplete``, ``/api/v1/skills/autocomplete``) and
adds the picked entries to the hidden select, which the form posts as before. Validation stays
with the field's queryset.
"""

import threading

from django import forms
from django.db import connection
from django.urls import reverse
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext, gettext_noop

from .models import Place, ReferenceDataVersion


class AutocompleteMixin:
    url_name = ""  # the API's autocomplete endpoint
    placeholder = ""

    def build_attrs(self, base_attrs, extra_attrs=None):
        attrs = super().build_attrs(base_attrs, extra_attrs)
        attrs.setdefault("data-autocomplete-url", reverse(self.url_name))
        attrs.setdefault("data-autocomplete-lang", (get_language() or "nl")[:2])
        attrs.setdefault("data-autocomplete-placeholder", gettext(self.placeholder))
        attrs.setdefault("data-autocomplete-remove", gettext("Remove"))
        attrs.setdefault("data-autocomplete-empty", gettext("Nothing found"))
        return attrs

    def optgroups(self, name, value, attrs=None):
        """Only the chosen options: one query for them, none for the rest of the vocabulary."""
        chosen = [str(v) for v in value if v not in (None, "")]
        iterator = self.choices
        queryset = getattr(iterator, "queryset", None)
        if queryset is None:  # plain choices: keep Django's behaviour
            return super().optgroups(name, value, attrs)
        groups = []
        if not self.allow_multiple_selected:
            groups.append((None, [self.create_option(name, "", "---------", not chosen, 0, attrs=attrs)], 0))
        if chosen:
            objects = queryset.filter(pk__in=[v for v in chosen if v.isdigit()])
            for index, obj in enumerate(objects, start=1):
                label = iterator.field.label_from_instance(obj)
                groups.append((None, [self.create_option(name, obj.pk, label, True, index, attrs=attrs)], index))
        return groups


class OccupationAutocomplete(AutocompleteMixin, forms.Select):
    url_name = "api:occupation-autocomplete"
    placeholder = gettext_noop("Type an occupation, e.g. welder, lasser, soudeur")


class OccupationMultipleAutocomplete(AutocompleteMixin, forms.SelectMultiple):
    url_name = "api:occupation-autocomplete"
    placeholder = gettext_noop("Type an occupation, e.g. welder, lasser, soudeur")


class SkillAutocomplete(AutocompleteMixin, forms.Select):
    url_name = "api:skill-autocomplete"
    placeholder = gettext_noop("Type a skill, e.g. TIG welding, lassen")


class SkillMultipleAutocomplete(AutocompleteMixin, forms.SelectMultiple):
    url_name = "api:skill-autocomplete"
    placeholder = gettext_noop("Type a skill, e.g. TIG welding, lassen")


class PlaceSelect(forms.Select):
    """A <select> of every place (~230) whose options are rendered once per process.

    Django's Select renders one template per option: two place filters made most of the search
    page's and the work queue's time (docs/performance.md, "Pages under load"). The options'
    HTML is kept per language, reference-data load and set of places (count and highest id, one
    small query per render, so a place added or removed shows at once); the chosen value is
    marked by a string replacement. A plain <select>: it works without script and keeps its label.
    Validation stays with the field's queryset; the widget's ``choices`` are not used.
    """

    _cache: dict[tuple, str] = {}
    _lock = threading.Lock()
    MAX_CACHED = 32  # languages × versions; a new version makes the old entries useless

    def __init__(self, attrs=None, empty_label="---------"):
        super().__init__(attrs)
        self.empty_label = empty_label

    def __deepcopy__(self, memo):
        copy = super().__deepcopy__(memo)
        copy._version = None  # each form (request) checks the version again
        return copy

    def version(self) -> tuple:
        """The places' and reference data's version, read once per widget (a form's, so per request;
        one widget may serve two fields)."""
        if getattr(self, "_version", None) is None:
            with connection.cursor() as cursor:
                cursor.execute(
                    f"SELECT count(*), max(id), (SELECT max(loaded_at) FROM {ReferenceDataVersion._meta.db_table}) "
                    f"FROM {Place._meta.db_table}"
                )
                self._version = tuple(cursor.fetchone())
        return self._version

    def options_html(self) -> str:
        """Every place's <option>, none selected, for the current language."""
        key = ((get_language() or "nl")[:2], *self.version())
        html = self._cache.get(key)
        if html is None:
            html = "".join(
                format_html('<option value="{}">{}</option>', place.pk, str(place))
                for place in Place.objects.order_by("name", "country")
            )
            with self._lock:
                if len(self._cache) >= self.MAX_CACHED:
                    self._cache.clear()
                self._cache[key] = html
        return html

    def render(self, name, value, attrs=None, renderer=None):
        chosen = [v for v in self.format_value(value) if v != ""]
        options = self.options_html()
        for pk in chosen[:1]:
            marked = f'<option value="{escape(pk)}">'
            options = options.replace(marked, f'<option value="{escape(pk)}" selected>', 1)
        empty = format_html('<option value=""{}>{}</option>', "" if chosen else " selected", self.empty_label)
        # As Django's attrs.html: in order, True as a bare name, False and None left out.
        attributes = "".join(
            format_html(" {}", key) if value is True else format_html(' {}="{}"', key, value)
            for key, value in {"name": name, **self.build_attrs(self.attrs, attrs)}.items()
            if value is not False and value is not None
        )
        return mark_safe(f"<select{attributes}>{empty}{options}</select>")
