"""Importing vacancies: JobPosting JSON as careers sites publish it, the CSV template, and
broken input. Clear reports per record, all or nothing unless partial, idempotent, no 500."""

import json
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone, translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.test import APIClient

from accounts.models import EMPLOYER_SCOPES
from accounts.services import api_token_issue
from taxonomy.models import Occupation, Skill
from tests.factories import EmployerFactory, EmployerUserFactory, VacancyFactory
from vacancies.imports import CSV_COLUMNS, ImportTooLarge, csv_template, vacancy_import, vacancy_import_file
from vacancies.models import ImportJob, Vacancy, VacancyStatus

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    """The reports are translated; these tests read them in English."""
    with translation.override("en"):
        yield


@pytest.fixture
def employer():
    return EmployerFactory(legal_name="Kanaalzone Chemie B.V.")


@pytest.fixture
def welder():
    return Occupation.objects.get(label_en="welder")


def posting(**fields) -> dict:
    """A JobPosting as a careers site (a typical ATS plugin) publishes it."""
    document = {
        "@context": "https://schema.org/",
        "@type": "JobPosting",
        "identifier": {"@type": "PropertyValue", "name": "Kanaalzone Chemie", "value": "KZC-101"},
        "title": "Lasser (m/v/x)",
        "description": "<p>Wij zoeken een <strong>lasser</strong> voor onze fabriek.</p>"
        "<ul><li>TIG en MIG</li><li>VCA</li></ul><script>alert('x')</script>",
        "datePosted": "2026-11-01",
        "employmentType": ["FULL_TIME"],
        "hiringOrganization": {
            "@type": "Organization",
            "name": "Kanaalzone Chemie B.V.",
            "sameAs": "https://kanaalzone.example",
        },
        "jobLocation": [
            {
                "@type": "Place",
                "address": {
                    "@type": "PostalAddress",
                    "streetAddress": "Havenweg 1",
                    "addressLocality": "Lyon",
                    "addressCountry": "FR",
                },
            },
            {
                "@type": "Place",
                "address": {
                    "@type": "PostalAddress",
                    "streetAddress": "Industrieweg 5",
                    "postalCode": "4531 HR",
                    "addressLocality": "Terneuzen",
                    "addressRegion": "Zeeland",
                    "addressCountry": "NL",
                },
            },
        ],
        "occupationalCategory": "7212 Welders and flame cutters",
        "baseSalary": {
            "@type": "MonetaryAmount",
            "currency": "EUR",
            "value": {"@type": "QuantitativeValue", "minValue": 2900, "maxValue": "3.400,00", "unitText": "MONTH"},
        },
        "workHours": "40 uur per week, ploegendienst",
        "validThrough": (timezone.now() + timezone.timedelta(days=20)).date().isoformat(),
    }
    document.update(fields)
    return {key: value for key, value in document.items() if value is not None}


def run(employer, data, **options):
    content = data if isinstance(data, bytes) else json.dumps(data).encode()
    return vacancy_import(employer=employer, content=content, **options)


def test_a_real_world_jobposting_is_imported(employer, welder):
    report = run(employer, posting())
    assert report.committed, report.as_text()
    assert report.summary["created"] == 1, report.as_text()
    vacancy = Vacancy.objects.get(pk=report.records[0].vacancy)
    assert vacancy.reference == "KZC-101"
    assert vacancy.title == "Lasser (m/v/x)"
    assert vacancy.description == "Wij zoeken een lasser voor onze fabriek.\n\n- TIG en MIG\n- VCA"
    assert "alert" not in vacancy.description
    assert "<" not in vacancy.description
    assert vacancy.place.name == "Terneuzen"
    assert vacancy.place.country == "NL"
    assert vacancy.occupation == welder  # ISCO 7212 and the title
    assert (vacancy.salary_min, vacancy.salary_max) == (Decimal("2900"), Decimal("3400"))
    assert vacancy.salary_period == "month"
    assert vacancy.hours_per_week == 40
    assert vacancy.shift_work is True
    assert vacancy.contract_type == "permanent"
    assert vacancy.status == VacancyStatus.PUBLISHED  # a verified employer publishes at once


