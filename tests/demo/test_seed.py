"""Demo data: believable, deterministic per seed (from the same starting database), made of the
real reference data."""

import pytest

from accounts.models import Role
from candidates.models import Candidate
from demo.services import demo_logins_ensure, demo_region_seed
from vacancies.models import Vacancy

pytestmark = pytest.mark.django_db


def fingerprint():
    vacancies = list(
        Vacancy.objects.order_by("reference").values_list(
            "reference", "title", "occupation__uri", "place__geonames_id", "min_eqf_level", "hours_per_week"
        )
    )
    candidates = list(
        Candidate.objects.order_by("user__email").values_list(
            "user__email", "home_place__geonames_id", "max_commute_minutes", "hours_wanted", "country"
        )
    )
    skills = sorted(Candidate.skills.through.objects.values_list("candidate__user__email", "skill__uri"))
    return vacancies, candidates, skills


def test_same_seed_same_region():
    demo_region_seed(candidates=40, vacancies=8, employers=4, seed=3)
    first = fingerprint()
    Candidate.objects.all().delete()
    from accounts.models import Employer, User

    User.objects.filter(email__startswith="demo-").delete()
    Vacancy.objects.all().delete()
    Employer.objects.all().delete()
    demo_region_seed(candidates=40, vacancies=8, employers=4, seed=3)
    assert fingerprint() == first


def test_region_uses_real_reference_data_and_leaves_gaps_to_count():
    report = demo_region_seed(candidates=300, vacancies=20, employers=5, seed=11)
    assert (report.candidates, report.vacancies) == (300, 20)
    assert Vacancy.objects.filter(occupation__uri__startswith="http://data.europa.eu/esco/occupation/").count() == 20
    assert Candidate.objects.filter(home_place__isnull=True).exists()  # some profiles miss a home place
    assert Candidate.objects.filter(diplomas__isnull=True).exists()  # ... or a diploma
    assert Candidate.objects.filter(country="BE").exists()
    assert Candidate.objects.filter(country="NL").exists()


def test_demo_logins_cover_every_role():
    demo_region_seed(candidates=5, vacancies=2, employers=2, seed=1)
    logins = demo_logins_ensure()
    assert sorted(set(logins.values())) == ["admin", "caseworker", "employer", "jobseeker"]
    assert list(logins.values()).count(Role.CASEWORKER) == 3
    assert demo_logins_ensure() == logins  # idempotent


def test_seeded_shift_vacancies_say_when_their_shifts_start():
    demo_region_seed(candidates=20, vacancies=60, employers=5, seed=5)
    shifts = Vacancy.objects.filter(shift_work=True)
    assert shifts.exists()
    starts = {tuple(v) for v in shifts.values_list("shift_start_times", flat=True)}
    assert starts <= {("06:00", "14:00", "22:00"), ("06:00", "14:00")}
    assert len(starts) == 2
    assert not Vacancy.objects.filter(shift_work=False).exclude(shift_start_times=[]).exists()
