"""Emails to an employer's users about their vacancies, each in the recipient's language."""

from accounts.models import User
from accounts.notifications import event_stamp, reverse_in, send_to_user

from .models import Vacancy


def _employer_users(vacancy: Vacancy):
    return User.objects.filter(employer_id=vacancy.employer_id, is_active=True).exclude(email="").order_by("pk")


def notify_vacancy_moderated(*, vacancy_id: int, approved: bool) -> int:
    """A caseworker approved (published) the vacancy, or sent it back with a note."""
    vacancy = Vacancy.objects.select_related("employer").filter(pk=vacancy_id).first()
    if vacancy is None:
        return 0
    sent = 0
    for user in _employer_users(vacancy):
        link = reverse_in(user.preferred_language, "vacancies:employer_vacancy_detail", kwargs={"pk": vacancy.pk})
        sent += send_to_user(
            user=user,
            template="vacancies/email/vacancy_approved" if approved else "vacancies/email/vacancy_sent_back",
            # The moderation saved the vacancy: its updated_at tells one moderation from the next.
            event=f"vacancy-moderated:{vacancy.pk}:{event_stamp(vacancy.updated_at)}",
            context={"vacancy": vacancy, "link": link},
        )
    return sent


def notify_vacancy_expiring(*, vacancy_id: int) -> int:
    """A week before the vacancy expires: extend it or let it go."""
    vacancy = Vacancy.objects.select_related("employer").filter(pk=vacancy_id).first()
    if vacancy is None:
        return 0
    sent = 0
    for user in _employer_users(vacancy):
        link = reverse_in(user.preferred_language, "vacancies:employer_vacancy_update", kwargs={"pk": vacancy.pk})
        sent += send_to_user(
            user=user,
            template="vacancies/email/vacancy_expiring",
            event=f"vacancy-expiring:{vacancy.pk}:{event_stamp(vacancy.expiry_warning_sent_at)}",
            context={"vacancy": vacancy, "link": link},
        )
    return sent