def test_hiring_organization_as_a_name_and_missing_optional_fields(employer):
    document = posting(
        hiringOrganization="Kanaalzone Chemie B.V.",
        baseSalary=None,
        workHours=None,
        validThrough=None,
        employmentType=None,
        datePosted=None,
    )
    report = run(employer, document)
    assert report.summary["created"] == 1, report.as_text()
    record = report.records[0]
    assert any("38" in warning for warning in record.warnings)  # hours assumed, and said so
    vacancy = Vacancy.objects.get(pk=record.vacancy)
    assert vacancy.salary_min is None
    assert vacancy.hours_per_week == 38
    assert vacancy.expires_at is not None  # publishing sets the default validity


def test_a_belgian_postcode_finds_the_place_and_a_esco_uri_the_occupation(employer, welder):
    document = posting(
        jobLocation={"@type": "Place", "address": {"postalCode": "9060", "addressCountry": "BE"}},
        occupationalCategory=None,
        relevantOccupation={"@type": "Occupation", "sameAs": welder.uri},
        title="Medewerker productie",
    )
    report = run(employer, document)
    vacancy = Vacancy.objects.get(pk=report.records[0].vacancy)
    assert vacancy.place.name == "Zelzate"
    assert vacancy.occupation == welder


def test_middelburg_needs_its_country(employer):
    ambiguous = posting(jobLocation={"address": {"addressLocality": "Middelburg"}})
    report = run(employer, ambiguous)
    assert not report.committed
    assert "Belgium" in report.records[0].errors["place"][0] or "België" in report.records[0].errors["place"][0]
    clear = posting(jobLocation={"address": {"addressLocality": "Middelburg", "addressCountry": "Nederland"}})
    report = run(employer, clear)
    assert Vacancy.objects.get(pk=report.records[0].vacancy).place.municipality == "Middelburg"


def test_a_list_and_a_graph_and_skills_as_text_and_terms(employer, welder):
    skill = Skill.objects.filter(occupation_links__occupation=welder).order_by("uri").first()
    first = posting(identifier="A-1", skills=f"{skill.label_en}, juggling")
    second = posting(identifier={"value": "A-2"}, skills=[{"@type": "DefinedTerm", "name": "x", "url": skill.uri}])
    report = run(employer, {"@context": "https://schema.org", "@graph": [first, second]})
    assert report.summary["created"] == 2, report.as_text()
    assert any("juggling" in warning for warning in report.records[0].warnings)
    for record in report.records:
        assert list(Vacancy.objects.get(pk=record.vacancy).essential_skills.all()) == [skill]


def test_reimporting_the_same_file_changes_nothing(employer):
    data = [posting(identifier="R-1"), posting(identifier="R-2", title="Lasser nachtploeg")]
    first = run(employer, data)
    assert first.summary["created"] == 2
    stamps = dict(Vacancy.objects.values_list("pk", "updated_at"))
    second = run(employer, data)
    assert second.summary == {"total": 2, "created": 0, "updated": 0, "unchanged": 2, "refused": 0, "skipped": 0}
    assert not second.committed
    assert second.ok
    assert dict(Vacancy.objects.values_list("pk", "updated_at")) == stamps
    data[1]["title"] = "Lasser vroege ploeg"
    third = run(employer, data)
    assert [r.outcome for r in third.records] == ["unchanged", "updated"]
    assert Vacancy.objects.get(reference="R-2").title == "Lasser vroege ploeg"


def test_all_or_nothing_by_default_and_partial_when_asked(employer):
    good = posting(identifier="G-1")
    bad = posting(identifier="B-1", jobLocation={"address": {"addressLocality": "Lyon", "addressCountry": "FR"}})
    report = run(employer, [good, bad])
    assert not report.committed
    assert Vacancy.objects.count() == 0
    assert [r.outcome for r in report.records] == ["skipped", "refused"]
    assert "Lyon" in report.records[1].errors["place"][0]
    assert "partial" in report.records[0].warnings[-1]

    report = run(employer, [good, bad], partial=True)
    assert report.committed
    assert [r.outcome for r in report.records] == ["created", "refused"]
    assert list(Vacancy.objects.values_list("reference", flat=True)) == ["G-1"]


