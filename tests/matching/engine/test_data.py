"""Input dataclasses and weights: validation, copies, conversions."""

import numpy as np
import pytest
import scipy.sparse as sp

from matching.engine import Weights

from .helpers import candidates, vacancies


def test_weights_defaults_normalise_and_round_trip_through_a_dict():
    weights = Weights()
    assert sum(weights.factor_weights()) == pytest.approx(1.0)
    assert Weights.from_dict(weights.to_dict()) == weights
    row = {
        "occupation": 0.5,
        "skills": 0.5,
        "education": 0,
        "commute": 0,
        "languages": 0,
        "stem": 0,
        "hours_shift": 0,
        "top_k": 10,
    }
    custom = Weights.from_dict(row)
    assert custom.factor_weights()[:2] == (0.5, 0.5)
    assert custom.top_k == 10
    assert Weights.from_dict({"skills": None}).skills == Weights().skills  # None keeps the default
    assert Weights.from_dict({"id": 1, "skills": 1}, ignore_unknown=True).skills == 1.0
    with pytest.raises(ValueError):
        Weights.from_dict({"id": 1})
    with pytest.raises(ValueError):
        Weights(skills=-1)
    with pytest.raises(ValueError):
        Weights(occupation=0, skills=0, education=0, commute=0, languages=0, stem=0, hours_shift=0)
    with pytest.raises(ValueError):
        Weights(top_k=0)
    with pytest.raises(ValueError):
        Weights(essential_skill_weight=0, optional_skill_weight=0)
    with pytest.raises(ValueError):
        Weights(commute=float("nan"))


def test_profiles_copy_their_inputs_and_normalise_matrices():
    skills = sp.csr_matrix(np.array([[0, 2, 0], [1, 0, 1]], dtype=np.float64))
    place = np.array([0, -1], dtype=np.int32)
    built = candidates({}, {})
    from matching.engine import CandidateProfiles

    fields = {f: getattr(built, f) for f in built.__dataclass_fields__}
    profiles = CandidateProfiles(
        **{
            **fields,
            "skills": sp.hstack([skills, sp.csr_matrix((2, 7))]).tocsr(),
            "place": place,
            "available_from": np.array([-5, 3]),
        }
    )
    assert profiles.skills.data.tolist() == [1.0, 1.0, 1.0]  # presence only
    assert profiles.available_from.tolist() == [-1, 3]  # any negative day is unknown
    place[0] = 5
    assert profiles.place[0] == 0  # not a view of the caller's array


def test_a_skill_listed_as_essential_and_optional_counts_as_essential():
    vac = vacancies({"essential": (1, 2), "optional": (2, 3)})
    assert vac.optional_skills.indices.tolist() == [3]


def test_shapes_and_ranges_are_checked():
    with pytest.raises(ValueError):
        candidates({"languages": (7, 0, 0, 0)})
    with pytest.raises(ValueError):
        candidates({"country": 3})
    with pytest.raises(ValueError):
        vacancies({"country": 2})
    with pytest.raises(ValueError):
        vacancies({"min_eqf": 9})


def test_take_selects_rows_and_can_rename():
    cands = candidates({"eqf": 1}, {"eqf": 2}, {"eqf": 3})
    sub = cands.take([2, 0], ids=[7, 8])
    assert sub.ids.tolist() == [7, 8]
    assert sub.eqf.tolist() == [3, 1]
    assert sub.skills.shape[0] == 2
