"""Reads of the training routes: the trainings that close a gap, ranked; the routes and near
misses a caseworker or a jobseeker may see (another's is a 404: scope first).

Travel time is the matching's commute model as stored in the taxonomy TravelTime table (place to
place per mode), as for the shortlist and the candidate search.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Min, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.roles import is_jobseeker
from candidates.models import Candidate
from matching.models import NearMiss, caseworker_visible_q
from taxonomy.models import CefrLevel, Language, Skill, TravelTime
from training.models import TrainingOffer, TrainingStart
from vacancies.models import Vacancy

from .models import TrainingRoute
from .permissions import may_route

# Near misses shown on a shortlist page (the engine keeps a bounded number per vacancy anyway).
SHORTLIST_NEAR_MISSES = 20


def travel_minutes_many(*, candidate: Candidate, place_ids: set[int]) -> dict[int, int]:
    """Fastest one-way minutes from the candidate's home to each place by their modes (one query);
    a place missing from the table is out of reach (or unknown)."""
    if candidate.home_place_id is None or not place_ids:
        return {}
    modes = candidate.commute_modes
    rows = (
        TravelTime.objects.filter(origin_id=candidate.home_place_id, destination_id__in=place_ids, mode__in=modes)
        .values("destination_id")
        .annotate(fastest=Min("minutes"))
    )
    minutes = {row["destination_id"]: row["fastest"] for row in rows}
    if candidate.home_place_id in place_ids and modes:
        minutes.setdefault(candidate.home_place_id, 0)  # a training in the home town
    return minutes


def travel_minutes(*, candidate: Candidate, place_id: int) -> int | None:
    return travel_minutes_many(candidate=candidate, place_ids={place_id}).get(place_id)


@dataclass
class TrainingOption:
    offer: TrainingOffer
    coverage: float | None  # share of the gap the training covers (None: no gap, a shortlist entry)
    covered_skills: list[Skill]
    covers_language: bool
    next_start: TrainingStart | None
    travel_minutes: int | None

    @property
    def coverage_percent(self) -> int | None:
        return None if self.coverage is None else round(self.coverage * 100)


def _gap_parts(gap: dict) -> tuple[set[int], dict | None]:
    skills = {int(s) for s in (gap or {}).get("skills") or []}
    language = (gap or {}).get("language") or None
    return skills, language


def trainings_for_gap(*, candidate: Candidate, gap: dict) -> list[TrainingOption]:
    """Active offers covering (part of) the gap, best first: the share of the gap covered, the
    next start date (from today), the travel minutes from the candidate's home by their modes.

    A gap of skills is covered by the offer's skills taught; a language gap by a language level
    the offer brings a participant to (at least the level required). An education gap is not
    closed by a course in the catalogue (none is listed). An empty gap (a shortlist entry) lists
    every active offer, ranked by start and travel."""
    skills, language = _gap_parts(gap)
    needed = len(skills) + (1 if language else 0)
    today = timezone.localdate()
    offers = TrainingOffer.objects.active().select_related("provider", "place")
    if needed:
        covering = Q(skills__in=skills) if skills else Q(pk__in=[])
        if language:
            covering |= Q(
                language_levels__language=language.get("code"), language_levels__level__gte=language["required"]
            )
        offers = offers.filter(covering).distinct()
    elif (gap or {}).get("kind"):
        return []  # an education gap: nothing in the catalogue closes it
    offers = list(
        offers.prefetch_related(
            Prefetch("skills", queryset=Skill.objects.filter(pk__in=skills), to_attr="gap_skills"),
            Prefetch("starts", queryset=TrainingStart.objects.filter(starts_on__gte=today), to_attr="next_starts"),
            "language_levels",
        )
    )
    minutes = travel_minutes_many(candidate=candidate, place_ids={o.place_id for o in offers})
    options = []
    for offer in offers:
        covers_language = bool(language) and any(
            row.language == language.get("code") and row.level >= language["required"]
            for row in offer.language_levels.all()
        )
        covered = len(offer.gap_skills) + (1 if covers_language else 0)
        options.append(
            TrainingOption(
                offer=offer,
                coverage=covered / needed if needed else None,
                covered_skills=list(offer.gap_skills),
                covers_language=covers_language,
                next_start=offer.next_starts[0] if offer.next_starts else None,
                travel_minutes=minutes.get(offer.place_id),
            )
        )
    far = datetime.date.max
    options.sort(
        key=lambda o: (
            -(o.coverage or 0),
            o.next_start.starts_on if o.next_start else far,
            o.travel_minutes if o.travel_minutes is not None else 10_000,
            o.offer.pk,
        )
    )
    return options


# --- gaps in words ----------------------------------------------------------------------------


def language_label(code: str) -> str:
    try:
        return str(Language(code).label)
    except ValueError:
        return code


def cefr_label(level: int | None) -> str:
    try:
        return CefrLevel(level).label
    except ValueError:
        return str(level)


@dataclass
class GapInWords:
    kind: str
    skills: list[Skill]
    language: dict | None  # {"name", "required", "has"} with CEFR labels
    education: dict | None  # {"required", "has"} EQF levels

    def html(self) -> SafeString:
        """What is missing, in words (templates/routes/partials/gap.html shows it): written in
        Python, not a template included once per near miss (issue 15: twenty a shortlist page).
        The messages are the ones the template had (blocktranslate's), user values escaped."""
        if self.skills:
            labels = ", ".join(conditional_escape(skill.label) for skill in self.skills)
            return mark_safe(f"{conditional_escape(_('Missing essential skills:'))} {labels}")
        if self.language:
            text = _("%(language)s: level %(required)s asked, %(has)s now") % {
                "language": conditional_escape(capfirst(self.language["name"])),
                "required": conditional_escape(self.language["required"]),
                "has": conditional_escape(self.language["has"]),
            }
            return mark_safe(text)
        if self.education:
            text = _("Education: EQF %(required)s asked, EQF %(has)s now") % {
                "required": conditional_escape(self.education.get("required", "")),
                "has": conditional_escape(self.education.get("has", "")),
            }
            return mark_safe(text)
        return conditional_escape(_("Nothing missing (a shortlist entry)"))


def gaps_described(gaps: list[dict], known_skills: dict[int, Skill] | None = None) -> list[GapInWords]:
    """The gaps with their skills as Skill objects (labels in the page's language): one query
    for the skills not in ``known_skills`` (none when the gaps are of one vacancy whose
    essential skills the page has: a gap's skills are some of them)."""
    skill_ids = {int(s) for gap in gaps for s in (gap or {}).get("skills") or []}
    skills = {pk: skill for pk, skill in (known_skills or {}).items() if pk in skill_ids}
    if missing := skill_ids - skills.keys():
        skills.update(Skill.objects.in_bulk(missing))
    described = []
    for gap in gaps:
        gap = gap or {}
        language = gap.get("language")
        described.append(
            GapInWords(
                kind=gap.get("kind", ""),
                skills=[skills[int(s)] for s in gap.get("skills") or [] if int(s) in skills],
                language={
                    "name": language_label(language.get("code", "")),
                    "required": cefr_label(language.get("required")),
                    "has": cefr_label(language.get("has")) if language.get("has") else "—",
                }
                if language
                else None,
                education=gap.get("education"),
            )
        )
    return described


# --- what a caseworker sees ---------------------------------------------------------------------


def _visible_candidates_q(user: User) -> Q:
    """The rule of ``Match.objects.for_caseworker`` (matching.models.caseworker_visible_q: own
    service, or cross-border consent) for the routes' and near misses' ``candidate``."""
    visible = caseworker_visible_q(user)
    return Q() if visible is None else visible


def routes_for_caseworker(*, user: User, stage: str = "") -> QuerySet[TrainingRoute]:
    routes = TrainingRoute.objects.filter(_visible_candidates_q(user)).select_related(
        "candidate__user", "candidate__employment_service", "candidate__home_place", "vacancy__place", "offer__place"
    )
    return routes.filter(stage=stage) if stage else routes


def route_get_for_caseworker(*, user: User, pk: int) -> TrainingRoute:
    return routes_for_caseworker(user=user).get(pk=pk)


def near_misses_for_shortlist(*, user: User, vacancy: Vacancy) -> list[NearMiss]:
    """The vacancy's near misses the caseworker may see, best first, each with ``gap_words`` and
    ``routable`` (may this user route them), in a fixed number of queries."""
    near_misses = list(
        NearMiss.objects.filter(vacancy=vacancy)
        .filter(_visible_candidates_q(user))
        .select_related("candidate__user", "candidate__employment_service")
        # What the section shows and may_route reads; not the explanation (issue 15: its JSON,
        # parsed for twenty rows a page, was most of the section's time).
        .only(
            *("vacancy", "candidate", "score", "rank", "kind", "gap"),
            *("candidate__user", "candidate__employment_service", "candidate__consent_cross_border_at"),
            *(f"candidate__user__{name}" for name in ("first_name", "last_name", "email")),
            "candidate__employment_service__name",
        )
        .order_by("rank", "pk")[:SHORTLIST_NEAR_MISSES]
    )
    essential = {skill.pk: skill for skill in vacancy.essential_skills.all()} if near_misses else {}
    for near_miss, words in zip(near_misses, gaps_described([n.gap for n in near_misses], essential)):
        near_miss.gap_words = words
        near_miss.vacancy = vacancy
        near_miss.routable = may_route(user, candidate=near_miss.candidate, vacancy=vacancy)
    return near_misses


def near_miss_for_route(*, user: User, pk: int) -> NearMiss:
    """A near miss the user may route (else DoesNotExist: a 404 for the page)."""
    near_miss = NearMiss.objects.select_related(
        "candidate__home_place", "candidate__user", "vacancy__place", "vacancy__employer"
    ).get(pk=pk)
    if not may_route(user, candidate=near_miss.candidate, vacancy=near_miss.vacancy):
        raise NearMiss.DoesNotExist
    return near_miss


# --- what a jobseeker sees ----------------------------------------------------------------------


def routes_for_jobseeker(*, user: User) -> QuerySet[TrainingRoute]:
    if not is_jobseeker(user):
        return TrainingRoute.objects.none()
    return TrainingRoute.objects.filter(candidate__user=user).select_related(
        "vacancy__place", "vacancy__employer", "offer__provider", "offer__place", "start"
    )


def near_misses_for_jobseeker(*, user: User) -> list[NearMiss]:
    """The jobseeker's near misses on published vacancies, best score first, with ``gap_words``."""
    if not is_jobseeker(user):
        return []
    near_misses = list(
        NearMiss.objects.filter(candidate__user=user, vacancy__in=Vacancy.objects.open_for_matching())
        .select_related("vacancy__place", "vacancy__employer")
        .order_by("-score", "pk")
    )
    for near_miss, words in zip(near_misses, gaps_described([n.gap for n in near_misses])):
        near_miss.gap_words = words
    return near_misses
