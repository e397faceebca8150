"""The requirement panel of a vacancy: what each hard requirement costs in candidates.

The numbers come from the engine (``matching.engine.relax``), which lives in the worker: a web
request never builds an engine.  The worker computes the panel after every rematch of the one
vacancy (``shortlists.vacancy_rematch``) and on demand (``requirement_costs_request`` from the
page, task ``matching.tasks.requirement_costs_compute``), and stores it on the vacancy's
ShortlistSummary with database ids (skills, places) instead of engine indices.  Not in the
chunks of a full rebuild: at 100,000 candidates a panel costs about 0.6 of a single-vacancy
rematch but 2.2-2.4 times what a rebuild spends ranking one vacancy (docs/performance.md,
"Requirement panel"), so a rebuild would take about three times as long.

The pages read the stored panel (``requirement_panel``) and label it in the reader's language.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from taxonomy.models import CefrLevel, Language, Place, Skill
from vacancies.models import Vacancy, VacancyStatus

from .engine.relax import NEARBY_COUNT, NEARBY_KM, START_DELAY_DAYS, requirement_costs
from .models import ShortlistSummary
from .profiles import ReferenceIndex

logger = logging.getLogger(__name__)

# One refresh per vacancy per minute: the page's button cannot queue the worker up.
REFRESH_INTERVAL_SECONDS = 60
_EPOCH = datetime.date(1970, 1, 1)  # the engine's day numbers count from here (matching.profiles)


def _refresh_key(vacancy_id: int) -> str:
    return f"matching:requirement-costs-requested:{vacancy_id}"


# --- worker side: compute and store ----------------------------------------------------------------


def costs_for_db(costs, index: ReferenceIndex) -> dict:
    """The engine's panel with database ids: skill ids, place ids; days as ISO dates."""
    _, skill_ids, place_ids = index.id_lists
    rows = []
    for row in costs.rows:
        entry = {"kind": row.kind, "extra": row.extra}
        if row.kind == "essential_skill":
            entry["skill"] = skill_ids[row.what]
        elif row.kind == "language":
            entry |= {"language": row.what, "current": row.current, "relaxed": row.relaxed}
        elif row.kind == "education":
            entry |= {"current": row.current, "relaxed": row.relaxed}
        elif row.kind == "start":
            entry |= {
                "current": (_EPOCH + datetime.timedelta(days=row.current)).isoformat(),
                "relaxed": (_EPOCH + datetime.timedelta(days=row.relaxed)).isoformat(),
            }
        elif row.kind == "commute":
            entry |= {"current": place_ids[row.current], "relaxed": place_ids[row.relaxed]}
        rows.append(entry)
    return {
        "candidates_total": costs.candidates_total,
        "eligible": costs.eligible,
        "start_delay_days": START_DELAY_DAYS,
        "nearby_km": round(NEARBY_KM),
        "nearby_count": NEARBY_COUNT,
        "rows": rows,
    }


def requirement_costs_store(*, engine, index: ReferenceIndex, vacancy_id: int) -> dict:
    """Compute the panel of one vacancy on this engine and store it on its summary."""
    panel = costs_for_db(requirement_costs(engine, vacancy_id), index)
    now = timezone.now()
    updated = ShortlistSummary.objects.filter(vacancy_id=vacancy_id).update(
        requirement_costs=panel, requirement_costs_at=now
    )
    if not updated:  # not ranked yet: the summary's counts are the panel's own
        ShortlistSummary.objects.update_or_create(
            vacancy_id=vacancy_id,
            defaults={
                "requirement_costs": panel,
                "requirement_costs_at": now,
                "candidates_total": panel["candidates_total"],
                "eligible": panel["eligible"],
            },
        )
    return panel


def requirement_costs_refresh(*, vacancy_id: int) -> dict | None:
    """The on-demand task's work: the panel of one open vacancy on the worker's cached inputs."""
    from . import shortlists  # shortlists calls requirement_costs_store after each rematch

    inputs = shortlists.engine_inputs()
    if not Vacancy.objects.open_for_matching().filter(pk=vacancy_id).exists():
        return None
    engine = shortlists.build_engine(inputs=inputs, vacancies=Vacancy.objects.filter(pk=vacancy_id))
    return requirement_costs_store(engine=engine, index=inputs.index, vacancy_id=vacancy_id)


# --- web side: ask for it, read it -------------------------------------------------------------------


