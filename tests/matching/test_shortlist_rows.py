"""The shortlist's rows written in Python (issue 15) equal what the template's row loop wrote:
every branch of a row (flagged, by hand, read-only, ranked, decided, routed, ticked; a name to
escape) in nl, en and fr."""

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from core.url_prefix import url_of_pk
from matching import selectors
from matching.explanations import Lookup, render_explanation
from matching.models import CandidateResponse, MatchDecision, ReviewStatus
from matching.views_workspace import _reasons_html, _row_html, _row_texts, _top_reasons
from tests.factories import CaseworkerFactory, place, service
from tests.workspace_helpers import candidate_with_profile, make_match, published_vacancy

pytestmark = pytest.mark.django_db

# Was 25 before issue 15's rework. Now: the decidable ids, the paginator's COUNT, the tab counts
# and the two counts of hidden rows are shortlist_tabs' one query; the rows' reviewers and
# hand-adders one query (selectors.shortlist_rows_complete, run when a row has either, as here)
# instead of two joins; the user's employment service comes with the user (accounts.backends);
# the requirement panel takes the summary the page read; the first diploma, the desired
# occupations and the decisions come with the rows as JSON columns (no prefetch); the vacancy's
# skills of both kinds in one query (selectors.vacancy_for_shortlist).
EXACT_QUERIES = 16

# templates/matching/shortlist.html's row loop before issue 15, kept here to compare.
OLD_ROWS = Template(
    "{% load i18n match_tags %}"
    + r"""{% translate "Note:" as t_note %}{% translate "Added by hand" as t_manual %}{% translate "Read-only: another service decides." as t_readonly %}{% translate "Flagged:" as t_flagged_colon %}{% translate "approved earlier, but the candidate no longer passes:" as t_no_longer %}{% translate "a filter" as t_a_filter %}{% translate "Show more" as t_more %}{% translate "Registered with" as t_registered %}{% translate "Cross-border consent" as t_consent %}{% translate "minimum secondary diploma" as t_min_secondary %}{% translate "Reason:" as t_reason %}{% translate "Candidate:" as t_candidate %}{% translate "History" as t_history %}{% translate "Flagged" as t_flagged %}{% translate "Route to training" as t_route %}{% for row in rows %}{% with match=row.match candidate=row.match.candidate name=row.name %}
        <tr class="{% if match.is_flagged %}row--flagged{% endif %}{% if not match.decidable %} row--readonly{% endif %}">
          <td class="select-cell">{% if match.decidable %}<input type="checkbox" name="selected" value="{{ match.pk }}" id="select-{{ match.pk }}"{% if row.ticked %} checked{% endif %}><label for="select-{{ match.pk }}" class="visually-hidden">{% blocktranslate trimmed %}Select {{ name }}{% endblocktranslate %}</label>{% endif %}</td>
          <td class="shortlist__candidate">
            <a href="{{ row.detail_url }}"><strong>{{ name }}</strong></a>{% if match.source == "manual" %} <span class="badge badge--manual">{{ t_manual }}</span>{% endif %}{% if not match.decidable %} <span class="muted">{{ t_readonly }}</span>{% endif %}
            <ul class="reasons reasons--top">{{ row.top_reasons_html }}</ul>
            {% if match.is_flagged %}<p class="note"><strong>{{ t_flagged_colon }}</strong> {{ t_no_longer }} {% for code in match.flag_reasons %}{{ code|flag_reason }}{% if not forloop.last %}, {% endif %}{% empty %}{{ t_a_filter }}{% endfor %}.</p>{% endif %}
            <details class="shortlist__more">
              <summary>{{ t_more }}<span class="visually-hidden"> {{ name }}</span></summary>
              <p>{% if match.rank %}{% blocktranslate trimmed with rank=match.rank %}rank {{ rank }}{% endblocktranslate %} · {% endif %}{{ candidate.home_place|default:"—" }} · {{ t_registered }} {{ candidate.employment_service.name|default:"—" }}{% if candidate.consent_cross_border_at %} · <span class="badge badge--border">{{ t_consent }}</span>{% endif %}</p>
              {% if match.source == "manual" %}<p class="muted">{% blocktranslate trimmed with by=match.added_by|default:"—" %}by {{ by }}:{% endblocktranslate %} {{ match.added_reason }}</p>{% endif %}
              {% with row_diploma=candidate.diplomas.all|first %}{% if row_diploma %}{% with diploma=row_diploma.diploma %}<p>{{ diploma.label }} <span class="muted">({{ diploma.get_country_display }}{% if diploma.framework %}, {{ diploma.framework }} {{ diploma.framework_level }}{% endif %} = {% blocktranslate trimmed with level=diploma.eqf_level %}EQF {{ level }}{% endblocktranslate %}{% if diploma.is_minimum_secondary %}; {{ t_min_secondary }}{% endif %})</span></p>{% endwith %}{% endif %}{% endwith %}
              {% if row.more_reasons %}<ul class="reasons">{{ row.more_reasons_html }}</ul>{% endif %}
              {% if match.reason %}<p>{{ t_reason }} {{ match.get_reason_display }}</p>{% endif %}
              {% if match.note %}<p class="muted">{{ t_note }} {{ match.note }}</p>{% endif %}
              {% if match.review_status == "approved" %}<p>{{ t_candidate }} {{ match.get_candidate_response_display }}</p>{% endif %}
              {% if match.decidable and match.review_status != "routed" %}<p><a href="{{ row.route_url }}">{{ t_route }}<span class="visually-hidden"> {{ name }}</span></a></p>{% endif %}
              {% with decisions=match.decisions.all %}{% if decisions %}<p class="muted">{{ t_history }}</p>
              <ol class="trail">{% for d in decisions %}<li>{{ d.at|date:"SHORT_DATETIME_FORMAT" }} · {{ d.get_decision_display }} · {{ d.reviewer|default:"—" }}{% if d.reviewer_service %} ({{ d.reviewer_service|upper }}){% endif %}{% if d.reason %} · {{ d.get_reason_display }}{% endif %}{% if d.note %} · {{ d.note }}{% endif %}</li>{% endfor %}</ol>{% endif %}{% endwith %}
            </details>
          </td>
          <td class="num shortlist__score"><strong>{{ match.score|percent }}%</strong></td>
          <td class="shortlist__decision"><span class="badge badge--{{ match.review_status }}">{{ match.get_review_status_display }}</span>{% if match.is_flagged %} <span class="badge badge--flagged">{{ t_flagged }}</span>{% endif %}{% if match.review_status != "proposed" and match.reviewer %}<br><span class="muted">{{ match.reviewer }}</span>{% endif %}</td>
        </tr>
      {% endwith %}{% endfor %}"""
)


