"""The caseworker's shortlist on a phone (390 x 844): compact rows, no sideways scrolling, the
score and decision columns in view, the bulk decision sticky at the top and usable; axe nl/en."""

import pytest
from django.utils import timezone

from matching.models import MatchDecision, ReviewStatus
from tests.browser.conftest import PHONE, SERIOUS
from tests.factories import CaseworkerFactory, place, service
from tests.workspace_helpers import candidate_with_profile, make_match, published_vacancy

pytestmark = [pytest.mark.browser]


@pytest.fixture
def shortlist(reference_data):
    uwv = CaseworkerFactory(email="cw@uwv.example", employment_service=service("uwv"), first_name="Ria")
    vacancy = published_vacancy(title="Procesoperator ammoniakfabriek met een lange titel", place=place("Terneuzen"))
    matches = []
    for n in range(14):
        matches.append(
            make_match(
                vacancy=vacancy,
                candidate=candidate_with_profile(first_name=f"Kandidaat{n}", last_name="Meteenzeerlangeachternaam"),
                score=0.95 - n / 50,
            )
        )
    decided = matches[1]
    decided.review_status, decided.reviewer, decided.reviewed_at = ReviewStatus.APPROVED, uwv, timezone.now()
    decided.is_flagged, decided.flag_reasons = True, ["commute_too_far"]
    decided.save()
    MatchDecision.objects.create(match=decided, decision="approved", reviewer=uwv, reviewer_service="uwv")
    make_match(  # another service's candidate: read-only
        vacancy=vacancy,
        candidate=candidate_with_profile(
            first_name="Vlaamse", service_code="vdab", cross_border=True, home="Zelzate", country="BE"
        ),
        score=0.5,
    )
    return {"uwv": uwv, "vacancy": vacancy, "matches": matches}


def in_view(page, selector: str) -> bool:
    box = page.locator(selector).first.bounding_box()
    return box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"] + 0.5 and box["y"] >= 0


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_shortlist_fits_a_phone_and_the_decision_stays_in_reach(
    page, live_url, login, axe_check, screenshot, shortlist, language
):
    login(shortlist["uwv"].email, language=language)
    page.set_viewport_size(PHONE)
    page.goto(live_url("matching:shortlist", language, pk=shortlist["vacancy"].pk))
    page.wait_for_load_state("networkidle")

    # No sideways scrolling (read through the DevTools protocol, not a page script: the CSP allows none).
    width, client = page.evaluate("[document.scrollingElement.scrollWidth, document.scrollingElement.clientWidth]")
    assert width <= client, f"the page scrolls sideways: {width} > {client}"
    # Every row's score and decision are on screen, not cut off.
    rows = page.locator("table.shortlist tbody tr")
    assert rows.count() == 15
    for cell in ("td.shortlist__score", "td.shortlist__decision"):
        for box in [c.bounding_box() for c in page.locator(cell).all()]:
            assert box["x"] >= 0, (cell, box)
            assert box["x"] + box["width"] <= PHONE["width"] + 0.5, (cell, box)
    page.locator("table.shortlist").scroll_into_view_if_needed()
    screenshot(f"shortlist-phone-rows-{language}", full_page=False)
    # One compact line per candidate; the details on demand.
    first = shortlist["matches"][0]
    details = page.locator("table.shortlist tbody tr").first.locator("details")
    assert details.get_attribute("open") is None
    details.locator("summary").click()
    assert details.get_attribute("open") is not None
    # The decision bar is at the top and stays in view when scrolled to the last row.
    assert in_view(page, "fieldset.decision-bar button[type=submit]")
    assert in_view(page, "fieldset.decision-bar input[name=decision]")
    screenshot(f"shortlist-phone-{language}", full_page=False)
    page.locator("table.shortlist tbody tr").last.scroll_into_view_if_needed()
    assert page.evaluate("document.scrollingElement.scrollTop") > 0
    assert in_view(page, "fieldset.decision-bar button[type=submit]")
    assert page.locator("fieldset.decision-bar").evaluate("e => getComputedStyle(e).position") == "sticky"
    assert axe_check() == []

    # Usable: tick the first row, approve, save.
    page.check(f"#select-{first.pk}")
    page.check("input[name=decision][value=approved]")
    page.locator("fieldset.decision-bar button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    first.refresh_from_db()
    assert first.review_status == ReviewStatus.APPROVED
    assert [v for v in axe_check() if v["impact"] in SERIOUS] == []
