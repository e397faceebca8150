"""Suggestions of ``taxonomy.suggest`` as rows a page shows for the user to accept.

One home for what the employer's vacancy form and the jobseeker's CV page both show: the
concept (an Occupation or a Skill), its confidence in words rather than a bare number, and the
words of the text that triggered it (so the user sees why). Nothing here writes: a suggestion
reaches a vacancy or a profile only through the form the user submits with it ticked.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from .models import Occupation, Skill

# Where the words change; the matcher's confidences are 0..1 (taxonomy.suggest).
STRONG_FROM = 0.7
LIKELY_FROM = 0.4
TEXT_MAX_CHARS = 20_000  # a vacancy text or a CV of a few pages; more adds nothing but work


@dataclass(frozen=True)
class SuggestionRow:
    concept: Occupation | Skill
    confidence: float | None  # None: ticked before, no longer suggested by the text as it is now
    level: str  # "strong", "likely", "possible" (for the style), or "" when confidence is None
    strength: str  # the level in the user's language
    triggers: tuple[str, ...] = ()

    @property
    def pk(self) -> int:
        return self.concept.pk


def confidence_level(confidence: float) -> str:
    if confidence >= STRONG_FROM:
        return "strong"
    if confidence >= LIKELY_FROM:
        return "likely"
    return "possible"


def confidence_word(confidence: float) -> str:
    return {"strong": _("strong"), "likely": _("likely"), "possible": _("possible")}[confidence_level(confidence)]


def ticked_row(concept: Occupation | Skill) -> SuggestionRow:
    """A row for a concept the user ticked that the current text no longer suggests: kept, not lost."""
    return SuggestionRow(concept=concept, confidence=None, level="", strength="")


def _distinct(words: Iterable[str]) -> tuple[str, ...]:
    """The trigger words once each, whatever their case ("Lasser" in the title, "lasser" in the text)."""
    seen: dict[str, str] = {}
    for word in words:
        seen.setdefault(word.casefold(), word)
    return tuple(seen.values())


def _rows(model, found: list[dict], leave_out: set[int]) -> list[SuggestionRow]:
    wanted = [item for item in found if item["id"] not in leave_out]
    concepts = model.objects.in_bulk([item["id"] for item in wanted])
    return [
        SuggestionRow(
            concept=concepts[item["id"]],
            confidence=float(item.get("confidence") or 0),
            level=confidence_level(float(item.get("confidence") or 0)),
            strength=confidence_word(float(item.get("confidence") or 0)),
            triggers=_distinct(item.get("triggers") or ()),
        )
        for item in wanted
        if item["id"] in concepts
    ]


def suggestion_rows(
    *,
    title: str,
    text: str,
    occupations: int = 3,
    skills: int = 15,
    known_occupations: Iterable[int] = (),
    known_skills: Iterable[int] = (),
) -> dict[str, list[SuggestionRow]]:
    """``{"occupations": [...], "skills": [...]}`` for a title and a text, without what the user already has."""
    from .suggest import suggest  # the matcher is built lazily on first use, not at import

    title, text = (title or "").strip()[:300], (text or "").strip()[:TEXT_MAX_CHARS]
    if not (title or text):
        return {"occupations": [], "skills": []}
    known_occupations, known_skills = set(known_occupations), set(known_skills)
    # Ask for a few more, so that leaving out what is known still shows the number asked for.
    found = suggest(title, text, occupations=occupations + len(known_occupations), skills=skills + len(known_skills))
    return {
        "occupations": _rows(Occupation, found.get("occupations", []), known_occupations)[:occupations],
        "skills": _rows(Skill, found.get("skills", []), known_skills)[:skills],
    }
