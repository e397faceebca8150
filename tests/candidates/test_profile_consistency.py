"""One rule for a consistent home and diplomas, the same through the profile page and the API.

The country of residence and the home place must agree (the engine decides "cross-border" from
the country); a diploma from either country, or from another country, is accepted whatever the
country of residence: in this region many people studied across the border.
"""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from candidates.models import Candidate
from candidates.services import home_errors
from taxonomy.models import Diploma
from tests.factories import CandidateFactory, place

pytestmark = pytest.mark.django_db


def _api(candidate: Candidate) -> APIClient:
    client = APIClient()
    client.force_login(candidate.user)
    return client


def _flemish_diploma() -> Diploma:
    return Diploma.objects.filter(country="BE").order_by("-eqf_level").first()


# --- the rule itself ---------------------------------------------------------------------


def test_the_rule_accepts_a_place_in_the_country_of_residence():
    assert home_errors(country="NL", home_place=place("Terneuzen", "NL")) == {}
    assert home_errors(country="BE", home_place=place("Zelzate", "BE")) == {}


def test_the_rule_refuses_a_place_in_another_country():
    errors = home_errors(country="NL", home_place=place("Zelzate", "BE"))
    assert list(errors) == ["home_place"]
    assert "Netherlands" in errors["home_place"] or "Nederland" in errors["home_place"]


def test_the_rule_refuses_a_listed_place_for_someone_living_in_another_country():
    assert list(home_errors(country="other", home_place=place("Zelzate", "BE"))) == ["home_place"]
    assert home_errors(country="other", home_place=None) == {}


# --- through the API ----------------------------------------------------------------------


def test_api_refuses_a_home_place_in_another_country_than_the_country_of_residence():
    candidate = CandidateFactory(country="NL", home_place=place("Terneuzen", "NL"))
    response = _api(candidate).patch(
        "/api/v1/candidates/me", {"country": "NL", "home_place": place("Zelzate", "BE").pk}, format="json"
    )
    assert response.status_code == 400
    assert "home_place" in response.json()["errors"]
    candidate.refresh_from_db()
    assert candidate.home_place == place("Terneuzen", "NL")  # nothing half-written


def test_api_refuses_a_country_change_that_leaves_the_home_place_behind():
    candidate = CandidateFactory(country="NL", home_place=place("Terneuzen", "NL"))
    response = _api(candidate).patch("/api/v1/candidates/me", {"country": "BE"}, format="json")
    assert response.status_code == 400
    assert "home_place" in response.json()["errors"]
    candidate.refresh_from_db()
    assert candidate.country == "NL"


def test_api_country_follows_a_new_home_place_when_no_country_is_given():
    candidate = CandidateFactory(country="NL", home_place=place("Terneuzen", "NL"))
    response = _api(candidate).patch("/api/v1/candidates/me", {"home_place": place("Zelzate", "BE").pk}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["country"] == "BE"
    candidate.refresh_from_db()
    assert (candidate.country, candidate.home_place.name) == ("BE", "Zelzate")


def test_api_accepts_a_flemish_diploma_for_a_dutch_resident():
    candidate = CandidateFactory(country="NL", home_place=place("Terneuzen", "NL"))
    diploma = _flemish_diploma()
    response = _api(candidate).patch(
        "/api/v1/candidates/me", {"diplomas": [{"diploma": diploma.pk, "year": 2012}]}, format="json"
    )
    assert response.status_code == 200, response.content
    assert [row["diploma"] for row in response.json()["diplomas"]] == [diploma.pk]
    assert list(candidate.diplomas.values_list("diploma__country", flat=True)) == ["BE"]


# --- through the profile page -----------------------------------------------------------


def test_page_refuses_a_home_place_in_another_country(client):
    candidate = CandidateFactory(country="NL", home_place=place("Terneuzen", "NL"))
    client.force_login(candidate.user)
    response = client.post(
        reverse("candidates:step", kwargs={"step": "home"}), {"country": "NL", "home_place": place("Zelzate", "BE").pk}
    )
    assert response.status_code == 200  # the form again, with the error
    assert "home_place" in response.context["form"].errors
    candidate.refresh_from_db()
    assert candidate.home_place == place("Terneuzen", "NL")


def test_page_accepts_a_flemish_diploma_for_a_dutch_resident(client):
    candidate = CandidateFactory(country="NL", home_place=place("Terneuzen", "NL"))
    client.force_login(candidate.user)
    diploma = _flemish_diploma()
    response = client.post(
        reverse("candidates:step", kwargs={"step": "diplomas"}),
        {
            "diploma-TOTAL_FORMS": "1",
            "diploma-INITIAL_FORMS": "0",
            "diploma-MIN_NUM_FORMS": "0",
            "diploma-MAX_NUM_FORMS": "6",
            "diploma-0-country": "BE",
            "diploma-0-diploma": diploma.pk,
            "diploma-0-year": "2012",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert list(candidate.diplomas.values_list("diploma", flat=True)) == [diploma.pk]
