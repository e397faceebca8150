"""axe-core over the caseworkers' training pages in Dutch and English: the list with its
filters, one offer, the form (empty and with errors) and the CSV import with its report."""

import pytest

from tests.factories import CaseworkerFactory, service
from tests.training.helpers import TIG, make_offer
from tests.training.test_imports import BAD, GOOD, _csv

pytestmark = [pytest.mark.browser]


@pytest.fixture
def world(reference_data):
    caseworker = CaseworkerFactory(email="cw-training@vdab.example", employment_service=service("vdab"))
    offer = make_offer(reference="AX-1", title_en="Forklift driver", languages={"nl": 3})
    make_offer(reference="AX-2", title_en="TIG welding", skills=(TIG,), where="Gent")
    return {"caseworker": caseworker, "offer": offer}


@pytest.mark.parametrize("language", ["nl", "en"])
def test_training_pages_have_no_serious_axe_violations(page, live_url, login, axe_check, world, language, tmp_path):
    violations = []
    login(world["caseworker"].email, language=language)
    for name, kwargs in (
        ("training:offer_list", {}),
        ("training:offer_detail", {"pk": world["offer"].pk}),
        ("training:offer_update", {"pk": world["offer"].pk}),
        ("training:offer_create", {}),
    ):
        page.goto(live_url(name, language, **kwargs))
        violations += axe_check()
    page.locator("main form button[type=submit]").click()  # the empty form: its errors
    page.wait_for_load_state("networkidle")
    assert page.locator(".error-summary").count() == 1
    violations += axe_check()
    upload = tmp_path / "offers.csv"
    upload.write_bytes(_csv(GOOD, BAD))
    page.goto(live_url("training:offer_import", language))
    page.locator("input[type=file]").set_input_files(str(upload))
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("main table tbody tr").count() == 2
    violations += axe_check()
    assert violations == []