def test_a_write_refused_by_the_service_rolls_everything_back(employer):
    VacancyFactory(employer=employer, reference="CLOSED-1", status=VacancyStatus.CLOSED)
    report = run(employer, [posting(identifier="NEW-1"), posting(identifier="CLOSED-1", title="Anders")])
    assert [r.outcome for r in report.records] == ["skipped", "refused"]
    assert "closed" in " ".join(report.records[1].errors["vacancy"]).lower()
    assert not Vacancy.objects.filter(reference="NEW-1").exists()


def test_duplicate_references_in_one_file_are_refused(employer):
    records = [posting(identifier="D-1"), posting(identifier="D-1", title="Anders"), posting(identifier="D-2")]
    report = run(employer, records)
    assert [r.outcome for r in report.records] == ["refused", "refused", "skipped"]
    assert "2 times" in report.records[0].errors["reference"][0]
    assert Vacancy.objects.count() == 0


def test_expired_unknown_and_not_a_jobposting(employer):
    report = run(
        employer,
        [
            posting(identifier="E-1", validThrough="2020-01-01"),
            # Neither coded nor recognisable in the text (the full ESCO knows astronauts: not this).
            posting(identifier="E-2", occupationalCategory=None, title="Maanreiziger", description="Een reis."),
            {"@type": "Organization", "name": "x"},
            "just a string",
            posting(identifier=None, url=None),
        ],
        partial=True,
    )
    errors = [r.errors for r in report.records]
    assert "validThrough" in errors[0]
    assert "occupation" in errors[1]
    assert "@type" in errors[2]
    assert "document" in errors[3]
    assert "reference" in errors[4]
    assert not report.committed
    assert Vacancy.objects.count() == 0


def test_odd_time_zones_and_dates_do_not_break_the_import(employer):
    report = run(
        employer,
        [
            posting(identifier="T-1", validThrough="2099-01-30T08:16:35+18:54"),
            posting(identifier="T-2", validThrough="0001-01-01T00:00:00+05:00"),
            posting(identifier="T-3", validThrough="31/12/2099"),
        ],
        partial=True,
    )
    assert [r.outcome for r in report.records] == ["created"] * 3, report.as_text()
    assert Vacancy.objects.get(reference="T-1").expires_at.year == 2099
    for record in report.records[1:]:  # not a usable date: ignored, and said so
        assert any("validThrough" in warning for warning in record.warnings)


def test_invalid_json_is_refused_with_its_line(employer):
    report = run(employer, b'[{"@type": "JobPosting",\n "title": }]', filename="feed.json")
    assert not report.committed
    assert report.records == []
    assert "JSON" in report.errors[0]
    assert "2" in report.errors[0]


def test_a_file_too_large_is_refused_before_parsing(employer, tmp_path, settings):
    big = tmp_path / "huge.json"
    with big.open("wb") as handle:
        handle.write(b"[" + b" " * (50 * 1024 * 1024) + b"]")
    with pytest.raises(ImportTooLarge):
        vacancy_import_file(employer=employer, path=big)
    with pytest.raises(CommandError, match="larger than"):
        call_command("import_vacancies", str(big), "--employer", str(employer.pk))


