"""The caseworker's match pages: a vacancy's shortlist, one match with its decision, rematch.

They live in matching, not in the workspace app, because they are matching's own rules (who
may see and decide a match, the explanations); the workspace links to them. Querysets are
scoped first by the selectors (``Match.objects.for_caseworker``: what a user may not see is a
404), the role decorators come on top. Writes go through ``matching.services``.
"""

import html

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import template_localtime
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.access_alerts import counts_personal_data_access
from accounts.decorators import caseworker_required
from accounts.forms import add_service_errors
from audit.services import audit_views
from candidates.models import Candidate
from core.url_prefix import url_of_pk
from vacancies.fast_forms import FAST_WIDGETS
from vacancies.models import Vacancy, VacancyStatus

from . import selectors
from .explanations import FACTOR_LABELS, Lookup, filter_reason_label, render_explanation
from .forms import AddByHandForm, BulkDecisionForm, MatchDecisionForm
from .models import CandidateResponse, Match, RejectionReason, ReviewStatus
from .pause import pauses_shown_to
from .permissions import candidate_visible_q
from .services import (
    match_add_by_hand,
    match_decide,
    match_decide_many,
    review_opening_record,
    vacancy_rematch_request,
)
from .templatetags.match_tags import percent
from .views_employer import requirement_costs_refresh_message

SHORTLIST_PAGE_SIZE = 50


def _query_without(request: HttpRequest, *names: str) -> str:
    params = request.GET.copy()
    for name in names:
        params.pop(name, None)
    return params.urlencode()


# --- the shortlist of a vacancy ---------------------------------------------------------------

TOP_REASONS = 2  # shown on the candidate's line; the others on demand


def _top_reasons(reasons: list) -> list:
    """What needs attention first (warnings), then what fits, in the explanation's order."""
    return sorted(reasons, key=lambda reason: reason.tone != "warning")[:TOP_REASONS]


_GRENSINFO = ' <a href="https://www.grensinfopunt.nl/" rel="noopener noreferrer">Grensinfopunt Scheldemond</a>'


