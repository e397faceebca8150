"""``{% layout_url "name" %}``: the links of the page layout (header, menus, language switcher,
footer) reversed once per language and process, not on every page.

Every page draws a dozen of them with ``{% url %}``, a full ``reverse`` each (issue 15: part of
the fixed cost of every page). Only for URLs without arguments; the key holds what ``reverse``
depends on then: the active language (i18n_patterns), the script prefix and the URLconf.
"""

from django import template
from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.translation import get_language

register = template.Library()

_reversed: dict[tuple, str] = {}


@register.simple_tag
def layout_url(name: str) -> str:
    key = (name, get_language(), get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)
    url = _reversed.get(key)
    if url is None:
        url = _reversed[key] = reverse(name)
    return url
