"""Bad identifiers give form errors in the user's language, never an exception."""

import pytest
from django.utils import translation

from accounts.forms import EmployerForm
from tests.factories import place

pytestmark = pytest.mark.django_db


def form(**overrides):
    data = {
        "legal_name": "Kanaalzone Testbedrijf",
        "country": "NL",
        "kvk_number": "69365591",
        "enterprise_number": "",
        "place": place("Terneuzen").pk,
        "website": "",
    }
    data.update(overrides)
    return EmployerForm(data=data)


def test_valid_dutch_employer():
    f = form()
    assert f.is_valid(), f.errors
    employer = f.save()
    assert employer.kvk_number == "69365591"
    assert not employer.is_verified


def test_valid_belgian_employer_is_normalised():
    f = form(country="BE", kvk_number="", enterprise_number="BE0403170701", place=place("Zelzate").pk)
    assert f.is_valid(), f.errors
    assert f.save().enterprise_number == "0403.170.701"


def test_invalid_kvk_gives_a_field_error():
    f = form(kvk_number="12345")
    assert not f.is_valid()
    assert "kvk_number" in f.errors


def test_invalid_kbo_gives_a_field_error_in_dutch_by_default():
    with translation.override("nl"):
        f = form(country="BE", kvk_number="", enterprise_number="0403.170.702", place=place("Zelzate").pk)
        assert not f.is_valid()
        assert "enterprise_number" in f.errors


def test_country_and_identifier_must_agree():
    f = form(country="BE", kvk_number="69365591", enterprise_number="")
    assert not f.is_valid()
    assert {"enterprise_number", "kvk_number"} <= set(f.errors)
