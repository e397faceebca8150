"""Bias monitoring: selection rates per group at each stage of the matching funnel, and the
four-fifths rule (EU AI Act Art. 9 and 10; the deployer's fundamental-rights impact
assessment, Art. 27).

The funnel, per candidate (a candidate counts at a stage when they reached it or any later
stage, so every stage is a subset of the one before):

* **scored** — the candidate consented to matching: the engine scores them against every open
  vacancy (candidates without consent are never scored and are left out of the report);
* **eligible** — the candidate passes every hard filter of at least one open vacancy *today*.
  ``ShortlistSummary`` counts exclusions per vacancy, not per candidate, so this is computed
  here with the engine itself in one pass over all candidates × all open vacancies
  (``MatchingEngine.evaluate_pairs``, in blocks). A candidate who was shortlisted earlier
  counts as eligible too (they passed the filters of that vacancy then);
* **shortlisted** — the candidate has a match (proposed or decided) in the stored shortlists;
  proposals that fell off a shortlist are deleted by a rematch, decided ones are kept;
* **approved** — a caseworker approved one of their matches;
* **accepted** — they accepted an approved match (``candidate_response``);
* **hired** — an application of theirs reached "hired" for a vacancy they were matched to
  (the matching road; hires from direct applications are not the system's selection).

The groups: country of residence, side of the Westerschelde (the home place's bank; Belgian
places lie on neither), urban or rural home (place population, ``URBAN_POPULATION``), age
band (from the optional year of birth; never an input of the engine), country of the
highest diploma, and the candidate's employment service. For each group and stage: the rate
relative to the previous stage (step) and to "scored" (overall), each group's rate divided by
the best group's rate (the four-fifths rule) and a flag below ``FOUR_FIFTHS`` — only for
groups with at least ``MIN_GROUP_SIZE`` candidates at the rate's base.

``--since``/the monthly view count the dated stages (shortlisted: the match's creation;
approved: the decision; accepted: the answer; hired: the status change) by the date of the
event; "scored" and "eligible" are always today's state (the engine does not keep the past).

One function computes it (``selection_report``); the page, its CSV and the
``selection_rates`` command all print its ``rows()``, so the three never disagree.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from html import escape

import numpy as np
from django.db.models import Count, Max
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import EmploymentService
from applications.models import ApplicationStatus, ApplicationStatusChange
from candidates.models import Candidate, CandidateDiploma, ResidenceCountry
from matching.models import CandidateResponse, Match, ReviewStatus
from matching.shortlists import engine_inputs, rebuild_engine
from taxonomy.models import Bank, DiplomaCountry
from vacancies.models import Vacancy

from .figures import PALETTE, month_starts

STAGES = ("scored", "eligible", "shortlisted", "approved", "accepted", "hired")
# The monthly view starts at "shortlisted": "eligible" is only known for today.
MONTHLY_STAGES = ("scored", "shortlisted", "approved", "accepted", "hired")
DATED_STAGES = ("shortlisted", "approved", "accepted", "hired")
DIMENSIONS = ("country", "bank", "urbanity", "age_band", "diploma_country", "service")

STAGE_LABELS = {
    "scored": gettext_lazy("Scored"),
    "eligible": gettext_lazy("Eligible"),
    "shortlisted": gettext_lazy("Shortlisted"),
    "approved": gettext_lazy("Approved"),
    "accepted": gettext_lazy("Accepted"),
    "hired": gettext_lazy("Hired"),
}
DIMENSION_LABELS = {
    "country": gettext_lazy("Country of residence"),
    "bank": gettext_lazy("Side of the Westerschelde"),
    "urbanity": gettext_lazy("Urban or rural home"),
    "age_band": gettext_lazy("Age band"),
    "diploma_country": gettext_lazy("Country of the highest diploma"),
    "service": gettext_lazy("Employment service"),
}

# A home place with at least this many inhabitants (GeoNames) is urban. 25,000 separates this
# region's regional centres — Vlissingen, Middelburg, Goes and Terneuzen in Zeeland; Gent,
# Brugge, Sint-Niklaas, Lokeren, Beveren and a few Ghent districts in Flanders, the places with
# a full range of services and trains — from the small towns and villages (Hulst, Zierikzee,
# Axel, Eeklo, Maldegem ...). The "urban bias" of recommenders is a bias against the latter.
# It also keeps Borssele rural, whose GeoNames figure (22,285) is the whole rural
# municipality of Borsele (taxonomy/data/SOURCES.md).
URBAN_POPULATION = 25_000

# The four-fifths rule: a group's selection rate below 80% of the best group's is a sign of
# adverse impact (US EEOC Uniform Guidelines, 29 CFR 1607.4(D); the usual first screen).
FOUR_FIFTHS = 0.8

# No flag below this many candidates at a rate's base, and the best group is one of at least
# this size: with fewer, one candidate moves a rate by more than three points, so the ratio is
# noise rather than a signal (it is shown, not flagged); a flag on a handful of people would
# also come close to pointing at persons in a report with many readers.
MIN_GROUP_SIZE = 30

# Age bands from the year of birth (age reached this calendar year): (lowest age, label).
AGE_BANDS = ((0, "<25"), (25, "25-34"), (35, "35-44"), (45, "45-54"), (55, "55+"))
UNKNOWN = "unknown"

# Candidate × vacancy pairs per engine call when computing eligibility (memory bound).
ELIGIBILITY_BLOCK_PAIRS = 400_000

CSV_HEADER = (
    "period",
    "dimension",
    "group",
    "group_label",
    "stage",
    "candidates",
    "previous",
    "step_rate",
    "step_ratio",
    "overall_rate",
    "overall_ratio",
    "flag",
)


# --- the groups -------------------------------------------------------------------------------


def age_band(year_of_birth: int | None, *, year: int) -> str:
    if not year_of_birth:
        return UNKNOWN
    age = year - year_of_birth
    label = AGE_BANDS[0][1]
    for lowest, band in AGE_BANDS:
        if age >= lowest:
            label = band
    return label


def urbanity(population: int | None) -> str:
    if population is None:
        return UNKNOWN
    return "urban" if population >= URBAN_POPULATION else "rural"


def group_label(dimension: str, key: str, services: dict[str, str]) -> str:
    if key == UNKNOWN:
        return _("Unknown")
    if dimension == "country":
        return str(dict(ResidenceCountry.choices).get(key, key))
    if dimension == "bank":
        if key == "none":
            return _("Belgium (neither side)")
        return str(dict(Bank.choices).get(key, key))
    if dimension == "urbanity":
        if key == "urban":
            return _("Urban (%(n)s inhabitants or more)") % {"n": URBAN_POPULATION}
        return _("Rural (fewer than %(n)s inhabitants)") % {"n": URBAN_POPULATION}
    if dimension == "diploma_country":
        if key == "none":
            return _("No diploma")
        return str(dict(DiplomaCountry.choices).get(key, key))
    if dimension == "service":
        return services.get(key, key) if key != "none" else _("No service")
    if dimension == "age_band":
        return _("%(band)s years") % {"band": key}
    return key


@dataclass
class CandidateFacts:
    """What the report knows of one candidate: their groups and the dates they reached each stage."""

    groups: dict[str, str]
    consented: bool
    eligible: bool = False
    events: dict[str, list[dt.datetime]] = field(default_factory=lambda: defaultdict(list))

    def stage_reached(self, stages: tuple[str, ...], since: dt.datetime | None, until: dt.datetime | None) -> int:
        """Index in ``stages`` of the furthest stage reached (within the period), -1 for none."""
        reached = -1
        for i, stage in enumerate(stages):
            if stage == "scored":
                hit = self.consented
            elif stage == "eligible":
                hit = self.eligible
            else:
                hit = any((since is None or at >= since) and (until is None or at < until) for at in self.events[stage])
            if hit:
                reached = i
        return reached


def _highest_diploma_countries(candidates) -> dict[int, str]:
    """The country of each candidate's highest (EQF) diploma; ties go to the first country by code."""
    best: dict[int, tuple[int, str]] = {}
    rows = CandidateDiploma.objects.filter(candidate__in=candidates).values_list(
        "candidate_id", "diploma__eqf_level", "diploma__country"
    )
    for candidate_id, level, country in rows.order_by("candidate_id", "diploma__country"):
        if candidate_id not in best or level > best[candidate_id][0]:
            best[candidate_id] = (level, country)
    return {cid: country for cid, (_level, country) in best.items()}


