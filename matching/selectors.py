"""Reads of the matching app for the caseworker's and the employer's pages.

Every function starts from a scoped queryset (``Match.objects.for_caseworker`` /
``for_employer``), so what a user may not see never reaches a page, and runs a fixed number
of queries whatever the number of rows (select_related / prefetch_related / aggregates).
"""

from datetime import datetime
from types import SimpleNamespace
from typing import Any

from django.db import connection
from django.db.models import BooleanField, Case, Count, JSONField, Max, Min, Prefetch, Q, QuerySet, Value, When
from django.db.models.expressions import RawSQL

from accounts.models import User
from accounts.roles import is_caseworker, is_employer, is_jobseeker, is_portal_admin, is_service_caseworker
from candidates.models import Candidate, CandidateDiploma
from candidates.selectors import candidate_id_of
from taxonomy.models import Diploma, DiplomaCountry, MultilingualLabelMixin, Occupation, Skill
from vacancies.models import Vacancy, VacancyLanguage, VacancyStatus

from .models import Match, MatchDecision, QueueScope, RebuildRun, ReviewStatus, ShortlistSummary, caseworker_visible_q
from .permissions import candidate_visible_q

# Vacancies a caseworker may open a shortlist of: everything that has been public.
SHORTLIST_VACANCY_STATUSES = (
    VacancyStatus.PUBLISHED,
    VacancyStatus.FILLED,
    VacancyStatus.CLOSED,
    VacancyStatus.EXPIRED,
)

SHORTLIST_VIEWS = ("all", "proposed", "approved", "rejected", "flagged")


def decidable_q(user: User, prefix: str = "") -> Q:
    """``matching.permissions.can_decide`` as a database condition on matches (``prefix`` for joins).

    Kept next to the rule's Python form and tested against it row by row.
    """
    if is_portal_admin(user):
        return Q()
    if not is_service_caseworker(user):
        return Q(pk__in=[])
    service = user.employment_service
    return Q(**{f"{prefix}candidate__employment_service_id": user.employment_service_id}) | Q(
        **{
            f"{prefix}candidate__consent_cross_border_at__isnull": False,
            f"{prefix}vacancy__place__country": service.country,
        }
    )


def decidable_on_vacancy_q(user: User, vacancy: Vacancy) -> Q:
    """``decidable_q`` for the matches of one vacancy: its country is known, so the condition
    needs no join to the vacancy and its place (issue 15: those two joins were most of the
    shortlist query's planning time, ~3 of 4.6 ms, for 0.3 ms of execution)."""
    if is_portal_admin(user):
        return Q()
    if not is_service_caseworker(user):
        return Q(pk__in=[])
    own = Q(candidate__employment_service_id=user.employment_service_id)
    if vacancy.place.country == user.employment_service.country:
        return own | Q(candidate__consent_cross_border_at__isnull=False)
    return own


def with_decidable(matches: QuerySet[Match], user: User, vacancy: Vacancy | None = None) -> QuerySet[Match]:
    """Annotate ``decidable``: whether ``user`` may approve or reject each match (``decidable_q``;
    ``decidable_on_vacancy_q`` when every match is of ``vacancy``)."""
    condition = decidable_q(user) if vacancy is None else decidable_on_vacancy_q(user, vacancy)
    if not condition:  # admin: every row
        return matches.annotate(decidable=Value(True, output_field=BooleanField()))
    return matches.annotate(
        decidable=Case(When(condition, then=Value(True)), default=Value(False), output_field=BooleanField())
    )


# --- what each role may see (the API's lists; the same scopes as the pages) -----------------------


def _with_match_related(matches: QuerySet[Match]) -> QuerySet[Match]:
    return matches.select_related(
        "vacancy__employer",
        "vacancy__place",
        "candidate__user",
        "candidate__home_place",
        "candidate__employment_service",
        "reviewer",
    )


def _match_candidate_prefetches() -> list:
    return [
        Prefetch("candidate__diplomas", queryset=CandidateDiploma.objects.select_related("diploma")),
        "candidate__skills",
        "candidate__languages",
    ]


def matches_openable_by_caseworker(*, user: User) -> QuerySet[Match]:
    """The matches a caseworker may open (the match page, the API): within their scope
    (``Match.objects.for_caseworker``), on vacancies that have a shortlist."""
    return Match.objects.for_caseworker(user).filter(vacancy__status__in=SHORTLIST_VACANCY_STATUSES)


