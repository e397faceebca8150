"""Fill my profile from my CV: the PDF is distrusted, nothing is stored, only ticked suggestions reach the profile."""

import io
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from candidates.cv_text import cv_text
from core.pdf import PDF_MAX_BYTES, pdf_text
from matching.models import PendingRematch, RematchKind
from taxonomy.models import Occupation, Skill
from tests.factories import CandidateFactory, EmployerUserFactory, UserFactory
from tests.pdf_helpers import WELDER_CV, encrypted_pdf, text_pdf

pytestmark = pytest.mark.django_db


def url(language: str = "nl") -> str:
    with translation.override(language):
        return reverse("candidates:cv_suggestions")


def upload(content: bytes, name: str = "cv.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@pytest.fixture
def candidate(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    candidate = CandidateFactory()
    candidate.skills.set([])
    client.force_login(candidate.user)
    return candidate


def code_of(content: bytes) -> str:
    with pytest.raises(ValidationError) as caught:
        cv_text(upload(content))
    return caught.value.code


# --- reading the PDF (core.pdf through candidates.cv_text) ----------------------------------------


def test_the_text_of_a_pdf_is_read():
    text = cv_text(upload(text_pdf(WELDER_CV)))
    assert "Ervaring als lasser" in text
    assert "TIG-lassen, MIG/MAG-lassen, heftruck" in text


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (b"PK\x03\x04 a word file renamed to .pdf" * 10, "pdf_not_pdf"),
        (b"%PDF-1.7\n" + b"garbage " * 500, "pdf_damaged"),
        (encrypted_pdf(WELDER_CV), "pdf_encrypted"),
        (text_pdf(["een regel"], pages=21), "pdf_too_many_pages"),
        (text_pdf([]), "pdf_no_text"),
    ],
    ids=["not-a-pdf", "damaged", "password", "21-pages", "no-text"],
)
def test_a_pdf_that_cannot_be_read_is_refused_with_its_reason(content, code):
    assert code_of(content) == code


def test_a_file_over_5_mb_is_refused_before_it_is_parsed():
    content = text_pdf(WELDER_CV) + b"%" + b"x" * PDF_MAX_BYTES
    assert code_of(content) == "pdf_too_large"


def test_the_time_cap_stops_a_slow_pdf():
    with pytest.raises(ValidationError) as caught:
        pdf_text(io.BytesIO(text_pdf(WELDER_CV, pages=3)), max_seconds=-1)
    assert caught.value.code == "pdf_too_slow"


def test_the_application_form_keeps_its_cv_codes():
    from applications.services import cv_validate

    with pytest.raises(ValidationError) as caught:
        cv_validate(upload(b"not a pdf at all"))
    assert caught.value.code == "cv_not_pdf"


# --- the page ----------------------------------------------------------------------------------------


def test_anonymous_goes_to_login_and_other_roles_get_403(client):
    response = client.get(url())
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    client.force_login(EmployerUserFactory())
    assert client.get(url()).status_code == 403


def test_a_jobseeker_without_a_profile_starts_with_the_home_step(client):
    client.force_login(UserFactory())
    response = client.get(url())
    assert response.status_code == 302
    assert response["Location"].endswith("/profile/home/")


def test_the_page_says_the_cv_is_not_stored_and_the_profile_links_to_it(client, candidate):
    page = client.get(url("en")).content.decode()
    assert "your CV is not stored" in page
    assert 'enctype="multipart/form-data"' in page
    with translation.override("en"):
        profile = client.get(reverse("candidates:profile")).content.decode()
    assert url("en") in profile


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"just some text", "geen pdf-bestand"),
        (encrypted_pdf(WELDER_CV), "wachtwoord"),
        (text_pdf([]), "geen tekst"),
    ],
)
def test_a_bad_pdf_comes_back_with_a_dutch_message_and_nothing_is_added(client, candidate, content, message):
    response = client.post(url(), {"action": "read", "cv": upload(content)})
    assert response.status_code == 200
    assert message in response.content.decode().lower()
    assert response.context["form"].errors["cv"]
    assert response.context["suggestions"] is None
    assert not candidate.skills.exists()


def test_the_french_page_answers_in_french(client, candidate):
    response = client.post(url("fr"), {"action": "read", "cv": upload(encrypted_pdf(WELDER_CV))})
    assert "mot de passe" in response.content.decode()


def test_reading_a_cv_suggests_but_adds_nothing_and_stores_nothing(client, candidate, settings):
    response = client.post(url(), {"action": "read", "cv": upload(text_pdf(WELDER_CV))})
    assert response.status_code == 200
    suggestions = response.context["suggestions"]
    labels = " ".join(
        f"{row.concept.label_nl} {row.concept.label_en}".lower()
        for row in suggestions["skills"] + suggestions["occupations"]
    )
    assert "lass" in labels or "weld" in labels, labels
    page = response.content.decode()
    assert 'name="skills"' in page
    assert " checked" not in page  # nothing is pre-ticked
    assert "Ervaring als lasser" not in page  # the CV's text is not put in the page
    candidate.refresh_from_db()
    assert not candidate.skills.exists()
    assert not candidate.desired_occupations.exists()
    media = Path(settings.MEDIA_ROOT)
    assert not media.exists() or not any(media.rglob("*"))


def test_skills_already_in_the_profile_are_not_suggested_again(client, candidate):
    first = client.post(url(), {"action": "read", "cv": upload(text_pdf(WELDER_CV))}).context["suggestions"]
    known = first["skills"][0].concept
    candidate.skills.add(known)
    again = client.post(url(), {"action": "read", "cv": upload(text_pdf(WELDER_CV))}).context["suggestions"]
    assert known.pk not in {row.pk for row in again["skills"]}


def test_only_the_ticked_suggestions_are_added_and_a_rematch_is_asked(client, candidate):
    kept = Skill.objects.order_by("uri")[5]
    candidate.skills.set([kept])
    ticked = list(Skill.objects.order_by("uri")[10:12])
    occupation = Occupation.objects.order_by("uri").first()
    PendingRematch.objects.all().delete()
    response = client.post(
        url(), {"action": "add", "skills": [s.pk for s in ticked], "desired_occupations": [occupation.pk]}
    )
    assert response.status_code == 302
    assert response["Location"].endswith("/profile/")
    assert set(candidate.skills.all()) == {kept, *ticked}
    assert list(candidate.desired_occupations.all()) == [occupation]
    assert PendingRematch.objects.filter(kind=RematchKind.CANDIDATE, object_id=candidate.pk).exists()


def test_nothing_ticked_adds_nothing_and_says_so(client, candidate):
    response = client.post(url(), {"action": "add"}, follow=True)
    assert "niets aangevinkt" in response.content.decode()
    assert not candidate.skills.exists()
    assert not candidate.desired_occupations.exists()


def test_an_unknown_suggestion_id_adds_nothing(client, candidate):
    good = Skill.objects.order_by("uri").first()
    response = client.post(url(), {"action": "add", "skills": [good.pk, 999_999_999]}, follow=True)
    assert response.status_code == 200
    assert not candidate.skills.exists()