@pytest.fixture
def shortlist():
    uwv = CaseworkerFactory(employment_service=service("uwv"), first_name="Ria", last_name="<Kok>")
    # In Belgium: a VDAB candidate with cross-border consent is then read-only for UWV.
    vacancy = published_vacancy(place=place("Gent", "BE"))
    plain = make_match(vacancy=vacancy, candidate=candidate_with_profile(first_name="Anna", last_name="<b>Best</b>"))
    flagged = make_match(
        vacancy=vacancy,
        candidate=candidate_with_profile(first_name="Bert"),
        score=0.5,
        rank=2,
        is_flagged=True,
        flag_reasons=["commute", {"code": "languages"}],
        review_status=ReviewStatus.APPROVED,
        candidate_response=CandidateResponse.ACCEPTED,
        reviewer=uwv,
    )
    make_match(
        vacancy=vacancy,
        candidate=candidate_with_profile(first_name="Cees"),
        score=0.4,
        is_flagged=True,
        source="manual",
        added_by=uwv,
        added_reason='Knows the port & "quays"',
    )
    rejected = make_match(
        vacancy=vacancy,
        candidate=candidate_with_profile(
            first_name="Dirk", home="Gent", country="BE", service_code="vdab", cross_border=True
        ),
        score=0.3,
        rank=1234,
        review_status=ReviewStatus.REJECTED,
        reason="skills",
        note="Not <now>",
        reviewer=uwv,
    )
    make_match(vacancy=vacancy, candidate=candidate_with_profile(first_name="Eva"), score=0.2, review_status="routed")
    for match, decision, reason, note in (
        (flagged, ReviewStatus.APPROVED, "", ""),
        (rejected, ReviewStatus.APPROVED, "", "first <look>"),
        (rejected, ReviewStatus.REJECTED, "skills", ""),
    ):
        MatchDecision.objects.create(
            match=match, decision=decision, reviewer=uwv, reviewer_service="uwv", reason=reason, note=note
        )
    MatchDecision.objects.create(match=plain, decision=ReviewStatus.APPROVED, reviewer=None, reviewer_service="")
    return uwv, vacancy, {flagged.pk}


