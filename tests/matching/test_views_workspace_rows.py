"""The shortlist's rows written in Python (issue 15) equal what the template's loops wrote."""

import itertools

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation
from django.utils.safestring import mark_safe

from core.url_prefix import url_of_pk
from matching.explanations import RenderedReason
from matching.views_workspace import _reasons_html

# The template's markup before issue 15 (templates/matching/shortlist.html), kept here to compare.
OLD_TOP = Template(
    '{% load i18n %}{% translate "Fits:" as t_fits %}{% translate "Attention:" as t_attention %}'
    '{% translate "Note:" as t_note %}{% translate "No explanation available." as t_none %}'
    '{% for reason in reasons %}<li class="reason--{{ reason.tone }}"><span class="visually-hidden">'
    '{% if reason.tone == "ok" %}{{ t_fits }}{% elif reason.tone == "warning" %}{{ t_attention }}'
    "{% else %}{{ t_note }}{% endif %}</span>{% if reason.factor_label %}"
    '<span class="reason__factor">{{ reason.factor_label }}:</span> {% endif %}{{ reason.text }}'
    '{% if reason.is_cross_border %} <a href="https://www.grensinfopunt.nl/" rel="noopener noreferrer">'
    "Grensinfopunt Scheldemond</a>{% endif %}</li>{% empty %}{% if top %}<li>{{ t_none }}</li>{% endif %}"
    "{% endfor %}"
)


def _reasons():
    texts = ["Past goed", 'a <b>"quoted"</b> & risky text', mark_safe("<em>safe</em> text")]
    return [
        RenderedReason(code=code, factor=factor, text=text, tone=tone, translated=True)
        for (code, factor, tone), text in zip(
            itertools.product(
                ("skills_match", "cross_border"), ("skills", "", "unknown"), ("ok", "warning", "info", "neutral")
            ),
            itertools.cycle(texts),
        )
    ]


@pytest.mark.parametrize("language", ["nl", "en", "fr"])
def test_the_reasons_in_python_equal_the_old_template_loop(language):
    reasons = _reasons()
    assert any(r.is_cross_border for r in reasons)
    assert any(r.factor_label for r in reasons)
    with translation.override(language):
        labels = {"ok": translation.gettext("Fits:"), "warning": translation.gettext("Attention:")}
        labels["note"] = translation.gettext("Note:")
        none = translation.gettext("No explanation available.")
        for chosen in (reasons, reasons[:2], reasons[5:6], []):
            for top in (True, False):
                old = OLD_TOP.render(Context({"reasons": chosen, "top": top}))
                new = _reasons_html(chosen, labels, none if top else "")
                assert new == old
    assert "&lt;b&gt;" in new or not chosen  # escaped, as the template did


def test_the_row_links_equal_reverse():
    for name in ("matching:match_detail", "routes:propose_for_match"):
        url = url_of_pk(name)
        for pk in (1, 42, 987654321, 10**12):
            assert url(pk) == reverse(name, kwargs={"pk": pk})
    with translation.override("en"):
        assert url_of_pk("matching:match_detail")(7) == reverse("matching:match_detail", kwargs={"pk": 7})
