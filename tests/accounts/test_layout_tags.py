"""``{% layout_url %}`` (accounts/templatetags/layout.py) writes what ``{% url %}`` wrote, in every
language, reversed once per language (issue 15: the fixed cost of every page)."""

from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from accounts.templatetags import layout

NAMES = ["home", "accounts:account", "accounts:logout", "matching:how_it_works", "set_language", "workspace:work_queue"]


def test_layout_url_equals_url_in_every_language():
    template = Template("{% load layout %}" + "|".join(f"{{% layout_url '{name}' %}}" for name in NAMES))
    old = Template("|".join(f"{{% url '{name}' %}}" for name in NAMES))
    seen = set()
    for language in ("nl", "en", "fr", "nl"):
        with translation.override(language):
            assert template.render(Context()) == old.render(Context())
            seen.add(template.render(Context()))
    assert len(seen) == 3  # the language prefix differs: not one cached answer for all languages


def test_layout_url_is_reversed_once_per_language(monkeypatch):
    calls = []

    def counting_reverse(name):
        calls.append(name)
        return reverse(name)

    monkeypatch.setattr(layout, "reverse", counting_reverse)
    monkeypatch.setattr(layout, "_reversed", {})
    with translation.override("fr"):
        first = layout.layout_url("accounts:account")
        assert layout.layout_url("accounts:account") == first == reverse("accounts:account")
    assert calls == ["accounts:account"]
    with translation.override("en"):
        assert layout.layout_url("accounts:account") == reverse("accounts:account") != first
    assert calls == ["accounts:account", "accounts:account"]
