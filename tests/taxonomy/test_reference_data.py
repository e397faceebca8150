"""The reference data in the database is sound (loaded by taxonomy.services)."""

import csv
import time
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db.models import Count
from django.utils import translation

from taxonomy.models import (
    IscoGroup,
    Occupation,
    OccupationLabel,
    OccupationSkill,
    Place,
    ReferenceDataVersion,
    Skill,
    SkillLabel,
    TravelTime,
)
from taxonomy.selectors import be_postcode_exists, place_for_be_postcode
from taxonomy.services import (
    reference_data_digest,
    reference_data_is_current,
    reference_data_load,
    travel_times_replace,
)
from taxonomy.signals import reference_data_loaded

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
    assert Skill.objects.count() >= 13_000
    assert not Skill.objects.filter(is_port_relevant=True, label_nl="").exists()
    assert not Occupation.objects.filter(label_nl="").exists()
    assert not Occupation.objects.filter(is_port_relevant=True).annotate(n=Count("skill_links")).filter(n=0).exists()
    assert OccupationSkill.objects.filter(relation="essential").count() >= 50_000


def test_whole_esco_with_isco_group_and_dutch_and_french_preferred_labels():
    assert Occupation.objects.count() >= 2_900
    assert not Occupation.objects.filter(isco_group__isnull=True).exists()
    with_both = (
        Occupation.objects.filter(labels__language="nl", labels__is_preferred=True)
        .filter(labels__language="fr", labels__is_preferred=True)
        .distinct()
    )
    assert with_both.count() >= 2_900
    assert not OccupationLabel.objects.filter(search_form="").exists()


def test_kinesitherapeut_and_fysiotherapeut_name_the_same_occupation():
    kine = Occupation.objects.get(labels__text="kinesitherapeut", labels__language="nl")
    fysio = Occupation.objects.get(labels__text="fysiotherapeut", labels__language="nl")
    assert kine == fysio
    assert kine.labels.filter(language="fr", is_preferred=True).exists()


def test_welding_skill_has_dutch_portal_labels():
    tig = Skill.objects.get(label_en="perform tungsten inert gas welding")
    dutch = set(tig.labels.filter(language="nl").values_list("text", flat=True))
    assert {"TIG-lassen", "lassen"} <= dutch
    assert not tig.labels.filter(language="nl", is_portal_translation=False).exists()
    assert tig.labels.get(language="en", is_preferred=True).is_portal_translation is False
    # "lassen" labels several welding skills, each findable by its search form.
    assert SkillLabel.objects.filter(text="lassen").values("skill").distinct().count() >= 4


def test_skill_without_dutch_label_falls_back_to_english():
    skill = Skill.objects.filter(label_nl="", is_port_relevant=False).exclude(label_en="").first()
    with translation.override("nl"):
        assert skill.label == skill.label_en


def test_curated_subset_is_port_relevant_and_ordered_first():
    assert Occupation.objects.filter(is_port_relevant=True).count() == 102
    assert Skill.objects.filter(is_port_relevant=True).count() == 361
    welder = Occupation.objects.get(label_en="welder")
    assert welder.is_port_relevant
    assert welder.label_nl == "lasser"  # the portal's own wording stays the display label
    assert Occupation.objects.first().is_port_relevant
    assert Skill.objects.first().is_port_relevant
    assert not Occupation.objects.order_by("-is_port_relevant", "label_en")[102].is_port_relevant


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


def test_second_load_is_skipped_and_fast():
    started = time.perf_counter()
    report = reference_data_load()
    assert report.skipped
    assert time.perf_counter() - started < 1.0
    assert "skipped" in str(report)


def test_force_reloads_sends_the_signal_and_keeps_curated_ids():
    ids = dict(Occupation.objects.filter(is_port_relevant=True).values_list("uri", "id"))
    skill_ids = dict(Skill.objects.filter(is_port_relevant=True).values_list("uri", "id"))
    Occupation.objects.filter(label_en="welder").update(label_nl="changed by hand")
    received = []

    def listener(sender, report, **kwargs):
        received.append(report)

    reference_data_loaded.connect(listener)
    try:
        out = StringIO()
        call_command("load_reference_data", "--force", stdout=out)
    finally:
        reference_data_loaded.disconnect(listener)
    assert len(received) == 1
    assert received[0].counts["occupations"] >= 2_900
    assert "occupations" in out.getvalue()
    assert Occupation.objects.get(label_en="welder").label_nl == "lasser"
    assert dict(Occupation.objects.filter(is_port_relevant=True).values_list("uri", "id")) == ids
    assert dict(Skill.objects.filter(is_port_relevant=True).values_list("uri", "id")) == skill_ids
    assert ReferenceDataVersion.objects.get().digest == reference_data_digest()


def test_a_changed_data_file_makes_the_data_stale():
    digest = reference_data_digest()
    assert reference_data_is_current(digest=digest)
    assert not reference_data_is_current(digest="0" * 64)  # as if a data file had changed
    ReferenceDataVersion.objects.all().delete()  # as after a database flush
    assert not reference_data_is_current(digest=digest)


def test_command_without_force_skips():
    out = StringIO()
    call_command("load_reference_data", stdout=out)
    assert "skipped" in out.getvalue()


def test_travel_times_replace_swaps_the_whole_table():
    vlissingen = Place.objects.get(name="Vlissingen", country="NL")
    gent = Place.objects.get(name="Gent")
    assert TravelTime.objects.count() > 1_000  # the commute model's table, after the load
    stored = travel_times_replace(
        rows=[(vlissingen.id, gent.id, "car", 61, "tunnel", True), (gent.id, vlissingen.id, "bike", 180, "", True)]
    )
    assert stored == 2
    assert sorted(
        TravelTime.objects.values_list("origin__name", "mode", "minutes", "westerschelde_crossing", "crosses_border")
    ) == [("Gent", "bike", 180, "", True), ("Vlissingen", "car", 61, "tunnel", True)]
