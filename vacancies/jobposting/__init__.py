"""Vacancies as schema.org JobPosting (JSON-LD), both ways.

- ``export``: a vacancy as a JobPosting document (the vacancy page, the API, the feeds).
- ``parse``: JSON/JSON-LD documents and CSV template rows read into ``RawVacancy`` records.
- ``resolve``: a record mapped onto the reference data, as the vacancy services' arguments.

None of them writes: ``vacancies.imports`` does, through the services.
"""

from .export import employment_types, text_to_html, vacancy_identifier, vacancy_jobposting, vacancy_page_url, work_hours
from .parse import (
    CSV_COLUMNS,
    CSV_REQUIRED,
    LocationHint,
    RawVacancy,
    SkillHint,
    contract_from_employment_types,
    html_to_text,
    jobposting_to_raw,
    read_csv,
    read_jobpostings,
    title_text,
)
from .resolve import ResolvedVacancy, raw_resolve

__all__ = [
    "CSV_COLUMNS",
    "CSV_REQUIRED",
    "LocationHint",
    "RawVacancy",
    "ResolvedVacancy",
    "SkillHint",
    "contract_from_employment_types",
    "employment_types",
    "html_to_text",
    "jobposting_to_raw",
    "raw_resolve",
    "read_csv",
    "read_jobpostings",
    "text_to_html",
    "title_text",
    "vacancy_identifier",
    "vacancy_jobposting",
    "vacancy_page_url",
    "work_hours",
]
