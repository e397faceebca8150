"""The public search and vacancy pages: filters, commute from home, cross-border note, query counts."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from applications.models import Application
from taxonomy.models import Occupation, TravelTime
from tests.factories import CandidateFactory, EmployerFactory, EmployerUserFactory, UserFactory, VacancyFactory, place
from vacancies.models import ContractType, VacancyLanguage, VacancyStatus

pytestmark = pytest.mark.django_db


def url(name: str, language: str = "en", **kwargs) -> str:
    with translation.override(language):
        return reverse(name, kwargs=kwargs or None)


def published(**fields):
    now = timezone.now()
    fields.setdefault("published_at", now - timedelta(days=1))
    fields.setdefault("expires_at", now + timedelta(days=30))
    return VacancyFactory(status=VacancyStatus.PUBLISHED, **fields)


def titles(response) -> list[str]:
    return [vacancy.title for vacancy in response.context["vacancies"]]


def test_search_lists_only_open_vacancies(client):
    open_one = published(title="Procesoperator Zelzate", place=place("Zelzate", "BE"))
    VacancyFactory(title="Concept", status=VacancyStatus.DRAFT)
    published(title="Verlopen", expires_at=timezone.now() - timedelta(days=1))
    response = client.get(url("vacancies:list"))
    assert response.status_code == 200
    assert titles(response) == [open_one.title]


def test_free_text_search_uses_dutch_stemming(client):
    published(title="Ervaren lasser", description="Wij zoeken lassers voor onze werkplaats.")
    published(title="Boekhouder", description="Administratie.", is_stem=False)
    response = client.get(url("vacancies:list") + "?q=lassers")
    assert titles(response) == ["Ervaren lasser"]


def test_filters_country_stem_contract_hours_language_and_education(client):
    gent = published(
        title="Elektricien Gent",
        place=place("Gent", "BE"),
        contract_type=ContractType.FIXED_TERM,
        hours_per_week=32,
        min_eqf_level=4,
    )
    published(title="Operator Terneuzen", place=place("Terneuzen", "NL"), is_stem=False, hours_per_week=40)
    VacancyLanguage.objects.create(vacancy=gent, language="fr", min_level=3)
    base = url("vacancies:list")
    assert titles(client.get(base + "?country=BE")) == ["Elektricien Gent"]
    assert titles(client.get(base + "?stem=true")) == ["Elektricien Gent"]
    assert titles(client.get(base + "?contract_type=fixed_term")) == ["Elektricien Gent"]
    assert titles(client.get(base + "?max_hours=36")) == ["Elektricien Gent"]
    assert titles(client.get(base + "?language=nl")) == ["Operator Terneuzen"]
    assert titles(client.get(base + "?max_eqf=3")) == ["Operator Terneuzen"]
    assert sorted(titles(client.get(base + "?ordering=title"))) == titles(client.get(base + "?ordering=title"))


def test_occupation_filter(client):
    occupations = list(Occupation.objects.order_by("pk")[:2])
    published(title="A", occupation=occupations[0])
    published(title="B", occupation=occupations[1])
    assert titles(client.get(url("vacancies:list") + f"?occupation={occupations[1].pk}")) == ["B"]


def test_bad_filter_values_give_a_form_error_not_a_500(client):
    published()
    response = client.get(url("vacancies:list") + "?max_minutes=abc&country=XX&from_place=999999")
    assert response.status_code == 200
    assert response.context["form"].errors
    assert "error-summary" in response.content.decode()


@pytest.fixture
def travel_times():
    terneuzen, zelzate, vlissingen = place("Terneuzen", "NL"), place("Zelzate", "BE"), place("Vlissingen", "NL")
    rows = [
        (terneuzen, zelzate, "car", 20, "", True),
        (terneuzen, zelzate, "bike", 55, "", True),
        (terneuzen, vlissingen, "car", 40, "tunnel", False),
        (terneuzen, vlissingen, "bike", 75, "ferry", False),
    ]
    # The commute model may have filled the table already: these values are the test's own.
    for origin, destination, mode, minutes, crossing, border in rows:
        TravelTime.objects.update_or_create(
            origin=origin,
            destination=destination,
            mode=mode,
            defaults={"minutes": minutes, "westerschelde_crossing": crossing, "crosses_border": border},
        )
    TravelTime.objects.filter(origin=terneuzen, destination__in=[zelzate, vlissingen]).exclude(
        mode__in=["car", "bike"]
    ).delete()
    return terneuzen, zelzate, vlissingen


def test_commute_filter_defaults_to_the_jobseekers_home(client, travel_times):
    terneuzen, zelzate, vlissingen = travel_times
    published(title="Zelzate", place=zelzate)
    published(title="Vlissingen", place=vlissingen)
    candidate = CandidateFactory(home_place=terneuzen, commute_by_car=True)
    client.force_login(candidate.user)
    response = client.get(url("vacancies:list") + "?max_minutes=30&mode=car")
    assert titles(response) == ["Zelzate"]
    assert response.context["origin"] == terneuzen
    body = response.content.decode()
    assert "20 min from your home" in body
    assert "Across the border" in body
    # Another origin can be chosen explicitly, and a mode changes the result.
    response = client.get(url("vacancies:list") + f"?from_place={terneuzen.pk}&max_minutes=60&mode=bike")
    assert titles(response) == ["Zelzate"]


def test_commute_filter_for_anonymous_needs_an_origin(client, travel_times):
    terneuzen, zelzate, vlissingen = travel_times
    published(title="Zelzate", place=zelzate)
    published(title="Vlissingen", place=vlissingen)
    assert len(titles(client.get(url("vacancies:list") + "?max_minutes=30"))) == 2
    response = client.get(url("vacancies:list") + f"?from_place={terneuzen.pk}&max_minutes=45&mode=car")
    assert sorted(titles(response)) == ["Vlissingen", "Zelzate"]


def test_pagination_keeps_the_filters(client):
    for index in range(23):
        published(title=f"Operator {index:02d}", place=place("Gent", "BE"))
    response = client.get(url("vacancies:list") + "?country=BE")
    assert len(titles(response)) == 20
    assert "country=BE&amp;page=2" in response.content.decode()
    response = client.get(url("vacancies:list") + "?country=BE&page=2")
    assert len(titles(response)) == 3


@pytest.mark.parametrize("rows", [1, 6])
def test_search_query_count_is_constant(
    client, django_assert_max_num_queries, django_assert_num_queries, rows, travel_times
):
    terneuzen, zelzate, _ = travel_times
    employer = EmployerFactory()
    for index in range(rows):
        vacancy = published(title=f"Monteur {index}", place=zelzate, employer=employer)
        VacancyLanguage.objects.create(vacancy=vacancy, language="nl", min_level=4)
    candidate = CandidateFactory(home_place=terneuzen)
    client.force_login(candidate.user)
    # session, user, candidate, the from_place check, the form's places, the rows with their count
    # (core.pagination), languages (occupation and skill are autocomplete widgets: no list of the
    # vocabulary)
    with django_assert_num_queries(QUERIES_SEARCH):
        response = client.get(url("vacancies:list") + "?max_minutes=90")
    assert len(titles(response)) == rows


QUERIES_SEARCH = 7


# --- the vacancy page ------------------------------------------------------------------------------


def test_vacancy_page_shows_everything_in_the_locale(client):
    vacancy = published(
        title="Onderhoudstechnicus",
        place=place("Gent", "BE"),
        salary_min=Decimal("3200"),
        salary_max=Decimal("4100.50"),
        shift_work=True,
        min_eqf_level=4,
        requires_min_secondary=True,
    )
    VacancyLanguage.objects.create(vacancy=vacancy, language="nl", min_level=4)
    body = client.get(url("vacancies:detail", pk=vacancy.pk)).content.decode()
    assert "Onderhoudstechnicus" in body
    assert "€3,200" in body
    assert "€4,100.50" in body
    assert "at least EQF level 4" in body
    assert "B2" in body
    assert "in shifts" in body
    body_fr = client.get(url("vacancies:detail", "fr", pk=vacancy.pk)).content.decode()
    assert "3\u202f200\u00a0€" in body_fr or "3\u00a0200\u00a0€" in body_fr or "3 200\u00a0€" in body_fr


def test_vacancy_page_embeds_the_jobposting_json_ld(client):
    import json
    import re

    vacancy = published(title="Meettechnicus")
    body = client.get(url("vacancies:detail", pk=vacancy.pk)).content.decode()
    found = re.search(r'<script type="application/ld\+json">(.*?)</script>', body, re.S)
    assert found
    assert json.loads(found.group(1))["@type"] == "JobPosting"


def test_unpublished_or_unknown_vacancy_is_404_in_the_portals_style(client):
    draft = VacancyFactory(status=VacancyStatus.DRAFT)
    response = client.get(url("vacancies:detail", pk=draft.pk))
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
    assert client.get(url("vacancies:detail", pk=99999999)).status_code == 404


def test_vacancy_page_shows_the_commute_and_frontier_work_note(client, travel_times):
    terneuzen, zelzate, _ = travel_times
    vacancy = published(place=zelzate)
    candidate = CandidateFactory(home_place=terneuzen, country="NL", commute_by_car=True, commute_by_bike=True)
    client.force_login(candidate.user)
    body = client.get(url("vacancies:detail", pk=vacancy.pk)).content.decode()
    assert "20 min" in body
    assert "55 min" in body
    assert "across the Dutch–Belgian border" in body
    assert 'id="frontier-heading"' in body
    assert "https://www.grensinfopunt.nl/" in body


def test_vacancy_page_names_the_tunnel_and_has_no_border_note_at_home(client, travel_times):
    terneuzen, _, vlissingen = travel_times
    vacancy = published(place=vlissingen)
    candidate = CandidateFactory(home_place=terneuzen, country="NL", commute_by_car=True, commute_by_bike=True)
    client.force_login(candidate.user)
    body = client.get(url("vacancies:detail", pk=vacancy.pk)).content.decode()
    assert "via the Westerscheldetunnel" in body
    assert "via the Vlissingen–Breskens ferry" in body
    assert 'id="frontier-heading"' not in body


def test_vacancy_page_tells_a_jobseeker_they_applied(client):
    vacancy = published()
    candidate = CandidateFactory()
    application = Application.objects.create(candidate=candidate, vacancy=vacancy, motivation="x")
    client.force_login(candidate.user)
    body = client.get(url("vacancies:detail", pk=vacancy.pk)).content.decode()
    assert url("applications:detail", pk=application.pk) in body


@pytest.mark.parametrize("factory", [UserFactory, EmployerUserFactory])
def test_vacancy_pages_are_public_for_every_role(client, factory):
    vacancy = published()
    client.force_login(factory())
    assert client.get(url("vacancies:list")).status_code == 200
    assert client.get(url("vacancies:detail", pk=vacancy.pk)).status_code == 200


# --- a smoother walk (issue 11) ----------------------------------------------------------------------


def test_search_results_warn_beyond_the_commute_limit_as_the_vacancy_page_does(client, travel_times):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    terneuzen, zelzate, vlissingen = travel_times
    near = published(title="Zelzate", place=zelzate)
    far = published(title="Vlissingen", place=vlissingen)
    candidate = CandidateFactory(home_place=terneuzen, commute_by_car=True, max_commute_minutes=30)
    client.force_login(candidate.user)
    client.get(url("vacancies:list"))  # warm the per-process caches (the place options)
    with CaptureQueriesContext(connection) as two_rows:
        response = client.get(url("vacancies:list"))
    flagged = {vacancy.title: vacancy.beyond_commute_limit for vacancy in response.context["vacancies"]}
    assert flagged == {"Zelzate": False, "Vlissingen": True}
    assert response.content.decode().count("longer than you wish") == 1
    assert "longer than you wish" in client.get(url("vacancies:detail", pk=far.pk)).content.decode()
    assert "longer than you wish" not in client.get(url("vacancies:detail", pk=near.pk)).content.decode()
    # The travel times come with the page's rows: more rows, no more queries.
    published(title="Vlissingen 2", place=vlissingen)
    published(title="Zelzate 2", place=zelzate)
    client.get(url("vacancies:list"))
    with CaptureQueriesContext(connection) as four_rows:
        response = client.get(url("vacancies:list"))
    assert len(response.context["vacancies"]) == 4
    assert len(four_rows) == len(two_rows)


def test_back_to_all_vacancies_keeps_the_filters(client):
    vacancy = published(title="Elektricien Gent", place=place("Gent", "BE"))
    body = client.get(url("vacancies:list") + "?country=BE&q=elektricien").content.decode()
    detail = url("vacancies:detail", pk=vacancy.pk)
    assert f'href="{detail}?country=BE&amp;q=elektricien"' in body
    body = client.get(detail + "?country=BE&q=elektricien").content.decode()
    assert f'href="{url("vacancies:list")}?country=BE&amp;q=elektricien"' in body


def test_filters_fold_on_a_phone_and_stay_open_without_javascript(client):
    from django.contrib.staticfiles import finders

    body = client.get(url("vacancies:list")).content.decode()
    assert '<details class="filters__toggle" open data-collapse-narrow>' in body
    with open(finders.find("js/portal.js"), encoding="utf-8") as script:
        assert "details[data-collapse-narrow]" in script.read()
