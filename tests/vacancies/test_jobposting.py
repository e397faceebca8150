"""schema.org JobPosting: the JSON-LD every published vacancy page embeds, read back with a real
parser (extruct); the API returns the same document; export → import reproduces the vacancy."""

from decimal import Decimal

import extruct
import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone, translation
from rest_framework.test import APIClient

from taxonomy.models import Occupation, Skill
from tests.factories import EmployerFactory, VacancyFactory, place
from vacancies.imports import vacancy_import
from vacancies.jobposting import vacancy_jobposting
from vacancies.models import Vacancy, VacancyStatus

pytestmark = pytest.mark.django_db

REQUIRED = (
    "title",
    "description",
    "datePosted",
    "validThrough",
    "employmentType",
    "hiringOrganization",
    "jobLocation",
    "occupationalCategory",
    "educationRequirements",
    "skills",
    "baseSalary",
    "directApply",
)


@pytest.fixture
def vacancy():
    occupation = Occupation.objects.filter(is_stem=True, skill_links__relation="essential").order_by("uri").first()
    skills = list(Skill.objects.filter(occupation_links__occupation=occupation).order_by("uri")[:3])
    now = timezone.now()
    vacancy = VacancyFactory(
        employer=EmployerFactory(belgian=True, legal_name="Zelzate Staal NV", website="https://staal.example"),
        title="Procesoperator <ploegen> & onderhoud",
        reference="ZS-2026-7",
        description="Je bewaakt de installaties.\n\nWij bieden:\nploegpremie\nopleiding",
        occupation=occupation,
        place=place("Zelzate", "BE"),
        contract_type="fixed_term",
        hours_per_week=38,
        shift_work=True,
        salary_min=Decimal("3100.00"),
        salary_max=Decimal("3900.00"),
        salary_period="month",
        min_eqf_level=4,
        requires_min_secondary=True,
        openings=3,
        start_date=now.date() + timezone.timedelta(days=40),
        status=VacancyStatus.PUBLISHED,
        published_at=now,
        expires_at=now + timezone.timedelta(days=30),
    )
    vacancy.essential_skills.set(skills[:2])
    vacancy.optional_skills.set(skills[2:])
    return vacancy


def jsonld_of(html: str, url: str = "http://testserver/") -> list[dict]:
    data = extruct.extract(html, base_url=url, syntaxes=["json-ld"], uniform=True)
    return [item for item in data["json-ld"] if item.get("@type") == "JobPosting"]


def assert_valid_jobposting(document: dict, vacancy: Vacancy) -> None:
    for name in REQUIRED:
        assert document.get(name) not in (None, "", []), name
    assert document["@context"].rstrip("/") == "https://schema.org"
    assert document["title"] == vacancy.title
    assert "<p>Je bewaakt de installaties.</p>" in document["description"]
    assert document["datePosted"] == timezone.localtime(vacancy.published_at).date().isoformat()
    assert document["validThrough"].startswith(timezone.localtime(vacancy.expires_at).date().isoformat())
    assert document["employmentType"] == ["FULL_TIME", "TEMPORARY"]
    organisation = document["hiringOrganization"]
    assert organisation["@type"] == "Organization"
    assert organisation["name"] == "Zelzate Staal NV"
    assert organisation["sameAs"] == "https://staal.example"
    address = document["jobLocation"]["address"]
    assert address["@type"] == "PostalAddress"
    assert address["addressLocality"] == "Zelzate"
    assert address["addressCountry"] == "BE"
    assert address["postalCode"] == "9060"
    category = document["occupationalCategory"]
    assert category["codeValue"] == vacancy.occupation.isco_group.code
    assert category["inCodeSet"]["name"] == "ISCO-08"
    assert document["relevantOccupation"]["sameAs"] == vacancy.occupation.uri
    credentials = document["educationRequirements"]
    assert {c["credentialCategory"] for c in credentials} == {"high school"}
    assert any(c.get("educationalLevel", {}).get("name") == "EQF 4" for c in credentials)
    skills = [*vacancy.essential_skills.all(), *vacancy.optional_skills.all()]
    assert {s["url"] for s in document["skills"]} == {s.uri for s in skills}
    salary = document["baseSalary"]
    assert salary["currency"] == "EUR"
    assert salary["value"] == {
        "@type": "QuantitativeValue",
        "minValue": 3100.0,
        "maxValue": 3900.0,
        "unitText": "MONTH",
    }
    assert document["directApply"] is True
    assert document["identifier"]["value"] == "ZS-2026-7"
    assert document["totalJobOpenings"] == 3


