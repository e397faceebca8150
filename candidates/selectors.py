"""Reads of jobseekers' profiles: the profile of a user, its completeness, skill look-ups."""

from dataclasses import dataclass, field

from django.db.models import Max, QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from accounts.roles import is_portal_admin, is_service_caseworker
from taxonomy.models import OccupationSkill, Skill

from .models import Candidate, Experience

# The profile steps, in order: (slug, title). The views and the completeness share them.
PROFILE_STEPS: list[tuple[str, str]] = [
    ("home", _("Where you live")),
    ("diplomas", _("Diplomas")),
    ("skills", _("Occupations and skills")),
    ("languages", _("Languages")),
    ("commute", _("Commute")),
    ("availability", _("Availability")),
    ("consent", _("Consent")),
]


def candidate_id_of(user) -> int | None:
    """The id of the user's jobseeker profile, or None (anonymous, not a jobseeker, profile not started).

    The one place that answers “which candidate is this user”: pages, API and selectors call it.
    """
    if not user.is_authenticated:
        return None
    return Candidate.objects.filter(user=user).values_list("pk", flat=True).first()


def candidate_of(user) -> Candidate | None:
    """The user's jobseeker profile (the row alone), or None; see ``candidate_for_user`` for the details."""
    if not user.is_authenticated:
        return None
    return Candidate.objects.filter(user=user).first()


def candidate_for_user(*, user) -> Candidate | None:
    """The user's own profile with everything the profile pages show, or None before step 1."""
    if not user.is_authenticated:
        return None
    return Candidate.objects.with_details().filter(user=user).first()


def experiences_of_user(*, user) -> QuerySet[Experience]:
    """The user's own work experience, newest first (nobody else's: the scope of pages and API)."""
    if not user.is_authenticated:
        return Experience.objects.none()
    return Experience.objects.filter(candidate__user=user).select_related("occupation")


def experience_for_user(*, user, pk: int) -> Experience:
    """One job of the user's own profile; another's (or none) is a 404."""
    return get_object_or_404(experiences_of_user(user=user), pk=pk)


@dataclass
class Completeness:
    missing: list[tuple[str, str]] = field(default_factory=list)  # (message, step slug)
    done_steps: set[str] = field(default_factory=set)
    total: int = 8

    @property
    def percent(self) -> int:
        return round(100 * (self.total - len(self.missing)) / self.total)

    @property
    def is_complete(self) -> bool:
        return not self.missing


def candidate_completeness(*, candidate: Candidate | None) -> Completeness:
    """What is still missing before the portal can match this jobseeker well."""
    result = Completeness()
    if candidate is None:
        result.missing = [(str(_("You have not filled in your profile yet.")), "home")]
        result.total = 1
        return result
    checks = [
        (candidate.home_place_id is not None, _("No home place: we cannot estimate your commute."), "home"),
        (
            len(candidate.diplomas.all()) > 0,
            _("No diploma: we cannot compare your education with what vacancies ask."),
            "diplomas",
        ),
        (len(candidate.desired_occupations.all()) > 0, _("No desired occupation."), "skills"),
        (len(candidate.skills.all()) > 0, _("No skills: skills weigh most in the matching."), "skills"),
        (len(candidate.languages.all()) > 0, _("No languages."), "languages"),
        (
            bool(candidate.commute_modes) and candidate.max_commute_minutes is not None,
            _("No way to travel or no maximum travel time."),
            "commute",
        ),
        (candidate.hours_wanted is not None, _("No hours per week."), "availability"),
        (
            candidate.has_matching_consent,
            _("You have not agreed to be matched, so no caseworker proposes you for a job."),
            "consent",
        ),
    ]
    result.total = len(checks)
    failed_steps = set()
    for ok, message, step in checks:
        if not ok:
            result.missing.append((str(message), step))
            failed_steps.add(step)
    result.done_steps = {slug for slug, _title in PROFILE_STEPS} - failed_steps
    return result