def matches_visible_to(*, user: User) -> QuerySet[Match]:
    """What each role may see, as on the pages (``Match.objects.for_caseworker`` / ``for_employer`` /
    ``for_candidate``); caseworkers' rows carry ``decidable`` and the decision history."""
    if not user.is_authenticated:
        return Match.objects.none()
    if is_caseworker(user):
        return with_decidable(
            _with_match_related(matches_openable_by_caseworker(user=user)).prefetch_related(
                *_match_candidate_prefetches(),
                Prefetch("decisions", queryset=MatchDecision.objects.select_related("reviewer").order_by("at", "id")),
            ),
            user,
        ).order_by("vacancy_id", "-score", "candidate_id")
    if is_employer(user):
        return (
            _with_match_related(Match.objects.for_employer(user.employer_id))
            .prefetch_related(*_match_candidate_prefetches())
            .order_by("vacancy_id", "-score", "candidate_id")
        )
    if is_jobseeker(user):
        candidate_id = candidate_id_of(user)
        if candidate_id is None:
            return Match.objects.none()
        return _with_match_related(Match.objects.for_candidate(candidate_id)).order_by("-reviewed_at", "-score", "pk")
    return Match.objects.none()


# --- the work queue's shortlists (the queue itself: workspace/selectors.py) -------------------


def _queue_scope(user: User, filters: dict[str, Any]) -> str | None:
    """The ``QueueScope.scope`` key of this user and the queue's service filter (None: nothing
    to see): "<viewer service id>:<filter service id>", 0 for an admin / no filter (0012).

    The scope is ``Match.objects.for_caseworker``: an admin sees every group, a service's
    caseworker their service's candidates and the cross-border consenting ones."""
    service = filters.get("service")
    of_service = service.pk if service else 0
    if is_portal_admin(user):
        return f"0:{of_service}"
    if not is_service_caseworker(user):
        return None
    return f"{user.employment_service_id}:{of_service}"


def shortlists_needing_review(*, user: User, filters: dict[str, Any]) -> QuerySet:
    """One row per open vacancy with undecided (or flagged approved) matches the user can see,
    the oldest waiting proposal first.

    On PostgreSQL from the rows per vacancy and caseworker scope (``QueueScope``, kept by
    triggers): a page is a range of the index on (scope, waiting_since, vacancy), so its cost
    follows the page, not the number of vacancies or matches (issue 15).
    """
    if connection.vendor != "postgresql":
        return _shortlists_needing_review_from_matches(user=user, filters=filters)
    scope = _queue_scope(user, filters)
    if scope is None:
        return QueueScope.objects.none().values("vacancy")
    rows = QueueScope.objects.filter(scope=scope)
    if filters.get("country"):
        rows = rows.filter(country=filters["country"])
    if "stem" in filters:
        rows = rows.filter(is_stem=filters["stem"])
    if filters.get("place"):
        rows = rows.filter(place=filters["place"])
    return rows.values("vacancy", "undecided", "decidable", "flagged", "best", "waiting_since").order_by(
        "waiting_since", "vacancy"
    )


def _shortlists_needing_review_from_matches(*, user: User, filters: dict[str, Any]) -> QuerySet:
    """The same rows grouped from the matches (databases without the counting triggers)."""
    undecided = Q(review_status=ReviewStatus.PROPOSED)
    flagged = Q(review_status=ReviewStatus.APPROVED, is_flagged=True)
    matches = Match.objects.for_caseworker(user).filter(undecided | flagged, vacancy__status=VacancyStatus.PUBLISHED)
    if filters.get("service"):
        matches = matches.filter(candidate__employment_service=filters["service"])
    if filters.get("country"):
        matches = matches.filter(vacancy__place__country=filters["country"])
    if "stem" in filters:
        matches = matches.filter(vacancy__is_stem=filters["stem"])
    if filters.get("place"):
        matches = matches.filter(vacancy__place=filters["place"])
    decidable = decidable_q(user)
    return (
        matches.values("vacancy")
        .annotate(
            undecided=Count("pk", filter=undecided),
            decidable=Count("pk", filter=undecided & decidable),
            flagged=Count("pk", filter=flagged),
            best=Max("score", filter=undecided),
            waiting_since=Min("created_at", filter=undecided),
        )
        .order_by("waiting_since", "vacancy")
    )