# Eligibility of every candidate, per worker process, until a candidate, a vacancy or the
# reference data changes (the same keys as the engine caches of matching/shortlists.py): the
# page and its CSV, asked one after the other, compute it once. The hour is part of the key:
# vacancies expire by the clock, without a change to any row.
_eligible_cache: dict[str, tuple[tuple, frozenset[int]]] = {}


def _all_eligible_ids() -> frozenset[int]:
    inputs = engine_inputs()
    seen = Vacancy.objects.aggregate(n=Count("id"), last_id=Max("id"), last_change=Max("updated_at"))
    hour = timezone.now().replace(minute=0, second=0, microsecond=0)
    key = (*inputs.key, seen["n"], seen["last_id"], seen["last_change"], hour)
    cached = _eligible_cache.get("eligible")
    if cached is not None and cached[0] == key:
        return cached[1]
    engine = rebuild_engine(inputs)
    vacancy_ids = engine.vacancies.ids
    ids = engine.candidates.ids[engine.candidates.consent_matching]
    out: set[int] = set()
    if vacancy_ids.size and ids.size:
        block = max(1, ELIGIBILITY_BLOCK_PAIRS // vacancy_ids.size)
        for start in range(0, ids.size, block):
            part = ids[start : start + block]
            pairs = engine.evaluate_pairs(np.repeat(part, vacancy_ids.size), np.tile(vacancy_ids, part.size))
            passing = pairs.eligible.reshape(part.size, vacancy_ids.size).any(axis=1)
            out.update(part[passing].tolist())
    result = frozenset(out)
    _eligible_cache["eligible"] = (key, result)
    return result


def eligible_candidate_ids(candidate_ids: Iterable[int]) -> set[int]:
    """Those of ``candidate_ids`` who pass every hard filter of at least one open vacancy, by
    the engine (all candidates × all open vacancies, in blocks of ELIGIBILITY_BLOCK_PAIRS pairs;
    about 13 s for 10,000 × 1,000 on one core, then cached)."""
    eligible = _all_eligible_ids()
    return {cid for cid in candidate_ids if cid in eligible}


def candidate_facts(
    *, service: EmploymentService | None = None, today: dt.date | None = None
) -> dict[int, CandidateFacts]:
    """Every candidate (of the service) with their groups and stage dates; a fixed number of queries."""
    year = (today or timezone.localdate()).year
    candidates = Candidate.objects.all()
    if service is not None:
        candidates = candidates.filter(employment_service=service)
    rows = list(
        candidates.values_list(
            "id",
            "country",
            "home_place__bank",
            "home_place__population",
            "home_place_id",
            "year_of_birth",
            "employment_service__code",
            "consent_matching_at",
        )
    )
    diploma_countries = _highest_diploma_countries(candidates.values("id"))
    facts: dict[int, CandidateFacts] = {}
    for cid, country, bank, population, place_id, year_of_birth, service_code, consent in rows:
        facts[cid] = CandidateFacts(
            groups={
                "country": country or UNKNOWN,
                "bank": UNKNOWN if place_id is None else (bank or "none"),
                "urbanity": urbanity(population if place_id is not None else None),
                "age_band": age_band(year_of_birth, year=year),
                "diploma_country": diploma_countries.get(cid, "none"),
                "service": service_code or "none",
            },
            consented=consent is not None,
        )
    consented = [cid for cid, f in facts.items() if f.consented]
    for cid in eligible_candidate_ids(consented):
        facts[cid].eligible = True

    matches = Match.objects.filter(candidate_id__in=candidates.values("id")).values_list(
        "candidate_id", "vacancy_id", "created_at", "review_status", "reviewed_at", "candidate_response", "responded_at"
    )
    matched_pairs: set[tuple[int, int]] = set()
    for cid, vid, created, status, reviewed, response, responded in matches:
        f = facts[cid]
        matched_pairs.add((cid, vid))
        f.eligible = True  # a shortlisted candidate passed that vacancy's filters
        f.events["shortlisted"].append(created)
        if status == ReviewStatus.APPROVED:
            f.events["approved"].append(reviewed or created)
            if response == CandidateResponse.ACCEPTED:
                f.events["accepted"].append(responded or reviewed or created)
    hires = ApplicationStatusChange.objects.filter(
        to_status=ApplicationStatus.HIRED, application__candidate_id__in=candidates.values("id")
    ).values_list("application__candidate_id", "application__vacancy_id", "at")
    for cid, vid, at in hires:
        if (cid, vid) in matched_pairs:
            facts[cid].events["hired"].append(at)
    return facts


# --- the report -------------------------------------------------------------------------------


@dataclass
class Row:
    """One group at one stage."""

    period: str
    dimension: str
    group: str
    group_label: str
    stage: str
    candidates: int
    previous: int | None
    scored: int
    step_rate: float | None = None
    step_ratio: float | None = None
    overall_rate: float | None = None
    overall_ratio: float | None = None
    flag: bool = False

    @property
    def stage_label(self) -> str:
        return str(STAGE_LABELS[self.stage])

    @property
    def csv(self) -> list:
        return [
            self.period,
            self.dimension,
            self.group,
            self.group_label,
            self.stage,
            self.candidates,
            "" if self.previous is None else self.previous,
            _fmt(self.step_rate),
            _fmt(self.step_ratio),
            _fmt(self.overall_rate),
            _fmt(self.overall_ratio),
            "yes" if self.flag else "",
        ]

    def as_dict(self) -> dict:
        return dict(zip(CSV_HEADER, self.csv, strict=True))


def _fmt(value: float | None) -> str:
    return "" if value is None else f"{value:.3f}"


def _rate(count: int, base: int | None) -> float | None:
    return count / base if base else None


def _apply_four_fifths(rows: list[Row], rate: str, ratio: str, base: str) -> None:
    """Each group's rate over the best group's. The best is taken among the groups with at least
    MIN_GROUP_SIZE candidates at the base (among all groups when none has that many: shown for
    information, never flagged); only groups of that size are flagged."""
    measured = [r for r in rows if getattr(r, rate) is not None]
    qualified = [r for r in measured if (getattr(r, base) or 0) >= MIN_GROUP_SIZE]
    best = max((getattr(r, rate) for r in (qualified or measured)), default=None)
    if not best:
        return
    for r in measured:
        value = getattr(r, rate) / best
        setattr(r, ratio, value)
        if qualified and (getattr(r, base) or 0) >= MIN_GROUP_SIZE and value < FOUR_FIFTHS:
            r.flag = True


def _funnel_rows(
    facts: dict[int, CandidateFacts],
    *,
    stages: tuple[str, ...],
    period: str,
    since: dt.datetime | None,
    until: dt.datetime | None,
    services: dict[str, str],
) -> list[Row]:
    reached = {cid: f.stage_reached(stages, since, until) for cid, f in facts.items()}
    rows: list[Row] = []
    for dimension in DIMENSIONS:
        counts: dict[str, list[int]] = defaultdict(lambda: [0] * len(stages))
        for cid, f in facts.items():
            top = reached[cid]
            if top < 0:
                continue
            key = f.groups[dimension]
            for i in range(top + 1):
                counts[key][i] += 1
        for i, stage in enumerate(stages):
            stage_rows = []
            for key in sorted(counts):
                values = counts[key]
                previous = values[i - 1] if i else None
                stage_rows.append(
                    Row(
                        period=period,
                        dimension=dimension,
                        group=key,
                        group_label=group_label(dimension, key, services),
                        stage=stage,
                        candidates=values[i],
                        previous=previous,
                        scored=values[0],
                        step_rate=_rate(values[i], previous) if i else None,
                        overall_rate=_rate(values[i], values[0]) if i else None,
                    )
                )
            if i:
                # The flag is set when either the step or the overall ratio falls below 4/5.
                _apply_four_fifths(stage_rows, "step_rate", "step_ratio", "previous")
                _apply_four_fifths(stage_rows, "overall_rate", "overall_ratio", "scored")
            rows.extend(stage_rows)
    return rows


@dataclass
class SelectionReport:
    service: EmploymentService | None
    since: dt.date | None
    rows_overall: list[Row]
    rows_monthly: list[Row]
    months: list[dt.date]

    def rows(self) -> list[Row]:
        return self.rows_overall + self.rows_monthly

    def csv_rows(self) -> list[list]:
        return [r.csv for r in self.rows()]

    def as_json(self) -> dict:
        return {
            "service": self.service.code if self.service else None,
            "since": self.since.isoformat() if self.since else None,
            "stages": list(STAGES),
            "dimensions": list(DIMENSIONS),
            "four_fifths": FOUR_FIFTHS,
            "min_group_size": MIN_GROUP_SIZE,
            "urban_population": URBAN_POPULATION,
            "rows": [r.as_dict() for r in self.rows()],
        }

    @property
    def flagged(self) -> list[Row]:
        return [r for r in self.rows_overall if r.flag]

    def tables(self) -> list[dict]:
        """The overall rows per dimension, for the page: one table per dimension."""
        out = []
        for dimension in DIMENSIONS:
            rows = [r for r in self.rows_overall if r.dimension == dimension]
            out.append({"dimension": dimension, "label": DIMENSION_LABELS[dimension], "rows": rows})
        return out

    def monthly_table(self, dimension: str) -> list[Row]:
        return [r for r in self.rows_monthly if r.dimension == dimension and r.stage != "scored"]

    def svg(self, dimension: str) -> SafeString:
        return rates_chart_svg(self, dimension)


def _aware(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def selection_report(
    *,
    service: EmploymentService | None = None,
    since: dt.date | None = None,
    months: int = 6,
    today: dt.date | None = None,
) -> SelectionReport:
    """The selection rates of every group at every stage (all time or since ``since``) and per month."""
    facts = candidate_facts(service=service, today=today)
    services = dict(EmploymentService.objects.values_list("code", "name"))
    period = f"since {since.isoformat()}" if since else "all"
    overall = _funnel_rows(
        facts,
        stages=STAGES,
        period=period,
        since=_aware(since) if since else None,
        until=None,
        services=services,
    )
    starts = month_starts(months, today=today) if months else []
    monthly: list[Row] = []
    for i, start in enumerate(starts):
        end = starts[i + 1] if i + 1 < len(starts) else (start + dt.timedelta(days=32)).replace(day=1)
        monthly.extend(
            _funnel_rows(
                facts,
                stages=MONTHLY_STAGES,
                period=start.strftime("%Y-%m"),
                since=_aware(start),
                until=_aware(end),
                services=services,
            )
        )
    return SelectionReport(service=service, since=since, rows_overall=overall, rows_monthly=monthly, months=starts)


# --- the chart ----------------------------------------------------------------------------------


def rates_chart_svg(report: SelectionReport, dimension: str, *, width: int = 760, height: int = 320) -> SafeString:
    """Overall selection rate (share of scored candidates) per stage, one line per group."""
    rows = [r for r in report.rows_overall if r.dimension == dimension]
    groups: dict[str, list[Row]] = defaultdict(list)
    for r in rows:
        groups[r.group].append(r)
    left, right, top, bottom = 48, 12, 16, 40
    plot_w, plot_h = width - left - right, height - top - bottom
    n = len(STAGES)

    def x(i: int) -> float:
        return left + plot_w * i / (n - 1)

    def y(value: float) -> float:
        return top + plot_h - value * plot_h

    uid = f"rates-{dimension}"
    title = _("Selection rate per stage: %(dimension)s") % {"dimension": DIMENSION_LABELS[dimension]}
    description = _(
        "Share of the scored candidates of each group who reached each stage; flagged groups are "
        "below four fifths of the best group's rate."
    )
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="{uid}-title {uid}-desc" focusable="false">',
        f'<title id="{uid}-title">{escape(title)}</title>',
        f'<desc id="{uid}-desc">{escape(description)}</desc>',
    ]
    for tick in (0, 0.25, 0.5, 0.75, 1.0):
        ty = y(tick)
        parts.append(
            f'<line x1="{left}" x2="{width - right}" y1="{ty:.1f}" y2="{ty:.1f}" stroke="#d0d0d0" stroke-width="1"/>'
        )
        parts.append(
            f'<text x="{left - 6}" y="{ty + 4:.1f}" text-anchor="end" font-size="12" fill="#333">{tick:.0%}</text>'
        )
    for i, stage in enumerate(STAGES):
        parts.append(
            f'<text x="{x(i):.1f}" y="{top + plot_h + 18}" font-size="12" fill="#333" text-anchor="middle">'
            f"{escape(str(STAGE_LABELS[stage]))}</text>"
        )
    for g, (_key, group_rows) in enumerate(sorted(groups.items())):
        colour = PALETTE[g % len(PALETTE)]
        points = []
        for r in group_rows:
            rate = 1.0 if r.stage == "scored" and r.candidates else (r.overall_rate or 0.0)
            points.append((STAGES.index(r.stage), rate, r))
        path = " ".join(f"{x(i):.1f},{y(rate):.1f}" for i, rate, _r in points)
        parts.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"/>')
        for i, rate, r in points:
            mark = ' stroke="#000" stroke-width="2"' if r.flag else ""
            parts.append(
                f'<circle cx="{x(i):.1f}" cy="{y(rate):.1f}" r="{5 if r.flag else 3}" fill="{colour}"{mark}>'
                f"<title>{escape(r.group_label)}, {escape(str(STAGE_LABELS[r.stage]))}: {r.candidates} "
                f"({rate:.0%}){' — ' + escape(_('below four fifths')) if r.flag else ''}</title></circle>"
            )
    if not rows:
        parts.append(
            f'<text x="{left + plot_w / 2:.1f}" y="{top + plot_h / 2:.1f}" text-anchor="middle" '
            f'font-size="14" fill="#333">{escape(_("No data in this period."))}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # every text inside is escaped above


def legend(report: SelectionReport, dimension: str) -> list[tuple[str, str]]:
    keys = sorted({(r.group, r.group_label) for r in report.rows_overall if r.dimension == dimension})
    return [(PALETTE[i % len(PALETTE)], label) for i, (_key, label) in enumerate(keys)]
