"""The reference data in the database is sound (loaded by taxonomy.services)."""

import csv
from pathlib import Path

import pytest
from django.conf import settings
from django.db.models import Count

from taxonomy.models import IscoGroup, Occupation, OccupationSkill, Place, Skill
from taxonomy.selectors import be_postcode_exists, place_for_be_postcode
from taxonomy.services import reference_data_load

pytestmark = pytest.mark.django_db

# The region: Walcheren and Beveland to the north, down to Ghent and the Waasland.
LAT_RANGE = (50.8, 51.75)
LON_RANGE = (2.9, 4.4)


def test_every_esco_occupation_links_to_an_existing_isco_unit_group():
    assert Occupation.objects.count() >= 80
    assert not Occupation.objects.exclude(isco_group__level=4).exists()
    for occupation in Occupation.objects.select_related("isco_group__parent__parent__parent"):
        group = occupation.isco_group
        chain = [group.code]
        while group.parent_id:
            group = group.parent
            chain.append(group.code)
        assert len(chain) == 4, occupation.uri
        assert occupation.uri.startswith("http://data.europa.eu/esco/occupation/")


def test_isco_tree_is_complete():
    counts = dict(IscoGroup.objects.values_list("level").annotate(n=Count("id")))
    assert counts == {1: 10, 2: 43, 3: 130, 4: 436}
    assert not IscoGroup.objects.filter(level__gt=1, parent__isnull=True).exists()


def test_skills_and_typical_skill_links():
    assert Skill.objects.count() >= 300
    assert not Skill.objects.filter(label_nl="").exists()
    assert not Occupation.objects.filter(label_nl="").exists()
    assert not Occupation.objects.annotate(n=Count("skill_links")).filter(n=0).exists()
    assert OccupationSkill.objects.filter(relation="essential").exists()


def test_every_place_has_coordinates_inside_the_region():
    assert Place.objects.count() >= 150
    outside = Place.objects.exclude(
        latitude__gte=LAT_RANGE[0], latitude__lte=LAT_RANGE[1], longitude__gte=LON_RANGE[0], longitude__lte=LON_RANGE[1]
    )
    assert list(outside) == []


def test_dutch_places_know_their_bank_of_the_westerschelde():
    assert not Place.objects.filter(country="NL", bank="").exists()
    assert not Place.objects.filter(country="BE").exclude(bank="").exists()
    assert Place.objects.get(name="Vlissingen", country="NL").bank == "north"
    assert Place.objects.get(name="Terneuzen", country="NL").bank == "south"


def test_places_carry_their_geonames_population():
    """The bias report's urban/rural split (workspace/bias.py, URBAN_POPULATION) reads it."""
    with Path(settings.BASE_DIR, "taxonomy", "data", "places.csv").open(encoding="utf-8") as handle:
        expected = {int(row["geonames_id"]): int(row["population"]) for row in csv.DictReader(handle)}
    assert dict(Place.objects.values_list("geonames_id", "population")) == expected
    assert not Place.objects.filter(population=0).exists()
    assert Place.objects.get(name="Gent").population > 200_000
    assert Place.objects.get(name="Terneuzen", country="NL").population > Place.objects.get(name="Axel").population


def test_duplicate_names_across_the_border_are_distinct_places():
    middelburgs = Place.objects.filter(name="Middelburg")
    assert sorted(middelburgs.values_list("country", flat=True)) == ["BE", "NL"]
    assert len({str(p) for p in middelburgs}) == 2


@pytest.mark.parametrize(("postcode", "municipality"), [("9000", "Gent"), ("9060", "Zelzate"), ("9940", "Evergem")])
def test_district_postcodes_resolve_to_their_municipality(postcode, municipality):
    assert be_postcode_exists(postcode=postcode)
    place = place_for_be_postcode(postcode=postcode)
    assert place is not None
    assert place.municipality == municipality
    assert place.country == "BE"


def test_unknown_postcode_does_not_resolve():
    assert not be_postcode_exists(postcode="1000") or place_for_be_postcode(postcode="1000") is None
    assert place_for_be_postcode(postcode="0000") is None


def test_loading_twice_changes_nothing():
    before = (Place.objects.count(), Occupation.objects.count(), Skill.objects.count(), OccupationSkill.objects.count())
    reference_data_load()
    after = (Place.objects.count(), Occupation.objects.count(), Skill.objects.count(), OccupationSkill.objects.count())
    assert before == after