def _esc(value) -> str:
    """``conditional_escape`` without Django's lazy-string wrappers around it (issue 15: called
    thousands of times a page); the same text: what is safe stays, the rest through html.escape."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


def _reasons_html(
    reasons: list, tone_labels: dict[str, str], none_text: str = "", factor_labels: dict[str, str] | None = None
) -> SafeString:
    """A row's reasons as ``<li>`` items, written once in Python (issue 15: a template loop with
    its tags per reason was much of the shortlist's rendering). The markup is the template's
    (tests/matching/test_views_workspace_rows.py compares them). ``factor_labels``: the
    ``factor_label`` of each factor translated once (``_row_texts``), not once per reason."""
    items = []
    for reason in reasons:
        tone = reason.tone
        factor = reason.factor_label if factor_labels is None else factor_labels.get(reason.factor, "")
        label = tone_labels[tone] if tone in tone_labels else tone_labels["note"]
        factor_html = f'<span class="reason__factor">{_esc(factor)}:</span> ' if factor else ""
        cross_border = _GRENSINFO if reason.is_cross_border else ""
        items.append(
            f'<li class="reason--{_esc(tone)}"><span class="visually-hidden">{_esc(label)}</span>'
            f"{factor_html}{_esc(reason.text)}{cross_border}</li>"
        )
    if not items and none_text:
        items.append(f"<li>{_esc(none_text)}</li>")
    return mark_safe("".join(items))


# --- one shortlist row, written wholly in Python (issue 15) -----------------------------------
# The row's markup was the template's loop body; per row it cost ~1,100 gettext calls a page and
# most of the rendering time. The texts are translated once per language (translations are fixed
# per process) and every user value goes through _esc(), like the template's autoescape did.
# tests/matching/test_shortlist_rows.py compares this with the old template loop.

_ROW_TEXTS: dict[str, dict] = {}


def _row_texts() -> dict:
    language = get_language()
    texts = _ROW_TEXTS.get(language)
    if texts is None:
        plain = {
            "note": _("Note:"),
            "manual": _("Added by hand"),
            "readonly": _("Read-only: another service decides."),
            "flagged_colon": _("Flagged:"),
            "no_longer": _("approved earlier, but the candidate no longer passes:"),
            "a_filter": _("a filter"),
            "more": _("Show more"),
            "registered": _("Registered with"),
            "consent": _("Cross-border consent"),
            "min_secondary": _("minimum secondary diploma"),
            "reason": _("Reason:"),
            "candidate": _("Candidate:"),
            "history": _("History"),
            "flagged": _("Flagged"),
            "route": _("Route to training"),
        }
        texts = {key: _esc(value) for key, value in plain.items()}
        # blocktranslate's messages: the text as translated, the values escaped when filled in.
        texts["select"] = _("Select %(name)s")
        texts["rank"] = _("rank %(rank)s")
        texts["by"] = _("by %(by)s:")
        texts["eqf"] = _("EQF %(level)s")
        texts["tones"] = {"ok": _("Fits:"), "warning": _("Attention:"), "note": _("Note:")}
        texts["no_explanation"] = _("No explanation available.")
        texts["factors"] = {factor: str(label) for factor, label in FACTOR_LABELS.items()}
        texts["status"] = {value: _esc(str(label)) for value, label in ReviewStatus.choices}
        texts["decision_reason"] = {value: _esc(str(label)) for value, label in RejectionReason.choices}
        texts["response"] = {value: _esc(str(label)) for value, label in CandidateResponse.choices}
        _ROW_TEXTS[language] = texts
    return texts


def _label(labels: dict, value) -> str:
    """``get_FOO_display()`` from a dict translated once; an unknown value shows as itself."""
    return labels[value] if value in labels else _esc(value)


def _row_html(
    match: Match, *, name: str, top_html: str, more_html: str, detail_url: str, route_url: str, ticked: bool, t: dict
) -> SafeString:
    """One ``<tr>`` of the shortlist: what templates/matching/shortlist.html wrote per row."""
    candidate = match.candidate
    pk = match.pk
    decidable = match.decidable
    flagged = match.is_flagged
    manual = match.source == "manual"
    status = match.review_status
    name_html = _esc(name)
    parts = [
        '\n        <tr class="',
        "row--flagged" if flagged else "",
        "" if decidable else " row--readonly",
        '">\n          <td class="select-cell">',
    ]
    if decidable:
        parts.append(
            f'<input type="checkbox" name="selected" value="{pk}" id="select-{pk}"{" checked" if ticked else ""}>'
            f'<label for="select-{pk}" class="visually-hidden">{t["select"] % {"name": name_html}}</label>'
        )
    parts.append(
        f'</td>\n          <td class="shortlist__candidate">\n            <a href="{detail_url}"><strong>{name_html}</strong></a>'
    )
    if manual:
        parts.append(f' <span class="badge badge--manual">{t["manual"]}</span>')
    if not decidable:
        parts.append(f' <span class="muted">{t["readonly"]}</span>')
    parts.append(f'\n            <ul class="reasons reasons--top">{top_html}</ul>\n            ')
    if flagged:
        codes = match.flag_reasons
        labels = ", ".join(_esc(filter_reason_label(code)) for code in codes) if codes else t["a_filter"]
        parts.append(f'<p class="note"><strong>{t["flagged_colon"]}</strong> {t["no_longer"]} {labels}.</p>')
    parts.append(
        f'\n            <details class="shortlist__more">\n              <summary>{t["more"]}'
        f'<span class="visually-hidden"> {name_html}</span></summary>\n              <p>'
    )
    if match.rank:
        parts.append(t["rank"] % {"rank": _esc(match.rank)} + " · ")
    service = candidate.employment_service
    parts.append(
        f"{_esc(candidate.home_place) if candidate.home_place else '—'} · {t['registered']} "
        f"{_esc(service.name) if service and service.name else '—'}"
    )
    if candidate.consent_cross_border_at:
        parts.append(f' · <span class="badge badge--border">{t["consent"]}</span>')
    parts.append("</p>\n              ")
    if manual:
        by = _esc(match.added_by) if match.added_by else "—"
        parts.append(f'<p class="muted">{t["by"] % {"by": by}} {_esc(match.added_reason)}</p>')
    parts.append("\n              ")
    diplomas = candidate.shortlist_diplomas
    if diplomas:
        diploma = diplomas[0].diploma
        framework = f", {_esc(diploma.framework)} {_esc(diploma.framework_level)}" if diploma.framework else ""
        parts.append(
            f'<p>{_esc(diploma.label)} <span class="muted">({_esc(diploma.get_country_display())}{framework}'
            f" = {t['eqf'] % {'level': _esc(diploma.eqf_level)}}"
            f"{'; ' + t['min_secondary'] if diploma.is_minimum_secondary else ''})</span></p>"
        )
    parts.append("\n              ")
    if more_html:
        parts.append(f'<ul class="reasons">{more_html}</ul>')
    parts.append("\n              ")
    if match.reason:
        parts.append(f"<p>{t['reason']} {_label(t['decision_reason'], match.reason)}</p>")
    parts.append("\n              ")
    if match.note:
        parts.append(f'<p class="muted">{t["note"]} {_esc(match.note)}</p>')
    parts.append("\n              ")
    if status == "approved":
        parts.append(f"<p>{t['candidate']} {_label(t['response'], match.candidate_response)}</p>")
    parts.append("\n              ")
    if decidable and status != "routed":
        parts.append(f'<p><a href="{route_url}">{t["route"]}<span class="visually-hidden"> {name_html}</span></a></p>')
    parts.append("\n              ")
    decisions = match.shortlist_decisions
    if decisions:
        parts.append(f'<p class="muted">{t["history"]}</p>\n              <ol class="trail">')
        for d in decisions:
            parts.append(
                f"<li>{_esc(date_format(template_localtime(d.at), 'SHORT_DATETIME_FORMAT'))}"
                f" · {_label(t['status'], d.decision)} · {_esc(d.reviewer) if d.reviewer else '—'}"
            )
            if d.reviewer_service:
                parts.append(f" ({_esc(d.reviewer_service.upper())})")
            if d.reason:
                parts.append(f" · {_label(t['decision_reason'], d.reason)}")
            if d.note:
                parts.append(f" · {_esc(d.note)}")
            parts.append("</li>")
        parts.append("</ol>")
    parts.append(
        f'\n            </details>\n          </td>\n          <td class="num shortlist__score"><strong>'
        f"{percent(match.score)}%</strong></td>\n          "
        f'<td class="shortlist__decision"><span class="badge badge--{_esc(status)}">{_label(t["status"], status)}</span>'
    )
    if flagged:
        parts.append(f' <span class="badge badge--flagged">{t["flagged"]}</span>')
    if status != "proposed" and match.reviewer:
        parts.append(f'<br><span class="muted">{_esc(match.reviewer)}</span>')
    parts.append("</td>\n        </tr>\n      ")
    return mark_safe("".join(parts))


def _shortlist_vacancy(pk: int) -> Vacancy:
    try:
        return selectors.vacancy_for_shortlist(pk=pk)
    except Vacancy.DoesNotExist as exc:
        raise Http404 from exc


@caseworker_required
@require_http_methods(["GET", "POST"])
def shortlist(request: HttpRequest, pk: int) -> HttpResponse:
    """Candidates ranked by score with their explanation; approve or reject several at once."""
    vacancy = _shortlist_vacancy(pk)
    view = request.GET.get("view", "all")
    if view not in selectors.SHORTLIST_VIEWS:
        view = "all"
    matches = selectors.shortlist_for_caseworker(user=request.user, vacancy=vacancy, view=view)
    tabs = selectors.shortlist_tabs(user=request.user, vacancy=vacancy)
    decidable_ids = tabs["decidable_ids"]
    form = BulkDecisionForm(request.POST if request.method == "POST" else None, decidable_ids=decidable_ids)
    form.renderer = FAST_WIDGETS  # its selects written in Python (vacancies/fast_forms.py)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            decided = match_decide_many(
                match_ids=data["selected"],
                reviewer=request.user,
                decision=data["decision"],
                reason=data.get("reason", ""),
                note=data.get("note", "").strip(),
            )
        except PermissionDenied:
            form.add_error("selected", _("You may not decide on one of the ticked candidates."))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if data["decision"] == ReviewStatus.APPROVED:
                text = ngettext(
                    "%(n)s candidate approved. They are asked whether to share their profile.",
                    "%(n)s candidates approved. They are asked whether to share their profile.",
                    len(decided),
                )
            else:
                text = ngettext("%(n)s candidate rejected.", "%(n)s candidates rejected.", len(decided))
            messages.success(request, text % {"n": len(decided)})
            url = reverse("matching:shortlist", kwargs={"pk": vacancy.pk})
            query = request.GET.urlencode()
            return redirect(f"{url}?{query}" if query else url)
    if request.method == "GET":
        review_opening_record(user=request.user, vacancy=vacancy)  # oversight: when the review began
    paginator = Paginator(matches, SHORTLIST_PAGE_SIZE)
    paginator.count = tabs["counts"][view]  # the tab's count is the view's: no COUNT query of its own
    page = paginator.get_page(request.GET.get("page"))
    audit_views(
        actor=request.user, candidate_ids=[m.candidate_id for m in page.object_list], where="matching:shortlist"
    )
    selectors.shortlist_rows_complete(list(page.object_list))
    lookup_base = Lookup().with_vacancy(vacancy)
    rows = []
    ticked = {str(t) for t in form["selected"].value() or []} if form.is_bound else set()
    texts = _row_texts()
    tone_labels, none_text, factor_labels = texts["tones"], texts["no_explanation"], texts["factors"]
    detail_url, route_url = url_of_pk("matching:match_detail"), url_of_pk("routes:propose_for_match")
    for match in page.object_list:
        match.vacancy = vacancy  # the page's own, not one per row (the selector does not join it)
        lookup = lookup_base.for_candidate_of_row(match.candidate, match.candidate.shortlist_occupations)
        reasons = render_explanation(match.explanation, lookup)
        top = _top_reasons(reasons)
        more = [r for r in reasons if not any(r is t for t in top)]
        user = match.candidate.user
        rows.append(
            {
                "match": match,
                "html": _row_html(
                    match,
                    name=user.get_full_name() or user.email,
                    top_html=_reasons_html(top, tone_labels, none_text, factor_labels),
                    more_html=_reasons_html(more, tone_labels, factor_labels=factor_labels),
                    detail_url=detail_url(match.pk),
                    route_url=route_url(match.pk),
                    ticked=str(match.pk) in ticked,
                    t=texts,
                ),
            }
        )
    return render(
        request,
        "matching/shortlist.html",
        {
            "vacancy": vacancy,
            "rows": rows,
            "page_obj": page,
            "view": view,
            "counts": tabs["counts"],
            "hidden": tabs["hidden"],
            "summary": selectors.shortlist_summary(vacancy=vacancy),
            "form": form,
            "has_decidable": bool(decidable_ids),
            "can_rematch": vacancy.status == VacancyStatus.PUBLISHED,
            "pauses": pauses_shown_to(request.user),
            "add_query": request.GET.get("add_q", "")[:100],
            "add_results": selectors.candidates_addable_by_hand(
                user=request.user, vacancy=vacancy, query=request.GET.get("add_q", "")
            )
            if vacancy.status == VacancyStatus.PUBLISHED and request.GET.get("add_q")
            else [],
            "query_string": _query_without(request, "page"),
            "views": [
                ("all", _("All")),
                ("proposed", _("To review")),
                ("approved", _("Approved")),
                ("rejected", _("Rejected")),
                ("flagged", _("Flagged")),
            ],
        },
    )


@caseworker_required
@counts_personal_data_access("matching:match_detail")
@require_http_methods(["GET", "POST"])
def match_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One match: the candidate's profile, the full explanation, the decision and its history."""
    try:
        match = selectors.match_get_for_caseworker(user=request.user, pk=pk)
    except Match.DoesNotExist as exc:
        raise Http404 from exc
    form = MatchDecisionForm(
        request.POST if request.method == "POST" else None,
        initial={"decision": match.review_status if match.review_status != ReviewStatus.PROPOSED else None},
    )
    if request.method == "GET":
        review_opening_record(user=request.user, vacancy=match.vacancy, match=match)
    if request.method == "POST":
        if not match.decidable:
            raise PermissionDenied(_("You may not decide on this candidate's match."))
        if form.is_valid():
            data = form.cleaned_data
            try:
                match_decide(
                    match=match,
                    reviewer=request.user,
                    decision=data["decision"],
                    reason=data.get("reason", ""),
                    note=data.get("note", "").strip(),
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Your decision is saved."))
                return redirect("matching:shortlist", pk=match.vacancy_id)
    audit_views(actor=request.user, candidate_ids=[match.candidate_id], where="matching:match_detail")
    return render(
        request,
        "matching/match_detail.html",
        {
            "match": match,
            "vacancy": match.vacancy,
            "candidate": match.candidate,
            "reasons": render_explanation(match.explanation, Lookup.for_match(match)),
            "form": form,
            "decisions": list(match.decisions.all()),
        },
    )


@caseworker_required
@require_POST
def rematch(request: HttpRequest, pk: int) -> HttpResponse:
    """ "Rematch now": the worker scores every candidate against this vacancy again."""
    vacancy = _shortlist_vacancy(pk)
    try:
        vacancy_rematch_request(vacancy=vacancy)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _(
                "The shortlist is being made again. Decisions already taken stay. "
                "Reload this page in a moment to see the result."
            ),
        )
    return redirect("matching:shortlist", pk=vacancy.pk)


