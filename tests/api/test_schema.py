"""The OpenAPI 3 schema: valid, every operation described and with examples; docs from local files."""

import re

import pytest
from drf_spectacular.validation import validate_schema

pytestmark = pytest.mark.django_db


@pytest.fixture
def schema(client):
    response = client.get("/api/schema/?format=json")
    assert response.status_code == 200
    return response.json()


def test_the_schema_is_valid_openapi_3(schema):
    assert schema["openapi"].startswith("3.")
    validate_schema(schema)
    assert "tokenAuth" in schema["components"]["securitySchemes"]


def test_every_operation_is_described_with_examples_and_error_bodies(schema):
    for path, operations in schema["paths"].items():
        assert path.startswith("/api/v1/")
        for method, operation in operations.items():
            where = f"{method.upper()} {path}"
            assert operation.get("summary") or operation.get("description"), where
            successes = {code: r for code, r in operation["responses"].items() if code.startswith("2")}
            assert successes, where
            for code, response in successes.items():
                for media_type, content in response.get("content", {}).items():
                    assert content.get("examples"), f"{where} {code} {media_type}"
            for media_type, content in operation.get("requestBody", {}).get("content", {}).items():
                if media_type in ("application/json", "application/ld+json"):
                    assert content.get("examples"), f"{where} request {media_type}"
            for code in ("401", "403", "404"):
                assert operation["responses"][code]["content"]["application/json"]["schema"] == {
                    "$ref": "#/components/schemas/Error"
                }, where


@pytest.mark.parametrize("path", ["/api/docs/", "/api/redoc/"])
def test_the_docs_are_served_from_local_static_files(client, path):
    response = client.get(path)
    assert response.status_code == 200
    html = response.content.decode()
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert any("drf_spectacular_sidecar" in source for source in sources)
    assert not [source for source in sources if source.startswith(("http://", "https://", "//"))]
