"""Translations: the Dutch catalogue is complete and current; the pages render in nl, en and fr.

The catalogues are parsed here with plain Python (no polib). To update them after changing
strings: ``python manage.py makemessages -l nl -l en -l fr --ignore=.venv --no-obsolete``,
translate the new entries (nl, fr), then ``python manage.py compilemessages --ignore=.venv``.
"""

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

ROOT = Path(settings.BASE_DIR)
LOCALE = ROOT / "locale"
IGNORED_DIRS = {
    ".venv",
    ".git",
    "node_modules",
    "staticfiles",
    "media",
    "screenshots",
    "__pycache__",
    ".pytest_cache",
    ".hypothesis",
    "locale",
}


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    obsolete: bool = False


def _unquote(text: str) -> str:
    text = text.strip()
    assert text.startswith('"'), text
    assert text.endswith('"'), text
    return bytes(text[1:-1], "utf-8").decode("unicode_escape").encode("latin-1").decode("utf-8")


def parse_po(path: Path) -> list[Entry]:
    """A small .po reader: msgid, msgid_plural, msgstr / msgstr[n], flags, obsolete entries."""
    entries: list[Entry] = []
    entry, target = Entry(), None

    def flush() -> None:
        nonlocal entry
        if entry.msgid or entry.msgstr:
            entries.append(entry)
        entry = Entry()

    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line:
            flush()
            target = None
            continue
        if line.startswith("#~"):
            entry.obsolete = True
            line = line[2:].strip()
            if not line:
                continue
        elif line.startswith("#,"):
            entry.flags.update(flag.strip() for flag in line[2:].split(","))
            continue
        elif line.startswith("#"):
            continue
        if line.startswith("msgid_plural "):
            entry.msgid_plural, target = _unquote(line[13:]), ("plural", None)
        elif line.startswith("msgid "):
            if entry.msgstr:  # a new entry without a blank line in between
                flush()
            entry.msgid, target = _unquote(line[6:]), ("msgid", None)
        elif line.startswith("msgstr["):
            index = int(line[7 : line.index("]")])
            entry.msgstr[index] = _unquote(line[line.index("]") + 1 :])
            target = ("msgstr", index)
        elif line.startswith("msgstr "):
            entry.msgstr[0] = _unquote(line[7:])
            target = ("msgstr", 0)
        elif line.startswith('"') and target:
            kind, index = target
            if kind == "msgid":
                entry.msgid += _unquote(line)
            elif kind == "plural":
                entry.msgid_plural += _unquote(line)
            else:
                entry.msgstr[index] += _unquote(line)
    flush()
    return [e for e in entries if e.msgid and not e.obsolete]


def untranslated(entries: list[Entry]) -> list[str]:
    return [e.msgid for e in entries if not e.msgstr or any(not text.strip() for text in e.msgstr.values())]


def fuzzy(entries: list[Entry]) -> list[str]:
    return [e.msgid for e in entries if "fuzzy" in e.flags]


def placeholders(text: str) -> list[str]:
    return sorted(re.findall(r"%\(\w+\)[sd]|\{\w*\}", text))


def test_the_parser_reads_plurals_multiline_and_flags(tmp_path):
    po = tmp_path / "x.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Language: nl\\n"\n\n'
        '#, fuzzy, python-format\nmsgid "a %(x)s"\nmsgstr ""\n"b %(x)s"\n\n'
        'msgid "one"\nmsgid_plural "many"\nmsgstr[0] "één"\nmsgstr[1] ""\n\n'
        '#~ msgid "old"\n#~ msgstr "oud"\n',
        encoding="utf-8",
    )
    entries = parse_po(po)
    assert [e.msgid for e in entries] == ["a %(x)s", "one"]
    assert entries[0].msgstr[0] == "b %(x)s"
    assert "fuzzy" in entries[0].flags
    assert untranslated(entries) == ["one"]
    assert fuzzy(entries) == ["a %(x)s"]


def test_dutch_catalogue_is_complete_without_fuzzy_entries():
    entries = parse_po(LOCALE / "nl" / "LC_MESSAGES" / "django.po")
    assert len(entries) > 300
    assert untranslated(entries) == []
    assert fuzzy(entries) == []


