"""One language-independent search form for labels and queries (Dutch, French, English).

The same function normalises a label when the vocabulary is loaded and a query when a user
searches, so "lassen", "lasser", "TIG-lassen" (nl), "soudeur", "soudage", "souder" (fr) and
"welder", "welding" (en) land on shared tokens whatever the interface language.

Why our own rules and not a per-language stemmer: a label's language is known but a query's is
not, and a Dutch stemmer leaves "soudeur" alone while a French one leaves "lassen" alone
(measured with snowballstemmer 3.1.1: lassen→las/lassen/lassen, welder→welder/weld/welder
for nl/fr/en). One conservative combined reduction, applied the same way everywhere, is what
makes the forms meet. Steps per token:

1. lower case, accents folded (``lässer`` == ``lasser``), split on anything not a letter or
   digit (``TIG-lassen`` → ``tig``, ``lassen``);
2. one inflectional or agent ending removed, longest first, only when at least
   ``MIN_STEM`` letters stay (so short words such as "haven" or "lader" are never cut);
3. spelling variants of the three languages unified: ``ch``/``c``/``qu`` → ``k`` (elektro /
   électro, mécanicien / mechanic, technique), Dutch -iek → -ik (techniek), so the Dutch,
   French and English spellings of one word agree;
4. doubled letters collapsed (``lass`` → ``las``, ``kraan``/``kranen`` → ``kran``).

The result is never shown to anyone; it only has to be the same for words that mean the same
and different for words that do not (tests/vocabulary/test_normalise.py shows both).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

__all__ = ["MIN_STEM", "NON_ALNUM", "fold", "reduce_token", "search_form", "tokens"]

# A stem shorter than this is too ambiguous to cut to ("haven" → "hav", "lader" → "lad").
MIN_STEM = 4

# Endings removed (or replaced), longest first; at most one per token. Agent nouns (nl/en -er,
# fr -eur/-euse, en -or), infinitives (nl -en, fr -er), French -age nouns, English -ing, Dutch
# -ing/-ingen, plurals and feminines (-s, -es, -e), the -ien/-ian/-us of trade names
# (mécanicien/mechanic/mechanicus), and French -ière(s)/-iers brought to -ier (infirmière =
# infirmier). French -trice is the feminine of -teur: "opératrice" → "operat" like "opérateur".
_ENDINGS = (
    ("ingen", ""),
    ("euses", ""),
    ("ieres", "ier"),
    ("trice", "t"),
    ("iere", "ier"),
    ("iers", "ier"),
    ("eurs", ""),
    ("euse", ""),
    ("ings", ""),
    ("ages", ""),
    ("iens", ""),
    ("ians", ""),
    ("eur", ""),
    ("ing", ""),
    ("age", ""),
    ("ers", ""),
    ("ors", ""),
    ("ien", ""),
    ("ian", ""),
    ("en", ""),
    ("er", ""),
    ("or", ""),
    ("es", ""),
    ("us", ""),
    ("e", ""),
    ("s", ""),
)
# Kept whole although they end like an inflection: "-ier" is a trade (infirmier, portier), not
# an infinitive; "-s" after s/u/i is rarely a plural (kras, campus, chassis).
_KEEP = {"er": "i", "ers": "i", "s": "sui"}

NON_ALNUM = re.compile(r"[^0-9a-z]+")
_DOUBLED = re.compile(r"(.)\1+")
_SPELLING = (("sch", "sk"), ("ch", "k"), ("ck", "k"), ("c", "k"), ("ph", "f"))
# "qu" before a vowel or at the end is a k (technique, logistique); "quran" keeps its q.
_QU = re.compile(r"qu(?=[aeiouy]|$)")


def fold(text: str) -> str:
    # NFKD splits "é" into "e" + a combining accent, which is then dropped; "ß" and ligatures too.
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def _strip_ending(word: str) -> str:
    for ending, replacement in _ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= MIN_STEM:
            stem = word[: -len(ending)]
            if stem[-1] in _KEEP.get(ending, ""):
                return word
            return stem + replacement
    return word


@lru_cache(maxsize=200_000)
def reduce_token(word: str) -> str:
    """The search form of one already folded, lower-case alphanumeric token."""
    if word.isdigit() or len(word) <= 2:
        return word
    word = _strip_ending(word)
    word = _QU.sub("k", word)
    for old, new in _SPELLING:
        word = word.replace(old, new)
    # Dutch -iek is French -ique and English -ic: techniek / technique / technic.
    if word.endswith("iek"):
        word = word[:-3] + "ik"
    return _DOUBLED.sub(r"\1", word)


def tokens(text: str) -> list[str]:
    """The search-form tokens of ``text``, in order (duplicates kept)."""
    return [reduce_token(word) for word in NON_ALNUM.split(fold(text or "")) if word]


def search_form(text: str) -> str:
    """The one normalised form of ``text`` for labels and queries: tokens joined by single spaces."""
    return " ".join(tokens(text))
