"""Who saw whose personal data (AI Act Art. 26(6), GDPR accountability): the caseworker's and
the employer's pages, the API's match and application endpoints and every CSV export write
``personal_data_view`` / ``export`` events; a jobseeker's look at their own data does not."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import translation

from audit.models import AuditEvent
from tests.api.conftest import world  # noqa: F401  (fixture)
from tests.factories import CaseworkerFactory, EmployerUserFactory, UserFactory, place, service
from tests.workspace_helpers import candidate_with_profile, make_application, make_match, published_vacancy

pytestmark = pytest.mark.django_db


def url(name: str, **kwargs) -> str:
    with translation.override("nl"):
        return reverse(name, kwargs=kwargs or None)


def logged(**filters) -> list[tuple]:
    return list(
        AuditEvent.objects.filter(**filters)
        .order_by("seq")
        .values_list("kind", "actor_id", "service", "subject_id", "where")
    )


def test_a_caseworker_shortlist_view_logs_each_candidate_on_the_page(client):
    caseworker = CaseworkerFactory(employment_service=service("uwv"))
    client.force_login(caseworker)
    vacancy = published_vacancy(place=place("Terneuzen"))
    candidates = [candidate_with_profile() for _ in range(3)]
    for candidate in candidates:
        make_match(vacancy=vacancy, candidate=candidate)
    other = published_vacancy(place=place("Terneuzen"))
    make_match(vacancy=other, candidate=candidate_with_profile())  # another vacancy: not seen
    assert client.get(url("matching:shortlist", pk=vacancy.pk)).status_code == 200
    rows = logged()
    assert sorted(rows) == sorted(
        ("personal_data_view", caseworker.pk, "uwv", c.pk, "matching:shortlist") for c in candidates
    )
    assert len({e.at for e in AuditEvent.objects.all()}) == 1  # one write for the request


def test_a_shortlist_nobody_may_see_logs_nothing(client):
    client.force_login(CaseworkerFactory(employment_service=service("vdab")))
    vacancy = published_vacancy(place=place("Terneuzen"))
    make_match(vacancy=vacancy, candidate=candidate_with_profile(service_code="uwv"))  # no cross-border consent
    assert client.get(url("matching:shortlist", pk=vacancy.pk)).status_code == 200
    assert logged() == []


def test_employer_application_pages_and_cv_are_logged(client):
    vacancy = published_vacancy(place=place("Terneuzen"))
    candidate = candidate_with_profile()
    application = make_application(vacancy=vacancy, candidate=candidate)
    employer = EmployerUserFactory(employer=vacancy.employer)
    client.force_login(employer)
    assert client.get(url("applications:employer_application_list", vacancy_pk=vacancy.pk)).status_code == 200
    assert client.get(url("applications:employer_application_detail", pk=application.pk)).status_code == 200
    application.cv.save("cv.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"))
    assert client.get(url("applications:employer_application_cv", pk=application.pk)).status_code == 200
    assert client.get(url("applications:employer_application_export", vacancy_pk=vacancy.pk)).status_code == 200
    assert [(kind, actor, subject, where) for kind, actor, _service, subject, where in logged()] == [
        ("personal_data_view", employer.pk, candidate.pk, "applications:employer_application_list"),
        ("personal_data_view", employer.pk, candidate.pk, "applications:employer_application_detail"),
        ("personal_data_view", employer.pk, candidate.pk, "applications:employer_application_cv"),
        ("export", employer.pk, candidate.pk, "applications:employer_application_export"),
    ]
    assert AuditEvent.objects.get(where="applications:employer_application_list").actor_label == (
        f"employer:employer {vacancy.employer_id}"
    )


def test_the_api_logs_employers_and_caseworkers_not_the_jobseeker_herself(world):  # noqa: F811
    m3, app1 = world["m3"], world["app1"]
    caseworker = world.client("caseworker_vdab")
    assert caseworker.get(f"/api/v1/matches/{m3.pk}").status_code == 200
    assert caseworker.get(f"/api/v1/matches?vacancy={m3.vacancy_id}").status_code == 200
    employer = world.client("token_employer")
    assert employer.get(f"/api/v1/applications/{app1.pk}").status_code == 200
    assert employer.get("/api/v1/applications/export").status_code == 200
    before = AuditEvent.objects.count()
    assert world.client("jobseeker").get("/api/v1/matches").status_code == 200
    assert world.client("jobseeker").get(f"/api/v1/applications/{app1.pk}").status_code == 200
    assert AuditEvent.objects.count() == before
    wheres = [(where, subject) for _k, _a, _s, subject, where in logged()]
    assert ("api:matches.retrieve", m3.candidate_id) in wheres
    assert ("api:matches.list", m3.candidate_id) in wheres
    assert ("api:applications.retrieve", app1.candidate_id) in wheres
    assert ("api:applications.export", app1.candidate_id) in wheres
    assert AuditEvent.objects.get(where="api:applications.export").kind == "export"


def test_only_a_portal_admin_downloads_the_log_and_the_download_is_logged(client):
    caseworker = CaseworkerFactory(employment_service=service("uwv"))
    client.force_login(caseworker)
    assert client.get(url("workspace:audit_export")).status_code == 403
    client.force_login(UserFactory(role="admin"))
    response = client.get(url("workspace:audit_export"), {"format": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    lines = response.content.decode("utf-8-sig").strip().splitlines()
    assert lines[0].startswith("seq;at;kind")
    assert "workspace:audit_export" in lines[1]  # the download itself is the first event
    response = client.get(url("workspace:audit_export"), {"format": "json", "kind": "export"})
    assert [e["where"] for e in response.json()] == ["workspace:audit_export", "workspace:audit_export"]
