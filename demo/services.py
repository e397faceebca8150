"""Seed a believable North Sea Port region: fictional employers, real places, occupations,
skills and diplomas. Deterministic for a given seed; written in bulk so that 100,000
candidates and 10,000 vacancies take minutes, not hours.

The seeder writes rows directly in bulk (not through the per-object services, which would
queue one rematch per row); it asks for one full rematch at the end instead.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import numpy as np
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from accounts.models import Employer, EmploymentService, Role, User
from candidates.models import Candidate, CandidateDiploma, CandidateLanguage
from taxonomy.models import Diploma, Occupation, OccupationSkill, Place, Skill, StudyField
from vacancies.models import ContractType, Vacancy, VacancyLanguage, VacancyStatus
from vacancies.search import vacancy_search_refresh

DEMO_PASSWORD = "nsp-demo-2026"  # printed by `make run`; demo accounts only
DEMO_DOMAIN = "demo.nsp-talent.example"
DEMO_EMAIL_PREFIX = "demo-"

EMPLOYER_NAMES = [
    "Scheldemond Chemie",
    "Kanaalzone Logistics",
    "Sloehaven Terminals",
    "Westerschelde Onderhoud",
    "Zelzate Steelworks",
    "Gentse Haven Energie",
    "Braakman Process Services",
    "Axel Agrifood",
    "Vlissingen Offshore Services",
    "Evergem Bio-Refinery",
    "Terneuzen Tank Storage",
    "Borssele Elektro",
    "Sluiskil Fertilisers",
    "Kluizendok Cargo",
    "Meetjesland Metaal",
    "Zeeland Crane Services",
    "Rodenhuize Recycling",
    "Hulst Automation",
    "Kanaal Gent-Terneuzen Shipping",
    "Ghent Port ICT",
]
EMPLOYER_SUFFIX = {"NL": "B.V.", "BE": "NV"}
PORT_PLACES = ["Vlissingen", "Borssele", "Terneuzen", "Sluiskil", "Axel", "Zelzate", "Evergem", "Gent"]


@dataclass
class SeedReport:
    employers: int
    vacancies: int
    candidates: int
    demo_logins: dict[str, str]


def _kvk(rng: np.random.Generator) -> str:
    return f"{rng.integers(10_000_000, 99_999_999):08d}"


def _kbo(rng: np.random.Generator) -> str:
    base = int(rng.integers(2_000_000, 9_999_999))  # leading 0: 0xxx.xxx.xx
    check = 97 - (base % 97)
    digits = f"0{base:07d}{check:02d}"
    return f"{digits[:4]}.{digits[4:7]}.{digits[7:]}"


def _place_by_name(name: str) -> Place:
    return Place.objects.filter(name=name).order_by("-population").first()


def _ensure_demo_logins() -> dict[str, str]:
    """One login per role, created once and reused; returns email -> role label."""
    password = make_password(DEMO_PASSWORD)
    services = {s.code: s for s in EmploymentService.objects.all()}
    logins: dict[str, str] = {}

    def ensure(email: str, **fields) -> User:
        user, _ = User.objects.get_or_create(email=email, defaults={"password": password, **fields})
        logins[email] = fields["role"]
        return user

    ensure(
        f"admin@{DEMO_DOMAIN}",
        role=Role.ADMIN,
        is_staff=True,
        is_superuser=True,
        first_name="Portal",
        last_name="Admin",
    )
    for code, service in services.items():
        ensure(
            f"caseworker-{code}@{DEMO_DOMAIN}",
            role=Role.CASEWORKER,
            employment_service=service,
            first_name="Caseworker",
            last_name=service.name,
            # The WSP caseworker also coordinates the service: the oversight page and stop button.
            is_coordinator=code == "wsp-zvl",
        )
    employer = Employer.objects.filter(legal_name__startswith=EMPLOYER_NAMES[0]).first()
    if employer:
        ensure(
            f"employer@{DEMO_DOMAIN}", role=Role.EMPLOYER, employer=employer, first_name="Eva", last_name="Werkgever"
        )
    jobseeker = ensure(f"jobseeker@{DEMO_DOMAIN}", role=Role.JOBSEEKER, first_name="Jan", last_name="Zoeker")
    if not hasattr(jobseeker, "candidate"):
        now = timezone.now()
        terneuzen = _place_by_name("Terneuzen")
        candidate = Candidate.objects.create(
            user=jobseeker,
            country="NL",
            home_place=terneuzen,
            postcode="4531 AB",
            employment_service=services.get("wsp-zvl"),
            commute_by_car=True,
            commute_by_public_transport=True,
            max_commute_minutes=60,
            hours_wanted=38,
            accepts_shift_work=True,
            consent_matching_at=now,
            consent_cross_border_at=now,
        )
        occupation = Occupation.objects.filter(is_stem=True, is_port_relevant=True).order_by("uri").first()
        if occupation:
            candidate.desired_occupations.add(occupation)
            candidate.skills.set(
                Skill.objects.filter(occupation_links__occupation=occupation, is_port_relevant=True).order_by("uri")[:6]
            )
        diploma = Diploma.objects.filter(code="nl-mbo-4").first()
        if diploma:
            CandidateDiploma.objects.create(
                candidate=candidate, diploma=diploma, field=StudyField.objects.filter(code="07").first(), year=2015
            )
        CandidateLanguage.objects.bulk_create(
            [
                CandidateLanguage(candidate=candidate, language="nl", level=6),
                CandidateLanguage(candidate=candidate, language="en", level=4),
            ]
        )
    return logins


@dataclass
class _Reference:
    """The reference data the region is drawn from, read once."""

    places: list[Place]
    place_weights: np.ndarray  # by population: more candidates live in the towns
    occupations: list[Occupation]
    occupation_skills: dict[int, list[int]]  # occupation id -> its ESCO skill ids
    all_skill_ids: np.ndarray
    diplomas_by_country: dict[str, list[Diploma]]  # "XX": the diplomas of other countries
    fields: list[StudyField]
    services: dict[str, EmploymentService]


@dataclass
class _Clock:
    now: datetime
    today: date


def _reference_read() -> _Reference:
    places = list(Place.objects.order_by("geonames_id"))
    if not places:
        raise RuntimeError("Load the reference data first: python manage.py load_reference_data")
    population = np.array([max(p.population, 200) for p in places], dtype=float)
    # The demo region is a port region: its jobs and people come from the port-relevant subset of
    # ESCO (the curated occupations and skills), as before the whole vocabulary was loaded.
    occupation_skills: dict[int, list[int]] = {}
    port_links = OccupationSkill.objects.filter(occupation__is_port_relevant=True, skill__is_port_relevant=True)
    for occupation_id, skill_id in port_links.order_by("occupation_id", "skill_id").values_list(
        "occupation_id", "skill_id"
    ):
        occupation_skills.setdefault(occupation_id, []).append(skill_id)
    return _Reference(
        places=places,
        place_weights=population / population.sum(),
        occupations=list(Occupation.objects.filter(is_port_relevant=True).order_by("uri")),
        occupation_skills=occupation_skills,
        all_skill_ids=np.array(sorted(Skill.objects.filter(is_port_relevant=True).values_list("id", flat=True))),
        diplomas_by_country={
            c: list(Diploma.objects.for_country(c).order_by("sort_order")) for c in ("NL", "BE", "XX")
        },
        fields=list(StudyField.objects.order_by("code")),
        services={s.code: s for s in EmploymentService.objects.all()},
    )


# --- employers and vacancies ------------------------------------------------------------------


def _employer_row(rng: np.random.Generator, n: int, port_places: list[Place], now: datetime) -> Employer:
    """The n-th employer: a name from the list (numbered once the list runs out) at a port place."""
    place = port_places[n % len(port_places)]
    name = EMPLOYER_NAMES[n % len(EMPLOYER_NAMES)] + (
        "" if n < len(EMPLOYER_NAMES) else f" {n // len(EMPLOYER_NAMES) + 1}"
    )
    country = place.country
    return Employer(
        legal_name=f"{name} {EMPLOYER_SUFFIX[country]}",
        country=country,
        place=place,
        kvk_number=_kvk(rng) if country == "NL" else "",
        enterprise_number=_kbo(rng) if country == "BE" else "",
        is_verified=n % 5 != 4,
        verified_at=now if n % 5 != 4 else None,
    )


def _seed_employers(rng: np.random.Generator, employers: int, now: datetime) -> list[Employer]:
    """Employers at the port's real places, up to ``employers`` in all; returns every employer."""
    port_places = [p for name in PORT_PLACES if (p := _place_by_name(name))]
    existing = Employer.objects.count()
    Employer.objects.bulk_create(
        [_employer_row(rng, existing + i, port_places, now) for i in range(max(0, employers - existing))]
    )
    return list(Employer.objects.order_by("id"))


