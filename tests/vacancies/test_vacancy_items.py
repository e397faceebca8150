"""The result rows written in Python ({% vacancy_items %}, issue 15) equal what the old partial wrote."""

import datetime
import functools
from decimal import Decimal

import pytest
from django.db.models import Prefetch
from django.template import Context, Template
from django.utils import timezone, translation

from tests.factories import VacancyFactory, place
from vacancies.models import SalaryPeriod, Vacancy, VacancyLanguage, VacancyStatus
from vacancies.selectors import LANGUAGES_LIST, vacancy_list_public
from vacancies.templatetags.vacancy_items import vacancy_items_html

pytestmark = pytest.mark.django_db

# templates/vacancies/partials/vacancy_item.html before issue 15, kept here to compare.
OLD_ITEM = Template(
    "{% load i18n portal_format %}\n"
    '<li class="result">\n'
    "  <h2><a href=\"{% url 'vacancies:detail' pk=vacancy.pk %}{% if list_query %}?{{ list_query }}{% endif %}\">{{ vacancy.title }}</a></h2>\n"
    '  <p class="muted">{{ vacancy.employer.legal_name }} · {{ vacancy.place.name }} ({{ vacancy.place.get_country_display }})</p>\n'
    '  <ul class="result__meta">\n'
    "    <li>{{ vacancy.occupation.label }}</li>\n"
    "    <li>{{ vacancy.get_contract_type_display }}</li>\n"
    "    <li>{% blocktranslate trimmed with hours=vacancy.hours_per_week %}{{ hours }} hours/week{% endblocktranslate %}</li>\n"
    '    {% if vacancy.shift_work %}<li>{% translate "Shift work" %}</li>{% endif %}\n'
    "    {% if vacancy.salary_min or vacancy.salary_max %}<li>{% if vacancy.salary_min %}{{ vacancy.salary_min|money }}{% endif %}{% if vacancy.salary_min and vacancy.salary_max %}–{% endif %}{% if vacancy.salary_max %}{{ vacancy.salary_max|money }}{% endif %} {{ vacancy.get_salary_period_display }}</li>{% endif %}\n"
    '    {% if vacancy.commute_minutes is not None %}<li>{% blocktranslate trimmed with time=vacancy.commute_minutes|minutes %}{{ time }} from your home{% endblocktranslate %}{% if vacancy.commute_crossing == "tunnel" %} ({% translate "Westerscheldetunnel" %}){% elif vacancy.commute_crossing == "ferry" %} ({% translate "ferry" %}){% endif %}{% if vacancy.beyond_commute_limit %} <span class="badge badge--border">{% translate "longer than you wish" %}</span>{% endif %}</li>{% endif %}\n'
    '    {% if vacancy.published_at %}<li>{% blocktranslate trimmed with date=vacancy.published_at|date:"SHORT_DATE_FORMAT" %}Published {{ date }}{% endblocktranslate %}</li>{% endif %}\n'
    "  </ul>\n"
    "  <p>\n"
    '    {% if vacancy.is_stem %}<span class="badge badge--stem">{% translate "STEM" %}</span>{% endif %}\n'
    '    {% if candidate_country and candidate_country != vacancy.place.country %}<span class="badge badge--border">{% translate "Across the border" %}</span>{% endif %}\n'
    '    {% for language in vacancy.languages.all %}<span class="badge">{{ language.get_language_display }} {{ language.get_min_level_display }}</span> {% endfor %}\n'
    "  </p>\n"
    "</li>\n"
)
OLD_LIST = Template("{% for vacancy in vacancies %}{% include OLD_ITEM %}{% endfor %}")


def _vacancies(for_rows: bool) -> list[Vacancy]:
    published = timezone.make_aware(datetime.datetime(2026, 11, 27, 23, 30))  # another date in Europe/Brussels than UTC
    published_vacancy = functools.partial(VacancyFactory, status=VacancyStatus.PUBLISHED)
    made = [
        published_vacancy(title='Lasser <TIG> & "MIG" l\'équipe', shift_work=True, published_at=published),
        published_vacancy(
            salary_min=Decimal("3200.00"),
            salary_max=Decimal("4100.50"),
            salary_period=SalaryPeriod.MONTH,
            is_stem=False,
            hours_per_week=40,
            place=place("Gent", "BE"),
        ),
        published_vacancy(salary_min=Decimal("18.75"), salary_period=SalaryPeriod.HOUR, published_at=published),
        published_vacancy(salary_max=Decimal("52000"), salary_period=SalaryPeriod.YEAR, hours_per_week=1200),
    ]
    VacancyLanguage.objects.create(vacancy=made[0], language="nl", min_level=3)
    VacancyLanguage.objects.create(vacancy=made[0], language="fr", min_level=5)
    VacancyLanguage.objects.create(vacancy=made[1], language="en", min_level=2)
    made_pks = [v.pk for v in made]
    if for_rows:  # as the search and home pages read them
        rows = list(vacancy_list_public(for_rows=True).filter(pk__in=made_pks).order_by("pk"))
    else:  # as they did before: the languages in the manager's cache
        languages = Prefetch("languages", VacancyLanguage.objects.order_by("language"))
        rows = list(Vacancy.objects.with_details().prefetch_related(languages).filter(pk__in=made_pks).order_by("pk"))
    commutes = [(35, "tunnel", True), (80, "ferry", False), (125, "", True), (None, None, None)]
    for vacancy, (minutes, crossing, beyond) in zip(rows, commutes):
        if minutes is not None:
            vacancy.commute_minutes, vacancy.commute_crossing, vacancy.beyond_commute_limit = minutes, crossing, beyond
    return rows


@pytest.mark.parametrize("for_rows", [False, True])
@pytest.mark.parametrize("language", ["nl", "en", "fr"])
def test_the_rows_in_python_equal_the_old_partial(language, for_rows, django_assert_num_queries):
    vacancies = _vacancies(for_rows)
    assert len(vacancies) == 4
    assert hasattr(vacancies[0], LANGUAGES_LIST) is for_rows
    with django_assert_num_queries(0):  # everything the rows show came with the vacancies
        vacancy_items_html(vacancies, list_query="", candidate_country="NL")
    assert {v.place.country for v in vacancies} == {"NL", "BE"}
    with translation.override(language):
        for list_query in ("", "q=lasser&country=NL&page=2", "q=%3Cb%3E"):
            for candidate_country in (None, "NL", "BE"):
                context = {"vacancies": vacancies, "list_query": list_query, "candidate_country": candidate_country}
                old = OLD_LIST.render(Context({**context, "OLD_ITEM": OLD_ITEM}))
                new = vacancy_items_html(vacancies, list_query=list_query, candidate_country=candidate_country)
                assert new == old
        # Only the home page's context: no list_query, no commute, no candidate.
        for vacancy in vacancies:
            for name in ("commute_minutes", "commute_crossing", "beyond_commute_limit"):
                vacancy.__dict__.pop(name, None)
        old = OLD_LIST.render(Context({"vacancies": vacancies, "OLD_ITEM": OLD_ITEM}))
        new = Template("{% load vacancy_items %}{% vacancy_items vacancies %}").render(
            Context({"vacancies": vacancies})
        )
        assert new == old
    assert "&lt;TIG&gt; &amp; &quot;MIG&quot;" in new  # escaped, as the template did
    assert "badge badge--stem" in new
    assert "/vacancies/" in new
