"""Seed a believable North Sea Port region: fictional employers, real places, occupations,
skills and diplomas. Deterministic for a given seed. Each step draws its numbers for all rows
at once (numpy) and writes them with PostgreSQL's COPY (demo/copy.py; bulk_create on SQLite),
so that 100,000 candidates and 10,000 vacancies take seconds of Python CPU (docs/performance.md,
"Seeding").

The seeder writes rows directly in bulk (not through the per-object services, which would
queue one rematch per row); it asks for one full rematch at the end instead.
"""

from dataclasses import dataclass
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

from .copy import ids_reserve, rows_write

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
    """The reference data the region is drawn from, read once, as arrays for the vectorised draws."""

    places: list[Place]
    place_weights: np.ndarray  # by population: more candidates live in the towns
    occupations: list[Occupation]
    occupation_skills: np.ndarray  # (occupation index, k): its ESCO skill ids, padded with 0
    occupation_skill_counts: np.ndarray  # (occupation index,): how many of the row are real
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
    occupations = list(Occupation.objects.filter(is_port_relevant=True).order_by("uri"))
    # The demo region is a port region: its jobs and people come from the port-relevant subset of
    # ESCO (the curated occupations and skills), as before the whole vocabulary was loaded.
    skills_of: dict[int, list[int]] = {}
    port_links = OccupationSkill.objects.filter(occupation__is_port_relevant=True, skill__is_port_relevant=True)
    for occupation_id, skill_id in port_links.order_by("occupation_id", "skill_id").values_list(
        "occupation_id", "skill_id"
    ):
        skills_of.setdefault(occupation_id, []).append(skill_id)
    counts = np.array([len(skills_of.get(o.id, [])) for o in occupations], dtype=np.int64)
    matrix = np.zeros((len(occupations), max(1, int(counts.max(initial=0)))), dtype=np.int64)
    for row, occupation in enumerate(occupations):
        matrix[row, : counts[row]] = skills_of.get(occupation.id, [])
    return _Reference(
        places=places,
        place_weights=population / population.sum(),
        occupations=occupations,
        occupation_skills=matrix,
        occupation_skill_counts=counts,
        all_skill_ids=np.array(sorted(Skill.objects.filter(is_port_relevant=True).values_list("id", flat=True))),
        diplomas_by_country={
            c: list(Diploma.objects.for_country(c).order_by("sort_order")) for c in ("NL", "BE", "XX")
        },
        fields=list(StudyField.objects.order_by("code")),
        services={s.code: s for s in EmploymentService.objects.all()},
    )