def test_the_csv_template(employer, welder):
    header = ",".join(CSV_COLUMNS)
    rows = [
        "CSV-1,Lasser,Lassen in de haven.,7212,,Sluiskil,NL,permanent,38,ja,2800,3300,month,2,,,3,yes,,",
        f"CSV-2,Onderhoudslasser,Onderhoud.,{welder.uri},9060,,BE,fixed_term,36,no,,,,1,2027-01-15,,,no,welding|juggling,",
    ]
    report = run(employer, ("\n".join([header, *rows]) + "\n").encode(), filename="vacancies.csv")
    assert report.format == "csv", report.as_text()
    assert report.summary["created"] == 2, report.as_text()
    first, second = (Vacancy.objects.get(reference=ref) for ref in ("CSV-1", "CSV-2"))
    assert first.place.name == "Sluiskil"
    assert first.shift_work
    assert first.min_eqf_level == 3
    assert first.requires_min_secondary
    assert first.salary_max == Decimal("3300")
    assert second.place.name == "Zelzate"
    assert second.contract_type == "fixed_term"
    assert str(second.start_date) == "2027-01-15"
    # The downloadable template itself imports (as a dry run: it is an example).
    report = run(employer, csv_template().encode(), filename="template.csv", dry_run=True)
    assert report.ok
    assert report.summary["created"] == 1
    assert not report.committed


def test_a_csv_with_semicolons_and_a_bom_as_excel_saves_it(employer):
    header = ";".join(CSV_COLUMNS)
    row = "XL-1;Lasser;Lassen.;7212;;Terneuzen;NL;permanent;38;;;;;;;;;;;"
    report = run(employer, ("\ufeff" + header + "\r\n" + row + "\r\n").encode("utf-8"), filename="x.csv")
    assert report.summary["created"] == 1, report.as_text()


def test_a_csv_with_a_wrong_header_is_refused_as_a_whole(employer):
    report = run(employer, b"ref,titel,omschrijving\nX,Y,Z\n", filename="wrong.csv")
    assert not report.committed
    assert report.records == []
    assert "missing columns" in report.errors[0]
    assert "unknown columns: ref, titel, omschrijving" in report.errors[0]


def test_csv_rows_are_checked_field_by_field(employer):
    header = ",".join(CSV_COLUMNS)
    row = "BAD-1,Lasser,Lassen.,7212,,Terneuzen,DE,vast,veel,misschien,abc,,week,,morgen,,9,,,"
    report = run(employer, f"{header}\n{row}\n".encode(), filename="bad.csv")
    errors = report.records[0].errors
    for name in (
        "country",
        "contract_type",
        "hours_per_week",
        "shift_work",
        "salary_min",
        "salary_period",
        "start_date",
        "min_eqf_level",
    ):
        assert name in errors, name


def test_the_command_reports_per_record_and_imports_by_hiring_organization(employer, tmp_path, capsys):
    EmployerUserFactory(employer=employer)
    path = tmp_path / "feed.json"
    path.write_text(json.dumps([posting(identifier="C-1"), posting(identifier="C-2", jobLocation="Parijs")]))
    with pytest.raises(CommandError, match="Nothing was imported"):
        call_command("import_vacancies", str(path))
    assert "Unknown place" in capsys.readouterr().out
    with pytest.raises(CommandError, match="refused"):
        call_command("import_vacancies", str(path), "--partial", "--draft")
    out = capsys.readouterr().out
    assert "#1 [C-1] Lasser (m/v/x): created" in out
    assert "#2 [C-2]" in out
    vacancy = Vacancy.objects.get(reference="C-1")
    assert vacancy.employer == employer
    assert vacancy.status == VacancyStatus.DRAFT
    assert not ImportJob.objects.exists()  # the command imports synchronously, without a job


def test_the_command_without_an_employer_refuses_an_unknown_company(tmp_path, capsys):
    path = tmp_path / "feed.json"
    path.write_text(json.dumps(posting(hiringOrganization="Onbekend BV")))
    with pytest.raises(CommandError):
        call_command("import_vacancies", str(path))
    assert "Unknown employer" in capsys.readouterr().out


# --- the API ----------------------------------------------------------------------------------


@pytest.fixture
def api(employer):
    _token, key = api_token_issue(name="ATS", scopes=EMPLOYER_SCOPES, employer=employer)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def imported(api, django_capture_on_commit_callbacks, path, body, **kwargs) -> dict:
    """POST an import (202 at once, the job queued), let the (eager) worker run it, and return the
    report the status URL gives once it is done."""
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(path, body, **kwargs)
        assert response.status_code == 202, response.content
        assert response.json()["job"]["status"] == "queued"
    status = api.get(response["Location"])
    assert status.status_code == 200
    assert status.json()["job"]["status"] == "done", status.json()
    return status.json()["job"]["report"]


