"""Shortlists as CSV rows: a caseworker's approved shortlist (with the decision trail) and an
employer's shared shortlist (the same columns as the employer's page export)."""

from collections.abc import Iterable, Iterator

from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Match


def _day(value) -> str:
    return timezone.localtime(value).date().isoformat() if value else ""


def _profile(match: Match) -> list[str]:
    candidate = match.candidate
    return [
        ", ".join(f"{d.diploma} (EQF {d.diploma.eqf_level})" for d in candidate.diplomas.all()),
        ", ".join(s.label for s in candidate.skills.all()),
        ", ".join(str(lang) for lang in candidate.languages.all()),
    ]


def caseworker_shortlist_header() -> list[str]:
    return [
        _("Vacancy"),
        _("Reference"),
        _("Employer"),
        _("Name"),
        _("Email"),
        _("Service"),
        _("Place"),
        _("Diplomas"),
        _("Skills"),
        _("Languages"),
        _("Score (%)"),
        _("Decision"),
        _("Reason"),
        _("Note"),
        _("Reviewer"),
        _("Reviewed on"),
        _("Candidate's answer"),
        _("Answered on"),
    ]


def caseworker_shortlist_rows(matches: Iterable[Match]) -> Iterator[list]:
    for m in matches:
        candidate = m.candidate
        yield [
            m.vacancy.title,
            m.vacancy.reference,
            m.vacancy.employer.legal_name,
            candidate.user.get_full_name(),
            candidate.user.email,
            candidate.employment_service.code if candidate.employment_service_id else "",
            str(candidate.home_place or ""),
            *_profile(m),
            round(m.score * 100),
            m.get_review_status_display(),
            m.get_reason_display() if m.reason else "",
            m.note,
            m.reviewer.email if m.reviewer_id else "",
            _day(m.reviewed_at),
            m.get_candidate_response_display(),
            _day(m.responded_at),
        ]


def employer_shortlist_header() -> list[str]:
    return [
        _("Vacancy"),
        _("Reference"),
        _("Name"),
        _("Email"),
        _("Place"),
        _("Diplomas"),
        _("Skills"),
        _("Languages"),
        _("Score (%)"),
        _("Approved on"),
        _("Accepted on"),
    ]


def employer_shortlist_rows(matches: Iterable[Match]) -> Iterator[list]:
    for m in matches:
        yield [
            m.vacancy.title,
            m.vacancy.reference,
            m.candidate.user.get_full_name(),
            m.candidate.user.email,
            str(m.candidate.home_place or ""),
            *_profile(m),
            round(m.score * 100),
            _day(m.reviewed_at),
            _day(m.responded_at),
        ]
