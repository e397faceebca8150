"""The work queue's rows written in Python (workspace/queue_rows.py, issue 15) equal what the
template's loops wrote before, in every language and for every branch of the markup."""

import datetime as dt
import re
from types import SimpleNamespace

import pytest
from django.core.paginator import Paginator
from django.template import Context, Template
from django.utils import translation

from workspace import queue_rows

# templates/workspace/work_queue.html's loops before issue 15, kept here to compare.
LABELS = (
    '{% load i18n %}{% translate "About" as label_about %}{% translate "Best score" as label_best_score %}'
    '{% translate "By you" as label_by_you %}{% translate "Company" as label_company %}'
    '{% translate "Flagged" as label_flagged %}{% translate "Jobseeker" as label_jobseeker %}'
    '{% translate "Place" as label_place %}{% translate "Registered on" as label_registered_on %}'
    '{% translate "Registration number" as label_registration_number %}'
    '{% translate "Submitted" as label_submitted %}{% translate "To review" as label_to_review %}'
    '{% translate "Vacancies in review" as label_vacancies_in_review %}{% translate "Vacancy" as label_vacancy %}'
    '{% translate "Waiting since" as label_waiting_since %}'
)
OLD_REVIEW_REQUESTS = Template(
    LABELS
    + """{% for rr in review_requests %}
        <tr>
          <td data-label="{{ label_jobseeker }}"><a href="{% url 'matching:review_request_answer' pk=rr.pk %}">{{ rr.candidate.user.get_full_name|default:rr.candidate.user.email }}</a><br><span class="muted">{{ rr.candidate.employment_service.name }}</span></td>
          <td data-label="{{ label_about }}">{{ rr.get_kind_display }}{% if rr.vacancy %}: {{ rr.vacancy.title }}{% endif %}</td>
          <td data-label="{{ label_waiting_since }}">{{ rr.created_at|date:"DATE_FORMAT" }}</td>
        </tr>
      {% endfor %}"""
)
OLD_SHORTLISTS = Template(
    LABELS
    + """{% for row in shortlist_rows %}{% with vacancy=row.vacancy_obj %}
        <tr>
          <td data-label="{{ label_vacancy }}"><a href="{% url 'matching:shortlist' pk=vacancy.pk %}">{{ vacancy.title }}</a>{% if vacancy.is_stem %} <span class="badge badge--stem">{% translate "STEM" %}</span>{% endif %}<br><span class="muted">{{ vacancy.employer.legal_name }}</span></td>
          <td data-label="{{ label_place }}">{{ vacancy.place.name }} ({{ vacancy.place.country }})</td>
          <td data-label="{{ label_to_review }}" class="num">{{ row.undecided }}</td>
          <td data-label="{{ label_by_you }}" class="num">{{ row.decidable }}</td>
          <td data-label="{{ label_flagged }}" class="num">{% if row.flagged %}<span class="badge badge--flagged">{{ row.flagged }}</span>{% else %}0{% endif %}</td>
          <td data-label="{{ label_best_score }}" class="num">{% if row.best is not None %}{% widthratio row.best 1 100 %}%{% else %}—{% endif %}</td>
          <td data-label="{{ label_waiting_since }}">{{ row.waiting_since|date:"DATE_FORMAT"|default:"—" }}</td>
        </tr>
      {% endwith %}{% endfor %}"""
)
OLD_VACANCIES = Template(
    LABELS
    + """{% for vacancy in vacancies %}
        <tr>
          <td data-label="{{ label_vacancy }}"><a href="{% url 'workspace:vacancy_review' pk=vacancy.pk %}">{{ vacancy.title }}</a>{% if vacancy.is_stem %} <span class="badge badge--stem">{% translate "STEM" %}</span>{% endif %}{% if vacancy.moderated_by %} <span class="badge">{% blocktranslate with services=vacancy.moderated_by %}Moderated by {{ services }}{% endblocktranslate %}</span>{% endif %}</td>
          <td data-label="{{ label_company }}">{{ vacancy.employer.legal_name }}</td>
          <td data-label="{{ label_place }}">{{ vacancy.place.name }} ({{ vacancy.place.country }})</td>
          <td data-label="{{ label_submitted }}">{{ vacancy.updated_at|date:"DATE_FORMAT" }}</td>
        </tr>
      {% endfor %}"""
)
OLD_EMPLOYERS = Template(
    LABELS
    + """{% for employer in employers %}
        <tr>
          <td data-label="{{ label_company }}"><a href="{% url 'workspace:employer_review' pk=employer.pk %}">{{ employer.legal_name }}</a>{% if employer.moderated_by %} <span class="badge">{% blocktranslate with services=employer.moderated_by %}Verified by {{ services }}{% endblocktranslate %}</span>{% endif %}</td>
          <td data-label="{{ label_registration_number }}">{% if employer.kvk_number %}KvK {{ employer.kvk_number }}{% else %}KBO {{ employer.enterprise_number }}{% endif %}</td>
          <td data-label="{{ label_place }}">{{ employer.place.name }} ({{ employer.place.country }})</td>
          <td data-label="{{ label_vacancies_in_review }}" class="num">{{ employer.vacancies_in_review }}</td>
          <td data-label="{{ label_registered_on }}">{{ employer.created_at|date:"DATE_FORMAT" }}</td>
        </tr>
      {% endfor %}"""
)

