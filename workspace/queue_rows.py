"""The work queue's table rows written in Python (issue 15).

The template's loops cost a template node per cell, a ``{% url %}`` and a date filter per row;
here the labels are translated once per page, the links come from one ``reverse`` per table
and each row is one f-string. The markup is the one ``templates/workspace/work_queue.html``
wrote before; ``tests/workspace/test_queue_rows.py`` compares both in nl, en and fr.
Translations are not escaped (the template did not escape its own ``{% translate %}``), every
value from the database is.
"""

from collections.abc import Iterable

from django.utils.formats import date_format, localize
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import template_localtime
from django.utils.translation import gettext as _

from core.url_prefix import url_of_pk

__all__ = ["employer_rows", "review_request_rows", "shortlist_rows", "vacancy_rows"]


def _date(value) -> str:
    # {{ value|date:"DATE_FORMAT" }}: local time, "" for no date, escaped.
    if value in (None, ""):
        return ""
    return conditional_escape(date_format(template_localtime(value), "DATE_FORMAT"))


def _text(value) -> str:
    # {{ value }}: localized (numbers), escaped.
    return conditional_escape(localize(value))


def _place(place) -> str:
    return f"{_text(place.name)} ({_text(place.country)})"


def _stem_badge(is_stem: bool, label: str) -> str:
    return f' <span class="badge badge--stem">{label}</span>' if is_stem else ""


def review_request_rows(review_requests: Iterable) -> SafeString:
    label_jobseeker, label_about, label_waiting = _("Jobseeker"), _("About"), _("Waiting since")
    url_of = url_of_pk("matching:review_request_answer")
    html = []
    for rr in review_requests:
        user = rr.candidate.user
        about = _text(rr.get_kind_display())
        if rr.vacancy:
            about += f": {_text(rr.vacancy.title)}"
        html.append(
            f'<tr><td data-label="{label_jobseeker}"><a href="{url_of(rr.pk)}">'
            f"{_text(user.get_full_name() or user.email)}</a><br>"
            f'<span class="muted">{_text(rr.candidate.employment_service.name)}</span></td>'
            f'<td data-label="{label_about}">{about}</td>'
            f'<td data-label="{label_waiting}">{_date(rr.created_at)}</td></tr>'
        )
    return mark_safe("\n".join(html))


def shortlist_rows(rows: Iterable[dict]) -> SafeString:
    labels = {
        "vacancy": _("Vacancy"),
        "place": _("Place"),
        "to_review": _("To review"),
        "by_you": _("By you"),
        "flagged": _("Flagged"),
        "best": _("Best score"),
        "waiting": _("Waiting since"),
        "stem": _("STEM"),
    }
    url_of = url_of_pk("matching:shortlist")
    html = []
    for row in rows:
        vacancy = row["vacancy_obj"]
        flagged = f'<span class="badge badge--flagged">{_text(row["flagged"])}</span>' if row["flagged"] else "0"
        # {% widthratio row.best 1 100 %}
        best = f"{round(float(row['best']) * 100)}%" if row["best"] is not None else "—"
        html.append(
            f'<tr><td data-label="{labels["vacancy"]}"><a href="{url_of(vacancy.pk)}">{_text(vacancy.title)}</a>'
            f"{_stem_badge(vacancy.is_stem, labels['stem'])}<br>"
            f'<span class="muted">{_text(vacancy.employer.legal_name)}</span></td>'
            f'<td data-label="{labels["place"]}">{_place(vacancy.place)}</td>'
            f'<td data-label="{labels["to_review"]}" class="num">{_text(row["undecided"])}</td>'
            f'<td data-label="{labels["by_you"]}" class="num">{_text(row["decidable"])}</td>'
            f'<td data-label="{labels["flagged"]}" class="num">{flagged}</td>'
            f'<td data-label="{labels["best"]}" class="num">{best}</td>'
            f'<td data-label="{labels["waiting"]}">{_date(row["waiting_since"]) or "—"}</td></tr>'
        )
    return mark_safe("\n".join(html))


def _moderation_badge(row, message: str) -> str:
    """The services that moderate ``row`` (its ``moderated_by``), as a badge; '' when none."""
    moderated_by = getattr(row, "moderated_by", "")
    if not moderated_by:
        return ""
    return f' <span class="badge">{message % {"services": _text(moderated_by)}}</span>'


def vacancy_rows(vacancies: Iterable) -> SafeString:
    labels = {
        "vacancy": _("Vacancy"),
        "company": _("Company"),
        "place": _("Place"),
        "submitted": _("Submitted"),
        "stem": _("STEM"),
    }
    url_of = url_of_pk("workspace:vacancy_review")
    html = []
    for vacancy in vacancies:
        badge = _moderation_badge(vacancy, _("Moderated by %(services)s"))
        html.append(
            f'<tr><td data-label="{labels["vacancy"]}"><a href="{url_of(vacancy.pk)}">{_text(vacancy.title)}</a>'
            f"{_stem_badge(vacancy.is_stem, labels['stem'])}{badge}</td>"
            f'<td data-label="{labels["company"]}">{_text(vacancy.employer.legal_name)}</td>'
            f'<td data-label="{labels["place"]}">{_place(vacancy.place)}</td>'
            f'<td data-label="{labels["submitted"]}">{_date(vacancy.updated_at)}</td></tr>'
        )
    return mark_safe("\n".join(html))


def employer_rows(employers: Iterable) -> SafeString:
    labels = {
        "company": _("Company"),
        "number": _("Registration number"),
        "place": _("Place"),
        "in_review": _("Vacancies in review"),
        "registered": _("Registered on"),
    }
    url_of = url_of_pk("workspace:employer_review")
    html = []
    for employer in employers:
        badge = _moderation_badge(employer, _("Verified by %(services)s"))
        if employer.kvk_number:
            number = f"KvK {_text(employer.kvk_number)}"
        else:
            number = f"KBO {_text(employer.enterprise_number)}"
        html.append(
            f'<tr><td data-label="{labels["company"]}"><a href="{url_of(employer.pk)}">'
            f"{_text(employer.legal_name)}</a>{badge}</td>"
            f'<td data-label="{labels["number"]}">{number}</td>'
            f'<td data-label="{labels["place"]}">{_place(employer.place)}</td>'
            f'<td data-label="{labels["in_review"]}" class="num">{_text(employer.vacancies_in_review)}</td>'
            f'<td data-label="{labels["registered"]}">{_date(employer.created_at)}</td></tr>'
        )
    return mark_safe("\n".join(html))