def attach_vacancies(rows: list[dict]) -> list[dict]:
    """Put the Vacancy (with employer, place, occupation) on each work-queue row: one query."""
    vacancies = Vacancy.objects.with_details().in_bulk([row["vacancy"] for row in rows])
    return [{**row, "vacancy_obj": vacancies[row["vacancy"]]} for row in rows if row["vacancy"] in vacancies]


# --- the shortlist of a vacancy ---------------------------------------------------------------


def vacancy_for_shortlist(*, pk: int) -> Vacancy:
    vacancy = Vacancy.objects.filter(status__in=SHORTLIST_VACANCY_STATUSES).with_details().get(pk=pk)
    _requirements_attach(vacancy)
    return vacancy


def _requirements_attach(vacancy: Vacancy) -> None:
    """The vacancy's essential and optional skills and its languages, left as ``prefetch_related``
    leaves them (``vacancy.essential_skills.all()`` reads no query; ``Lookup`` finds them), in two
    queries: Django's prefetch machinery cost ~2 ms of the shortlist page for three short lists
    (issue 15). The skills in their model's order, as the prefetch gave them."""
    through = {name: _table(getattr(Vacancy, name).through) for name in ("essential_skills", "optional_skills")}
    skill_table = _table(Skill)
    parts = [
        f"SELECT s.*, %s AS requirement FROM {table} t JOIN {skill_table} s ON s.id = t.skill_id WHERE t.vacancy_id = %s"
        for table in through.values()
    ]
    lists = {name: [] for name in through}
    sql = " UNION ALL ".join(parts) + " ORDER BY requirement, is_port_relevant DESC, label_en"
    params = [value for name in through for value in (name, vacancy.pk)]
    for skill in Skill.objects.raw(sql, params):
        lists[skill.requirement].append(skill)
    lists["languages"] = list(VacancyLanguage.objects.filter(vacancy_id=vacancy.pk))
    cache = vacancy.__dict__.setdefault("_prefetched_objects_cache", {})
    for name, rows in lists.items():
        related = getattr(vacancy, name).all()
        related._result_cache, related._prefetch_done = rows, True
        cache[name] = related


def _candidate_prefetches(prefix: str = "candidate__") -> list:
    return [
        Prefetch(f"{prefix}diplomas", queryset=CandidateDiploma.objects.select_related("diploma", "field")),
        f"{prefix}languages",
        f"{prefix}skills",
    ]


_USER_NAME = ("first_name", "last_name", "email")  # str(user): the full name, else the e-mail
_SHORTLIST_ROW_FIELDS = (
    *("candidate", "vacancy", "score", "rank", "explanation", "source", "added_by", "added_reason"),
    *("is_flagged", "flag_reasons", "review_status", "reason", "note", "candidate_response", "reviewer"),
    *("candidate__user", "candidate__home_place", "candidate__employment_service"),
    "candidate__consent_cross_border_at",
    *(f"candidate__user__{name}" for name in _USER_NAME),
    *("candidate__home_place__name", "candidate__home_place__municipality", "candidate__home_place__country"),
    "candidate__employment_service__name",
)
_LABELS = ("label_nl", "label_en", "label_fr")
_DIPLOMA_COLUMNS = (*_LABELS, "country", "framework", "framework_level", "eqf_level", "is_minimum_secondary")
_DIPLOMA_COUNTRIES = dict(DiplomaCountry.choices)


