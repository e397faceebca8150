"""Every list endpoint runs a fixed number of queries, whatever the number of rows.

Each endpoint is measured with one row and with several (django_assert_num_queries with the
same exact number both times). A browser session costs two queries (session, user); a token
one (the token with its user, organisation).
"""

import pytest

from applications.models import Application, ApplicationStatusChange
from candidates.models import CandidateDiploma, CandidateLanguage
from matching.models import CandidateResponse, MatchDecision, ReviewStatus
from taxonomy.models import Diploma, IscoGroup, Occupation, Skill
from tests.factories import CandidateFactory, VacancyFactory, service

from .conftest import make_match, published

pytestmark = pytest.mark.django_db


def _get(client, path: str, expected_rows: int | None = None):
    response = client.get(path)
    assert response.status_code == 200, response.content[:500]
    if expected_rows is not None and response["Content-Type"].startswith("application/json"):
        assert len(response.json()["results"]) == expected_rows
    return response


def _more_vacancies(world, n: int = 4):
    vacancies = []
    for _ in range(n):
        vacancy = VacancyFactory(employer=world["employer_a"], occupation=world["occupation"], **published())
        vacancy.essential_skills.set(world["skills"][:2])
        vacancy.optional_skills.set(world["skills"][2:])
        vacancies.append(vacancy)
    return vacancies


def _rich_candidate(**fields):
    candidate = CandidateFactory(**fields)
    CandidateDiploma.objects.create(candidate=candidate, diploma=Diploma.objects.first())
    CandidateLanguage.objects.create(candidate=candidate, language="nl", level=5)
    candidate.skills.set(Skill.objects.all()[:3])
    return candidate


REFERENCE = [
    ("/api/v1/occupations", lambda: f"uri={Occupation.objects.first().uri}", 2),
    ("/api/v1/skills", lambda: f"uri={Skill.objects.first().uri}", 2),
    ("/api/v1/places", lambda: "postcode=9060", 3),  # the postcode filter is a subquery; postcodes prefetched
    ("/api/v1/diplomas", lambda: f"q={Diploma.objects.first().label_en}", 2),
    ("/api/v1/isco-groups", lambda: f"code={IscoGroup.objects.filter(level=4).first().code}", 2),
    ("/api/v1/study-fields", lambda: "is_stem=true", 2),
]


@pytest.mark.parametrize(("path", "one", "queries"), REFERENCE, ids=[r[0] for r in REFERENCE])
def test_reference_lists(world, django_assert_num_queries, path, one, queries):
    client = world.client("anonymous")
    query = one()
    with django_assert_num_queries(queries):  # count, page (places: and their postcodes)
        response = _get(client, f"{path}?{query}")
    assert response.json()["count"] >= 1
    with django_assert_num_queries(queries):
        response = _get(client, f"{path}?page_size=20")
    assert len(response.json()["results"]) > 1


def test_public_vacancies(world, django_assert_num_queries):
    client = world.client("anonymous")
    world["vb_pub"].delete()
    # count, the page's ids, its rows (vacancies.api paginate_queryset), languages, essential
    # skills, optional skills
    with django_assert_num_queries(6):
        _get(client, "/api/v1/vacancies", 1)
    _more_vacancies(world)
    with django_assert_num_queries(6):
        _get(client, "/api/v1/vacancies", 5)
    with django_assert_num_queries(6):
        _get(client, "/api/v1/vacancies?stem=true&country=NL&q=procesoperator", None)


def test_employer_and_moderation_lists(world, django_assert_num_queries):
    employer = world.client("employer_other")  # one vacancy
    # session, user, count, page, languages, essential skills, optional skills
    with django_assert_num_queries(7):
        _get(employer, "/api/v1/vacancies/mine", 1)
    mine = world.client("employer")
    _more_vacancies(world)
    with django_assert_num_queries(7):
        _get(mine, "/api/v1/vacancies/mine", 6)
    caseworker = world.client("caseworker_vdab")
    # a caseworker's session costs one more: its verified two-factor device (accounts/two_factor.py)
    with django_assert_num_queries(7 + 1):
        _get(caseworker, "/api/v1/vacancies/moderation", 1)
    VacancyFactory.create_batch(3, employer=world["employer_c"], status="in_review")
    with django_assert_num_queries(7 + 1):
        _get(caseworker, "/api/v1/vacancies/moderation", 4)