@caseworker_required
@require_POST
def requirement_costs(request: HttpRequest, pk: int) -> HttpResponse:
    """ "Compute again" on the requirement panel of the shortlist page."""
    vacancy = _shortlist_vacancy(pk)
    requirement_costs_refresh_message(request, vacancy)
    return redirect(reverse("matching:shortlist", kwargs={"pk": vacancy.pk}) + "#requirements")


@caseworker_required
@require_POST
def shortlist_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Add a candidate the caseworker may see to the shortlist by hand, with a reason."""
    vacancy = _shortlist_vacancy(pk)
    form = AddByHandForm(request.POST)
    url = reverse("matching:shortlist", kwargs={"pk": vacancy.pk})
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
        return redirect(url)
    try:
        candidate = Candidate.objects.filter(candidate_visible_q(request.user)).get(pk=form.cleaned_data["candidate"])
    except Candidate.DoesNotExist as exc:
        raise Http404 from exc
    try:
        match_add_by_hand(vacancy=vacancy, candidate=candidate, user=request.user, reason=form.cleaned_data["reason"])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, _("The candidate is on the shortlist, marked as added by you. Decide on them like on the others.")
        )
    return redirect(url)


# --- requests for human review (AI Act Art. 86) ---------------------------------------------------


@caseworker_required
@require_http_methods(["GET", "POST"])
def review_request_answer_view(request: HttpRequest, pk: int) -> HttpResponse:
    """A jobseeker's request for human review with the context logged when it was made; a caseworker
    of the candidate's service (or a portal admin) answers it. Others get a 404."""
    from .forms import ReviewAnswerForm
    from .models import RejectionReason, ReviewRequest
    from .services import review_request_answer
    from .transparency import REASON_TEXT

    try:
        review_request = selectors.review_request_get_for_caseworker(user=request.user, pk=pk)
    except ReviewRequest.DoesNotExist as exc:
        raise Http404 from exc
    form = ReviewAnswerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            review_request_answer(review_request=review_request, user=request.user, answer=form.cleaned_data["answer"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The answer is recorded and sent to the jobseeker."))
            return redirect("workspace:work_queue")
    audit_views(actor=request.user, candidate_ids=[review_request.candidate_id], where="matching:review_request_answer")
    context = review_request.context or {}
    return render(
        request,
        "matching/review_request_answer.html",
        {
            "review_request": review_request,
            "form": form,
            "logged": context,
            "reasons": render_explanation(context.get("explanation") or []),
            "filter_reason_text": REASON_TEXT.get(review_request.filter_reason, review_request.filter_reason),
            "decision_label": dict(ReviewStatus.choices).get(context.get("decision"), ""),
            "reason_label": dict(RejectionReason.choices).get(context.get("reason"), ""),
            "exclusions": [(REASON_TEXT.get(code, code), n) for code, n in (context.get("exclusions") or {}).items()],
        },
    )
