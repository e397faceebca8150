"""A vacancy as a schema.org JobPosting document (JSON-LD).

``vacancy_jobposting(vacancy)`` builds the document the vacancy page embeds and that
``GET /api/v1/vacancies/{id}/jobposting`` returns (Google's JobPosting guidelines: title,
description, datePosted, validThrough, employmentType, hiringOrganization, jobLocation,
baseSalary, directApply; plus occupationalCategory with the ISCO-08 code, the ESCO occupation,
educationRequirements and skills).
"""

import html
import re
from typing import Any

from django.utils import timezone

from accounts.models import Employer
from taxonomy.models import Place, Skill

from ..models import ContractType, SalaryPeriod, Vacancy

SCHEMA_ORG = "https://schema.org"
ESCO_ESSENTIAL = "http://data.europa.eu/esco/model#relatedEssentialSkill"
ESCO_OPTIONAL = "http://data.europa.eu/esco/model#relatedOptionalSkill"
ESCO_SKILLS = "https://esco.ec.europa.eu/en/classification/skill_main"
ISCO_08 = "ISCO-08"
EQF_TERM_SET = "https://europa.eu/europass/en/description-eight-eqf-levels"
EDUCATION_CATEGORY = {  # EQF level -> Google's credentialCategory
    1: "high school",
    2: "high school",
    3: "high school",
    4: "high school",
    5: "associate degree",
    6: "bachelor degree",
    7: "postgraduate degree",
    8: "postgraduate degree",
}
PERIOD_UNIT = {SalaryPeriod.HOUR: "HOUR", SalaryPeriod.MONTH: "MONTH", SalaryPeriod.YEAR: "YEAR"}


def vacancy_page_url(request, vacancy: Vacancy) -> str | None:
    """The canonical (default-language) absolute URL of the public vacancy page."""
    from django.conf import settings
    from django.urls import NoReverseMatch, reverse
    from django.utils import translation

    try:
        with translation.override(settings.LANGUAGE_CODE):
            path = reverse("vacancies:detail", kwargs={"pk": vacancy.pk})
    except NoReverseMatch:
        return None
    return request.build_absolute_uri(path) if request is not None else path


def text_to_html(text: str) -> str:
    """Plain text as HTML paragraphs (blank line = paragraph, newline = line break), escaped."""
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", (text or "").replace("\r\n", "\n")) if p.strip()]
    return "".join(f"<p>{html.escape(p).replace(chr(10), '<br>')}</p>" for p in paragraphs)


def employment_types(vacancy: Vacancy) -> list[str]:
    extent = "FULL_TIME" if vacancy.hours_per_week >= 32 else "PART_TIME"
    return {
        ContractType.PERMANENT: [extent],
        ContractType.FIXED_TERM: [extent, "TEMPORARY"],
        ContractType.TEMPORARY: ["TEMPORARY"],
        ContractType.INTERNSHIP: ["INTERN"],
        ContractType.FREELANCE: ["CONTRACTOR"],
    }.get(vacancy.contract_type, ["OTHER"])


def work_hours(vacancy: Vacancy) -> str:
    text = f"{vacancy.hours_per_week} hours per week"
    return f"{text}, shift work" if vacancy.shift_work else text


def vacancy_identifier(vacancy: Vacancy) -> str:
    """The employer's reference, or the portal's own when the employer gave none."""
    return vacancy.reference or f"nsp-{vacancy.pk}"


def _organisation(employer: Employer) -> dict:
    organisation: dict[str, Any] = {"@type": "Organization", "name": employer.legal_name}
    if employer.website:
        organisation["sameAs"] = employer.website
    if employer.registration_number:
        organisation["identifier"] = {
            "@type": "PropertyValue",
            "propertyID": "KvK" if employer.kvk_number else "KBO",
            "value": employer.registration_number,
        }
    return organisation


def _address(place: Place) -> dict:
    address = {
        "@type": "PostalAddress",
        "addressLocality": place.name,
        "addressRegion": place.province,
        "addressCountry": place.country,
    }
    codes = sorted({postal.code for postal in place.postal_codes.all()})
    if codes:
        address["postalCode"] = codes[0]
    return address


def _job_location(place: Place) -> dict:
    return {
        "@type": "Place",
        "address": _address(place),
        "geo": {"@type": "GeoCoordinates", "latitude": place.latitude, "longitude": place.longitude},
    }


