import pytest

from candidates.models import ConsentKind
from candidates.services import candidate_set_consent
from talent.selectors import (
    SearchCriteria,
    candidate_search,
    experience_summary,
    invited_candidate_get,
    may_search_candidates,
)
from talent.services import invitation_respond, invitation_send
from taxonomy.models import Occupation
from tests.factories import place
from tests.talent.helpers import candidate, employer_user, open_vacancy, some_skills, travel_time

pytestmark = pytest.mark.django_db


def search(user, **criteria):
    return list(candidate_search(user=user, criteria=SearchCriteria(**criteria)))


def test_only_candidates_who_opted_in_are_found(reference_data):
    employer = employer_user()
    findable = candidate()
    hidden = candidate(findable=False)
    found = search(employer)
    assert findable in found
    assert hidden not in found


def test_withdrawing_the_consent_hides_the_candidate_at_once(reference_data):
    employer = employer_user()
    findable = candidate()
    assert findable in search(employer)
    candidate_set_consent(candidate=findable, kind=ConsentKind.FINDABLE, given=False)
    assert findable not in search(employer)


def test_an_unverified_employer_finds_nobody(reference_data):
    unverified = employer_user(verified=False)
    candidate()
    assert not may_search_candidates(unverified)
    assert search(unverified) == []


def test_every_criterion_narrows_the_results(reference_data):
    employer = employer_user()
    welding, crane = some_skills(2)
    occupation = Occupation.objects.order_by("uri").first()
    wanted = candidate(skills=[welding], languages=[("fr", 4)])
    wanted.desired_occupations.set([occupation])
    other = candidate(skills=[crane], languages=[("nl", 6)])
    assert search(employer, skills=[welding]) == [wanted]
    assert search(employer, languages=["fr"]) == [wanted]
    assert search(employer, occupation=occupation) == [wanted]
    assert other in search(employer, languages=["nl"])


def test_the_diploma_level_is_the_highest_diploma(reference_data):
    from candidates.models import CandidateDiploma
    from taxonomy.models import Diploma

    employer = employer_user()
    high = candidate()
    low = candidate()
    CandidateDiploma.objects.create(candidate=high, diploma=Diploma.objects.filter(eqf_level=6).first())
    CandidateDiploma.objects.create(candidate=low, diploma=Diploma.objects.filter(eqf_level=2).first())
    found = search(employer, min_eqf_level=5)
    assert found == [high]
    assert found[0].top_eqf_level == 6


def test_travel_time_to_the_vacancy_uses_the_commute_model_and_the_candidates_modes(reference_data):
    employer = employer_user()
    vacancy = open_vacancy(employer.employer, place=place("Vlissingen"))
    near_by_car = candidate(home="Terneuzen", commute_by_car=True)
    cyclist = candidate(home="Terneuzen", commute_by_car=False, commute_by_bike=True)
    travel_time("Terneuzen", "Vlissingen", "car", 30)
    travel_time("Terneuzen", "Vlissingen", "bike", 90)
    found = search(employer, vacancy=vacancy, max_minutes=45)
    assert near_by_car in found
    assert cyclist not in found  # 90 minutes by bike, the only way the cyclist travels
    assert cyclist in search(employer, vacancy=vacancy, max_minutes=120)


def test_the_full_profile_only_after_the_candidate_accepted(reference_data):
    employer = employer_user()
    vacancy = open_vacancy(employer.employer)
    invited = candidate()
    invitation = invitation_send(user=employer, candidate=invited, vacancy=vacancy)
    with pytest.raises(type(invited).DoesNotExist):
        invited_candidate_get(user=employer, pk=invited.pk)
    invitation_respond(invitation=invitation, accept=True)
    assert invited_candidate_get(user=employer, pk=invited.pk) == invited
    with pytest.raises(type(invited).DoesNotExist):
        invited_candidate_get(user=employer_user(), pk=invited.pk)  # another company


def test_the_experience_summary_names_no_employer(reference_data):
    from datetime import date

    from candidates.models import Experience

    someone = candidate()
    assert experience_summary(someone) == []
    occupation = Occupation.objects.order_by("uri").first()
    Experience.objects.create(
        candidate=someone,
        occupation=occupation,
        employer_name="Geheim Bedrijf",
        started_on=date(2019, 1, 1),
        ended_on=date(2023, 6, 1),
    )
    summary = experience_summary(someone)
    assert summary == [f"{occupation.label} (2019–2023)"]
    assert "Geheim" not in " ".join(summary)