def _vacancy_row(
    rng: np.random.Generator, reference: str, occupation: Occupation, employer: Employer, clock: _Clock
) -> Vacancy:
    """A published vacancy whose requirements fit the occupation (higher EQF for ISCO groups 1-3)."""
    is_high = occupation.isco_group.code[0] in "123"
    min_eqf = int(rng.choice([0, 2, 3, 4])) if not is_high else int(rng.choice([5, 6, 6, 7]))
    shift_draw = rng.random()  # one draw, as before start times existed: the seeded data stay the same
    return Vacancy(
        employer=employer,
        reference=reference,
        title=_capitalised(occupation.label_nl or occupation.label_en),
        description=f"{occupation.label_nl} bij {employer.legal_name}. {occupation.label_en} in the North Sea Port.",
        occupation=occupation,
        is_stem=occupation.is_stem,
        min_eqf_level=min_eqf or None,
        requires_min_secondary=bool(rng.random() < 0.4),
        place=employer.place,
        contract_type=str(rng.choice([c.value for c in ContractType][:3])),
        hours_per_week=int(rng.choice([24, 32, 36, 38, 40])),
        shift_work=bool(shift_draw < 0.35),
        shift_start_times=_demo_shift_starts(shift_draw),
        openings=int(rng.integers(1, 4)),
        status=VacancyStatus.PUBLISHED,
        published_at=clock.now - timedelta(days=int(rng.integers(0, 30))),
        expires_at=clock.now + timedelta(days=int(rng.integers(10, 60))),
        start_date=clock.today + timedelta(days=int(rng.integers(7, 90))) if rng.random() < 0.5 else None,
    )