@pytest.mark.parametrize("language", ["nl", "en", "fr"])
def test_each_row_in_python_equals_the_old_template_row(shortlist, language):
    uwv, vacancy, ticked = shortlist
    with translation.override(language):
        matches = list(selectors.shortlist_for_caseworker(user=uwv, vacancy=vacancy))
        selectors.shortlist_rows_complete(matches)
        assert len(matches) == 5
        assert {m.decidable for m in matches} == {True, False}  # vdab's candidate is read-only for uwv
        texts = _row_texts()
        detail_url, route_url = url_of_pk("matching:match_detail"), url_of_pk("routes:propose_for_match")
        old_rows, new = [], []
        for match in matches:
            match.vacancy = vacancy
            lookup = Lookup.for_match(match)
            lookup.occupations.update({o.pk: o.label for o in match.candidate.desired_occupations.all()})
            reasons = render_explanation(match.explanation, lookup)
            top = _top_reasons(reasons)
            more = [r for r in reasons if not any(r is t for t in top)]
            user = match.candidate.user
            row = {
                "match": match,
                "name": user.get_full_name() or user.email,
                "more_reasons": more,
                "top_reasons_html": _reasons_html(top, texts["tones"], texts["no_explanation"]),
                "more_reasons_html": _reasons_html(more, texts["tones"]),
                "detail_url": detail_url(match.pk),
                "route_url": route_url(match.pk),
                "ticked": match.pk in ticked,
            }
            old_rows.append(row)
            new.append(
                _row_html(
                    match,
                    name=row["name"],
                    top_html=_reasons_html(top, texts["tones"], texts["no_explanation"], texts["factors"]),
                    more_html=_reasons_html(more, texts["tones"], factor_labels=texts["factors"]),
                    detail_url=row["detail_url"],
                    route_url=row["route_url"],
                    ticked=row["ticked"],
                    t=texts,
                )
            )
        old = OLD_ROWS.render(Context({"rows": old_rows}))
    assert "".join(new) == old
    page = "".join(new)
    assert "&lt;b&gt;Best&lt;/b&gt;" in page  # escaped, as the template did
    assert "<b>Best" not in page
    for branch in (" checked>", "row--flagged", "row--readonly", "badge--manual", "(UWV)", "Not &lt;now&gt;"):
        assert branch in page


@pytest.mark.parametrize("language", ["nl", "fr"])
def test_a_rows_lookup_from_the_pages_equals_the_one_of_its_match(shortlist, language):
    """The page builds each row's names from the vacancy's once (Lookup.for_candidate_of_row);
    they are the names Lookup.for_match finds for the match."""
    uwv, vacancy, _ticked = shortlist
    vacancy = selectors.vacancy_for_shortlist(pk=vacancy.pk)  # with the skills, as the page has it
    with translation.override(language):
        base = Lookup().with_vacancy(vacancy)
        assert base.vacancy_occupation
        rows = list(selectors.shortlist_for_caseworker(user=uwv, vacancy=vacancy))
        selectors.shortlist_rows_complete(rows)
        for match in rows:
            match.vacancy = vacancy
            expected = Lookup.for_match(match)
            expected.occupations.update({o.pk: o.label for o in match.candidate.desired_occupations.all()})
            row = base.for_candidate_of_row(match.candidate, match.candidate.shortlist_occupations)
            assert row == expected
            assert match.candidate.home_place_id in row.places


def test_the_row_texts_follow_the_language():
    with translation.override("nl"):
        dutch = _row_texts()
    with translation.override("en"):
        english = _row_texts()
    assert english["more"] == "Show more"
    assert dutch["more"] != english["more"]
    assert english["status"][ReviewStatus.APPROVED] == "Approved"


def test_the_tabs_in_one_query_equal_the_selectors_they_replace(shortlist, django_assert_num_queries):
    uwv, vacancy, _ticked = shortlist
    vdab = CaseworkerFactory(employment_service=service("vdab"))
    for user in (uwv, vdab):
        expected_decidable = [
            m.pk for m in selectors.shortlist_for_caseworker(user=user, vacancy=vacancy) if m.decidable
        ]
        with django_assert_num_queries(1):  # every row of the shortlist, with whether the user sees it
            tabs = selectors.shortlist_tabs(user=user, vacancy=vacancy)
        assert tabs["counts"] == selectors.shortlist_counts(user=user, vacancy=vacancy)
        assert tabs["hidden"] == selectors.hidden_match_count(user=user, vacancy=vacancy)
        assert tabs["decidable_ids"] == expected_decidable
    assert selectors.shortlist_tabs(user=vdab, vacancy=vacancy)["hidden"] == 4  # UWV's four without consent
    assert len(selectors.shortlist_tabs(user=uwv, vacancy=vacancy)["decidable_ids"]) == 4


def test_the_page_runs_an_exact_number_of_queries(client, shortlist, django_assert_num_queries):
    """Exact, whatever the number of rows (the rows' names, diplomas, occupations and decisions
    come with the rows' query; their reviewers' names in one more)."""
    uwv, vacancy, _ticked = shortlist
    client.force_login(uwv)
    url = reverse("matching:shortlist", kwargs={"pk": vacancy.pk})
    client.get(url)  # the first opening records itself once (matching.services.review_opening_record)
    with django_assert_num_queries(EXACT_QUERIES):
        response = client.get(url)
    assert len(response.context["rows"]) == 5
