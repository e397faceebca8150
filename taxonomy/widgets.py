"""Autocomplete widgets for occupations and skills (static/js/autocomplete.js).

With ~3,000 occupations and ~13,900 skills a <select> listing them all is megabytes of HTML, so
these widgets render only the chosen options; the script adds a text box that asks the
autocomplete endpoint (``/api/v1/occupations/autocomplete``, ``/api/v1/skills/autocomplete``) and
adds the picked entries to the hidden select, which the form posts as before. Validation stays
with the field's queryset.
"""

from django import forms
from django.urls import reverse
from django.utils.translation import get_language, gettext, gettext_noop


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