def test_the_template_tag_embeds_a_valid_jobposting(vacancy):
    request = RequestFactory().get("/")
    template = Template("{% load jobposting %}<html><head>{% jobposting_jsonld vacancy %}</head><body></body></html>")
    html = template.render(Context({"vacancy": vacancy, "request": request}))
    found = jsonld_of(html)
    assert len(found) == 1
    assert_valid_jobposting(found[0], vacancy)
    # The title's "<" and "&" cannot break out of the <script> element.
    assert "<ploegen>" not in html.split("application/ld+json")[1].split("</script>")[0]


def test_a_draft_is_not_described(vacancy):
    vacancy.status = VacancyStatus.DRAFT
    html = Template("{% load jobposting %}{% jobposting_jsonld vacancy %}").render(Context({"vacancy": vacancy}))
    assert html.strip() == ""


def test_the_vacancy_page_embeds_it_and_the_api_returns_the_same_document(client, vacancy):
    with translation.override("nl"):
        url = reverse("vacancies:detail", kwargs={"pk": vacancy.pk})
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="nl")
    assert response.status_code == 200
    found = jsonld_of(response.content.decode(), f"http://testserver{url}")
    assert len(found) == 1
    assert_valid_jobposting(found[0], vacancy)
    assert found[0]["url"] == f"http://testserver{url}"

    api = APIClient().get(f"/api/v1/vacancies/{vacancy.pk}/jobposting", HTTP_ACCEPT_LANGUAGE="nl")
    assert api.status_code == 200
    assert api["Content-Type"].startswith("application/ld+json")
    assert api.json() == found[0]


def test_round_trip_export_then_import_reproduces_the_vacancy(vacancy):
    document = vacancy_jobposting(vacancy)
    other = EmployerFactory(legal_name="Zelzate Staal NV")  # the same company's second portal account
    import json

    report = vacancy_import(employer=other, content=json.dumps(document).encode(), filename="export.json")
    assert report.committed, report.as_text()
    assert report.summary["created"] == 1, report.as_text()
    copy = Vacancy.objects.get(pk=report.records[0].vacancy)
    fields = (
        "title",
        "description",
        "reference",
        "occupation",
        "place",
        "contract_type",
        "hours_per_week",
        "shift_work",
        "salary_min",
        "salary_max",
        "salary_period",
        "openings",
        "start_date",
        "expires_at",
        "min_eqf_level",
        "requires_min_secondary",
        "is_stem",
    )
    assert {f: getattr(copy, f) for f in fields} == {f: getattr(vacancy, f) for f in fields}
    assert set(copy.essential_skills.all()) == set(vacancy.essential_skills.all())
    assert set(copy.optional_skills.all()) == set(vacancy.optional_skills.all())
    assert copy.status == VacancyStatus.PUBLISHED  # its employer is verified

    # And the copy exports to the same document, but for its own employer's account and its date.
    again = vacancy_jobposting(copy)
    for own in ("datePosted", "hiringOrganization"):
        again.pop(own), document.pop(own)
    assert again == document

    # Importing into the vacancy's own employer finds it by its reference: nothing changes.
    before = Vacancy.objects.get(pk=vacancy.pk).updated_at
    report = vacancy_import(employer=vacancy.employer, content=json.dumps(vacancy_jobposting(vacancy)).encode())
    assert report.summary["unchanged"] == 1
    assert report.records[0].vacancy == vacancy.pk
    assert Vacancy.objects.get(pk=vacancy.pk).updated_at == before


def test_a_vacancy_without_a_reference_round_trips_by_the_portals_id(vacancy):
    import json

    Vacancy.objects.filter(pk=vacancy.pk).update(reference="")
    vacancy.refresh_from_db()
    document = vacancy_jobposting(vacancy)
    assert document["identifier"]["value"] == f"nsp-{vacancy.pk}"
    report = vacancy_import(employer=vacancy.employer, content=json.dumps(document).encode())
    assert report.summary["unchanged"] == 1
    assert report.records[0].vacancy == vacancy.pk
    assert Vacancy.objects.filter(employer=vacancy.employer).count() == 1