def shortlist_for_caseworker(*, user: User, vacancy: Vacancy, view: str = "all") -> QuerySet[Match]:
    """The vacancy's shortlist as this caseworker may see it, best first, with ``decidable``."""
    matches = (
        Match.objects.for_caseworker(user)
        .filter(vacancy=vacancy)
        .select_related(
            # Not the vacancy: the page has it already and gives it to every row (issue 15).
            "candidate__user",
            "candidate__home_place",
            "candidate__employment_service",
            # Not the reviewer and the hand-adder: two more joins doubled the query's planning
            # time (issue 15); shortlist_rows_complete fetches them for the page's rows.
        )
        # The columns a row shows (matching/views_workspace.py _row_html): the wide candidate and
        # user rows were much of the page's time (issue 15).
        .only(*_SHORTLIST_ROW_FIELDS)
        # What a row shows beyond its columns, as JSON columns of the same query (issue 15: three
        # prefetches cost ~4 ms a page in Django's prefetch machinery and model instances): the
        # candidate's first diploma and desired occupations, the match's decisions;
        # shortlist_rows_complete makes them objects. Not the candidate's skills and languages,
        # which the match page shows.
        .annotate(row_diploma=_first_diploma(), row_occupations=_desired_occupations(), row_decisions=_decisions())
    )
    if view == "flagged":
        matches = matches.filter(is_flagged=True)
    elif view in ("proposed", "approved", "rejected"):
        matches = matches.filter(review_status=view)
    return with_decidable(matches, user, vacancy).order_by("-score", "candidate_id")


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _json_subquery(sql: str) -> RawSQL:
    """A correlated subquery on the row's match (``matching_match``) giving one JSON value."""
    return RawSQL(f"({sql})", [], output_field=JSONField())


def _first_diploma() -> RawSQL:
    """The candidate's highest diploma (the one a row shows) as a JSON object. Raw SQL: the ORM's
    Subquery of a JSONObject cost ~2 ms a page to compile, more than the prefetch it replaces."""
    columns = ", ".join(f"'{name}', d.{name}" for name in _DIPLOMA_COLUMNS)
    return _json_subquery(
        f"SELECT jsonb_build_object({columns}) FROM {_table(CandidateDiploma)} cd"
        f" JOIN {_table(Diploma)} d ON d.id = cd.diploma_id"
        f" WHERE cd.candidate_id = {_table(Match)}.candidate_id ORDER BY d.eqf_level DESC, cd.id LIMIT 1"
    )


def _desired_occupations() -> RawSQL:
    """The candidate's desired occupations (the reasons name them) as a JSON array of objects."""
    columns = ", ".join(f"'{name}', o.{name}" for name in ("id", *_LABELS))
    return _json_subquery(
        f"SELECT coalesce(jsonb_agg(jsonb_build_object({columns}) ORDER BY o.id), '[]')"
        f" FROM {_table(Candidate.desired_occupations.through)} co JOIN {_table(Occupation)} o"
        f" ON o.id = co.occupation_id WHERE co.candidate_id = {_table(Match)}.candidate_id"
    )


def _decisions() -> RawSQL:
    """The match's decisions, oldest first, with their reviewer's name columns, as JSON."""
    return _json_subquery(
        "SELECT coalesce(jsonb_agg(jsonb_build_object('at', md.at, 'decision', md.decision,"
        " 'reviewer_service', md.reviewer_service, 'reason', md.reason, 'note', md.note,"
        " 'first_name', u.first_name, 'last_name', u.last_name, 'email', u.email) ORDER BY md.at, md.id), '[]')"
        f" FROM {_table(MatchDecision)} md LEFT JOIN {_table(User)} u ON u.id = md.reviewer_id"
        f" WHERE md.match_id = {_table(Match)}.id"
    )


def _decision_of_row(row: dict) -> SimpleNamespace:
    """A decision as the row shows it; ``reviewer`` is the name ``str(user)`` gives, or None."""
    first_name, last_name, email = row.pop("first_name"), row.pop("last_name"), row.pop("email")
    name = f"{first_name} {last_name}".strip() if email is not None else ""
    row["at"] = datetime.fromisoformat(row["at"])
    return SimpleNamespace(**row, reviewer=name or email)


class RowLabelled(SimpleNamespace):
    """A diploma or an occupation of a shortlist row: its columns, and ``label`` in the page's
    language by the rule of the taxonomy's models (the same property)."""

    label = MultilingualLabelMixin.label

    def get_country_display(self) -> str:
        return _DIPLOMA_COUNTRIES.get(self.country, self.country)