@pytest.mark.parametrize("language", ["nl", "fr"])
def test_translations_keep_the_placeholders(language):
    entries = parse_po(LOCALE / language / "LC_MESSAGES" / "django.po")
    wrong = [
        e.msgid
        for e in entries
        if e.msgstr.get(0) and placeholders(e.msgid) != placeholders(e.msgstr[0]) and not e.msgid_plural
    ]
    assert wrong == []


def test_french_catalogue_has_no_fuzzy_entries_and_is_mostly_translated():
    entries = parse_po(LOCALE / "fr" / "LC_MESSAGES" / "django.po")
    assert fuzzy(entries) == []
    assert len(untranslated(entries)) <= len(entries) * 0.05


def test_compiled_catalogues_are_present_and_current():
    for language in ("nl", "en", "fr"):
        po = LOCALE / language / "LC_MESSAGES" / "django.po"
        mo = po.with_suffix(".mo")
        assert mo.exists(), f"{mo} missing: run compilemessages"


def test_makemessages_finds_no_untranslated_dutch_string_in_the_code(tmp_path):
    """Extract the strings from a copy of the project as makemessages does; all must be in the Dutch catalogue."""
    copy = tmp_path / "project"

    def ignore(directory: str, names: list[str]) -> set[str]:
        return {name for name in names if name in IGNORED_DIRS or name.endswith((".mo", ".pyc", ".png", ".sqlite3"))}

    shutil.copytree(ROOT, copy, ignore=ignore, symlinks=True)
    shutil.copytree(LOCALE, copy / "locale", ignore=lambda d, names: {n for n in names if n.endswith(".mo")})
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "nsp_portal.settings.test"}
    result = subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "nl", "--ignore=.venv", "--no-obsolete"],
        cwd=copy,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    entries = parse_po(copy / "locale" / "nl" / "LC_MESSAGES" / "django.po")
    assert untranslated(entries) == [], "run makemessages and translate these"
    assert fuzzy(entries) == []


PAGES = [
    ("home", {}),
    ("accounts:signup", {}),
    ("accounts:login", {}),
    ("vacancies:list", {}),
    ("accounts:password_reset", {}),
]
EXPECTED = {"nl": "Vacatures", "en": "Vacancies", "fr": "Offres d’emploi"}


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["nl", "en", "fr"])
def test_pages_render_in_each_language(client, language):
    for name, kwargs in PAGES:
        with translation.override(language):
            url = reverse(name, kwargs=kwargs or None)
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        assert f'<html lang="{language}">' in body
        assert EXPECTED[language] in body, url


@pytest.mark.django_db
def test_dutch_is_the_default_and_the_switcher_keeps_the_page(client):
    with translation.override("nl"):
        assert reverse("vacancies:list") == "/vacancies/"
    body = client.get("/vacancies/").content.decode()
    assert '<html lang="nl">' in body
    assert 'name="language"' in body
    response = client.post("/i18n/setlang/", {"language": "fr", "next": "/vacancies/"})
    assert response.status_code == 302
    assert response["Location"] == "/fr/vacancies/"


@pytest.mark.django_db
def test_dates_and_money_follow_the_locale(client):
    from datetime import timedelta
    from decimal import Decimal

    from django.utils import timezone

    from tests.factories import VacancyFactory

    vacancy = VacancyFactory(
        status="published",
        published_at=timezone.now(),
        expires_at=timezone.now() + timedelta(days=9),
        salary_min=Decimal("2950.00"),
        start_date=timezone.now().date().replace(month=3, day=1),
    )
    pages = {}
    for language in ("nl", "en", "fr"):
        with translation.override(language):
            pages[language] = client.get(reverse("vacancies:detail", kwargs={"pk": vacancy.pk})).content.decode()
    assert "€\u00a02.950" in pages["nl"]
    assert "€2,950" in pages["en"]
    assert "950\u00a0€" in pages["fr"]
    assert "maart" in pages["nl"]
    assert "March" in pages["en"]
    assert "mars" in pages["fr"]