# Assumption (no single source): the usual port patterns, a continuous three-shift roster
# (early 06:00, late 14:00, night 22:00) and a two-shift one (early and late).
THREE_SHIFTS = ["06:00", "14:00", "22:00"]
TWO_SHIFTS = ["06:00", "14:00"]


def _demo_shift_starts(shift_draw: float) -> list[str]:
    """Start times of a seeded shift vacancy (none for day jobs): about 4 in 7 three shifts."""
    if shift_draw >= 0.35:
        return []
    return list(THREE_SHIFTS if shift_draw < 0.2 else TWO_SHIFTS)


def _vacancy_skill_choice(rng: np.random.Generator, skills: list[int]) -> tuple[list, list]:
    """(essential, optional): three to six of the occupation's skills, about 60 % essential."""
    k = min(len(skills), int(rng.integers(3, 7)))
    chosen = list(rng.choice(skills, size=k, replace=False)) if k else []
    n_essential = max(1, int(k * 0.6)) if k else 0
    return chosen[:n_essential], chosen[n_essential:]


def _seed_vacancy_skills(rows: list[Vacancy], skills: list[tuple[list, list]]) -> None:
    essential_through = Vacancy.essential_skills.through
    optional_through = Vacancy.optional_skills.through
    essential_through.objects.bulk_create(
        [essential_through(vacancy_id=v.id, skill_id=int(s)) for v, (ess, _) in zip(rows, skills) for s in ess],
        batch_size=5000,
    )
    optional_through.objects.bulk_create(
        [optional_through(vacancy_id=v.id, skill_id=int(s)) for v, (_, opt) in zip(rows, skills) for s in opt],
        batch_size=5000,
    )


def _seed_vacancy_languages(rng: np.random.Generator, rows: list[Vacancy]) -> None:
    """Mostly Dutch asked, sometimes English."""
    language_rows = []
    for v in rows:
        if rng.random() < 0.8:
            language_rows.append(VacancyLanguage(vacancy_id=v.id, language="nl", min_level=int(rng.choice([2, 3, 4]))))
        if rng.random() < 0.3:
            language_rows.append(VacancyLanguage(vacancy_id=v.id, language="en", min_level=int(rng.choice([2, 3, 4]))))
    VacancyLanguage.objects.bulk_create(language_rows, batch_size=5000)


