import datetime as dt

import pytest
from rest_framework.test import APIClient

from taxonomy.models import Skill

from .helpers import DUTCH, FORKLIFT, TIG, make_offer, place

pytestmark = pytest.mark.django_db
URL = "/api/v1/training-offers"


@pytest.fixture
def offers():
    forklift = make_offer(reference="F", title_en="Forklift driver", starts=(dt.date(2027, 1, 5),))
    dutch = make_offer(
        reference="D",
        title_en="Dutch at work",
        skills=(DUTCH,),
        where="Gent",
        starts=(dt.date(2027, 9, 1),),
        languages={"nl": 3},
        instruction_language="fr",
        funding="free_vdab",
    )
    make_offer(reference="OLD", title_en="Old course", is_active=False)
    return {"forklift": forklift, "dutch": dutch}


def _refs(response) -> list[str]:
    assert response.status_code == 200, response.content[:300]
    return [row["reference"] for row in response.json()["results"]]


def test_anyone_reads_the_active_offers(offers):
    client = APIClient()
    assert _refs(client.get(URL)) == ["D", "F"]
    detail = client.get(f"{URL}/{offers['dutch'].pk}", HTTP_ACCEPT_LANGUAGE="fr")
    body = detail.json()
    assert body["title"] == "Dutch at work (fr)"
    assert body["language_levels"] == [{"language": "nl", "level": 3}]
    assert body["starts"] == ["2027-09-01"]
    assert body["place"]["name"] == "Gent"
    assert body["skills"][0]["uri"] == DUTCH


def test_filters(offers):
    client = APIClient()
    assert _refs(client.get(URL, {"skill": Skill.objects.get(uri=FORKLIFT).pk})) == ["F"]
    assert _refs(client.get(URL, {"place": place("Gent").pk})) == ["D"]
    assert _refs(client.get(URL, {"country": "NL"})) == ["F"]
    assert _refs(client.get(URL, {"language": "fr"})) == ["D"]
    assert _refs(client.get(URL, {"starts_after": "2027-06-01"})) == ["D"]
    assert _refs(client.get(URL, {"funding": "uwv_budget"})) == ["F"]
    assert _refs(client.get(URL, {"q": "dutch"})) == ["D"]


def test_bad_filters_and_inactive_offers_give_the_error_envelope(offers):
    from training.models import TrainingOffer

    client = APIClient()
    response = client.get(URL, {"starts_after": "soon", "country": "DE"})
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")
    assert "error" in response.json() or "errors" in response.json()
    old = TrainingOffer.objects.get(reference="OLD")
    assert client.get(f"{URL}/{old.pk}").status_code == 404


def test_no_writes():
    assert APIClient().post(URL, {}, format="json").status_code in (401, 403, 405)


def test_queries_do_not_grow_with_the_rows(django_assert_num_queries):
    client = APIClient()
    make_offer(reference="ONE")
    client.get(URL)
    with django_assert_num_queries(5):  # count, page, skills, languages, starts
        assert len(client.get(URL).json()["results"]) == 1
    for n in range(5):
        make_offer(reference=f"M{n}", skills=(FORKLIFT, TIG), languages={"nl": 3, "fr": 2})
    with django_assert_num_queries(5):
        assert len(client.get(URL).json()["results"]) == 6
