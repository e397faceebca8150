import pytest

from applications.models import Application
from candidates.models import ConsentEvent, ConsentKind
from talent.models import InvitationStatus
from talent.services import invitation_send
from tests.talent.helpers import candidate, employer_user, open_vacancy, url

pytestmark = pytest.mark.django_db


def invited(**fields):
    employer = employer_user()
    someone = candidate(**fields)
    invitation = invitation_send(user=employer, candidate=someone, vacancy=open_vacancy(employer.employer))
    return someone, invitation


def test_the_consent_step_opts_in_and_out_and_records_each_change(client, reference_data):
    someone = candidate(findable=False)
    client.force_login(someone.user)
    step = url("candidates:step", step="consent")
    client.post(step, {"consent_matching": "on", "consent_findable": "on"})
    someone.refresh_from_db()
    assert someone.has_findable_consent
    client.post(step, {"consent_matching": "on"})
    someone.refresh_from_db()
    assert not someone.has_findable_consent
    assert list(
        ConsentEvent.objects.filter(candidate=someone, kind=ConsentKind.FINDABLE).values_list("given", flat=True)
    ) == [False, True]


def test_findable_is_off_by_default(client, reference_data):
    someone = candidate(findable=False)
    client.force_login(someone.user)
    response = client.get(url("candidates:step", step="consent"))
    assert response.context["form"]["consent_findable"].value() is False


def test_the_candidate_sees_accepts_and_applies_in_one_click(
    client, reference_data, django_capture_on_commit_callbacks
):
    someone, invitation = invited()
    client.force_login(someone.user)
    response = client.get(url("talent:invitation_list"))
    assert [i.pk for i in response.context["invitations"]] == [invitation.pk]
    # The nav shows the count (from the cache the list filled in).
    assert '<span class="badge">1</span>' in client.get(url("vacancies:list")).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url("talent:invitation_respond", pk=invitation.pk), {"answer": "accept"})
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.ACCEPTED
    assert '<span class="badge">1</span>' not in client.get(url("vacancies:list")).content.decode()
    response = client.post(url("talent:invitation_apply", pk=invitation.pk))
    application = Application.objects.get(candidate=someone, vacancy=invitation.vacancy)
    assert response.url == url("applications:detail", pk=application.pk)


def test_declining(client, reference_data):
    someone, invitation = invited()
    client.force_login(someone.user)
    client.post(url("talent:invitation_respond", pk=invitation.pk), {"answer": "decline"})
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.DECLINED
    client.post(url("talent:invitation_apply", pk=invitation.pk))
    assert not Application.objects.exists()


def test_anothers_invitation_is_a_404(client, reference_data):
    _someone, invitation = invited()
    other = candidate()
    client.force_login(other.user)
    assert client.post(url("talent:invitation_respond", pk=invitation.pk), {"answer": "accept"}).status_code == 404
    assert client.post(url("talent:invitation_apply", pk=invitation.pk)).status_code == 404
    assert client.get(url("talent:invitation_list")).context["invitations"] == []


@pytest.mark.parametrize("rows", [1, 4])
def test_the_list_runs_a_fixed_number_of_queries(client, reference_data, django_assert_num_queries, rows):
    someone = candidate()
    for _ in range(rows):
        employer = employer_user()
        invitation_send(user=employer, candidate=someone, vacancy=open_vacancy(employer.employer))
    client.force_login(someone.user)
    with django_assert_num_queries(4):  # session, user, the invitations, the nav's count
        response = client.get(url("talent:invitation_list"))
    assert len(response.context["invitations"]) == rows