def _seed_vacancies(
    rng: np.random.Generator, ref: _Reference, employers: list[Employer], vacancies: int, seed: int, clock: _Clock
) -> list[Vacancy]:
    """Vacancies: an occupation, its typical skills, requirements that fit the occupation."""
    rows, skills = [], []
    occ_idx = rng.integers(0, len(ref.occupations), size=vacancies)
    emp_idx = rng.integers(0, len(employers), size=vacancies)
    for i in range(vacancies):
        occupation = ref.occupations[occ_idx[i]]
        chosen = _vacancy_skill_choice(rng, ref.occupation_skills.get(occupation.id, []))
        rows.append(_vacancy_row(rng, f"DEMO-{seed}-{i:06d}", occupation, employers[emp_idx[i]], clock))
        skills.append(chosen)
    Vacancy.objects.bulk_create(rows, batch_size=2000)
    _seed_vacancy_skills(rows, skills)
    _seed_vacancy_languages(rng, rows)
    # bulk_create sends no signal: build the stored search documents here (vacancies/search.py).
    vacancy_search_refresh(vacancy_ids=[row.pk for row in rows])
    return rows


# --- candidates -------------------------------------------------------------------------------


def _seed_users(candidates: int, start_index: int) -> list[User]:
    """Jobseeker users without a usable password, numbered after the demo users already there."""
    users = [
        User(
            email=f"{DEMO_EMAIL_PREFIX}{start_index + i:07d}@{DEMO_DOMAIN}",
            password="!",
            role=Role.JOBSEEKER,
            first_name="Demo",
            last_name=f"Kandidaat {start_index + i}",
        )
        for i in range(candidates)
    ]
    User.objects.bulk_create(users, batch_size=5000)
    return users


def _service_code(place: Place) -> str:
    """The employment service of a home place: VDAB in Flanders, WSP Zeeuws-Vlaanderen south of the Scheldt."""
    if place.country == "BE":
        return "vdab"
    return "wsp-zvl" if place.bank == "south" else "uwv"


def _seed_candidates(
    rng: np.random.Generator, ref: _Reference, candidates: int, start_index: int, clock: _Clock
) -> list[Candidate]:
    """Candidates: users first, then their profiles (home, commute, hours, consents)."""
    place_idx = rng.choice(len(ref.places), size=candidates, p=ref.place_weights)
    users = _seed_users(candidates, start_index)
    mode = rng.random((candidates, 3)) < np.array([0.75, 0.35, 0.3])
    missing_place = rng.random(candidates) < 0.03
    consent = rng.random(candidates) < 0.92
    cross = rng.random(candidates) < 0.55
    max_minutes = rng.choice([20, 30, 45, 60, 75, 90], size=candidates)
    rows = []
    for i, user in enumerate(users):
        place = ref.places[place_idx[i]]
        rows.append(
            Candidate(
                user=user,
                country=place.country,
                home_place=None if missing_place[i] else place,
                employment_service=ref.services.get(_service_code(place)),
                commute_by_car=bool(mode[i, 0]),
                commute_by_bike=bool(mode[i, 1]),
                commute_by_public_transport=bool(mode[i, 2]),
                max_commute_minutes=int(max_minutes[i]),
                available_from=clock.today + timedelta(days=int(rng.integers(-30, 60))) if rng.random() < 0.6 else None,
                hours_wanted=int(rng.choice([24, 32, 36, 38, 40])),
                accepts_shift_work=bool(rng.random() < 0.5),
                consent_matching_at=clock.now if consent[i] else None,
                consent_cross_border_at=clock.now if cross[i] else None,
            )
        )
    Candidate.objects.bulk_create(rows, batch_size=5000)
    return rows


@dataclass
class _ProfileRows:
    diplomas: list = field(default_factory=list)
    languages: list = field(default_factory=list)
    skills: list = field(default_factory=list)
    desired: list = field(default_factory=list)


def _candidate_diploma(
    rng: np.random.Generator, ref: _Reference, candidate: Candidate, country: str
) -> CandidateDiploma | None:
    """A diploma of the candidate's country, skewed towards the lower half of its list."""
    options = ref.diplomas_by_country[country]
    if not options:
        return None
    diploma = options[min(len(options) - 1, int(rng.triangular(0, len(options) * 0.45, len(options))))]
    return CandidateDiploma(
        candidate_id=candidate.id,
        diploma=diploma,
        field=ref.fields[int(rng.integers(0, len(ref.fields)))],
        year=int(rng.integers(1985, 2026)),
    )


