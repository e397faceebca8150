import pytest

pytestmark = pytest.mark.django_db

BODIES = [
    '{"desired_occupations": [-2155484], "skills": [-624, 762, 19242], "employment_service": null, "languages": [{"level": 1}], "diplomas": [], "home_place": 19765}',
    '{"skills": [-624]}',
    '{"desired_occupations": [-2155484]}',
    '{"languages": [{"\\udb26x": 1, "language": "de", "level": 1}]}',
    '{"languages": [{"level": 1}]}',
    '{"home_place": 19765}',
    '{"employment_service": null}',
]


@pytest.mark.parametrize("body", BODIES)
def test_debug(world, body):
    client = world.client("jobseeker")
    response = client.generic("PATCH", "/api/v1/candidates/me", body.encode(), content_type="application/json")
    print(response.status_code, response.content[:300])
    assert response.status_code < 500
