"""``{% vacancy_items vacancies %}``: the result rows of the search page and the home page, written in Python.

The rows were ``vacancies/partials/vacancy_item.html`` included once per vacancy: some 60 template
nodes, three ``blocktranslate`` and a ``{% url %}`` per row were about a third of the search
page's time (issue 15, docs/performance.md). This writes the same HTML, with the labels translated
once per list and each value formatted as the template did (localized, escaped).
``tests/vacancies/test_vacancy_items.py`` compares it with the old template in nl, en and fr.
"""

from django import template
from django.template.defaultfilters import date as date_filter
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.timezone import template_localtime
from django.utils.translation import gettext

from core.url_prefix import url_of_pk
from taxonomy.models import Place

from ..models import Vacancy, VacancyLanguage
from ..selectors import LANGUAGES_LIST
from .portal_format import minutes, money

register = template.Library()


def _value(value) -> str:
    """A value as ``{{ value }}`` writes it: in local time, localized, escaped."""
    value = localize(template_localtime(value))
    return conditional_escape(value if isinstance(value, str) else str(value))


def _choice_labels(model, name: str) -> dict:
    """``get_<name>_display`` as a dict made once per list: Django's rebuilds (and translates) the
    field's whole list of choices on every call, half the rows' time with the languages' list."""
    return {value: str(label) for value, label in model._meta.get_field(name).flatchoices}


def _labels() -> dict:
    """The fixed texts in the active language; ``{% translate %}`` escaped them, blocktranslate did not."""
    escaped = {
        key: conditional_escape(gettext(text))
        for key, text in (
            ("shift", "Shift work"),
            ("tunnel", "Westerscheldetunnel"),
            ("ferry", "ferry"),
            ("too_long", "longer than you wish"),
            ("stem", "STEM"),
            ("border", "Across the border"),
        )
    }
    return {
        **escaped,
        "country": _choice_labels(Place, "country"),
        "contract_type": _choice_labels(Vacancy, "contract_type"),
        "salary_period": _choice_labels(Vacancy, "salary_period"),
        "language": _choice_labels(VacancyLanguage, "language"),
        "min_level": _choice_labels(VacancyLanguage, "min_level"),
        "hours": gettext("%(hours)s hours/week"),
        "commute": gettext("%(time)s from your home"),
        "published": gettext("Published %(date)s"),
    }


def _meta(vacancy, labels: dict[str, str]) -> str:
    """The ``result__meta`` list items after the occupation and contract type."""
    html = f"    <li>{labels['hours'] % {'hours': _value(vacancy.hours_per_week)}}</li>\n    "
    if vacancy.shift_work:
        html += f"<li>{labels['shift']}</li>"
    html += "\n    "
    salary_min, salary_max = vacancy.salary_min, vacancy.salary_max
    if salary_min or salary_max:
        html += "<li>"
        if salary_min:
            html += _value(money(salary_min))
        if salary_min and salary_max:
            html += "–"
        if salary_max:
            html += _value(money(salary_max))
        period = vacancy.salary_period
        html += f" {_value(labels['salary_period'].get(period, period))}</li>"
    html += "\n    "
    commute_minutes = getattr(vacancy, "commute_minutes", None)
    if commute_minutes is not None:
        html += f"<li>{labels['commute'] % {'time': _value(minutes(commute_minutes))}}"
        crossing = getattr(vacancy, "commute_crossing", None)
        if crossing == "tunnel":
            html += f" ({labels['tunnel']})"
        elif crossing == "ferry":
            html += f" ({labels['ferry']})"
        if getattr(vacancy, "beyond_commute_limit", None):
            html += f' <span class="badge badge--border">{labels["too_long"]}</span>'
        html += "</li>"
    html += "\n    "
    if vacancy.published_at:
        published = date_filter(template_localtime(vacancy.published_at), "SHORT_DATE_FORMAT")
        html += f"<li>{labels['published'] % {'date': _value(published)}}</li>"
    return html + "\n"


def _badges(vacancy, labels: dict[str, str], candidate_country) -> str:
    html = "    "
    if vacancy.is_stem:
        html += f'<span class="badge badge--stem">{labels["stem"]}</span>'
    html += "\n    "
    if candidate_country and candidate_country != vacancy.place.country:
        html += f'<span class="badge badge--border">{labels["border"]}</span>'
    html += "\n    "
    languages = getattr(vacancy, LANGUAGES_LIST, None)  # vacancy_list_public(for_rows=True)
    names, levels = labels["language"], labels["min_level"]
    for language in vacancy.languages.all() if languages is None else languages:
        name, level = language.language, language.min_level
        html += f'<span class="badge">{_value(names.get(name, name))} {_value(levels.get(level, level))}</span> '
    return html + "\n"


def vacancy_items_html(vacancies, *, list_query: str = "", candidate_country=None) -> str:
    """The ``<li class="result">`` of every vacancy, as the partial wrote them one after another."""
    labels = _labels()
    detail_url = url_of_pk("vacancies:detail")
    query = f"?{_value(list_query)}" if list_query else ""
    html = ""
    for vacancy in vacancies:
        place = vacancy.place
        html += (
            f'\n<li class="result">\n  <h2><a href="{detail_url(vacancy.pk)}{query}">{_value(vacancy.title)}</a></h2>\n'
            f'  <p class="muted">{_value(vacancy.employer.legal_name)} · {_value(place.name)}'
            f" ({_value(labels['country'].get(place.country, place.country))})</p>\n"
            f'  <ul class="result__meta">\n    <li>{_value(vacancy.occupation.label)}</li>\n'
            f"    <li>{_value(labels['contract_type'].get(vacancy.contract_type, vacancy.contract_type))}</li>\n"
            f"{_meta(vacancy, labels)}  </ul>\n  <p>\n{_badges(vacancy, labels, candidate_country)}  </p>\n</li>\n"
        )
    return mark_safe(html)


@register.simple_tag(takes_context=True)
def vacancy_items(context, vacancies) -> str:
    """The rows of ``vacancies``; the link keeps ``list_query`` and the border badge reads
    ``candidate_country`` from the page's context, as the included partial did."""
    return vacancy_items_html(
        vacancies, list_query=context.get("list_query") or "", candidate_country=context.get("candidate_country")
    )
