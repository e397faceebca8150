"""Read access to reference data."""

from dataclasses import dataclass

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import Length

from vocabulary.normalise import search_form

from .models import Diploma, Occupation, OccupationLabel, Place, PostalCode, Skill, SkillLabel


def place_for_be_postcode(*, postcode: str) -> Place | None:
    """The place a Belgian postcode stands for (its main locality), or None if unknown."""
    postal = (
        PostalCode.objects.filter(country="BE", code=postcode, place__isnull=False)
        .select_related("place")
        .order_by("locality")
        .first()
    )
    return postal.place if postal else None


def be_postcode_exists(*, postcode: str) -> bool:
    return PostalCode.objects.filter(country="BE", code=postcode).exists()


def diplomas_for_country(*, country: str) -> QuerySet[Diploma]:
    return Diploma.objects.for_country(country)


def skill_search(*, query: str, limit: int = 20) -> QuerySet[Skill]:
    return Skill.objects.filter(
        Q(label_nl__icontains=query) | Q(label_en__icontains=query) | Q(label_fr__icontains=query)
    )[:limit]


def occupation_search(*, query: str, limit: int = 20) -> QuerySet[Occupation]:
    return Occupation.objects.select_related("isco_group").filter(
        Q(label_nl__icontains=query)
        | Q(label_en__icontains=query)
        | Q(label_fr__icontains=query)
        | Q(isco_group__code__startswith=query)
    )[:limit]


# --- autocomplete -------------------------------------------------------------------------------------
# Over every label (preferred and alternative, nl/fr/en) by its normalised search_form, so "lässer",
# "TIG lassen", "soudeur" and "welder" all answer. On PostgreSQL the ``contains`` lookups are served
# by the trigram GIN indexes on search_form (vacancies migration 0003); the label is then shown in
# the user's language.

AUTOCOMPLETE_LIMIT = 10
# Label rows read per request: several labels of one concept often match, so read more rows than
# concepts wanted, still a bounded number whatever the size of the vocabulary.
AUTOCOMPLETE_ROWS = 200


@dataclass(frozen=True)
class AutocompleteHit:
    id: int
    label: str  # in the requested language (falling back to en, fr)
    matched: str  # the label that matched the query, in its own language
    matched_language: str
    is_port_relevant: bool
    uri: str


def _autocomplete(label_model, concept_field: str, query: str, language: str, limit: int) -> list[tuple[int, str, str]]:
    """(concept id, matched text, matched language), port-relevant first, then word-start matches."""
    terms = search_form(query or "").split()
    if len("".join(terms)) < 2:  # one letter matches nearly every label and no index helps
        return []
    rows = label_model.objects.all()
    for term in terms:
        rows = rows.filter(search_form__contains=term)
    first = terms[0]
    starts = Q(search_form__startswith=first) | Q(search_form__contains=f" {first}")
    rows = (
        rows.annotate(
            # A label with a word starting with the query beats one that merely contains it.
            word_start=Case(When(starts, then=Value(0)), default=Value(1), output_field=IntegerField()),
            length=Length("search_form"),
        )
        .order_by(f"-{concept_field}__is_port_relevant", "word_start", "length", "-is_preferred")
        .values_list(f"{concept_field}_id", "text", "language")[:AUTOCOMPLETE_ROWS]
    )
    seen: dict[int, tuple[int, str, str]] = {}
    for concept_id, text, label_language in rows:
        if concept_id not in seen:
            seen[concept_id] = (concept_id, text, label_language)
        if len(seen) >= limit:
            break
    return list(seen.values())


def _hits(model, found: list[tuple[int, str, str]], language: str) -> list[AutocompleteHit]:
    from django.utils import translation

    concepts = model.objects.in_bulk([concept_id for concept_id, _, _ in found])
    hits = []
    with translation.override(language):
        for concept_id, text, label_language in found:
            concept = concepts.get(concept_id)
            if concept is not None:
                hits.append(
                    AutocompleteHit(
                        concept_id, concept.label, text, label_language, concept.is_port_relevant, concept.uri
                    )
                )
    return hits


def occupation_autocomplete(*, query: str, language: str = "nl", limit: int = AUTOCOMPLETE_LIMIT) -> list:
    """Occupations any of whose labels contains every word of ``query``: two queries."""
    return _hits(Occupation, _autocomplete(OccupationLabel, "occupation", query, language, limit), language)


def skill_autocomplete(*, query: str, language: str = "nl", limit: int = AUTOCOMPLETE_LIMIT) -> list:
    """Skills any of whose labels contains every word of ``query``: two queries."""
    return _hits(Skill, _autocomplete(SkillLabel, "skill", query, language, limit), language)


def travel_times_from(*, origin: Place, destination: Place, modes: list[str] | None = None) -> QuerySet:
    """Travel estimates from ``origin`` to ``destination`` for the given modes (all if None)."""
    from .models import TravelTime

    qs = TravelTime.objects.filter(origin=origin, destination=destination)
    return qs.filter(mode__in=modes) if modes else qs
