"""In this portal "grens" means the Dutch–Belgian border; the commute limit is a "maximum" in
Dutch (issue 11, "a smoother walk")."""

import re

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from matching.explanations import filter_reason_label, render_reason
from matching.transparency import STEP_ADVICE
from tests.factories import CandidateFactory
from tests.matching.test_explanations import EXAMPLES, LOOKUP

# Every message about the commute limit (matching/explanations.py, matching/transparency.py).
LIMIT_MESSAGES = [
    "(more than the limit of %(limit)s min).",
    "(limit %(limit)s min).",
    "the commute is longer than the candidate's limit",
    "Say how you travel and how long you are willing to travel; a longer limit reaches more vacancies.",
    "Limit %(limit)s min.",
]


@pytest.mark.parametrize("message", LIMIT_MESSAGES)
def test_the_commute_limit_is_a_maximum_in_dutch(message):
    with translation.override("nl"):
        dutch = gettext(message)
    assert dutch != message  # translated
    assert "grens" not in dutch.lower()
    assert "maximum" in dutch.lower()


def test_the_dutch_explanations_say_maximum_and_keep_grens_for_the_border():
    too_far = next(e for e in EXAMPLES if e["code"] == "commute")
    with translation.override("nl"):
        text = render_reason(too_far, LOOKUP).text
        label = filter_reason_label("commute_too_far")
        hint = str(STEP_ADVICE["commute"])
    assert "(meer dan het maximum van 60 min)" in text
    assert "Nederlands-Belgische grens" in text  # the border stays the border
    assert "maximum" in label
    assert "grens" not in label
    assert "grens" not in hint


@pytest.mark.django_db
def test_the_dutch_commute_step_uses_grens_only_for_the_border(client):
    client.force_login(CandidateFactory().user)
    with translation.override("nl"):
        html = client.get(reverse("candidates:step", kwargs={"step": "commute"})).content.decode()
    assert "maximale" in html.lower() or "langste" in html.lower()  # the field itself
    # "de grens" (the border) and its compounds (Grensinfopunt) may stay; no limit called "grens".
    for found in re.finditer(r"\bgrens\b", html, flags=re.IGNORECASE):
        assert html[max(0, found.start() - 3) : found.start()].lower() == "de ", html[found.start() - 40 : found.end()]