def test_applications(world, django_assert_num_queries):
    jobseeker = world.client("jobseeker")
    # session, user, the candidate's id, count, page, history
    with django_assert_num_queries(6):
        _get(jobseeker, "/api/v1/applications", 1)
    for vacancy in _more_vacancies(world, 3):
        application = Application.objects.create(candidate=world["js1"], vacancy=vacancy, motivation="Graag.")
        ApplicationStatusChange.objects.create(application=application, to_status="received")
    with django_assert_num_queries(6):
        _get(jobseeker, "/api/v1/applications", 4)
    employer = world.client("employer")
    # session, user, count, page, history; the access log (AI Act): chain lock, head, one insert
    with django_assert_num_queries(5 + 3):
        _get(employer, f"/api/v1/applications?vacancy={world['va_pub'].pk}", 1)
    with django_assert_num_queries(5 + 3):
        _get(employer, "/api/v1/applications", 4)
    token = world.client("token_employer")
    _get(token, "/api/v1/me")  # its first use records last_used_at (at most every 5 minutes)
    # token (with its user and organisation), count, page, history; the access log
    with django_assert_num_queries(4 + 3):
        _get(token, "/api/v1/applications", 4)


def test_application_export(world, django_assert_num_queries):
    employer = world.client("employer")
    # session, user, page of applications, diplomas, skills, languages, history is not needed;
    # the export log (AI Act): the candidates' ids, chain lock, head, one insert
    with django_assert_num_queries(7 + 4):
        response = _get(employer, "/api/v1/applications/export")
    assert len(response.content.decode("utf-8-sig").strip().splitlines()) == 2
    for vacancy in _more_vacancies(world, 3):
        Application.objects.create(candidate=_rich_candidate(), vacancy=vacancy, motivation="Graag.")
    with django_assert_num_queries(7 + 4):
        response = _get(employer, "/api/v1/applications/export")
    assert len(response.content.decode("utf-8-sig").strip().splitlines()) == 5


def test_matches(world, django_assert_num_queries):
    caseworker = world.client("caseworker_vdab")  # sees m2, m3
    vacancy = world["vb_pub"]
    # session, user with their service (for the decidable rule), the two-factor device, count, page, diplomas,
    # skills, languages, decisions; the access log (AI Act): chain lock, head, one insert
    with django_assert_num_queries(9 + 3):
        _get(caseworker, f"/api/v1/matches?vacancy={vacancy.pk}", 1)
    for _ in range(4):
        match = make_match(_rich_candidate(employment_service=service("vdab")), vacancy, ReviewStatus.APPROVED)
        MatchDecision.objects.create(match=match, decision="approved", reviewer_service="vdab")
    with django_assert_num_queries(9 + 3):
        _get(caseworker, f"/api/v1/matches?vacancy={vacancy.pk}", 5)
    # no count: a CSV is not paginated; the export log: the candidates' ids, lock, head, insert
    with django_assert_num_queries(8 + 4):
        response = _get(caseworker, "/api/v1/matches/export")
    assert len(response.content.decode("utf-8-sig").strip().splitlines()) == 1 + 5  # the approved ones

    employer = world.client("employer")  # m1, m3
    # session, user, count, page, diplomas, skills, languages; the access log: lock, head, insert
    with django_assert_num_queries(7 + 3):
        _get(employer, f"/api/v1/matches?vacancy={world['va_pub'].pk}&candidate_response=accepted", 2)
    for _ in range(3):
        make_match(_rich_candidate(), world["va_pub"], ReviewStatus.APPROVED, CandidateResponse.ACCEPTED)
    with django_assert_num_queries(7 + 3):
        _get(employer, "/api/v1/matches", 5)
    with django_assert_num_queries(6 + 4):  # the export log: the candidates' ids, lock, head, insert
        _get(employer, "/api/v1/matches/export")

    jobseeker = world.client("jobseeker")
    # session, user, the candidate's id, count, page (the candidate is never shown to themselves)
    with django_assert_num_queries(5):
        _get(jobseeker, "/api/v1/matches", 1)
    for vacancy in _more_vacancies(world, 3):
        make_match(world["js1"], vacancy, ReviewStatus.APPROVED)
    with django_assert_num_queries(5):
        _get(jobseeker, "/api/v1/matches", 4)


def test_feeds(world, django_assert_num_queries):
    """vacancies, languages, essential and optional skills, postcodes (for the JobPosting address)."""
    client = world.client("anonymous")
    world["vb_pub"].delete()
    for path, queries in (
        ("/api/v1/feeds/vacancies.rss", 5),
        ("/api/v1/feeds/vacancies.atom", 5),
        ("/api/v1/feeds/vacancies.json", 5),
    ):
        with django_assert_num_queries(queries):
            client.get(path)
    _more_vacancies(world)
    for path, queries in (
        ("/api/v1/feeds/vacancies.rss", 5),
        ("/api/v1/feeds/vacancies.atom", 5),
        ("/api/v1/feeds/vacancies.json", 5),
    ):
        with django_assert_num_queries(queries):
            assert client.get(path).status_code == 200
