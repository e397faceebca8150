"""Text → ESCO occupation and skills: the Django adapter of ``vocabulary.matcher``.

``suggest(title, text)`` is what the employer's vacancy form, the CV upload and the imports
call. The ``Vocabulary`` is built from the database once per process, lazily, and rebuilt when
the reference data is reloaded: in this process ``reference_data_loaded`` drops it, and every
call compares the loaded data's digest (``ReferenceDataVersion``, one small query) so that a
web or worker process notices a reload done by another process too.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from django.db.models import Model
from django.utils.translation import get_language

from vocabulary.matcher import OCCUPATION, SKILL, Concept, Suggestion, Vocabulary

from .models import Occupation, OccupationLabel, OccupationSkill, ReferenceDataVersion, Skill, SkillLabel, SkillRelation
from .signals import reference_data_loaded

__all__ = ["suggest", "vocabulary_forget"]


@dataclass(frozen=True)
class _Built:
    version: tuple
    vocabulary: Vocabulary
    # (kind, id) → (uri, {language: label}) so that a suggestion needs no further query.
    described: dict[tuple[str, int], tuple[str, dict[str, str]]]


_lock = threading.Lock()
_built: _Built | None = None


def _data_version() -> tuple:
    return tuple(ReferenceDataVersion.objects.order_by("name").values_list("name", "digest"))


def _concepts(model: type[Model], label_model: type[Model], kind: str, described: dict) -> list[Concept]:
    foreign_key = f"{kind}_id"
    labels: dict[int, list[tuple[str, str]]] = {}
    for owner_id, language, text in label_model.objects.order_by().values_list(foreign_key, "language", "text"):
        labels.setdefault(owner_id, []).append((language, text))
    concepts = []
    rows = model.objects.order_by("id").values_list("id", "uri", "label_nl", "label_en", "label_fr", "is_port_relevant")
    for concept_id, uri, label_nl, label_en, label_fr, port_relevant in rows:
        own = {"nl": label_nl, "en": label_en, "fr": label_fr}
        described[(kind, concept_id)] = (uri, own)
        # The portal's own wording first (it is what users see), then every ESCO label.
        all_labels = [(language, text) for language, text in own.items() if text] + labels.get(concept_id, [])
        concepts.append(Concept(concept_id, kind, all_labels, port_relevant))
    return concepts


def _build(version: tuple) -> _Built:
    described: dict[tuple[str, int], tuple[str, dict[str, str]]] = {}
    concepts = _concepts(Occupation, OccupationLabel, OCCUPATION, described)
    concepts += _concepts(Skill, SkillLabel, SKILL, described)
    relations = [
        (occupation_id, skill_id, relation == SkillRelation.ESSENTIAL)
        for occupation_id, skill_id, relation in OccupationSkill.objects.order_by().values_list(
            "occupation_id", "skill_id", "relation"
        )
    ]
    return _Built(version=version, vocabulary=Vocabulary.build(concepts, relations), described=described)


def vocabulary_current() -> _Built:
    global _built
    version = _data_version()
    built = _built
    if built is not None and built.version == version:
        return built
    with _lock:
        if _built is None or _built.version != version:
            _built = _build(version)
        return _built


def vocabulary_forget(**_kwargs) -> None:
    """Drop the built vocabulary (the reference data changed); the next call rebuilds it."""
    global _built
    _built = None


reference_data_loaded.connect(vocabulary_forget, dispatch_uid="taxonomy.suggest.vocabulary_forget")


def _row(kind: str, suggestion: Suggestion, described: dict, language: str) -> dict:
    uri, labels = described[(kind, suggestion.id)]
    label = labels.get(language) or labels["nl"] or labels["en"] or labels["fr"]
    return {
        "id": suggestion.id,
        "uri": uri,
        "label": label,
        "confidence": suggestion.confidence,
        "triggers": list(suggestion.triggers),
    }


def suggest(title: str, text: str, *, occupations: int = 3, skills: int = 15) -> dict:
    """The ESCO occupations and skills a title and text speak of, best first.

    ``{"occupations": [{"id", "uri", "label", "confidence", "triggers"}], "skills": [...]}``:
    ``label`` in the active language (English or French when a skill has no Dutch label),
    ``confidence`` in [0, 1], ``triggers`` the words of the text that matched.
    """
    built = vocabulary_current()
    found = built.vocabulary.suggest(title or "", text or "", occupations=occupations, skills=skills)
    language = (get_language() or "nl")[:2]
    return {
        "occupations": [_row(OCCUPATION, item, built.described, language) for item in found.occupations],
        "skills": [_row(SKILL, item, built.described, language) for item in found.skills],
    }
