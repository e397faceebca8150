"""First contact: the schema builds, the main endpoints answer."""

import pytest

pytestmark = pytest.mark.django_db


def test_schema_is_served(world):
    response = world.client("anonymous").get("/api/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200


def test_public_vacancies(world):
    response = world.client("anonymous").get("/api/v1/vacancies")
    assert response.status_code == 200, response.content
    ids = {row["id"] for row in response.json()["results"]}
    assert ids == {world["va_pub"].pk, world["vb_pub"].pk}


def test_token_me(world):
    response = world.client("token_employer").get("/api/v1/me")
    assert response.status_code == 200, response.content
    assert response.json()["role"] == "employer"
    assert world.client("token_revoked").get("/api/v1/me").status_code == 401