def requirement_costs_request(*, vacancy: Vacancy) -> None:
    """ "Compute again" from the vacancy page: published vacancies, once a minute per vacancy."""
    from . import tasks

    if vacancy.status != VacancyStatus.PUBLISHED:
        raise ValidationError(_("Only a published vacancy can be matched."), code="not_published")
    if not cache.add(_refresh_key(vacancy.pk), timezone.now().timestamp(), timeout=REFRESH_INTERVAL_SECONDS):
        raise ValidationError(
            _("The figures were asked for less than a minute ago. They appear here when they are ready."),
            code="too_soon",
        )

    def send() -> None:
        try:
            tasks.requirement_costs_compute.apply_async(args=(vacancy.pk,), retry=False)
        except Exception as exc:  # kombu/redis raise several types; the figures are derived, nothing is lost
            cache.delete(_refresh_key(vacancy.pk))
            logger.warning("Broker unreachable, requirement panel of vacancy %s not requested: %s", vacancy.pk, exc)

    transaction.on_commit(send)


# The vacancy form's field behind each kind of row (vacancies.forms.VacancyForm).
FORM_FIELDS = {
    "essential_skill": "essential_skills",
    "education": "min_eqf_level",
    "min_secondary": "requires_min_secondary",
    "start": "start_date",
    "commute": "place",
}


@dataclass
class PanelRow:
    requirement: str  # what is asked now, in the reader's language
    relaxed: str  # the one-step relaxation
    extra: int
    field: str  # the vacancy form's field that sets it (the edit link's anchor)


def _cefr(level: int) -> str:
    return CefrLevel(level).label if level else _("not required")


NOT_READ = object()  # requirement_panel(summary=...): the page has not read it


def requirement_panel(*, vacancy: Vacancy, summary: ShortlistSummary | None = NOT_READ) -> dict:
    """The stored panel of a vacancy, labelled for the page (at most three queries; one less
    when the page has read the vacancy's ``summary`` already, even if it found none)."""
    if summary is NOT_READ:
        summary = (
            ShortlistSummary.objects.filter(vacancy_id=vacancy.pk)
            .only("requirement_costs", "requirement_costs_at")
            .first()
        )
    panel = summary.requirement_costs if summary else None
    requested = cache.get(_refresh_key(vacancy.pk))
    computed_at = summary.requirement_costs_at if summary else None
    pending = requested is not None and (computed_at is None or computed_at.timestamp() < requested)
    result = {"panel": panel, "computed_at": computed_at, "pending": pending, "rows": []}
    if not panel:
        return result
    rows = panel["rows"]
    skill_ids = [r["skill"] for r in rows if r["kind"] == "essential_skill"]
    skills = {s.pk: s.label for s in Skill.objects.filter(pk__in=skill_ids)} if skill_ids else {}
    place_ids = {r[k] for r in rows if r["kind"] == "commute" for k in ("current", "relaxed")}
    places = dict(Place.objects.filter(pk__in=place_ids).values_list("pk", "name")) if place_ids else {}
    languages = dict(Language.choices)
    out = []
    for r in rows:
        kind = r["kind"]
        if kind == "essential_skill":
            requirement = _("Essential skill: %(skill)s") % {"skill": skills.get(r["skill"], "?")}
            relaxed = _("not required")
        elif kind == "language":
            requirement = _("%(language)s at %(level)s") % {
                "language": languages.get(r["language"], r["language"]),
                "level": _cefr(r["current"]),
            }
            relaxed = _cefr(r["relaxed"])
        elif kind == "education":
            requirement = _("Education: at least EQF %(level)s") % {"level": r["current"]}
            relaxed = _("EQF %(level)s") % {"level": r["relaxed"]} if r["relaxed"] else _("no minimum")
        elif kind == "min_secondary":
            requirement = _("A minimum secondary diploma")
            relaxed = _("not required")
        elif kind == "start":
            current = datetime.date.fromisoformat(r["current"])
            requirement = _("Start on %(date)s") % {"date": _date(current)}
            relaxed = _("%(days)s days later: %(date)s") % {
                "days": panel["start_delay_days"],
                "date": _date(datetime.date.fromisoformat(r["relaxed"])),
            }
        elif kind == "commute":
            requirement = _("Workplace in %(place)s") % {"place": places.get(r["current"], "?")}
            relaxed = _("in %(place)s") % {"place": places.get(r["relaxed"], "?")}
        else:  # stored by a newer worker: shown once the page knows the kind
            continue
        field = FORM_FIELDS[kind] if kind != "language" else f"language_{r['language']}"
        out.append(PanelRow(requirement, relaxed, r["extra"], field))
    result["rows"] = out
    return result


def _date(value: datetime.date) -> str:
    return date_format(value, "DATE_FORMAT")
