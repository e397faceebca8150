"""The employer's vacancy pages, the moderators' review and the expiry task."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation

from taxonomy.models import Occupation, Skill
from tests.factories import CaseworkerFactory, EmployerFactory, EmployerUserFactory, UserFactory, place, service
from tests.workspace_helpers import published_vacancy, queries_of
from vacancies.models import Vacancy, VacancyStatus
from vacancies.services import vacancy_warn_expiring
from vacancies.tasks import expire_vacancies

pytestmark = pytest.mark.django_db


def url(name, language="nl", **kwargs):
    with translation.override(language):
        return reverse(f"vacancies:{name}", kwargs=kwargs or None)


def url_workspace(name, language="nl", **kwargs):
    with translation.override(language):
        return reverse(f"workspace:{name}", kwargs=kwargs or None)


def vacancy_post(**overrides):
    stem = Occupation.objects.filter(is_stem=True).order_by("uri").first()
    skills = list(Skill.objects.order_by("uri")[:3])
    data = {
        "title": "Procesoperator C-ploeg",
        "reference": "",
        "description": "Werken in de Kanaalzone.",
        "occupation": stem.pk,
        "stem": "auto",
        "essential_skills": [skills[0].pk, skills[1].pk],
        "optional_skills": [skills[2].pk],
        "min_eqf_level": "4",
        "requires_min_secondary": "on",
        "language_nl": "4",
        "language_en": "3",
        "language_fr": "",
        "language_de": "",
        "place": place("Terneuzen").pk,
        "contract_type": "permanent",
        "hours_per_week": "38",
        "shift_work": "on",
        "salary_min": "3000",
        "salary_max": "3800",
        "salary_period": "month",
        "openings": "2",
        "start_date": "",
        "expires_on": "",
        "intent": "publish",
    }
    data.update(overrides)
    return data


@pytest.fixture
def employer_user(client):
    user = EmployerUserFactory(employer=EmployerFactory(is_verified=True))
    client.force_login(user)
    return user


def test_anonymous_goes_to_login_and_a_jobseeker_is_refused(client):
    response = client.get(url("employer_vacancy_list"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]
    client.force_login(UserFactory())
    assert client.get(url("employer_vacancy_list")).status_code == 403


def test_list_shows_only_the_employers_own_vacancies(client, employer_user):
    mine = published_vacancy(employer=employer_user.employer, title="Mijn vacature")
    published_vacancy(title="Andermans vacature")
    response = client.get(url("employer_vacancy_list"))
    assert response.status_code == 200
    assert mine.title in response.content.decode()
    assert "Andermans vacature" not in response.content.decode()


def test_list_query_count_is_constant_in_the_number_of_rows(client, employer_user, django_assert_num_queries):
    published_vacancy(employer=employer_user.employer)
    one_row = queries_of(lambda: client.get(url("employer_vacancy_list")))
    for _ in range(6):
        published_vacancy(employer=employer_user.employer)
    with django_assert_num_queries(one_row):
        response = client.get(url("employer_vacancy_list"))
    assert len(response.context["vacancies"]) == 7


def _filled(vacancy, *, applications: int, shared: int, hidden: int = 1):
    """Applications (one withdrawn on top), candidates shared with the employer and matches it may not see."""
    from matching.models import CandidateResponse, ReviewStatus
    from tests.workspace_helpers import candidate_with_profile, make_application, make_match

    for _ in range(applications):
        make_application(vacancy=vacancy, candidate=candidate_with_profile())
    make_application(vacancy=vacancy, candidate=candidate_with_profile(), status="withdrawn")
    for _ in range(shared):
        make_match(
            vacancy=vacancy,
            candidate=candidate_with_profile(),
            review_status=ReviewStatus.APPROVED,
            candidate_response=CandidateResponse.ACCEPTED,
        )
    for _ in range(hidden):  # proposed, or approved but not accepted yet: not on the employer's shortlist
        make_match(vacancy=vacancy, candidate=candidate_with_profile())
        make_match(vacancy=vacancy, candidate=candidate_with_profile(), review_status=ReviewStatus.APPROVED)


def test_the_list_shows_application_and_shortlist_counts_without_a_query_per_row(
    client, employer_user, django_assert_num_queries
):
    first = published_vacancy(employer=employer_user.employer, title="Eerste")
    _filled(first, applications=3, shared=2)
    one_row = queries_of(lambda: client.get(url("employer_vacancy_list", "en")))
    for n in range(4):
        _filled(published_vacancy(employer=employer_user.employer), applications=n, shared=n)
    with django_assert_num_queries(one_row):
        response = client.get(url("employer_vacancy_list", "en"))
    rows = {v.pk: v for v in response.context["vacancies"]}
    assert (rows[first.pk].application_count, rows[first.pk].shortlist_count) == (3, 2)
    assert sorted(v.shortlist_count for v in rows.values()) == [0, 1, 2, 2, 3]
    html = response.content.decode()
    with translation.override("en"):
        shortlist = reverse("matching:employer_shortlist", kwargs={"pk": first.pk})
    assert f'<a href="{shortlist}">2 on the shortlist</a>' in html


def test_post_a_stem_vacancy_and_publish_it(client, employer_user):
    response = client.post(url("employer_vacancy_create"), vacancy_post())
    vacancy = Vacancy.objects.get(employer=employer_user.employer)
    assert response.status_code == 302
    assert response["Location"] == url("employer_vacancy_detail", pk=vacancy.pk)
    assert vacancy.status == VacancyStatus.PUBLISHED
    assert vacancy.is_stem is True  # from the occupation
    assert vacancy.essential_skills.count() == 2
    assert vacancy.optional_skills.count() == 1
    assert {(lang.language, lang.min_level) for lang in vacancy.languages.all()} == {("nl", 4), ("en", 3)}
    assert vacancy.min_eqf_level == 4
    assert vacancy.requires_min_secondary
    assert vacancy.shift_work
    assert vacancy.expires_at is not None


def test_the_employer_may_override_the_stem_flag(client, employer_user):
    client.post(url("employer_vacancy_create"), vacancy_post(stem="no"))
    assert Vacancy.objects.get(employer=employer_user.employer).is_stem is False


def test_a_vacancy_of_an_unverified_employer_goes_to_review(client):
    user = EmployerUserFactory(employer=EmployerFactory(is_verified=False))
    client.force_login(user)
    client.post(url("employer_vacancy_create"), vacancy_post())
    vacancy = Vacancy.objects.get(employer=user.employer)
    assert vacancy.status == VacancyStatus.IN_REVIEW
    page = client.get(url("employer_vacancy_detail", pk=vacancy.pk))
    assert "controleert" in page.content.decode() or "checking" in page.content.decode()


def test_save_as_draft(client, employer_user):
    client.post(url("employer_vacancy_create"), vacancy_post(intent="save"))
    assert Vacancy.objects.get(employer=employer_user.employer).status == VacancyStatus.DRAFT


@pytest.mark.parametrize("language", ["nl", "en"])
def test_bad_input_gives_field_errors_in_the_users_language_and_keeps_the_input(client, employer_user, language):
    data = vacancy_post(title="", hours_per_week="200", salary_min="5000", salary_max="3000")
    response = client.post(url("employer_vacancy_create", language), data)
    assert response.status_code == 200
    assert not Vacancy.objects.exists()
    form = response.context["form"]
    assert {"title", "hours_per_week", "salary_max"} <= set(form.errors)
    html = response.content.decode()
    assert 'value="5000"' in html  # nothing is lost
    if language == "en":
        assert "This field is required." in html
        assert "The maximum salary must not be lower than the minimum." in html
    else:
        assert "Dit veld is vereist." in html or "Dit veld is verplicht." in html
        assert "Zorg ervoor dat deze waarde hoogstens 60 is." in html
        assert "The maximum salary must not be lower than the minimum." not in html


def test_a_duplicate_reference_is_a_field_error(client, employer_user):
    published_vacancy(employer=employer_user.employer, reference="REF-1")
    response = client.post(url("employer_vacancy_create", "en"), vacancy_post(reference="REF-1"))
    assert response.status_code == 200
    assert "reference" in response.context["form"].errors


def test_edit_keeps_languages_and_skills_and_saves_changes(client, employer_user):
    client.post(url("employer_vacancy_create"), vacancy_post())
    vacancy = Vacancy.objects.get(employer=employer_user.employer)
    page = client.get(url("employer_vacancy_update", pk=vacancy.pk))
    assert page.status_code == 200
    form = page.context["form"]
    assert form.initial["language_nl"] == "4"
    assert form.initial["stem"] == "yes"
    response = client.post(
        url("employer_vacancy_update", pk=vacancy.pk),
        vacancy_post(
            title="Procesoperator (nieuw)",
            stem="yes",
            intent="save",
            expires_on=(timezone.localdate() + timedelta(days=20)).isoformat(),
        ),
    )
    assert response.status_code == 302
    vacancy.refresh_from_db()
    assert vacancy.title == "Procesoperator (nieuw)"
    assert vacancy.status == VacancyStatus.PUBLISHED
    assert timezone.localtime(vacancy.expires_at).date() == timezone.localdate() + timedelta(days=20)


def test_another_employers_vacancy_is_a_404(client, employer_user):
    other = published_vacancy()
    for name in ("employer_vacancy_detail", "employer_vacancy_update"):
        assert client.get(url(name, pk=other.pk)).status_code == 404
    assert client.post(url("employer_vacancy_action", pk=other.pk), {"intent": "close"}).status_code == 404
    other.refresh_from_db()
    assert other.status == VacancyStatus.PUBLISHED


def test_close_and_then_editing_is_refused_with_a_message(client, employer_user):
    vacancy = published_vacancy(employer=employer_user.employer)
    response = client.post(url("employer_vacancy_action", pk=vacancy.pk), {"intent": "close"})
    assert response.status_code == 302
    vacancy.refresh_from_db()
    assert vacancy.status == VacancyStatus.CLOSED
    response = client.get(url("employer_vacancy_update", pk=vacancy.pk), follow=True)
    assert response.redirect_chain
    assert response.status_code == 200
    # A second close is not possible any more: a message, no error page.
    response = client.post(url("employer_vacancy_action", pk=vacancy.pk), {"intent": "close"}, follow=True)
    assert response.status_code == 200


def test_an_unknown_action_is_a_message_not_an_error(client, employer_user):
    vacancy = published_vacancy(employer=employer_user.employer)
    response = client.post(url("employer_vacancy_action", pk=vacancy.pk), {"intent": "explode"}, follow=True)
    assert response.status_code == 200
    vacancy.refresh_from_db()
    assert vacancy.status == VacancyStatus.PUBLISHED


# --- moderation -------------------------------------------------------------------------------


@pytest.fixture
def in_review():
    employer = EmployerFactory(is_verified=False)
    EmployerUserFactory(employer=employer, email="hr@example.test", preferred_language="en")
    return published_vacancy(employer=employer, status=VacancyStatus.IN_REVIEW, published_at=None)


def test_a_caseworker_approves_a_vacancy_and_the_employer_is_told_in_their_language(
    client, in_review, django_capture_on_commit_callbacks
):
    client.force_login(CaseworkerFactory(employment_service=service("uwv")))
    assert client.get(url_workspace("vacancy_review", pk=in_review.pk)).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url_workspace("vacancy_review", pk=in_review.pk), {"decision": "approve", "note": ""})
    assert response.status_code == 302
    in_review.refresh_from_db()
    assert in_review.status == VacancyStatus.PUBLISHED
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["hr@example.test"]
    assert "is published" in mail.outbox[0].subject


def test_sending_back_needs_a_note(client, in_review, django_capture_on_commit_callbacks):
    client.force_login(CaseworkerFactory(employment_service=service("uwv")))
    response = client.post(url_workspace("vacancy_review", pk=in_review.pk, language="en"), {"decision": "send_back"})
    assert response.status_code == 200
    assert "Please say why the vacancy is sent back." in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url_workspace("vacancy_review", pk=in_review.pk),
            {"decision": "send_back", "note": "Het salaris ontbreekt."},
        )
    assert response.status_code == 302
    in_review.refresh_from_db()
    assert in_review.status == VacancyStatus.DRAFT
    assert in_review.moderation_note == "Het salaris ontbreekt."
    assert "Het salaris ontbreekt." in mail.outbox[0].body


def test_only_caseworkers_and_admins_moderate(client, in_review):
    client.force_login(EmployerUserFactory(employer=in_review.employer))
    assert client.get(url_workspace("vacancy_review", pk=in_review.pk)).status_code == 403
    client.force_login(CaseworkerFactory(employment_service=service("uwv")))
    published = published_vacancy()
    assert client.get(url_workspace("vacancy_review", pk=published.pk)).status_code == 404


# --- expiry -------------------------------------------------------------------------------------


def test_the_employer_is_warned_once_a_week_before_expiry_in_their_language(django_capture_on_commit_callbacks):
    employer = EmployerFactory()
    EmployerUserFactory(employer=employer, email="nl@example.test", preferred_language="nl")
    EmployerUserFactory(employer=employer, email="fr@example.test", preferred_language="fr")
    soon = published_vacancy(employer=employer, expires_at=timezone.now() + timedelta(days=5))
    published_vacancy(employer=employer, expires_at=timezone.now() + timedelta(days=20))
    with django_capture_on_commit_callbacks(execute=True):
        assert vacancy_warn_expiring() == 1
    assert sorted(m.to[0] for m in mail.outbox) == ["fr@example.test", "nl@example.test"]
    assert all(soon.title in m.subject for m in mail.outbox)
    by_recipient = {m.to[0]: m for m in mail.outbox}
    assert by_recipient["nl@example.test"].extra_headers["Content-Language"] == "nl"
    assert by_recipient["fr@example.test"].extra_headers["Content-Language"] == "fr"
    assert f"/employer/vacancies/{soon.pk}/" in by_recipient["nl@example.test"].body
    with django_capture_on_commit_callbacks(execute=True):
        assert vacancy_warn_expiring() == 0  # idempotent
    assert len(mail.outbox) == 2


def test_the_beat_task_warns_and_expires():
    past = published_vacancy(expires_at=timezone.now() - timedelta(hours=1))
    published_vacancy(expires_at=timezone.now() + timedelta(days=3))
    result = expire_vacancies.delay().get()
    assert result == {"warned": 1, "expired": 1}
    past.refresh_from_db()
    assert past.status == VacancyStatus.EXPIRED
