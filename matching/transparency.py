"""What the portal tells the people it matches (AI Act Art. 13, 26(11), 86).

* the public page "how matching works": the live factor weights (``weights_versioned``, the
  same the worker scores with) and their version number;
* one jobseeker's exclusions over all open vacancies: the engine scores this one candidate
  against every open vacancy, as a candidate rematch does (``shortlists.candidate_rematch``),
  and counts the vacancies failing each hard filter (``engine.rules.REASONS``), with the profile
  step where the jobseeker can complete or change what the filter looks at.

Nothing here writes; nothing here shows another person's data (the counts are about vacancies).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from django.utils.translation import gettext_lazy as _

from candidates.models import Candidate
from candidates.selectors import PROFILE_STEPS

from .engine import rules
from .engine.data import FACTORS
from .engine.results import ENGINE_VERSION
from .explanations import FACTOR_LABELS
from .profiles import candidate_profiles_build, reference_index_build, weights_versioned
from .travel import commute_model_build

FACTOR_DESCRIPTIONS = {
    "occupation": _("How close the vacancy's occupation is to the occupations you want (ESCO and ISCO-08)."),
    "skills": _("How many of the vacancy's essential and nice-to-have skills are in your profile."),
    "education": _("Your highest diploma (EQF level) against the vacancy's minimum."),
    "commute": _(
        "The travel time from your home to the workplace: full marks up to 10 minutes, less for every minute "
        "more, nothing from 90 minutes. Your own maximum only decides which jobs are left out."
    ),
    "languages": _("Your language levels (CEFR) against the levels the vacancy asks."),
    "stem": _("A diploma in a STEM field, for STEM vacancies."),
    "hours_shift": _("The hours you want and shift work against what the job offers."),
}

# Each hard filter in the jobseeker's words, and the profile step that holds what it looks at.
REASON_TEXT = {
    "no_consent_matching": _("you have not agreed to be matched"),
    "no_consent_cross_border": _("the job is across the border and you have not agreed to cross-border matching"),
    "missing_home_place": _("your home place is missing"),
    "missing_commute_modes": _("you have not said how you travel"),
    "missing_max_commute": _("your maximum commuting time is missing"),
    "commute_too_far": _("the job is beyond your maximum commuting time"),
    "no_transit_before_shift": _("no public transport gets you there before the shift starts"),
    "missing_diploma": _("the vacancy asks for a diploma and you have entered none"),
    "education_below_minimum": _("the vacancy asks for a higher level of education"),
    "no_min_secondary_diploma": _("the vacancy asks for a minimum secondary diploma"),
    "missing_languages": _("the vacancy asks for a language and you have entered none"),
    "language_below_required": _("the vacancy asks for a language level you have not entered"),
    "not_available_in_time": _("the job starts before the date you are available"),
    "missing_essential_skills": _("the vacancy asks for an essential skill you have not entered"),
}
REASON_STEP = {
    "no_consent_matching": "consent",
    "no_consent_cross_border": "consent",
    "missing_home_place": "home",
    "missing_commute_modes": "commute",
    "missing_max_commute": "commute",
    "commute_too_far": "commute",
    "no_transit_before_shift": "commute",
    "missing_diploma": "diplomas",
    "education_below_minimum": "diplomas",
    "no_min_secondary_diploma": "diplomas",
    "missing_languages": "languages",
    "language_below_required": "languages",
    "not_available_in_time": "availability",
    "missing_essential_skills": "skills",
}
STEP_ADVICE = {
    "consent": _("Check your consent to matching and to cross-border matching."),
    "home": _("Enter where you live."),
    "commute": _("Say how you travel and how long you are willing to travel; a longer limit reaches more vacancies."),
    "diplomas": _("Add every diploma you hold: one you did not enter counts as missing."),
    "languages": _("Add your languages with their levels."),
    "availability": _("Check the date from which you are available."),
    "skills": _("Add every skill you have: a vacancy's essential skills must all be on your profile."),
}


# --- the public page ------------------------------------------------------------------------


@dataclass
class WeightRow:
    code: str
    label: str
    description: str
    weight: float  # as stored
    percent: int  # share of the total


def public_weights() -> tuple[list[WeightRow], int | None]:
    """The live factor weights (the newest version, as the worker scores with), in the engine's
    order with their share of the total, and the version number (None before the first)."""
    weights, version = weights_versioned()
    shares = weights.factor_weights()
    rows = [
        WeightRow(
            code=code,
            label=str(FACTOR_LABELS[code]),
            description=str(FACTOR_DESCRIPTIONS[code]),
            weight=getattr(weights, code),
            percent=round(share * 100),
        )
        for code, share in zip(FACTORS, shares, strict=True)
    ]
    return rows, version


# --- one jobseeker's exclusions ----------------------------------------------------------------


@dataclass
class ExclusionRow:
    code: str
    text: str
    count: int
    step: str
    step_title: str
    advice: str


@dataclass
class ExclusionReport:
    vacancies_open: int = 0
    eligible: int = 0
    counts: dict[str, int] = field(default_factory=dict)  # REASONS code -> vacancies failing it
    rows: list[ExclusionRow] = field(default_factory=list)  # the non-zero counts, most first
    engine_version: str = ENGINE_VERSION

    def as_context(self) -> dict:
        """What a review request logs about an exclusion at the time it is made."""
        return {
            "vacancies_open": self.vacancies_open,
            "eligible": self.eligible,
            "exclusions": {code: n for code, n in self.counts.items() if n},
            "engine_version": self.engine_version,
        }


def candidate_exclusions(*, candidate_id: int) -> ExclusionReport:
    """Score one candidate against every open vacancy; count the vacancies per failed filter.

    A vacancy failing several filters counts under each (as the shortlists' summaries do).
    """
    from .shortlists import EngineInputs, build_engine

    index = reference_index_build()
    candidates = candidate_profiles_build(index=index, candidates=Candidate.objects.filter(pk=candidate_id))
    if candidates.n == 0:
        return ExclusionReport()
    inputs = EngineInputs(key=(), index=index, commute=commute_model_build(index.places), candidates=candidates)
    engine = build_engine(inputs=inputs, candidates=candidates)
    if engine.vacancies.n == 0:
        return ExclusionReport(counts=dict.fromkeys(rules.REASONS, 0))
    results = engine.score_candidate(candidate_id)
    fails = np.asarray(results.fails, dtype=np.int64)
    counts = {code: int(((fails & rules.R[code]) != 0).sum()) for code in rules.REASONS}
    steps = dict(PROFILE_STEPS)
    rows = [
        ExclusionRow(
            code=code,
            text=str(REASON_TEXT[code]),
            count=count,
            step=REASON_STEP[code],
            step_title=str(steps[REASON_STEP[code]]),
            advice=str(STEP_ADVICE[REASON_STEP[code]]),
        )
        for code, count in counts.items()
        if count
    ]
    rows.sort(key=lambda row: (-row.count, rules.REASONS.index(row.code)))
    return ExclusionReport(vacancies_open=int(fails.size), eligible=int((fails == 0).sum()), counts=counts, rows=rows)
