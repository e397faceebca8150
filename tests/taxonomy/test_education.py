"""The education rules of docs/domain.md, on the loaded reference data."""

import pytest

from taxonomy.models import Diploma

pytestmark = pytest.mark.django_db

EXPECTED = {
    # code: (EQF level, counts as a minimum secondary diploma)
    "nl-vmbo-bb": (1, False),
    "nl-mbo-1": (1, False),
    "nl-vmbo-kgt": (2, False),
    "nl-mbo-2": (2, True),
    "nl-mbo-3": (3, True),
    "nl-mbo-4": (4, True),
    "nl-havo": (4, True),
    "nl-vwo": (4, True),
    "nl-associate-degree": (5, True),
    "nl-bachelor": (6, True),
    "nl-master": (7, True),
    "nl-doctor": (8, True),
    "be-primary": (1, False),
    "be-secondary-grade-2": (2, False),
    "be-bso-6": (3, False),
    "be-so-aso-tso-kso": (4, True),
    "be-so-bso-7": (4, True),
    "be-graduaat": (5, True),
    "be-bachelor": (6, True),
    "be-master": (7, True),
    "be-doctor": (8, True),
}


@pytest.mark.parametrize(("code", "expected"), sorted(EXPECTED.items()))
def test_diploma_has_the_eqf_level_and_minimum_secondary_flag_of_the_tables(code, expected):
    diploma = Diploma.objects.get(code=code)
    assert (diploma.eqf_level, diploma.is_minimum_secondary) == expected


def test_minimum_secondary_is_a_rule_per_country_not_an_eqf_threshold():
    mbo2 = Diploma.objects.get(code="nl-mbo-2")
    vmbo = Diploma.objects.get(code="nl-vmbo-kgt")
    bso6 = Diploma.objects.get(code="be-bso-6")
    # Same EQF level, different answer; and a lower EQF level that counts while a higher one does not.
    assert mbo2.eqf_level == vmbo.eqf_level == 2
    assert mbo2.is_minimum_secondary
    assert not vmbo.is_minimum_secondary
    assert bso6.eqf_level > mbo2.eqf_level
    assert not bso6.is_minimum_secondary


def test_national_framework_levels_are_kept():
    assert Diploma.objects.get(code="nl-vwo").framework_level == "4+"
    assert Diploma.objects.get(code="nl-vwo").framework == "NLQF"
    assert Diploma.objects.get(code="be-so-bso-7").framework == "VKS"


def test_other_country_offers_every_eqf_level():
    levels = sorted(Diploma.objects.filter(country="XX").values_list("eqf_level", flat=True))
    assert levels == list(range(1, 9))


def test_every_diploma_has_dutch_english_and_french_labels():
    assert not Diploma.objects.filter(label_nl="").exists()
    assert not Diploma.objects.filter(label_fr="").exists()
