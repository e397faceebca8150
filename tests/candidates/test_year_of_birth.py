"""The optional year of birth: asked on the profile's first step, explained, in the data export,
erased with the account — and never an input of the matching (AI Act Art. 10: no protected
characteristic enters the score; age is used only by the bias report)."""

import dataclasses
import datetime as dt
import inspect
import re

import numpy as np
import pytest
from django.urls import reverse
from django.utils import timezone, translation

from candidates.models import Candidate
from matching import profiles
from matching.engine import CandidateProfiles, MatchingEngine, VacancyProfiles
from matching.travel import commute_model_build
from nsp_portal.privacy import account_erase, personal_data_export
from tests.factories import place
from tests.workspace_helpers import candidate_with_profile, published_vacancy

pytestmark = pytest.mark.django_db

# Whole name parts ("languages" is no age): age, birth, born, dob, gender, sex.
PROTECTED_PARTS = {"age", "ages", "birth", "born", "dob", "gender", "sex"}


def protected(name: str) -> bool:
    return bool(PROTECTED_PARTS & set(name.lower().split("_")))


def home_url() -> str:
    with translation.override("en"):
        return reverse("candidates:step", kwargs={"step": "home"})


def test_the_engine_inputs_hold_no_age_or_gender_field():
    for input_type in (CandidateProfiles, VacancyProfiles):
        names = [f.name for f in dataclasses.fields(input_type)]
        assert names, input_type
        assert not [name for name in names if protected(name)], input_type
    # The database side does not read the year of birth (nor any such field) either.
    source = inspect.getsource(profiles)
    assert "year_of_birth" not in source
    read = re.findall(r'"([a-z_]+)"', inspect.getsource(profiles.candidate_profiles_build))
    assert "country" in read  # the check below sees the fields the build reads
    assert not [name for name in read if protected(name)]
    # And the candidate model has no gender at all.
    assert not [f.name for f in Candidate._meta.get_fields() if protected(f.name) and f.name != "year_of_birth"]
    assert protected("year_of_birth")
    assert not protected("languages")


def _scores(candidate_ids):
    index = profiles.reference_index_build()
    candidates = profiles.candidate_profiles_build(index=index)
    engine = MatchingEngine(
        index.places,
        index.taxonomy,
        candidates,
        profiles.vacancy_profiles_build(index=index),
        profiles.weights_current(),
        commute=commute_model_build(index.places),
    )
    out = {}
    for cid in candidate_ids:
        pairs = engine.score_candidate(cid)
        out[cid] = (pairs.vacancy_ids.copy(), pairs.scores.copy(), pairs.fails.copy())
    return candidates, out


def test_changing_the_year_of_birth_changes_no_score():
    published_vacancy(place=place("Terneuzen"))
    published_vacancy(place=place("Goes"))
    young = candidate_with_profile(home="Terneuzen")
    older = candidate_with_profile(home="Axel")
    before_inputs, before = _scores([young.pk, older.pk])
    Candidate.objects.filter(pk=young.pk).update(year_of_birth=2004)
    Candidate.objects.filter(pk=older.pk).update(year_of_birth=1958)
    after_inputs, after = _scores([young.pk, older.pk])
    for field in dataclasses.fields(CandidateProfiles):
        a, b = getattr(before_inputs, field.name), getattr(after_inputs, field.name)
        if hasattr(a, "toarray"):
            a, b = a.toarray(), b.toarray()
        assert np.array_equal(a, b), field.name
    for cid in (young.pk, older.pk):
        assert before[cid][1].size == 2
        for x, y in zip(before[cid], after[cid], strict=True):
            assert np.array_equal(x, y)


def test_home_step_saves_an_optional_year_of_birth_and_explains_it(client):
    candidate = candidate_with_profile()
    client.force_login(candidate.user)
    response = client.get(home_url())
    assert b"never used for matching" in response.content
    data = {"country": "NL", "home_place": place("Terneuzen", "NL").pk, "year_of_birth": "1988"}
    assert client.post(home_url(), data).status_code == 302
    candidate.refresh_from_db()
    assert candidate.year_of_birth == 1988
    data["year_of_birth"] = ""
    assert client.post(home_url(), data).status_code == 302
    candidate.refresh_from_db()
    assert candidate.year_of_birth is None


@pytest.mark.parametrize("year", ["1850", str(dt.date.today().year - 3), "abc"])
def test_home_step_refuses_an_impossible_year(client, year):
    candidate = candidate_with_profile()
    client.force_login(candidate.user)
    data = {"country": "NL", "home_place": place("Terneuzen", "NL").pk, "year_of_birth": year}
    response = client.post(home_url(), data)
    assert response.status_code == 200
    assert response.context["form"].errors["year_of_birth"]
    candidate.refresh_from_db()
    assert candidate.year_of_birth is None


def test_year_of_birth_is_exported_and_erased():
    candidate = candidate_with_profile()
    Candidate.objects.filter(pk=candidate.pk).update(year_of_birth=1979, updated_at=timezone.now())
    assert personal_data_export(user=candidate.user)["profile"]["year_of_birth"] == 1979
    account_erase(user=candidate.user)
    candidate.refresh_from_db()
    assert candidate.year_of_birth is None
