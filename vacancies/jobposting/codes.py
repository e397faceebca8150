"""Codes the portal suggests for an imported record that gives none: the occupation and the
skills that ``taxonomy.suggest`` reads in its title and description.

Only what the matcher is confident about is used, and the vacancy is marked "suggested by the
portal — check" (``Vacancy.codes_suggested``) with what was suggested, how confidently and
from which words (``Vacancy.code_suggestions``), so that the employer and the caseworker who
moderates it can see and correct the guess.

The thresholds (taxonomy.suggest's confidences run from 0 to 1), chosen on the labelled
evaluation set vocabulary/eval/vacancies.jsonl (168 vacancies; measured 2026-11-27 with the
matcher of that day; tests/vacancies/test_import_jobs.py re-measures it and fails when they no
longer hold):

- An occupation is taken from 0.3 up. Its top-1 precision barely depends on the confidence:
  0.75 from 0.2 (163 of 168 records get one), 0.77 from 0.3 (159), 0.81 from 0.5 (142), 0.85
  from 0.7 (131). From 0.5 would lose one record in nine for four points of precision; and an
  uncoded record without an occupation cannot be matched at all, while a wrong guess is marked
  "suggested by the portal — check" for the employer and the moderating caseworker. Below 0.3
  the record is refused as an unknown occupation, its best guess in the report so the sender
  can code it.
- Skills are taken from 0.6 up (the matcher's own floor; precision 0.74 on the set), at most
  ``MAX_SKILLS``, and only as nice-to-have skills: a guessed skill adds to a candidate's
  score but never holds one back.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from taxonomy.models import Occupation, Skill

OCCUPATION_MIN_CONFIDENCE = 0.3
SKILL_MIN_CONFIDENCE = 0.6
MAX_SKILLS = 10
TEXT_MAX_CHARS = 20_000  # more text adds nothing but work


@dataclass
class CodeSuggestion:
    """What the matcher found for one record, and what of it is confident enough to use."""

    occupation: Occupation | None = None
    skills: list[Skill] = field(default_factory=list)
    best_guess: dict | None = None  # the top occupation, used or not
    stored: dict = field(default_factory=dict)  # for Vacancy.code_suggestions

    def occupation_note(self) -> str:
        item = self.stored.get("occupation")
        if not item:
            return ""
        return _("Occupation suggested by the portal: %(label)s (%(confidence).2f, from %(triggers)s).") % {
            "label": item["label"],
            "confidence": item["confidence"],
            "triggers": _quoted(item["triggers"]),
        }

    def skills_note(self) -> str:
        items = self.stored.get("skills") or []
        if not items:
            return ""
        listed = "; ".join(f"{item['label']} ({item['confidence']:.2f})" for item in items)
        return _("Skills suggested by the portal: %(skills)s.") % {"skills": listed}

    def no_occupation_note(self) -> str:
        if not self.best_guess:
            return _("The portal recognised no occupation in the title and description.")
        return _("The portal's best guess, %(label)s (%(confidence).2f), is too uncertain to use.") % {
            "label": self.best_guess["label"],
            "confidence": float(self.best_guess["confidence"]),
        }


def _quoted(triggers: list[str]) -> str:
    return ", ".join(f"“{trigger}”" for trigger in triggers[:3]) or "-"


def _stored(item: dict) -> dict:
    return {
        "id": item["id"],
        "uri": item.get("uri", ""),
        "label": item.get("label", ""),
        "confidence": round(float(item.get("confidence") or 0), 3),
        "triggers": list(dict.fromkeys(item.get("triggers") or []))[:5],
    }


def suggest_codes(*, title: str, text: str, occupation: bool, skills: bool) -> CodeSuggestion:
    """The occupation (when ``occupation``) and skills (when ``skills``) confident enough to use."""
    from taxonomy.suggest import suggest  # the matcher is built lazily, on the first uncoded record

    found = suggest((title or "")[:300], (text or "")[:TEXT_MAX_CHARS], occupations=3, skills=MAX_SKILLS * 2)
    result = CodeSuggestion()
    if occupation:
        top = (found.get("occupations") or [None])[0]
        result.best_guess = top
        if top is not None and float(top.get("confidence") or 0) >= OCCUPATION_MIN_CONFIDENCE:
            result.occupation = Occupation.objects.filter(pk=top["id"]).first()
            if result.occupation is not None:
                result.stored["occupation"] = _stored(top)
    if skills:
        confident = [s for s in found.get("skills") or [] if float(s.get("confidence") or 0) >= SKILL_MIN_CONFIDENCE]
        by_id = Skill.objects.in_bulk([s["id"] for s in confident[:MAX_SKILLS]])
        kept = [s for s in confident[:MAX_SKILLS] if s["id"] in by_id]
        result.skills = [by_id[s["id"]] for s in kept]
        if kept:
            result.stored["skills"] = [_stored(s) for s in kept]
    return result
