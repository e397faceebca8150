"""Seeding through COPY (PostgreSQL): the same rows as the portable bulk_create writer, the same
region for the same seed, valid keys, search documents built, sequences moved past the rows."""

import re
from io import StringIO

import numpy as np
import pytest
from django.core.management import call_command
from django.db import connection, models

from accounts.models import Employer, Role, User
from candidates.models import Candidate, CandidateDiploma, CandidateLanguage
from demo.copy import ids_reserve, rows_write
from demo.services import DEMO_EMAIL_PREFIX, demo_region_seed
from taxonomy.models import Occupation, Place, Skill
from tests.factories import EmployerFactory
from vacancies.models import Vacancy, VacancyLanguage, VacancyStatus
from vacancies.search import search_vacancies

pytestmark = pytest.mark.django_db

SEEDED = [
    User,
    Employer,
    Vacancy,
    Vacancy.essential_skills.through,
    Vacancy.optional_skills.through,
    VacancyLanguage,
    Candidate,
    CandidateDiploma,
    CandidateLanguage,
    Candidate.skills.through,
    Candidate.desired_occupations.through,
]

# A row's identity across two databases: its natural key, not its id (the sequences move on).
NATURAL_KEYS = {User: "email", Employer: "legal_name", Vacancy: "reference", Candidate: "user__email"}


def _comparable_columns(model) -> list[tuple[str, bool]]:
    """(lookup, only whether set) per column: foreign keys as the natural key of the row pointed
    at; the clock's columns (now, created_at) only as set or not; the search vector left out
    (built from the search text, which is compared)."""
    columns = []
    for field in model._meta.local_concrete_fields:
        if field.primary_key or field.name == "search_vector":
            continue
        if isinstance(field, models.ForeignKey) and field.related_model in NATURAL_KEYS:
            columns.append((f"{field.name}__{NATURAL_KEYS[field.related_model]}", False))
        else:
            columns.append((field.attname, isinstance(field, models.DateTimeField)))
    return columns


def _region() -> dict[str, list[tuple]]:
    """The seeded rows of every table, in id order (the order the seeder wrote them)."""
    region = {}
    for model in SEEDED:
        queryset = model.objects.order_by("pk")
        if model is User:
            queryset = queryset.filter(email__startswith=DEMO_EMAIL_PREFIX)
        columns = _comparable_columns(model)
        region[model._meta.label] = [
            tuple(value is None if only_set else value for value, (_, only_set) in zip(row, columns))
            for row in queryset.values_list(*[lookup for lookup, _ in columns])
        ]
    return region


def _clear_region() -> None:
    Candidate.objects.all().delete()
    User.objects.filter(email__startswith=DEMO_EMAIL_PREFIX).delete()
    Vacancy.objects.all().delete()
    Employer.objects.all().delete()


def test_copy_writes_the_same_region_as_bulk_create_and_the_same_for_the_same_seed():
    demo_region_seed(candidates=300, vacancies=40, employers=5, seed=7, use_copy=False)
    by_orm = _region()
    _clear_region()
    demo_region_seed(candidates=300, vacancies=40, employers=5, seed=7, use_copy=True)
    by_copy = _region()
    _clear_region()
    demo_region_seed(candidates=300, vacancies=40, employers=5, seed=7, use_copy=True)
    again = _region()
    assert by_copy == by_orm
    assert again == by_copy
    counts = {label: len(rows) for label, rows in by_copy.items()}
    assert counts["accounts.User"] == counts["candidates.Candidate"] == 300
    assert counts["vacancies.Vacancy"] == 40
    assert counts["accounts.Employer"] == 5
    assert counts["candidates.CandidateLanguage"] >= 300  # Dutch for everybody, more for many
    assert counts["candidates.Candidate_skills"] > 300
    assert 300 <= counts["candidates.Candidate_desired_occupations"] <= 600
    assert 40 <= counts["vacancies.Vacancy_essential_skills"] <= 40 * 4

    demo_region_seed(candidates=300, vacancies=40, employers=5, seed=8, use_copy=True)
    other = _region()["candidates.Candidate"][300:]
    assert [row[1:] for row in other] != [row[1:] for row in by_copy["candidates.Candidate"]]  # another region


def test_copy_region_has_valid_keys_search_documents_and_sequences_past_its_rows():
    demo_region_seed(candidates=300, vacancies=40, employers=5, seed=3, use_copy=True)
    with connection.cursor() as cursor:
        # Django's foreign keys are deferred to the commit, which a test never reaches: check now.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    assert not Candidate.objects.exclude(user__role=Role.JOBSEEKER).exists()
    assert not Vacancy.objects.filter(employer__isnull=True).exists()

    vacancy = Vacancy.objects.order_by("pk").first()
    assert vacancy.search_text.strip()
    assert vacancy.search_vector
    first_word = vacancy.title.split()[0]
    assert vacancy in search_vacancies(Vacancy.objects.all(), first_word)

    top_user, top_vacancy = User.objects.order_by("-pk").first().pk, Vacancy.objects.order_by("-pk").first().pk
    user = User.objects.create(email="after-the-seed@example.org", role=Role.JOBSEEKER)
    candidate = Candidate.objects.create(user=user, country="NL", home_place=Place.objects.first())
    candidate.skills.add(Skill.objects.first())
    CandidateLanguage.objects.create(candidate=candidate, language="nl", level=4)
    later = Vacancy.objects.create(
        employer=Employer.objects.first(),
        reference="AFTER",
        occupation=Occupation.objects.order_by("pk").first(),
        place=Place.objects.order_by("pk").first(),
        title="Lasser",
        description="Na het zaaien",
        contract_type="permanent",
        hours_per_week=38,
        status=VacancyStatus.DRAFT,
    )
    assert user.pk > top_user
    assert later.pk > top_vacancy


