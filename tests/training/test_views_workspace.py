import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import Role
from taxonomy.models import Skill
from tests.factories import CaseworkerFactory, UserFactory
from training.models import TrainingOffer

from .helpers import FORKLIFT, TIG, make_offer, place, provider
from .test_imports import BAD, GOOD, _csv

pytestmark = pytest.mark.django_db


@pytest.fixture
def caseworker_client(client):
    client.force_login(CaseworkerFactory())
    return client


def test_list_filters_and_pages(caseworker_client):
    make_offer(reference="A", title_en="Forklift driver")
    make_offer(reference="B", title_en="TIG welding", skills=(TIG,), where="Gent")
    response = caseworker_client.get(reverse("training:offer_list"), {"country": "BE"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert [offer.reference for offer in response.context["offers"]] == ["B"]
    response = caseworker_client.get(reverse("training:offer_list"), {"skill": Skill.objects.get(uri=FORKLIFT).pk})
    assert [offer.reference for offer in response.context["offers"]] == ["A"]


def test_list_runs_the_same_queries_for_one_offer_or_many(caseworker_client, django_assert_num_queries):
    url = reverse("training:offer_list")
    make_offer(reference="A")
    caseworker_client.get(url)  # warm: session, the places' widget cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        caseworker_client.get(url)
    for n in range(6):
        make_offer(reference=f"M{n}", skills=(FORKLIFT, TIG), languages={"nl": 3}, starts=(dt.date(2027, 1, 1 + n),))
    with django_assert_num_queries(len(one)):
        response = caseworker_client.get(url)
    assert len(response.context["offers"]) == 7


def test_create_with_skills_languages_and_starts(caseworker_client):
    tig = Skill.objects.get(uri=TIG)
    response = caseworker_client.post(
        reverse("training:offer_create"),
        {
            "provider": provider().pk,
            "reference": "NEW",
            "title_nl": "TIG-lassen",
            "title_fr": "Soudage TIG",
            "title_en": "TIG welding",
            "skills": [tig.pk],
            "duration_weeks": 16,
            "hours_total": 480,
            "place": place("Sluiskil").pk,
            "instruction_language": "nl",
            "cost_eur": "0",
            "funding": "uwv_budget",
            "level_nl": "3",
            "starts": "2027-03-01\n2027-09-13",
        },
    )
    offer = TrainingOffer.objects.get(reference="NEW")
    assert response.status_code == 302
    assert response["Location"] == reverse("training:offer_detail", kwargs={"pk": offer.pk})
    assert list(offer.skills.all()) == [tig]
    assert [(r.language, r.level) for r in offer.language_levels.all()] == [("nl", 3)]
    assert [s.starts_on for s in offer.starts.all()] == [dt.date(2027, 3, 1), dt.date(2027, 9, 13)]
    detail = caseworker_client.get(response["Location"])
    assert "TIG-lassen" in detail.content.decode()


def test_bad_input_comes_back_with_errors_in_dutch(caseworker_client):
    response = caseworker_client.post(reverse("training:offer_create"), {"starts": "1 maart", "title_en": "X"})
    assert response.status_code == 200
    form = response.context["form"]
    assert "starts" in form.errors
    assert "provider" in form.errors
    assert "geen datum" in str(form.errors["starts"])
    assert not TrainingOffer.objects.exists()


def test_edit_and_deactivate(caseworker_client):
    offer = make_offer()
    response = caseworker_client.get(reverse("training:offer_update", kwargs={"pk": offer.pk}))
    assert response.status_code == 200
    assert response.context["form"].initial["starts"] == [dt.date(2027, 3, 1)]
    caseworker_client.post(reverse("training:offer_deactivate", kwargs={"pk": offer.pk}))
    offer.refresh_from_db()
    assert not offer.is_active
    listed = caseworker_client.get(reverse("training:offer_list"))
    assert list(listed.context["offers"]) == []
    listed = caseworker_client.get(reverse("training:offer_list"), {"inactive": "on"})
    assert list(listed.context["offers"]) == [offer]


def test_upload_shows_a_report_per_row(caseworker_client):
    upload = SimpleUploadedFile("offers.csv", _csv(GOOD, BAD), content_type="text/csv")
    response = caseworker_client.post(reverse("training:offer_import"), {"file": upload}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    report = response.context["report"]
    assert [(r.row, r.outcome) for r in report.rows] == [(2, "created"), (3, "error")]
    html = response.content.decode()
    assert "HEF-1" in html
    assert "Atlantis" in html


def test_upload_of_an_unreadable_file_is_a_form_error(caseworker_client):
    upload = SimpleUploadedFile("offers.csv", b"\xff\xfe\x00garbage", content_type="text/csv")
    response = caseworker_client.post(reverse("training:offer_import"), {"file": upload})
    assert response.status_code == 200
    assert response.context["report"] is None
    assert "UTF-8" in str(response.context["form"].errors["file"])


@pytest.mark.parametrize("role", [Role.JOBSEEKER, Role.EMPLOYER])
def test_other_roles_are_refused(client, role):
    from tests.factories import EmployerUserFactory

    user = EmployerUserFactory() if role == Role.EMPLOYER else UserFactory()
    client.force_login(user)
    assert client.get(reverse("training:offer_list")).status_code == 403
    assert client.post(reverse("training:offer_deactivate", kwargs={"pk": make_offer().pk})).status_code == 403
    assert TrainingOffer.objects.get().is_active