def _candidate_languages(rng: np.random.Generator, candidate: Candidate, country: str) -> list[CandidateLanguage]:
    """Dutch always; English often; French mostly in Belgium; German now and then."""
    languages = [CandidateLanguage(candidate_id=candidate.id, language="nl", level=int(rng.choice([4, 5, 6, 6])))]
    if rng.random() < 0.7:
        languages.append(CandidateLanguage(candidate_id=candidate.id, language="en", level=int(rng.integers(1, 6))))
    if rng.random() < (0.6 if country == "BE" else 0.15):
        languages.append(CandidateLanguage(candidate_id=candidate.id, language="fr", level=int(rng.integers(1, 6))))
    if rng.random() < 0.2:
        languages.append(CandidateLanguage(candidate_id=candidate.id, language="de", level=int(rng.integers(1, 5))))
    return languages


def _candidate_skills(rng: np.random.Generator, ref: _Reference, wanted: set[int]) -> set[int]:
    """Some skills of the occupations wanted, plus up to two at random; a few candidates list none."""
    pool = [s for o in wanted for s in ref.occupation_skills.get(o, [])]
    if not (pool and rng.random() > 0.04):
        return set()
    k = min(len(pool), int(rng.integers(2, 9)))
    own = {int(s) for s in rng.choice(pool, size=k, replace=False)}
    own.update(int(s) for s in rng.choice(ref.all_skill_ids, size=int(rng.integers(0, 3))))
    return own


def _seed_profiles(rng: np.random.Generator, ref: _Reference, candidates: list[Candidate]) -> None:
    """Each candidate's diploma (a few have none), languages, desired occupations and skills."""
    rows = _ProfileRows()
    skills_through = Candidate.skills.through
    desired_through = Candidate.desired_occupations.through
    cand_occ = rng.integers(0, len(ref.occupations), size=(len(candidates), 2))
    no_diploma = rng.random(len(candidates)) < 0.06
    for i, candidate in enumerate(candidates):
        country = candidate.country if candidate.country in ("NL", "BE") else "XX"
        diploma = None if no_diploma[i] else _candidate_diploma(rng, ref, candidate, country)
        if diploma is not None:
            rows.diplomas.append(diploma)
        rows.languages.extend(_candidate_languages(rng, candidate, country))
        wanted = {ref.occupations[cand_occ[i, 0]].id}
        if rng.random() < 0.4:
            wanted.add(ref.occupations[cand_occ[i, 1]].id)
        rows.desired.extend(desired_through(candidate_id=candidate.id, occupation_id=o) for o in wanted)
        own = _candidate_skills(rng, ref, wanted)
        rows.skills.extend(skills_through(candidate_id=candidate.id, skill_id=s) for s in own)
    CandidateDiploma.objects.bulk_create(rows.diplomas, batch_size=5000)
    CandidateLanguage.objects.bulk_create(rows.languages, batch_size=5000)
    skills_through.objects.bulk_create(rows.skills, batch_size=10000)
    desired_through.objects.bulk_create(rows.desired, batch_size=10000)


@transaction.atomic
def demo_region_seed(*, candidates: int, vacancies: int, employers: int = 20, seed: int = 1) -> SeedReport:
    """Add a synthetic region of the given size to the database (reference data must be loaded).

    One random generator feeds every step in turn, so the steps' order is part of the result.
    """
    rng = np.random.default_rng(seed)
    clock = _Clock(now=timezone.now(), today=date.today())
    ref = _reference_read()
    start_index = User.objects.filter(email__startswith=DEMO_EMAIL_PREFIX).count()
    employer_list = _seed_employers(rng, employers, clock.now)
    vacancy_rows = _seed_vacancies(rng, ref, employer_list, vacancies, seed, clock)
    candidate_rows = _seed_candidates(rng, ref, candidates, start_index, clock)
    _seed_profiles(rng, ref, candidate_rows)
    return SeedReport(
        employers=len(employer_list), vacancies=len(vacancy_rows), candidates=len(candidate_rows), demo_logins={}
    )


def demo_logins_ensure() -> dict[str, str]:
    return _ensure_demo_logins()


def _capitalised(label: str) -> str:
    return label[:1].upper() + label[1:]