def _isco_category(vacancy: Vacancy) -> dict:
    group = vacancy.occupation.isco_group
    return {
        "@type": "CategoryCode",
        "codeValue": group.code,
        "name": group.label_en,
        "inCodeSet": {"@type": "CategoryCodeSet", "name": ISCO_08},
    }


def _education(vacancy: Vacancy) -> list[dict]:
    credentials = []
    if vacancy.requires_min_secondary:
        credentials.append(
            {
                "@type": "EducationalOccupationalCredential",
                "credentialCategory": "high school",
                "name": "minimum secondary diploma (startkwalificatie / diploma secundair onderwijs)",
            }
        )
    if vacancy.min_eqf_level:
        credentials.append(
            {
                "@type": "EducationalOccupationalCredential",
                "credentialCategory": EDUCATION_CATEGORY[vacancy.min_eqf_level],
                "educationalLevel": {
                    "@type": "DefinedTerm",
                    "name": f"EQF {vacancy.min_eqf_level}",
                    "termCode": str(vacancy.min_eqf_level),
                    "inDefinedTermSet": EQF_TERM_SET,
                },
            }
        )
    return credentials


def _skill_term(skill: Skill, relation: str) -> dict:
    return {
        "@type": "DefinedTerm",
        "name": skill.label,
        "url": skill.uri,
        "inDefinedTermSet": ESCO_SKILLS,
        "additionalType": relation,
    }


def _skill_terms(vacancy: Vacancy) -> list[dict]:
    essential = sorted(vacancy.essential_skills.all(), key=lambda s: s.uri)
    optional = sorted(vacancy.optional_skills.all(), key=lambda s: s.uri)
    return [_skill_term(s, ESCO_ESSENTIAL) for s in essential] + [_skill_term(s, ESCO_OPTIONAL) for s in optional]


def _salary(vacancy: Vacancy) -> dict | None:
    if vacancy.salary_min is None and vacancy.salary_max is None:
        return None
    value: dict[str, Any] = {"@type": "QuantitativeValue", "unitText": PERIOD_UNIT[vacancy.salary_period]}
    if vacancy.salary_min is not None and vacancy.salary_max is not None and vacancy.salary_min != vacancy.salary_max:
        value["minValue"] = float(vacancy.salary_min)
        value["maxValue"] = float(vacancy.salary_max)
    else:
        value["value"] = float(vacancy.salary_min if vacancy.salary_min is not None else vacancy.salary_max)
    return {"@type": "MonetaryAmount", "currency": "EUR", "value": value}


def _optional_properties(vacancy: Vacancy, *, url: str | None, apply_url: str | None) -> dict[str, Any]:
    """The properties a vacancy may lack; absent ones are left out of the document."""
    education = _education(vacancy)
    return {
        "educationRequirements": (education if len(education) > 1 else education[0]) if education else None,
        "skills": _skill_terms(vacancy) or None,
        "baseSalary": _salary(vacancy),
        "jobStartDate": vacancy.start_date.isoformat() if vacancy.start_date else None,
        "url": url or None,
        "potentialAction": {"@type": "ApplyAction", "target": apply_url} if apply_url else None,
    }


def vacancy_jobposting(vacancy: Vacancy, *, url: str | None = None, apply_url: str | None = None) -> dict:
    """The schema.org JobPosting document of a vacancy (a dict, to be dumped as JSON-LD)."""
    employer = vacancy.employer
    posted = vacancy.published_at or vacancy.created_at
    document: dict[str, Any] = {
        "@context": SCHEMA_ORG,
        "@type": "JobPosting",
        "identifier": {"@type": "PropertyValue", "name": employer.legal_name, "value": vacancy_identifier(vacancy)},
        "title": vacancy.title,
        "description": text_to_html(vacancy.description),
        "datePosted": timezone.localtime(posted).date().isoformat() if posted else None,
        "validThrough": timezone.localtime(vacancy.expires_at).isoformat() if vacancy.expires_at else None,
        "employmentType": employment_types(vacancy),
        "workHours": work_hours(vacancy),
        "hiringOrganization": _organisation(employer),
        "jobLocation": _job_location(vacancy.place),
        "occupationalCategory": _isco_category(vacancy),
        "relevantOccupation": {
            "@type": "Occupation",
            "name": vacancy.occupation.label,
            "sameAs": vacancy.occupation.uri,
            "occupationalCategory": _isco_category(vacancy),
        },
        "totalJobOpenings": vacancy.openings,
        "directApply": True,
        **_optional_properties(vacancy, url=url, apply_url=apply_url),
    }
    return {key: value for key, value in document.items() if value is not None}