TITLES = ['Lasser <MIG> & "TIG"', "Opérateur d'usine", "Elektricien"]
# 23:30 UTC is the next day in Europe/Amsterdam: the dates must be the local ones, as the template's.
LATE = dt.datetime(2026, 3, 1, 23, 30, tzinfo=dt.UTC)
EARLY = dt.datetime(2026, 11, 2, 8, 0, tzinfo=dt.UTC)


def _place(i):
    return SimpleNamespace(name=["Terneuzen", "Sint-Gillis-Waas", "Zelzate <x>"][i % 3], country=["NL", "BE"][i % 2])


def _vacancy(i):
    return SimpleNamespace(
        pk=100 + i,
        title=TITLES[i % 3],
        is_stem=i % 2 == 0,
        employer=SimpleNamespace(legal_name=["Haven & Co", "L'Atelier BV", "Kanaal NV"][i % 3]),
        place=_place(i),
        updated_at=[LATE, EARLY][i % 2],
        moderated_by=["", "VDAB", "UWV, WSP <Zeeuws-Vlaanderen>"][i % 3],
    )


def _employer(i):
    return SimpleNamespace(
        pk=200 + i,
        legal_name=["Haven & Co", "L'Atelier BV", "Kanaal NV"][i % 3],
        moderated_by=["", "VDAB", "UWV & WSP"][i % 3],
        kvk_number=["12345678", ""][i % 2],
        enterprise_number="0123.456.789",
        place=_place(i + 1),
        vacancies_in_review=[0, 3, 12345][i % 3],
        created_at=[EARLY, LATE][i % 2],
    )


def _review_request(i):
    names = ["Eva de Vries", "", "Jean <Dupont>"]
    user = SimpleNamespace(email=f"user{i}@example.org")
    user.get_full_name = lambda name=names[i % 3]: name
    return SimpleNamespace(
        pk=300 + i,
        candidate=SimpleNamespace(user=user, employment_service=SimpleNamespace(name=["UWV", "VDAB & co"][i % 2])),
        get_kind_display=lambda i=i: ["Bezwaar tegen <afwijzing>", "Uitleg"][i % 2],
        vacancy=_vacancy(i) if i % 2 else None,
        created_at=[LATE, EARLY][i % 2],
    )


def _shortlist_row(i):
    return {
        "vacancy": 100 + i,
        "vacancy_obj": _vacancy(i),
        "undecided": [0, 7, 12000][i % 3],
        "decidable": [2, 0][i % 2],
        "flagged": [0, 4][i % 2],
        "best": [None, 0.905, 0.125, 1.0, 0.0][i % 5],
        "waiting_since": [None, LATE, EARLY][i % 3],
    }


def _same(new, old):
    # Whitespace between the rows' tags may differ; the rows, cells and texts may not.
    assert str(new) == re.sub(r"\n\s*", "", old).replace("</tr>", "</tr>\n").rstrip("\n")


@pytest.mark.parametrize("language", ["nl", "en", "fr"])
def test_the_rows_in_python_equal_the_old_template_loops(language):
    with translation.override(language):
        for count in (0, 1, 7):
            vacancies = [_vacancy(i) for i in range(count)]
            employers = [_employer(i) for i in range(count)]
            requests = Paginator([_review_request(i) for i in range(count)], 20).get_page(1)
            rows = [_shortlist_row(i) for i in range(count * 2)]
            _same(queue_rows.vacancy_rows(vacancies), OLD_VACANCIES.render(Context({"vacancies": vacancies})))
            _same(queue_rows.employer_rows(employers), OLD_EMPLOYERS.render(Context({"employers": employers})))
            _same(queue_rows.shortlist_rows(rows), OLD_SHORTLISTS.render(Context({"shortlist_rows": rows})))
            _same(
                queue_rows.review_request_rows(requests),
                OLD_REVIEW_REQUESTS.render(Context({"review_requests": requests})),
            )


def test_the_rows_escape_what_comes_from_the_database_and_translate_the_labels():
    with translation.override("fr"):
        html = str(queue_rows.vacancy_rows([_vacancy(0), _vacancy(2)]))
        assert "Lasser &lt;MIG&gt; &amp; &quot;TIG&quot;" in html
        assert "UWV, WSP &lt;Zeeuws-Vlaanderen&gt;" in html
        assert f'data-label="{translation.gettext("Vacancy")}"' in html
        assert translation.gettext("Vacancy") != "Vacancy"
