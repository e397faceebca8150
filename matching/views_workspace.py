"""The caseworker's match pages: a vacancy's shortlist, one match with its decision, rematch.

They live in matching, not in the workspace app, because they are matching's own rules (who
may see and decide a match, the explanations); the workspace links to them. Querysets are
scoped first by the selectors (``Match.objects.for_caseworker``: what a user may not see is a
404), the role decorators come on top. Writes go through ``matching.services``.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from accounts.access_alerts import counts_personal_data_access
from accounts.decorators import caseworker_required
from accounts.forms import add_service_errors
from audit.services import audit_views
from candidates.models import Candidate
from vacancies.fast_forms import FAST_WIDGETS
from vacancies.models import Vacancy, VacancyStatus

from . import selectors
from .explanations import Lookup, render_explanation
from .forms import AddByHandForm, BulkDecisionForm, MatchDecisionForm
from .models import Match, ReviewStatus
from .pause import pauses_shown_to
from .permissions import candidate_visible_q
from .services import (
    match_add_by_hand,
    match_decide,
    match_decide_many,
    review_opening_record,
    vacancy_rematch_request,
)
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


def _reasons_html(reasons: list, tone_labels: dict[str, str], none_text: str = "") -> SafeString:
    """A row's reasons as ``<li>`` items, written once in Python (issue 15: a template loop with
    its tags per reason was much of the shortlist's rendering). The markup is the template's
    (tests/matching/test_views_workspace_rows.py compares them)."""
    items = [
        format_html(
            '<li class="reason--{}"><span class="visually-hidden">{}</span>{}{}{}</li>',
            reason.tone,
            tone_labels.get(reason.tone, tone_labels["note"]),
            format_html('<span class="reason__factor">{}:</span> ', factor) if (factor := reason.factor_label) else "",
            reason.text,
            mark_safe(_GRENSINFO) if reason.is_cross_border else "",
        )
        for reason in reasons
    ]
    if not items and none_text:
        items.append(format_html("<li>{}</li>", none_text))
    return mark_safe("".join(items))


def _url_of_pk(name: str):
    """``reverse(name, pk=...)`` as a prefix and suffix around the id: one reverse per page, not per row."""
    prefix, _sentinel, suffix = reverse(name, kwargs={"pk": 987654321}).rpartition("987654321")
    return lambda pk: f"{prefix}{pk}{suffix}"


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
    decidable_ids = list(
        selectors.shortlist_for_caseworker(user=request.user, vacancy=vacancy)
        .filter(decidable=True)
        .values_list("pk", flat=True)
    )
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
    page = Paginator(matches, SHORTLIST_PAGE_SIZE).get_page(request.GET.get("page"))
    audit_views(
        actor=request.user, candidate_ids=[m.candidate_id for m in page.object_list], where="matching:shortlist"
    )
    lookup_base = Lookup().with_vacancy(vacancy)
    rows = []
    ticked = {str(t) for t in form["selected"].value() or []} if form.is_bound else set()
    tone_labels = {"ok": _("Fits:"), "warning": _("Attention:"), "note": _("Note:")}
    none_text = _("No explanation available.")
    detail_url, route_url = _url_of_pk("matching:match_detail"), _url_of_pk("routes:propose_for_match")
    for match in page.object_list:
        lookup = Lookup.for_match(match)
        lookup.skills.update(lookup_base.skills)
        lookup.occupations.update(lookup_base.occupations)
        lookup.vacancy_occupation = lookup_base.vacancy_occupation
        reasons = render_explanation(match.explanation, lookup)
        top = _top_reasons(reasons)
        more = [r for r in reasons if not any(r is t for t in top)]
        rows.append(
            {
                "match": match,
                "name": match.candidate.user.get_full_name() or match.candidate.user.email,
                "top_reasons": top,
                "more_reasons": more,
                "top_reasons_html": _reasons_html(top, tone_labels, none_text),
                "more_reasons_html": _reasons_html(more, tone_labels),
                "detail_url": detail_url(match.pk),
                "route_url": route_url(match.pk),
                "ticked": str(match.pk) in ticked,
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
            "counts": selectors.shortlist_counts(user=request.user, vacancy=vacancy),
            "hidden": selectors.hidden_match_count(user=request.user, vacancy=vacancy),
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