def shortlist_rows_complete(matches: list[Match]) -> None:
    """What the page's rows show beyond their query's columns: the candidate's first diploma
    (``shortlist_diplomas``: objects with ``diploma``) and desired occupations
    (``shortlist_occupations``) from the query's JSON columns, and the reviewers' and
    hand-adders' names, in one query, none when no row has either."""
    for match in matches:
        candidate = match.candidate
        diploma = match.row_diploma
        candidate.shortlist_diplomas = [SimpleNamespace(diploma=RowLabelled(**diploma))] if diploma else []
        candidate.shortlist_occupations = [RowLabelled(pk=o.pop("id"), **o) for o in match.row_occupations]
        match.shortlist_decisions = [_decision_of_row(decision) for decision in match.row_decisions]
    ids = {m.reviewer_id for m in matches} | {m.added_by_id for m in matches}
    ids.discard(None)
    if not ids:
        return
    people = {person.pk: person for person in User.objects.filter(pk__in=ids).only(*_USER_NAME)}
    for match in matches:
        if match.reviewer_id is not None:
            match.reviewer = people[match.reviewer_id]
        if match.added_by_id is not None:
            match.added_by = people[match.added_by_id]


def shortlist_counts(*, user: User, vacancy: Vacancy) -> dict[str, int]:
    """How many rows each tab of the shortlist has (one query)."""
    counts = (
        Match.objects.for_caseworker(user)
        .filter(vacancy=vacancy)
        .aggregate(
            all=Count("pk"),
            proposed=Count("pk", filter=Q(review_status=ReviewStatus.PROPOSED)),
            approved=Count("pk", filter=Q(review_status=ReviewStatus.APPROVED)),
            rejected=Count("pk", filter=Q(review_status=ReviewStatus.REJECTED)),
            flagged=Count("pk", filter=Q(is_flagged=True)),
        )
    )
    return counts


def shortlist_tabs(*, user: User, vacancy: Vacancy) -> dict[str, Any]:
    """``shortlist_counts``, ``hidden_match_count`` and the ids of the rows ``user`` may decide on
    (best first), in one small query over the vacancy's rows (issue 15: they were five queries;
    an aggregate with a filter per tab cost more to build than these rows, a shortlist's few
    hundred at most, to count). ``visible`` is ``Match.objects.for_caseworker``'s rule."""
    counts = {"all": 0, "proposed": 0, "approved": 0, "rejected": 0, "flagged": 0}
    decidable_ids = []
    visible = caseworker_visible_q(user)
    rows = (
        with_decidable(Match.objects.filter(vacancy=vacancy), user, vacancy)
        .annotate(
            visible=Value(True) if visible is None else Case(When(visible, then=Value(True)), default=Value(False))
        )
        .order_by("-score", "candidate_id")
        .values_list("pk", "review_status", "is_flagged", "decidable", "visible")
    )
    hidden = 0
    for pk, status, flagged, decidable, shown in rows:
        if not shown:
            hidden += 1
            continue
        counts["all"] += 1
        if status in counts:
            counts[status] += 1
        if flagged:
            counts["flagged"] += 1
        if decidable:
            decidable_ids.append(pk)
    return {"counts": counts, "hidden": hidden, "decidable_ids": decidable_ids}


def shortlist_summary(*, vacancy: Vacancy) -> ShortlistSummary | None:
    """What the worker saw for this vacancy: candidates scored, eligible, left out per reason."""
    return ShortlistSummary.objects.filter(vacancy=vacancy).first()


def hidden_match_count(*, user: User, vacancy: Vacancy) -> int:
    """Matches on the shortlist this caseworker does not see (other services, no cross-border consent)."""
    everyone = Match.objects.filter(vacancy=vacancy)
    return everyone.count() - Match.objects.for_caseworker(user).filter(vacancy=vacancy).count()


def candidates_addable_by_hand(*, user: User, vacancy: Vacancy, query: str, limit: int = 20) -> list:
    """Candidates a caseworker may add to this shortlist by hand, found by name or e-mail:
    those they may see (``matching.services.candidate_visible_q``: own service or cross-border
    consent, matching consent only), not on the shortlist yet. One query."""
    query = query.strip()
    if len(query) < 2:
        return []
    words = Q()
    for word in query.split()[:4]:
        words &= (
            Q(user__first_name__icontains=word) | Q(user__last_name__icontains=word) | Q(user__email__icontains=word)
        )
    return list(
        Candidate.objects.filter(candidate_visible_q(user), words)
        .exclude(matches__vacancy=vacancy)
        .select_related("user", "home_place", "employment_service")
        .order_by("user__last_name", "user__first_name", "pk")[:limit]
    )


