import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.models import OutgoingEmail
from applications.models import Application
from audit.models import AuditEvent
from talent.models import InvitationStatus
from talent.selectors import pending_invitation_count_cached
from talent.services import invitation_apply, invitation_respond, invitation_send
from tests.factories import EmployerUserFactory
from tests.talent.helpers import candidate, employer_user, open_vacancy

pytestmark = pytest.mark.django_db


def test_an_invitation_mails_the_candidate_and_is_audited(reference_data, django_capture_on_commit_callbacks):
    employer = employer_user()
    vacancy = open_vacancy(employer.employer, title="Lasser Vlissingen")
    invited = candidate()
    with django_capture_on_commit_callbacks(execute=True):
        invitation = invitation_send(user=employer, candidate=invited, vacancy=vacancy, message="Interesse?")
    assert invitation.status == InvitationStatus.PENDING
    mail = OutgoingEmail.objects.get(user=invited.user)
    assert "Lasser Vlissingen" in mail.body
    assert "/invitations/" in mail.body
    assert AuditEvent.objects.filter(kind="talent_invitation", subject_id=invited.pk, actor_id=employer.pk).exists()
    assert pending_invitation_count_cached(user_id=invited.user_id) == 1


def test_an_unverified_employer_cannot_invite(reference_data):
    employer = employer_user(verified=False)
    with pytest.raises(PermissionDenied):
        invitation_send(user=employer, candidate=candidate(), vacancy=open_vacancy(employer.employer))


def test_a_candidate_who_did_not_opt_in_cannot_be_invited(reference_data):
    employer = employer_user()
    with pytest.raises(ValidationError):
        invitation_send(user=employer, candidate=candidate(findable=False), vacancy=open_vacancy(employer.employer))


def test_only_to_the_employers_own_open_vacancy_and_once(reference_data):
    employer = employer_user()
    invited = candidate()
    with pytest.raises(ValidationError):
        invitation_send(user=employer, candidate=invited, vacancy=open_vacancy(employer_user().employer))
    vacancy = open_vacancy(employer.employer)
    invitation_send(user=employer, candidate=invited, vacancy=vacancy)
    with pytest.raises(ValidationError):
        invitation_send(user=employer, candidate=invited, vacancy=vacancy)


def test_answering_once_and_applying_after_accepting(reference_data):
    employer = employer_user()
    vacancy = open_vacancy(employer.employer)
    invited = candidate()
    invitation = invitation_send(user=employer, candidate=invited, vacancy=vacancy)
    with pytest.raises(ValidationError):
        invitation_apply(invitation=invitation)  # not accepted yet
    invitation = invitation_respond(invitation=invitation, accept=True)
    assert invitation.status == InvitationStatus.ACCEPTED
    assert invitation.responded_at
    with pytest.raises(ValidationError):
        invitation_respond(invitation=invitation, accept=False)
    application = invitation_apply(invitation=invitation)
    assert Application.objects.get(pk=application.pk).candidate == invited


def test_the_inviting_employer_is_mailed_when_the_candidate_accepts(reference_data, django_capture_on_commit_callbacks):
    employer = employer_user()
    colleague = EmployerUserFactory(employer=employer.employer)
    vacancy = open_vacancy(employer.employer, title="Lasser Vlissingen")
    invited = candidate()
    invitation = invitation_send(user=employer, candidate=invited, vacancy=vacancy)
    with django_capture_on_commit_callbacks(execute=True):
        invitation_respond(invitation=invitation, accept=True)
    mail = OutgoingEmail.objects.get(user=employer)
    assert "Lasser Vlissingen" in mail.subject
    assert f"/employer/candidates/{invited.pk}/profile/" in mail.body
    assert not OutgoingEmail.objects.filter(user=colleague).exists()  # only the one who invited


def test_a_decline_is_mailed_without_the_candidates_name(reference_data, django_capture_on_commit_callbacks):
    employer = employer_user()
    vacancy = open_vacancy(employer.employer, title="Lasser Vlissingen")
    invited = candidate(first_name="Griet", last_name="Claeys")
    invitation = invitation_send(user=employer, candidate=invited, vacancy=vacancy)
    with django_capture_on_commit_callbacks(execute=True):
        invitation_respond(invitation=invitation, accept=False)
    mail = OutgoingEmail.objects.get(user=employer)
    assert "Lasser Vlissingen" in mail.subject
    assert "/employer/invitations/" in mail.body
    assert "Griet" not in mail.body
    assert "Claeys" not in mail.body
    assert "/profile/" not in mail.body