def skill_autocomplete(*, query: str, limit: int = 15) -> list[dict]:
    """Skills any label of which (nl/fr/en) matches ``query``; labels in the active language.

    The same index-backed search as the API's /skills/autocomplete (taxonomy.selectors).
    """
    from taxonomy.selectors import skill_autocomplete as taxonomy_skill_autocomplete

    query = query.strip()
    if len(query) < 2:
        return []
    language = (get_language() or "nl")[:2]
    hits = taxonomy_skill_autocomplete(
        query=query, language=language if language in ("nl", "en", "fr") else "nl", limit=limit
    )
    return [{"id": hit.id, "label": hit.label, "uri": hit.uri} for hit in hits]


def skills_suggested_for(*, candidate: Candidate | None) -> QuerySet[Skill]:
    """Essential skills of the occupations the jobseeker wants, to tick rather than type."""
    if candidate is None:
        return Skill.objects.none()
    occupation_ids = [occupation.pk for occupation in candidate.desired_occupations.all()]
    if not occupation_ids:
        return Skill.objects.none()
    skill_ids = OccupationSkill.objects.filter(occupation_id__in=occupation_ids, relation="essential").values(
        "skill_id"
    )
    return Skill.objects.filter(pk__in=skill_ids).order_by("label_en")[:40]


SKILL_SUGGESTIONS = 10


def skill_suggestions(*, text: str, limit: int = SKILL_SUGGESTIONS) -> list[Skill]:
    """Skills that come close to a term no skill's label has: the autocomplete's search on the
    whole term, then on each longer word, then on a word's first letters (a typo further on)."""
    from taxonomy.selectors import skill_autocomplete as taxonomy_skill_autocomplete

    words = sorted({word for word in text.replace("-", " ").split() if len(word) >= 4}, key=len, reverse=True)
    attempts = [text, *words, *[word[:4] for word in words]]
    found: list[int] = []
    for query in attempts:
        for hit in taxonomy_skill_autocomplete(query=query, language=(get_language() or "nl")[:2], limit=limit):
            if hit.id not in found:
                found.append(hit.id)
        if found:
            break
    skills = Skill.objects.in_bulk(found[:limit])
    return [skills[pk] for pk in found[:limit] if pk in skills]


# --- the caseworkers' candidate search (workspace page and saved candidate searches) ----------


@dataclass
class CaseworkerSearchCriteria:
    """What a caseworker may search on: no name, e-mail or other identifying text (minimisation)."""

    occupation: object = None  # taxonomy.Occupation
    skill: object = None  # taxonomy.Skill
    min_eqf_level: int | None = None
    language: str = ""
    place: object = None  # taxonomy.Place (the home place)
    registered_since: object = None  # a date


def candidates_for_caseworker(*, user) -> QuerySet[Candidate]:
    """The jobseekers a caseworker may search: registered with the caseworker's own employment
    service (every service for a portal admin), active and consenting to matching (a withdrawal
    hides them at once); nobody for anyone else. Read at every call, so a saved search's digest
    sees who is in scope when it is sent."""
    qs = Candidate.objects.filter(user__is_active=True, consent_matching_at__isnull=False)
    if is_portal_admin(user):
        return qs
    if is_service_caseworker(user):
        return qs.filter(employment_service_id=user.employment_service_id)
    return Candidate.objects.none()


def caseworker_candidate_search(*, user, criteria: CaseworkerSearchCriteria) -> QuerySet[Candidate]:
    """The candidates in the caseworker's scope meeting every criterion, newest first, with what
    the result card shows (a fixed number of queries whatever the page size)."""
    qs = candidates_for_caseworker(user=user)
    if criteria.occupation is not None:
        qs = qs.filter(desired_occupations=criteria.occupation)
    if criteria.skill is not None:
        qs = qs.filter(skills=criteria.skill)
    if criteria.min_eqf_level:
        qs = qs.filter(diplomas__diploma__eqf_level__gte=criteria.min_eqf_level)
    if criteria.language:
        qs = qs.filter(languages__language=criteria.language)
    if criteria.place is not None:
        qs = qs.filter(home_place=criteria.place)
    if criteria.registered_since:
        qs = qs.filter(created_at__date__gte=criteria.registered_since)
    return (
        qs.distinct()
        .select_related("home_place", "employment_service")
        .prefetch_related("skills", "languages", "desired_occupations")
        .annotate(top_eqf_level=Max("diplomas__diploma__eqf_level"))
        .order_by("-created_at", "-pk")
    )