def test_region_has_the_seeders_distribution():
    demo_region_seed(candidates=3000, vacancies=300, employers=10, seed=11, use_copy=True)
    candidates = Candidate.objects.all()
    share = lambda queryset: queryset.count() / candidates.count()  # noqa: E731
    assert 0.89 < share(candidates.filter(consent_matching_at__isnull=False)) < 0.95
    assert 0.01 < share(candidates.filter(home_place__isnull=True)) < 0.05
    assert 0.04 < share(candidates.filter(diplomas__isnull=True)) < 0.09
    assert 0.72 < share(candidates.filter(commute_by_car=True)) < 0.78
    assert set(candidates.values_list("max_commute_minutes", flat=True)) == {20, 30, 45, 60, 75, 90}
    assert CandidateLanguage.objects.filter(language="nl").count() == 3000
    assert 0.67 < CandidateLanguage.objects.filter(language="en").count() / 3000 < 0.73
    # French: mostly in Belgium.
    fr_be = CandidateLanguage.objects.filter(language="fr", candidate__country="BE").count()
    assert 0.55 < fr_be / candidates.filter(country="BE").count() < 0.65
    # Each candidate wants one or two occupations (two for about 40 %).
    desired = Candidate.desired_occupations.through.objects
    assert 0.35 < (desired.count() - 3000) / 3000 < 0.45
    assert not candidates.filter(desired_occupations__isnull=True).exists()

    vacancies = Vacancy.objects.all()
    assert set(vacancies.values_list("status", flat=True)) == {VacancyStatus.PUBLISHED}
    assert set(vacancies.values_list("hours_per_week", flat=True)) == {24, 32, 36, 38, 40}
    assert 0.28 < vacancies.filter(shift_work=True).count() / 300 < 0.42
    totals = []
    for v in vacancies.prefetch_related("essential_skills", "optional_skills"):
        essential, optional = len(v.essential_skills.all()), len(v.optional_skills.all())
        # One or two essential skills from the occupation's core, two to four optional ones from the rest.
        assert 1 <= essential <= 2
        assert optional <= 4
        totals.append(essential + optional)
    assert 3.5 < sum(totals) / len(totals) < 6.0  # fewer only for occupations with few skills
    reference_numbers = sorted(int(r.rsplit("-", 1)[1]) for r in vacancies.values_list("reference", flat=True))
    assert reference_numbers == list(range(300))


def test_rows_write_defaults_escaping_and_reserved_ids():
    place = Place.objects.order_by("pk").first()
    employer = EmployerFactory()
    occupation = Occupation.objects.order_by("pk").first()
    ids = ids_reserve(Vacancy, 2)
    assert ids[1] == ids[0] + 1
    awkward = "Tab\there, new\nline, back\\slash, carriage\rreturn, ünïcode"
    rows_write(
        Vacancy,
        {
            "id": ids,
            "employer_id": np.array([employer.pk, employer.pk]),
            "occupation_id": [occupation.pk, occupation.pk],
            "place_id": np.array([place.pk, place.pk]),
            "reference": ["ESC-1", "ESC-2"],
            "title": [awkward, "\\N"],
            "description": ["", "x"],
            "contract_type": ["permanent", "temporary"],
            "hours_per_week": np.array([38, 40]),
            "shift_start_times": [["06:00"], []],
            "min_eqf_level": [None, 4],
            "shift_work": np.array([True, False]),
        },
        use_copy=True,
    )
    first, second = Vacancy.objects.filter(pk__in=ids.tolist()).order_by("pk")
    assert first.title == awkward
    assert second.title == "\\N"
    assert first.min_eqf_level is None
    assert second.min_eqf_level == 4
    assert first.shift_start_times == ["06:00"]
    assert second.shift_start_times == []
    assert first.shift_work is True
    assert second.shift_work is False
    # Columns not given: the model's defaults (status draft, openings 1, timestamps set).
    assert first.status == VacancyStatus.DRAFT
    assert first.openings == 1
    assert first.created_at is not None
    assert first.code_suggestions == {}


def test_seed_demo_timing_reports_wall_process_and_backend_cpu():
    out = StringIO()
    call_command("seed_demo", candidates=30, vacancies=5, employers=3, seed=2, no_rematch=True, timing=True, stdout=out)
    line = next(line for line in out.getvalue().splitlines() if line.startswith("Seeding took"))
    assert re.fullmatch(
        r"Seeding took [\d.]+ s wall, [\d.]+ s CPU in this process, [\d.]+ s CPU in the database backend "
        r"\(load average [\d.]+ [\d.]+ [\d.]+\)\.",
        line,
    ), line
    assert Candidate.objects.filter(user__email__startswith=DEMO_EMAIL_PREFIX).count() == 30