def match_get_for_caseworker(*, user: User, pk: int) -> Match:
    match = (
        matches_openable_by_caseworker(user=user)
        .select_related(
            "vacancy__place",
            "vacancy__employer",
            "vacancy__occupation",
            "candidate__user",
            "candidate__home_place",
            "candidate__employment_service",
            "reviewer",
        )
        .prefetch_related(
            *_candidate_prefetches(),
            "candidate__desired_occupations",
            "vacancy__essential_skills",
            "vacancy__optional_skills",
            "vacancy__languages",
            Prefetch("decisions", queryset=MatchDecision.objects.select_related("reviewer").order_by("at", "id")),
        )
    )
    return with_decidable(match, user).get(pk=pk)


# --- the jobseeker's matches --------------------------------------------------------------------


def match_list_for_candidate(*, candidate_id: int | None) -> QuerySet[Match]:
    """Approved matches of one candidate, with what “My matches” shows, in a fixed number of queries."""
    if candidate_id is None:
        return Match.objects.none()
    return (
        Match.objects.for_candidate(candidate_id)
        .select_related("vacancy__employer", "vacancy__place", "vacancy__occupation", "candidate__home_place")
        .prefetch_related("vacancy__essential_skills", "vacancy__optional_skills", "candidate__desired_occupations")
        .order_by("-reviewed_at", "-score", "pk")
    )


# --- the employer's shortlist -----------------------------------------------------------------


def shortlist_for_employer(*, employer_id: int | None, vacancy: Vacancy) -> QuerySet[Match]:
    """Approved by a caseworker AND accepted by the candidate: nothing about anyone else."""
    if employer_id is None:
        return Match.objects.none()
    return (
        Match.objects.for_employer(employer_id)
        .filter(vacancy=vacancy)
        .select_related("vacancy__place", "vacancy__occupation", "candidate__user", "candidate__home_place")
        .prefetch_related(*_candidate_prefetches(), "candidate__experiences__occupation")
        .order_by("-score", "candidate_id")
    )


def employer_vacancy_for_shortlist(*, employer_id: int | None, pk: int) -> Vacancy:
    if employer_id is None:
        raise Vacancy.DoesNotExist
    return Vacancy.objects.of_employer(employer_id).with_details().prefetch_related("essential_skills").get(pk=pk)


# --- rebuild progress -----------------------------------------------------------------------


def rebuild_latest() -> RebuildRun | None:
    return RebuildRun.objects.order_by("-started_at", "-pk").first()


# --- transparency: what a jobseeker may see of their scoring, requests for human review ----------


def match_list_scored_for_candidate(*, candidate_id: int | None) -> QuerySet[Match]:
    """Every stored match of one candidate (proposed, approved, rejected): the vacancies where they
    were scored and kept, for their own explanation pages (``Match.candidate_id`` is the scope)."""
    if candidate_id is None:
        return Match.objects.none()
    return (
        Match.objects.filter(candidate_id=candidate_id)
        .select_related("vacancy__employer", "vacancy__place", "vacancy__occupation", "candidate__home_place")
        .prefetch_related("vacancy__essential_skills", "vacancy__optional_skills", "candidate__desired_occupations")
        .order_by("-updated_at", "-score", "pk")
    )


def review_requests_of_candidate(*, candidate_id: int | None) -> QuerySet:
    from .models import ReviewRequest

    return ReviewRequest.objects.for_candidate(candidate_id).select_related("vacancy").order_by("-created_at", "-pk")


def review_requests_for_caseworker(*, user: User, open_only: bool = True) -> QuerySet:
    """The requests for human review this caseworker answers (the candidate's service; admins all),
    oldest first, with what the queue shows (fixed number of queries)."""
    from .models import ReviewRequest

    requests = ReviewRequest.objects.for_caseworker(user)
    if open_only:
        requests = requests.open()
    return requests.select_related("candidate__user", "candidate__employment_service", "vacancy__employer").order_by(
        "created_at", "pk"
    )


def review_request_get_for_caseworker(*, user: User, pk: int):
    return review_requests_for_caseworker(user=user, open_only=False).select_related("answered_by", "match").get(pk=pk)