def test_the_api_imports_jobposting_csv_and_uploads(api, employer, django_capture_on_commit_callbacks):
    def run_api(path, body, **kwargs):
        return imported(api, django_capture_on_commit_callbacks, path, body, **kwargs)

    report = run_api("/api/v1/vacancies/import", json.dumps(posting()), content_type="application/ld+json")
    assert report["summary"]["created"] == 1
    report = run_api("/api/v1/vacancies/import", json.dumps(posting()), content_type="application/json")
    assert report["summary"]["unchanged"] == 1
    header = ",".join(CSV_COLUMNS)
    csv_body = f"{header}\nAPI-1,Lasser,Lassen.,7212,,Terneuzen,NL,permanent,38,,,,,,,,,,,\n"
    report = run_api("/api/v1/vacancies/import?draft=true", csv_body, content_type="text/csv")
    assert report["format"] == "csv"
    assert Vacancy.objects.get(reference="API-1").status == VacancyStatus.DRAFT
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("feed.json", json.dumps([posting(identifier="UP-1")]).encode(), "application/json")
    report = run_api("/api/v1/vacancies/import", {"file": upload}, format="multipart")
    assert report["records"][0]["outcome"] == "created"


def test_the_api_reports_when_nothing_is_written(api, django_capture_on_commit_callbacks):
    def run_api(path, body):
        return imported(api, django_capture_on_commit_callbacks, path, body, content_type="application/json")

    report = run_api("/api/v1/vacancies/import", b"{not json")
    assert report["committed"] is False
    assert "JSON" in report["errors"][0]
    bad = posting(identifier="BAD-1", jobLocation="Lyon")
    report = run_api("/api/v1/vacancies/import", json.dumps([posting(), bad]))
    assert report["committed"] is False
    assert [r["outcome"] for r in report["records"]] == ["skipped", "refused"]
    assert Vacancy.objects.count() == 0
    report = run_api("/api/v1/vacancies/import?partial=true", json.dumps([posting(), bad]))
    assert report["committed"] is True
    assert Vacancy.objects.count() == 1


def test_the_api_refuses_a_50_mb_body_by_its_size(api):
    body = b"[" + b" " * (50 * 1024 * 1024) + b"]"
    response = api.post("/api/v1/vacancies/import", body, content_type="application/json")
    assert response.status_code == 413
    assert response.json()["code"] == "too_large"


def test_the_api_refuses_a_large_body_even_without_a_content_length(api, settings):
    settings.VACANCY_IMPORT_MAX_BYTES = 1000
    response = api.post("/api/v1/vacancies/import", b"[" + b" " * 5000 + b"]", content_type="application/json")
    assert response.status_code == 413


def test_the_template_is_served(api):
    response = APIClient().get("/api/v1/vacancies/import/template")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response.content.decode().splitlines()[0] == ",".join(CSV_COLUMNS)


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.sampled_from(
                [
                    "@type",
                    "title",
                    "description",
                    "identifier",
                    "jobLocation",
                    "address",
                    "postalCode",
                    "addressLocality",
                    "addressCountry",
                    "baseSalary",
                    "value",
                    "minValue",
                    "unitText",
                    "currency",
                    "skills",
                    "employmentType",
                    "workHours",
                    "validThrough",
                    "occupationalCategory",
                    "relevantOccupation",
                    "educationRequirements",
                    "hiringOrganization",
                    "name",
                    "@graph",
                ]
            )
            | st.text(max_size=8),
            children,
            max_size=6,
        )
    ),
    max_leaves=25,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(document=JSON)
def test_any_json_gives_a_report_never_an_exception(employer, document):
    if isinstance(document, dict):
        document = {**document, "@type": "JobPosting"}
    report = run(employer, document, dry_run=True)
    assert report.as_dict()["summary"]["total"] >= 0
