"""``{% jobposting_jsonld vacancy %}``: the vacancy's schema.org JobPosting as a JSON-LD script.

The vacancy page includes it (templates/vacancies/partials/jobposting_jsonld.html) so that
search engines index the job; ``GET /api/v1/vacancies/{id}/jobposting`` returns the same
document. Only a published vacancy is described: a draft must not be indexed.
"""

import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from vacancies.jobposting import vacancy_jobposting, vacancy_page_url
from vacancies.models import Vacancy, VacancyStatus

register = template.Library()

# As django.utils.html.json_script: nothing in the JSON can close the <script> element.
_JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def jsonld_script(document: dict) -> SafeString:
    payload = json.dumps(document, cls=DjangoJSONEncoder, ensure_ascii=False, indent=None).translate(
        _JSON_SCRIPT_ESCAPES
    )
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(payload))


@register.simple_tag(takes_context=True)
def jobposting_jsonld(context, vacancy: Vacancy) -> str:
    if not isinstance(vacancy, Vacancy) or vacancy.status != VacancyStatus.PUBLISHED:
        return ""
    request = context.get("request")
    return jsonld_script(vacancy_jobposting(vacancy, url=vacancy_page_url(request, vacancy)))