def _sample_without_replacement(
    rng: np.random.Generator, pools: np.ndarray, pool_sizes: np.ndarray, k: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Per row, k[row] distinct positions of pools[row, :pool_sizes[row]], all rows in one go.

    Random keys sorted per row give a uniform random order; padding sorts last. Returns the
    (rows, width) chosen values and a mask of the taken ones (the first k[row] of each row).
    """
    width = int(k.max(initial=0))
    if width == 0 or pools.shape[1] == 0:
        return np.zeros((len(k), 0), dtype=pools.dtype), np.zeros((len(k), 0), dtype=bool)
    keys = rng.random(pools.shape)
    keys[np.arange(pools.shape[1]) >= pool_sizes[:, None]] = 2.0
    order = np.argsort(keys, axis=1, kind="stable")[:, :width]
    chosen = np.take_along_axis(pools, order, axis=1)
    taken = np.arange(chosen.shape[1]) < k[:, None]
    return chosen, taken


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
    """Employers at the port's real places, up to ``employers`` in all; returns every employer.

    A handful of rows: written through the ORM on every database."""
    port_places = [p for name in PORT_PLACES if (p := _place_by_name(name))]
    existing = Employer.objects.count()
    Employer.objects.bulk_create(
        [_employer_row(rng, existing + i, port_places, now) for i in range(max(0, employers - existing))]
    )
    return list(Employer.objects.order_by("id"))


# Assumption (no single source): the usual port patterns, a continuous three-shift roster
# (early 06:00, late 14:00, night 22:00) and a two-shift one (early and late).
THREE_SHIFTS = ["06:00", "14:00", "22:00"]
TWO_SHIFTS = ["06:00", "14:00"]


def _demo_shift_starts(shift_draw: float) -> list[str]:
    """Start times of a seeded shift vacancy (none for day jobs): about 4 in 7 three shifts."""
    if shift_draw >= 0.35:
        return []
    return list(THREE_SHIFTS if shift_draw < 0.2 else TWO_SHIFTS)


def _days_after(start, offsets: np.ndarray, present: np.ndarray | None = None) -> list:
    """start + offset days per row (None where not present), each distinct day computed once."""
    by_offset = {int(d): start + timedelta(days=int(d)) for d in np.unique(offsets)}
    if present is None:
        return [by_offset[d] for d in offsets.tolist()]
    return [by_offset[d] if p else None for d, p in zip(offsets.tolist(), present.tolist())]


def _seed_vacancies(
    rng: np.random.Generator,
    ref: _Reference,
    employers: list[Employer],
    vacancies: int,
    seed: int,
    clock: _Clock,
    use_copy: bool | None,
) -> np.ndarray:
    """Vacancies: an occupation, one or two of its core skills essential and two to four others optional, requirements
    that fit the occupation (higher EQF for ISCO groups 1-3). Returns their ids."""
    n = vacancies
    occ_idx = rng.integers(0, len(ref.occupations), size=n)
    emp_idx = rng.integers(0, len(employers), size=n)
    counts = ref.occupation_skill_counts[occ_idx]
    # Essential skills come from the occupation's core (its first CORE_SKILLS skills), which most
    # people trained for it hold; optional ones from the rest. Drawn at random from the whole list,
    # hardly any candidate would hold every essential skill and shortlists would stay empty now
    # that essential skills are a hard filter (assumption: a plausible demo world, not a statistic).
    skills = ref.occupation_skills[occ_idx]
    core_sizes = np.minimum(counts, CORE_SKILLS)
    n_essential = np.minimum(core_sizes, rng.integers(1, 3, size=n))
    core, core_taken = _sample_without_replacement(rng, skills[:, :CORE_SKILLS], core_sizes, n_essential)
    rest_sizes = np.maximum(counts - CORE_SKILLS, 0)
    n_optional = np.minimum(rest_sizes, rng.integers(2, 5, size=n))
    rest, rest_taken = _sample_without_replacement(rng, skills[:, CORE_SKILLS:], rest_sizes, n_optional)
    chosen = np.concatenate([core, rest], axis=1)
    essential = np.concatenate([core_taken, np.zeros_like(rest_taken)], axis=1)
    optional = np.concatenate([np.zeros_like(core_taken), rest_taken], axis=1)

    is_high = np.array([o.isco_group.code[0] in "123" for o in ref.occupations], dtype=bool)[occ_idx]
    min_eqf = np.where(is_high, rng.choice([5, 6, 6, 7], size=n), rng.choice([0, 2, 3, 4], size=n))
    requires_min_secondary = rng.random(n) < 0.4
    contract_type = rng.choice([c.value for c in ContractType][:3], size=n)
    hours = rng.choice([24, 32, 36, 38, 40], size=n)
    shift_draw = rng.random(n)
    openings = rng.integers(1, 4, size=n)
    published_days = rng.integers(0, 30, size=n)
    expires_days = rng.integers(10, 60, size=n)
    start_days = rng.integers(7, 90, size=n)
    has_start = rng.random(n) < 0.5
    nl_asked, nl_level = rng.random(n) < 0.8, rng.choice([2, 3, 4], size=n)  # mostly Dutch asked
    en_asked, en_level = rng.random(n) < 0.3, rng.choice([2, 3, 4], size=n)  # sometimes English

    ids = ids_reserve(Vacancy, n)
    occupation_ids = np.array([o.id for o in ref.occupations], dtype=np.int64)
    titles = [_capitalised(o.label_nl or o.label_en) for o in ref.occupations]
    occ_list, emp_list = occ_idx.tolist(), emp_idx.tolist()
    rows_write(
        Vacancy,
        {
            "id": ids,
            "employer_id": np.array([e.id for e in employers], dtype=np.int64)[emp_idx],
            "reference": [f"DEMO-{seed}-{i:06d}" for i in range(n)],
            "title": [titles[o] for o in occ_list],
            "description": [
                f"{ref.occupations[o].label_nl} bij {employers[e].legal_name}. "
                f"{ref.occupations[o].label_en} in the North Sea Port."
                for o, e in zip(occ_list, emp_list)
            ],
            "occupation_id": occupation_ids[occ_idx],
            "is_stem": np.array([o.is_stem for o in ref.occupations], dtype=bool)[occ_idx],
            "min_eqf_level": [level or None for level in min_eqf.tolist()],
            "requires_min_secondary": requires_min_secondary,
            "place_id": [employers[e].place_id for e in emp_list],
            "contract_type": contract_type.tolist(),
            "hours_per_week": hours,
            "shift_work": shift_draw < 0.35,
            "shift_start_times": [_demo_shift_starts(d) for d in shift_draw.tolist()],
            "openings": openings,
            "status": [VacancyStatus.PUBLISHED.value] * n,
            "published_at": _days_after(clock.now, -published_days),
            "expires_at": _days_after(clock.now, expires_days),
            "start_date": _days_after(clock.today, start_days, has_start),
        },
        use_copy=use_copy,
    )
    row_of = np.broadcast_to(ids[:, None], chosen.shape)
    for through, mask in ((Vacancy.essential_skills.through, essential), (Vacancy.optional_skills.through, optional)):
        rows_write(through, {"vacancy_id": row_of[mask], "skill_id": chosen[mask]}, use_copy=use_copy)
    # Per vacancy: Dutch first, then English (the rows' order as before).
    language_ids = np.concatenate([ids[nl_asked], ids[en_asked]])
    order = np.argsort(np.concatenate([np.flatnonzero(nl_asked) * 2, np.flatnonzero(en_asked) * 2 + 1]), kind="stable")
    rows_write(
        VacancyLanguage,
        {
            "vacancy_id": language_ids[order],
            "language": np.array(["nl"] * int(nl_asked.sum()) + ["en"] * int(en_asked.sum()))[order].tolist(),
            "min_level": np.concatenate([nl_level[nl_asked], en_level[en_asked]])[order],
        },
        use_copy=use_copy,
    )
    # Neither COPY nor bulk_create sends a signal: build the stored search documents here
    # (vacancies/search.py), the same documents a saved vacancy gets.
    vacancy_search_refresh(vacancy_ids=ids.tolist())
    return ids


# --- candidates -------------------------------------------------------------------------------


def _service_code(place: Place) -> str:
    """The employment service of a home place: VDAB in Flanders, WSP Zeeuws-Vlaanderen south of the Scheldt."""
    if place.country == "BE":
        return "vdab"
    return "wsp-zvl" if place.bank == "south" else "uwv"


def _seed_candidates(
    rng: np.random.Generator, ref: _Reference, candidates: int, start_index: int, clock: _Clock, use_copy: bool | None
) -> tuple[np.ndarray, np.ndarray]:
    """Jobseeker users (numbered after the demo users already there), then their profiles (home,
    commute, hours, consents). Returns the candidates' ids and their place indexes."""
    n = candidates
    place_idx = rng.choice(len(ref.places), size=n, p=ref.place_weights)
    mode = rng.random((n, 3)) < np.array([0.75, 0.35, 0.3])
    missing_place = rng.random(n) < 0.03
    consent = rng.random(n) < 0.92
    cross = rng.random(n) < 0.55
    max_minutes = rng.choice([20, 30, 45, 60, 75, 90], size=n)
    has_available = rng.random(n) < 0.6
    available_days = rng.integers(-30, 60, size=n)
    hours = rng.choice([24, 32, 36, 38, 40], size=n)
    accepts_shift_work = rng.random(n) < 0.5

    user_ids = ids_reserve(User, n)
    numbers = range(start_index, start_index + n)
    rows_write(
        User,
        {
            "id": user_ids,
            "email": [f"{DEMO_EMAIL_PREFIX}{i:07d}@{DEMO_DOMAIN}" for i in numbers],
            # Unusable password ("!"), as before: the seeded jobseekers are not logins (the demo
            # logins are); so no hash is computed per user.
            "password": ["!"] * n,
            "role": [Role.JOBSEEKER.value] * n,
            "first_name": ["Demo"] * n,
            "last_name": [f"Kandidaat {i}" for i in numbers],
        },
        use_copy=use_copy,
    )
    countries = np.array([p.country for p in ref.places])[place_idx]
    service_of_place = [ref.services.get(_service_code(p)) for p in ref.places]
    service_ids = [s.id if s else None for s in service_of_place]
    place_ids = np.array([p.id for p in ref.places], dtype=np.int64)[place_idx]
    candidate_ids = ids_reserve(Candidate, n)
    rows_write(
        Candidate,
        {
            "id": candidate_ids,
            "user_id": user_ids,
            "country": countries.tolist(),
            "home_place_id": [None if m else p for m, p in zip(missing_place.tolist(), place_ids.tolist())],
            "employment_service_id": [service_ids[i] for i in place_idx.tolist()],
            "commute_by_car": mode[:, 0],
            "commute_by_bike": mode[:, 1],
            "commute_by_public_transport": mode[:, 2],
            "max_commute_minutes": max_minutes,
            "available_from": _days_after(clock.today, available_days, has_available),
            "hours_wanted": hours,
            "accepts_shift_work": accepts_shift_work,
            "consent_matching_at": [clock.now if c else None for c in consent.tolist()],
            "consent_cross_border_at": [clock.now if c else None for c in cross.tolist()],
        },
        use_copy=use_copy,
    )
    return candidate_ids, countries


CORE_SKILLS = 3  # an occupation's first skills: what vacancies require and most candidates hold
CORE_HELD = 0.85  # chance a candidate holds each core skill of an occupation they want (assumption)
SKILL_CHUNK = 20_000  # candidates per draw of skills: bounds the (rows x 2 occupations' skills) key matrix


def _seed_diplomas(rng, ref: _Reference, candidate_ids: np.ndarray, countries: np.ndarray, use_copy) -> None:
    """A diploma of the candidate's country, skewed towards the lower half of its list; a few have none."""
    n = len(candidate_ids)
    no_diploma = rng.random(n) < 0.06
    position = rng.triangular(0, 0.45, 1.0, size=n)  # x len(options) = triangular(0, 0.45 len, len)
    field_idx = rng.integers(0, len(ref.fields), size=n)
    years = rng.integers(1985, 2026, size=n)
    diploma_ids = np.zeros(n, dtype=np.int64)
    for country in ("NL", "BE", "XX"):
        options = np.array([d.id for d in ref.diplomas_by_country[country]], dtype=np.int64)
        rows = np.isin(countries, ["NL", "BE"], invert=True) if country == "XX" else countries == country
        if len(options):
            diploma_ids[rows] = options[np.minimum(len(options) - 1, (position[rows] * len(options)).astype(np.int64))]
    has = ~no_diploma & (diploma_ids > 0)
    field_ids = np.array([f.id for f in ref.fields], dtype=np.int64)
    rows_write(
        CandidateDiploma,
        {
            "candidate_id": candidate_ids[has],
            "diploma_id": diploma_ids[has],
            "field_id": field_ids[field_idx[has]],
            "year": years[has],
        },
        use_copy=use_copy,
    )


def _seed_languages(rng, candidate_ids: np.ndarray, countries: np.ndarray, use_copy) -> None:
    """Dutch always; English often; French mostly in Belgium; German now and then."""
    n = len(candidate_ids)
    spoken = {
        "nl": (np.ones(n, dtype=bool), rng.choice([4, 5, 6, 6], size=n)),
        "en": (rng.random(n) < 0.7, rng.integers(1, 6, size=n)),
        "fr": (rng.random(n) < np.where(countries == "BE", 0.6, 0.15), rng.integers(1, 6, size=n)),
        "de": (rng.random(n) < 0.2, rng.integers(1, 5, size=n)),
    }
    # Rows per candidate in the order nl, en, fr, de.
    rank = np.concatenate([np.flatnonzero(mask) * 4 + i for i, (mask, _) in enumerate(spoken.values())])
    order = np.argsort(rank, kind="stable")
    rows_write(
        CandidateLanguage,
        {
            "candidate_id": np.concatenate([candidate_ids[mask] for mask, _ in spoken.values()])[order],
            "language": np.concatenate([[code] * int(mask.sum()) for code, (mask, _) in spoken.items()])[
                order
            ].tolist(),
            "level": np.concatenate([levels[mask] for mask, levels in spoken.values()])[order],
        },
        use_copy=use_copy,
    )


def _seed_occupations_and_skills(rng, ref: _Reference, candidate_ids: np.ndarray, use_copy) -> None:
    """One or two desired occupations; some skills of the occupations wanted, plus up to two at
    random; a few candidates (and those whose occupations have no port skills) list none."""
    n = len(candidate_ids)
    occupation_ids = np.array([o.id for o in ref.occupations], dtype=np.int64)
    cand_occ = rng.integers(0, len(ref.occupations), size=(n, 2))
    second = (rng.random(n) < 0.4) & (cand_occ[:, 1] != cand_occ[:, 0])
    desired_through = Candidate.desired_occupations.through
    desired = np.concatenate(
        [
            np.stack([candidate_ids, occupation_ids[cand_occ[:, 0]]], axis=1),
            np.stack([candidate_ids[second], occupation_ids[cand_occ[second, 1]]], axis=1),
        ]
    )
    desired = np.unique(desired, axis=0)  # by candidate, then occupation
    rows_write(desired_through, {"candidate_id": desired[:, 0], "occupation_id": desired[:, 1]}, use_copy=use_copy)

    pairs = []
    for start in range(0, n, SKILL_CHUNK):
        rows = slice(start, start + SKILL_CHUNK)
        first, other, with_other = cand_occ[rows, 0], cand_occ[rows, 1], second[rows]
        sizes_first = ref.occupation_skill_counts[first]
        sizes_other = np.where(with_other, ref.occupation_skill_counts[other], 0)
        # The pool: the first occupation's skills, then the second's (a skill of both may come twice).
        width = ref.occupation_skills.shape[1]
        pool = np.concatenate([ref.occupation_skills[first], ref.occupation_skills[other]], axis=1)
        real = np.concatenate(
            [np.arange(width) < sizes_first[:, None], np.arange(width) < sizes_other[:, None]], axis=1
        )
        # Real entries first, so that a row's pool is pool[row, :size].
        packed = np.argsort(~real, axis=1, kind="stable")
        pool = np.take_along_axis(pool, packed, axis=1)
        size = sizes_first + sizes_other
        lists_some = (size > 0) & (rng.random(len(size)) > 0.04)
        k = np.where(lists_some, np.minimum(size, rng.integers(2, 9, size=len(size))), 0)
        chosen, taken = _sample_without_replacement(rng, pool, size, k)
        extra = rng.choice(ref.all_skill_ids, size=(len(size), 2))
        extra_taken = (np.arange(2) < rng.integers(0, 3, size=len(size))[:, None]) & lists_some[:, None]
        ids = candidate_ids[rows]
        pairs.append(np.stack([np.broadcast_to(ids[:, None], chosen.shape)[taken], chosen[taken]], axis=1))
        # The core skills of the occupations wanted, each held with probability CORE_HELD.
        core = np.concatenate(
            [ref.occupation_skills[first, :CORE_SKILLS], ref.occupation_skills[other, :CORE_SKILLS]], axis=1
        )
        core_real = np.concatenate(
            [
                np.arange(CORE_SKILLS) < np.minimum(sizes_first, CORE_SKILLS)[:, None],
                np.arange(CORE_SKILLS) < np.minimum(sizes_other, CORE_SKILLS)[:, None],
            ],
            axis=1,
        )
        core_taken = core_real & lists_some[:, None] & (rng.random(core.shape) < CORE_HELD)
        pairs.append(np.stack([np.broadcast_to(ids[:, None], core.shape)[core_taken], core[core_taken]], axis=1))
        pairs.append(np.stack([np.broadcast_to(ids[:, None], extra.shape)[extra_taken], extra[extra_taken]], axis=1))
    skills = np.unique(np.concatenate(pairs), axis=0) if pairs else np.zeros((0, 2), dtype=np.int64)
    rows_write(Candidate.skills.through, {"candidate_id": skills[:, 0], "skill_id": skills[:, 1]}, use_copy=use_copy)


@transaction.atomic
def demo_region_seed(
    *, candidates: int, vacancies: int, employers: int = 20, seed: int = 1, use_copy: bool | None = None
) -> SeedReport:
    """Add a synthetic region of the given size to the database (reference data must be loaded).

    One random generator feeds every step in turn, so the steps' order is part of the result.
    Each step draws its numbers for all rows at once (numpy) and writes the rows in bulk: COPY on
    PostgreSQL, bulk_create elsewhere (``use_copy`` forces either; both write the same rows).
    """
    rng = np.random.default_rng(seed)
    clock = _Clock(now=timezone.now(), today=date.today())
    ref = _reference_read()
    start_index = User.objects.filter(email__startswith=DEMO_EMAIL_PREFIX).count()
    employer_list = _seed_employers(rng, employers, clock.now)
    vacancy_ids = _seed_vacancies(rng, ref, employer_list, vacancies, seed, clock, use_copy)
    candidate_ids, countries = _seed_candidates(rng, ref, candidates, start_index, clock, use_copy)
    _seed_diplomas(rng, ref, candidate_ids, countries, use_copy)
    _seed_languages(rng, candidate_ids, countries, use_copy)
    _seed_occupations_and_skills(rng, ref, candidate_ids, use_copy)
    return SeedReport(
        employers=len(employer_list), vacancies=len(vacancy_ids), candidates=len(candidate_ids), demo_logins={}
    )


def demo_logins_ensure() -> dict[str, str]:
    return _ensure_demo_logins()


def _capitalised(label: str) -> str:
    return label[:1].upper() + label[1:]
