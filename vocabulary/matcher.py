"""Text → vocabulary: an explainable lexical matcher over ESCO's labels in nl/fr/en.

``Vocabulary.build(concepts, relations)`` indexes every label of every occupation and skill by
its search-form tokens (vocabulary/normalise.py); ``vocab.suggest(title, text)`` returns the
occupations and skills whose labels the text contains, each with a confidence in [0, 1] and
the words of the text that triggered it. No model, no download, no Django: plain data in,
plain data out, deterministic (ties broken by concept id).

How a label scores against a text
---------------------------------
* Every token has an IDF-like weight over all labels (``log(labels / labels with the token)``),
  so "welding" counts more than "operate" and a label is *covered* by the share of its weight
  the text contains.
* A label fully covered by one field scores 1.0 (its words in a row: a phrase) or
  ``SCATTERED`` (its words apart); a partly covered one ``PARTIAL * coverage²`` once its
  coverage reaches the kind's minimum. The title counts fully, the body at ``BODY_WEIGHT`` of
  the kind (occupations are named in titles; skills are asked for in bodies).
* A form that many concepts share ("operator") is divided among them; a one-word label whose
  word is common in other labels ("medewerker") is scaled down; a one-word skill ("chemie")
  counts less than a phrase (``SKILL_ONE_WORD``, ``SKILL_PHRASE``).
* A concept keeps its best label, plus a little for its specificity (how much weight matched)
  and, for occupations, for ESCO's preferred label.
* ESCO's relations re-rank: a skill essential (optional) to a suggested occupation gains
  ``RELATION_BONUS`` times that occupation's confidence; an occupation gains for each matched
  skill essential to it. Only concepts with their own textual evidence are re-ranked, never
  added. The title words that name the trade are no evidence of a skill.
* Port-relevant concepts get a mild prior (``PORT_PRIOR``): the portal's own field.
* Dutch compounds the labels do not contain whole ("heftruckchauffeur") are split into two
  known parts.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from .normalise import NON_ALNUM, fold, reduce_token

__all__ = ["Concept", "Suggestion", "Suggestions", "Vocabulary"]

OCCUPATION = "occupation"
SKILL = "skill"

# Function words of nl/fr/en (and ad boilerplate) that never identify a concept.
_STOPWORDS_RAW = """
de het een en van in op voor met aan te of die dat is zijn wij je u jij ons onze jouw bij als ook
naar om door tot over uit er we ben hebt heeft word wordt worden zoals deze dit kan kunnen nog
le la les des du un une et au aux pour par avec sur dans qui que vous nous est son sa ses leur
leurs ou pas plus ce cette ces votre vos notre nos sont etre avoir
the a an and of on for with to at by or as are be we you your our from this that will can who
job jobs m v x f h
"""
STOPWORDS = frozenset(reduce_token(word) for word in _STOPWORDS_RAW.split())

# Scores, tuned on vocabulary/eval/ (docs/vocabulary.md) and never on single items.
SCATTERED = 0.75
PARTIAL = 0.6
MIN_COVERAGE = {OCCUPATION: 0.6, SKILL: 0.75}
BODY_WEIGHT = {OCCUPATION: 0.3, SKILL: 1.0}
MIN_CONFIDENCE = {OCCUPATION: 0.2, SKILL: 0.6}
SPECIFICITY = 0.01  # per unit of matched weight, capped at SPECIFICITY_CAP
SPECIFICITY_CAP = 0.08
GENERIC_LABELS = 15  # a word in more labels than this is generic ("operator", "medewerker")
SKILL_ONE_WORD = 0.5
SKILL_PHRASE = 0.75
RELATION_BONUS = {True: 0.3, False: 0.15}  # essential, optional to a suggested occupation
SKILL_EVIDENCE_BONUS = 0.03  # per matched essential skill of an occupation, capped
SKILL_EVIDENCE_CAP = 0.12
SKILL_EVIDENCE_FROM = 0.5  # a skill counts as evidence for an occupation from this text score
PORT_PRIOR = 0.04
PREFERRED_BONUS = 0.05  # an occupation's preferred label names it; alternatives may be shared
TRADE_NAME_FACTOR = 0.5  # a skill named only by the title words that named the occupation
MIN_COMPOUND_PART = 4
# The words of a text as its reader sees them (triggers are shown in the original spelling,
# hyphenated and slashed words whole: "TIG-lassen", "MIG/MAG").
_WORDS = re.compile(r"[^\w\-/'’]+")
_WORD_EDGES = "-/'’"


@dataclass(frozen=True, slots=True)
class Concept:
    """An occupation or skill: its database id, kind, labels as (language, text), and flag.

    The first label of each language is the preferred one (it gets ``PREFERRED_BONUS``).
    """

    id: int
    kind: str
    labels: Sequence[tuple[str, str]]
    port_relevant: bool = False


@dataclass(frozen=True, slots=True)
class Suggestion:
    id: int
    confidence: float
    triggers: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Suggestions:
    occupations: list[Suggestion]
    skills: list[Suggestion]


@dataclass(slots=True)
class _Field:
    """The tokens of one field of the text, with the words of the text they came from."""

    tokens: list[str]
    words: list[str]

    @property
    def token_set(self) -> set[str]:
        return set(self.tokens)


def _label_tokens(text: str) -> tuple[str, ...]:
    seen: dict[str, None] = {}  # ordered set: "directeur technique/directrice technique" once
    for word in NON_ALNUM.split(fold(text)):
        if word:
            token = reduce_token(word)
            if token not in STOPWORDS and len(token) > 1:
                seen.setdefault(token)
    return tuple(seen)


def _contains_run(sequence: list[str], run: tuple[str, ...]) -> bool:
    width = len(run)
    first = run[0]
    return any(
        sequence[start] == first and tuple(sequence[start : start + width]) == run
        for start in range(len(sequence) - width + 1)
    )


class Vocabulary:
    """The index of every label; build once per process, then ``suggest`` per text."""

    def __init__(self) -> None:
        self.concepts: list[Concept] = []
        self.label_concept: list[int] = []
        self.label_tokens: list[tuple[str, ...]] = []
        self.label_weight: list[float] = []
        self.label_preferred: list[bool] = []
        self.label_sharing: list[int] = []  # how many concepts of the label's kind share its form
        self.postings: dict[str, list[int]] = {}
        self.idf: dict[str, float] = {}
        self.idf_specific = 1.0  # the IDF of a word found in GENERIC_LABELS labels
        self.essential_skills: dict[int, set[int]] = {}  # occupation index → skill indices
        self.optional_skills: dict[int, set[int]] = {}
        self._split_cache: dict[str, tuple[str, ...]] = {}

    @classmethod
    def build(cls, concepts: Iterable[Concept], relations: Iterable[tuple[int, int, bool]] = ()) -> Vocabulary:
        vocab = cls()
        index_of_id: dict[tuple[str, int], int] = {}
        postings: dict[str, list[int]] = defaultdict(list)
        for concept in concepts:
            concept_index = len(vocab.concepts)
            vocab.concepts.append(concept)
            index_of_id[(concept.kind, concept.id)] = concept_index
            seen_label_tokens: set[tuple[str, ...]] = set()
            seen_languages: set[str] = set()
            for language, text in concept.labels:
                preferred = language not in seen_languages
                seen_languages.add(language)
                label_tokens = _label_tokens(text)
                if not label_tokens or label_tokens in seen_label_tokens:
                    continue  # the same form in two languages is one label
                seen_label_tokens.add(label_tokens)
                label_index = len(vocab.label_tokens)
                vocab.label_tokens.append(label_tokens)
                vocab.label_preferred.append(preferred)
                vocab.label_concept.append(concept_index)
                for token in label_tokens:
                    postings[token].append(label_index)
        labels = max(len(vocab.label_tokens), 1)
        vocab.postings = dict(postings)
        vocab.idf = {token: math.log(1 + labels / len(found)) for token, found in postings.items()}
        vocab.idf_specific = math.log(1 + labels / GENERIC_LABELS)
        vocab.label_weight = [sum(vocab.idf[token] for token in tokens) for tokens in vocab.label_tokens]
        sharing: dict[tuple[str, tuple[str, ...]], int] = defaultdict(int)
        for label, tokens in enumerate(vocab.label_tokens):
            sharing[(vocab.concepts[vocab.label_concept[label]].kind, tokens)] += 1
        vocab.label_sharing = [
            sharing[(vocab.concepts[vocab.label_concept[label]].kind, tokens)]
            for label, tokens in enumerate(vocab.label_tokens)
        ]
        for occupation_id, skill_id, essential in relations:
            occupation = index_of_id.get((OCCUPATION, occupation_id))
            skill = index_of_id.get((SKILL, skill_id))
            if occupation is None or skill is None:
                continue
            target = vocab.essential_skills if essential else vocab.optional_skills
            target.setdefault(occupation, set()).add(skill)
        return vocab

    # --- reading a text ------------------------------------------------------------------------

    def _split_compound(self, word: str) -> tuple[str, ...]:
        """Two known tokens for a Dutch compound ("heftruckchauffeur"), else ()."""
        if word in self._split_cache:
            return self._split_cache[word]
        found: tuple[str, ...] = ()
        # The longest known head first: "kraanmachinist" is kraan + machinist, not kra + ...
        for cut in range(len(word) - MIN_COMPOUND_PART, MIN_COMPOUND_PART - 1, -1):
            head, tail = reduce_token(word[:cut]), reduce_token(word[cut:])
            if head in self.postings and tail in self.postings and STOPWORDS.isdisjoint((head, tail)):
                found = (head, tail)
                break
            # Dutch linking -s- (arbeid-s-veiligheid) and -e-.
            if word[cut - 1] in "se" and cut - 1 >= MIN_COMPOUND_PART:
                head = reduce_token(word[: cut - 1])
                if head in self.postings and tail in self.postings and STOPWORDS.isdisjoint((head, tail)):
                    found = (head, tail)
                    break
        self._split_cache[word] = found
        return found

    def _read(self, text: str) -> _Field:
        tokens: list[str] = []
        words: list[str] = []
        for raw in _WORDS.split(text or ""):
            raw = raw.strip(_WORD_EDGES)
            for word in NON_ALNUM.split(fold(raw)):
                if not word:
                    continue
                token = reduce_token(word)
                if token in STOPWORDS or len(token) == 1:
                    continue
                # An unknown compound adds its parts ("heftruckchauffeur": heftruck + chauffeur);
                # a known one is left whole, its parts would match labels it does not mean.
                if token not in self.postings and len(word) >= 2 * MIN_COMPOUND_PART:
                    for part in self._split_compound(word):
                        tokens.append(part)
                        words.append(raw)
                tokens.append(token)
                words.append(raw)
        return _Field(tokens, words)

    # --- scoring -------------------------------------------------------------------------------

    def _score_labels(self, title: _Field, body: _Field) -> dict[int, tuple[float, float, tuple[str, ...]]]:
        """Best (score, matched weight, matched tokens) per concept index."""
        title_set, body_set = title.token_set, body.token_set
        title_weight: dict[int, float] = defaultdict(float)
        any_weight: dict[int, float] = defaultdict(float)
        for token in title_set | body_set:
            postings = self.postings.get(token)
            if not postings:
                continue
            weight = self.idf[token]
            in_title = token in title_set
            for label in postings:
                any_weight[label] += weight
                if in_title:
                    title_weight[label] += weight
        best: dict[int, tuple[float, float, tuple[str, ...]]] = {}
        for label, matched in any_weight.items():
            total = self.label_weight[label]
            concept_index = self.label_concept[label]
            kind = self.concepts[concept_index].kind
            tokens = self.label_tokens[label]
            coverage = matched / total
            if coverage < MIN_COVERAGE[kind] - 1e-9:
                continue
            title_coverage = title_weight.get(label, 0.0) / total
            score = 0.0
            for field_, field_weight, field_coverage in (
                (title, 1.0, title_coverage),
                (body, BODY_WEIGHT[kind], coverage),
            ):
                if field_coverage >= 1 - 1e-9:
                    whole = 1.0 if len(tokens) == 1 or _contains_run(field_.tokens, tokens) else SCATTERED
                    # The body's "coverage" may lean on the title's words: a phrase needs its own.
                    if field_ is body and not set(tokens) <= body.token_set:
                        whole = SCATTERED
                    candidate = field_weight * whole
                elif field_coverage >= MIN_COVERAGE[kind]:
                    candidate = field_weight * PARTIAL * field_coverage**2
                else:
                    candidate = 0.0
                score = max(score, candidate)
            if score <= 0:
                continue
            # A form many concepts share ("operator", "lassen") says little about any one of them,
            # and neither does a one-word label whose word is common in other labels ("medewerker").
            score /= math.sqrt(self.label_sharing[label])
            if len(tokens) == 1:
                score *= min(1.0, self.idf[tokens[0]] / self.idf_specific)
            if kind == SKILL:
                # One word ("chemie", "patiënten") names a topic more often than a skill asked for.
                score *= SKILL_ONE_WORD if len(tokens) == 1 else SKILL_PHRASE
            score += min(SPECIFICITY * matched, SPECIFICITY_CAP)
            if kind == OCCUPATION and self.label_preferred[label]:
                score += PREFERRED_BONUS
            previous = best.get(concept_index)
            if previous is None or (score, matched) > previous[:2]:
                matched_tokens = tuple(t for t in tokens if t in title_set or t in body_set)
                best[concept_index] = (score, matched, matched_tokens)
        return best

    def suggest(self, title: str, text: str, *, occupations: int = 3, skills: int = 15) -> Suggestions:
        title_field, body_field = self._read(title or ""), self._read(text or "")
        best = self._score_labels(title_field, body_field)
        occupation_scores: dict[int, float] = {}
        skill_scores: dict[int, float] = {}
        for concept_index, (score, _matched, _tokens) in best.items():
            concept = self.concepts[concept_index]
            prior = PORT_PRIOR if concept.port_relevant else 0.0
            if concept.kind == OCCUPATION:
                occupation_scores[concept_index] = score + prior
            else:
                skill_scores[concept_index] = score + prior
        # Occupations gain from the skills the text asks for that ESCO calls essential to them.
        matched_skills = {index for index, score in skill_scores.items() if score >= SKILL_EVIDENCE_FROM}
        for occupation_index in occupation_scores:
            shared = len(self.essential_skills.get(occupation_index, set()) & matched_skills)
            occupation_scores[occupation_index] += min(SKILL_EVIDENCE_BONUS * shared, SKILL_EVIDENCE_CAP)
        ranked_occupations = self._rank(occupation_scores, MIN_CONFIDENCE[OCCUPATION])
        # The trade's own name in the title is not a skill the text asks for: "Elektromecanicien"
        # names the occupation, it does not ask for the knowledge "electromechanics".
        if ranked_occupations:
            named = set(best[ranked_occupations[0][0]][2])
            body_tokens = body_field.token_set
            for skill_index in skill_scores:
                tokens = set(best[skill_index][2])
                if tokens <= named and not tokens & body_tokens:
                    skill_scores[skill_index] *= TRADE_NAME_FACTOR
        # Skills gain from the suggested occupations that ESCO says need them, in proportion to
        # how sure the occupation is.
        for skill_index in skill_scores:
            bonus = 0.0
            for occupation_index, occupation_score in ranked_occupations[:occupations]:
                certainty = min(occupation_score, 1.0)
                if skill_index in self.essential_skills.get(occupation_index, ()):
                    bonus = max(bonus, RELATION_BONUS[True] * certainty)
                elif skill_index in self.optional_skills.get(occupation_index, ()):
                    bonus = max(bonus, RELATION_BONUS[False] * certainty)
            skill_scores[skill_index] += bonus
        ranked_skills = self._rank(skill_scores, MIN_CONFIDENCE[SKILL])
        words = self._trigger_words(title_field, body_field)
        return Suggestions(
            occupations=[self._suggestion(i, s, best, words) for i, s in ranked_occupations[:occupations]],
            skills=[self._suggestion(i, s, best, words) for i, s in ranked_skills[:skills]],
        )

    def _rank(self, scores: dict[int, float], minimum: float) -> list[tuple[int, float]]:
        kept = [(index, score) for index, score in scores.items() if score >= minimum]
        return sorted(kept, key=lambda item: (-item[1], self.concepts[item[0]].id))

    @staticmethod
    def _trigger_words(*fields: _Field) -> dict[str, set[str]]:
        """Each word of the text (in order of appearance) with the tokens it gave."""
        words: dict[str, set[str]] = {}
        for field_ in fields:
            for token, word in zip(field_.tokens, field_.words, strict=True):
                words.setdefault(word, set()).add(token)
        return words

    def _suggestion(self, index: int, score: float, best, words: dict[str, set[str]]) -> Suggestion:
        matched = set(best[index][2])
        # The words made only of the label's tokens first ("TIG-lassen" for TIG welding, not
        # "MIG-lassen"); any other word only for a token those leave uncovered.
        triggers = [word for word, tokens in words.items() if tokens <= matched]
        covered = set().union(*(words[word] for word in triggers)) if triggers else set()
        triggers += [word for word, tokens in words.items() if tokens & (matched - covered) and word not in triggers]
        return Suggestion(id=self.concepts[index].id, confidence=round(min(score, 1.0), 3), triggers=triggers)
