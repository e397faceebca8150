"""Free-text vacancy search: the stored search document, the query, the ranking.

A vacancy's document is the normalised form (``vocabulary.normalise.search_form``: lower case,
accents folded, hyphens split, nl/fr/en inflection reduced) of its title, of every label of its
occupation and of its skills in every language (preferred and alternative: "lasser", "soudeur",
"welder", "TIG-lassen"), and of its description. Queries are normalised the same way, so words
meet whatever the language or the spelling of either side.

- PostgreSQL: the document is stored as a weighted ``tsvector`` (title A, occupation B, skills C,
  description D) behind a GIN index; a query is an AND of its words (whole normalised words),
  ranked by ``ts_rank`` over the stored vector. Nothing is computed per row per request.
- SQLite (quick start): an AND of ``contains`` " word " per word over the stored normalised text,
  newest first.

The document is refreshed when a vacancy or its skills change (receivers below, connected in
``VacanciesConfig.ready``) and for every vacancy by ``manage.py search_reindex`` (after the
reference data changed).
"""

import re
from collections import defaultdict
from collections.abc import Iterable

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import F, QuerySet

from taxonomy.models import Occupation, OccupationLabel, Skill, SkillLabel
from vocabulary.normalise import search_form, tokens

from .models import Vacancy

SEARCH_CONFIG = "simple"  # the text is normalised in Python already; PostgreSQL only splits it
MIN_WORD_LENGTH = 2  # see query_terms
_WORDS = re.compile(r"[\W_]+")  # how a query splits into typed words (the normaliser splits further)
REINDEX_CHUNK = 500
# Fields whose change alters the document; a save limited to other fields (status) skips the refresh.
DOCUMENT_FIELDS = frozenset({"title", "description", "occupation", "occupation_id"})


# --- the document ------------------------------------------------------------------------------------


def _join(forms: Iterable[str]) -> str:
    seen: dict[str, None] = {}
    for form in forms:
        if form:
            seen.setdefault(form, None)
    return " ".join(seen)


def _occupation_forms(occupation_ids: set[int]) -> dict[int, list[str]]:
    forms: dict[int, list[str]] = defaultdict(list)
    rows = OccupationLabel.objects.filter(occupation_id__in=occupation_ids).values_list("occupation_id", "search_form")
    for occupation_id, form in rows:
        forms[occupation_id].append(form)
    # The portal's own wording (label_nl/fr/en) may differ from ESCO's labels: include it too.
    for row in Occupation.objects.filter(pk__in=occupation_ids).values_list("pk", "label_nl", "label_en", "label_fr"):
        forms[row[0]].extend(search_form(text) for text in row[1:] if text)
    return forms


def _skill_forms(vacancy_ids: list[int]) -> dict[int, list[str]]:
    """vacancy id -> the normalised labels of its essential and optional skills."""
    skills_of: dict[int, set[int]] = defaultdict(set)
    for through in (Vacancy.essential_skills.through, Vacancy.optional_skills.through):
        for vacancy_id, skill_id in through.objects.filter(vacancy_id__in=vacancy_ids).values_list(
            "vacancy_id", "skill_id"
        ):
            skills_of[vacancy_id].add(skill_id)
    skill_ids = set().union(*skills_of.values()) if skills_of else set()
    if not skill_ids:
        return {}
    forms: dict[int, list[str]] = defaultdict(list)
    for skill_id, form in SkillLabel.objects.filter(skill_id__in=skill_ids).values_list("skill_id", "search_form"):
        forms[skill_id].append(form)
    for row in Skill.objects.filter(pk__in=skill_ids).values_list("pk", "label_nl", "label_en", "label_fr"):
        forms[row[0]].extend(search_form(text) for text in row[1:] if text)
    return {vacancy_id: [form for skill_id in ids for form in forms[skill_id]] for vacancy_id, ids in skills_of.items()}


def _document_parts(*, title: str, description: str, occupation: list[str], skills: list[str]) -> dict[str, str]:
    """The normalised text per weight: title A, occupation labels B, skill labels C, description D."""
    return {"A": search_form(title), "B": _join(occupation), "C": _join(skills), "D": search_form(description)}


def _search_text(parts: dict[str, str]) -> str:
    # Padded with spaces so that SQLite's per-word ``contains`` can ask for " word " (whole words).
    return " " + " ".join(part for part in parts.values() if part) + " "


# One statement per chunk: the vector is built from the parts inside PostgreSQL (the write path,
# once per change; searches then only read the stored vector).
_POSTGRES_UPDATE = """
    UPDATE {table} AS vacancy
    SET search_text = document.text,
        search_vector = setweight(to_tsvector('simple', document.a), 'A')
            || setweight(to_tsvector('simple', document.b), 'B')
            || setweight(to_tsvector('simple', document.c), 'C')
            || setweight(to_tsvector('simple', document.d), 'D')
    FROM (VALUES {rows}) AS document (id, text, a, b, c, d)
    WHERE vacancy.id = document.id
"""


def _store(documents: list[tuple[int, dict[str, str]]]) -> None:
    if not documents:
        return
    if connection.vendor == "postgresql":
        rows = ", ".join(["(%s::bigint, %s, %s, %s, %s, %s)"] * len(documents))
        params = []
        for pk, parts in documents:
            params += [pk, _search_text(parts), parts["A"], parts["B"], parts["C"], parts["D"]]
        with connection.cursor() as cursor:
            cursor.execute(_POSTGRES_UPDATE.format(table=Vacancy._meta.db_table, rows=rows), params)
        return
    Vacancy.objects.bulk_update(
        [Vacancy(pk=pk, search_text=_search_text(parts)) for pk, parts in documents], ["search_text"]
    )


def vacancy_search_refresh(*, vacancy_ids: Iterable[int]) -> int:
    """Rebuild the stored search document of these vacancies: five reads and one write per chunk."""
    vacancy_ids = sorted(set(vacancy_ids))
    done = 0
    for start in range(0, len(vacancy_ids), REINDEX_CHUNK):
        chunk = vacancy_ids[start : start + REINDEX_CHUNK]
        rows = list(Vacancy.objects.filter(pk__in=chunk).values_list("pk", "title", "description", "occupation_id"))
        occupation_forms = _occupation_forms({row[3] for row in rows})
        skill_forms = _skill_forms([row[0] for row in rows])
        documents = [
            (
                pk,
                _document_parts(
                    title=title,
                    description=description,
                    occupation=occupation_forms.get(occupation_id, []),
                    skills=skill_forms.get(pk, []),
                ),
            )
            for pk, title, description, occupation_id in rows
        ]
        _store(documents)
        done += len(documents)
    return done


def vacancy_search_reindex_all() -> int:
    """Every vacancy's document; after a reload of the reference data (labels changed)."""
    return vacancy_search_refresh(vacancy_ids=Vacancy.objects.values_list("pk", flat=True))


# --- keeping it fresh --------------------------------------------------------------------------------
# Model signals rather than calls in the services: every road that writes a vacancy or its skills
# (services, imports, the admin, fixtures) must leave a searchable document behind. bulk_create
# (demo seeding) sends no signal: call vacancy_search_refresh after it.


def on_vacancy_saved(sender, instance: Vacancy, created: bool, update_fields=None, raw=False, **kwargs) -> None:
    if raw or (update_fields is not None and not DOCUMENT_FIELDS.intersection(update_fields)):
        return
    vacancy_search_refresh(vacancy_ids=[instance.pk])


def on_vacancy_skills_changed(sender, instance, action: str, reverse: bool, pk_set=None, **kwargs) -> None:
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if reverse:  # skill.vacancies_essential.add(vacancy): instance is the skill
        if pk_set:
            vacancy_search_refresh(vacancy_ids=pk_set)
        return
    vacancy_search_refresh(vacancy_ids=[instance.pk])


def on_reference_data_loaded(sender, **kwargs) -> None:
    """Labels may have changed with a reload of the reference data: every document again."""
    vacancy_search_reindex_all()


def connect_receivers() -> None:
    from django.db.models.signals import m2m_changed, post_save

    from taxonomy.signals import reference_data_loaded

    post_save.connect(on_vacancy_saved, sender=Vacancy, dispatch_uid="vacancy_search_saved")
    reference_data_loaded.connect(on_reference_data_loaded, dispatch_uid="vacancy_search_reference_data")
    for through in (Vacancy.essential_skills.through, Vacancy.optional_skills.through):
        m2m_changed.connect(
            on_vacancy_skills_changed, sender=through, dispatch_uid=f"vacancy_search_{through.__name__}"
        )


# --- the query ---------------------------------------------------------------------------------------


def query_terms(text: str) -> list[str]:
    """The normalised words of a query, each once, in order.

    A typed word of one letter ("l'", "d'", "à", "a") is dropped: it carries no meaning and would
    make the AND fail on most documents. A longer word always counts, even when its search form is
    one letter ("zzzz" → "z"): dropping it would widen "lassen zzzz" into "lassen".
    """
    terms: dict[str, None] = {}
    for word in _WORDS.split(text or ""):
        if len(word) >= MIN_WORD_LENGTH:
            for term in tokens(word):
                terms.setdefault(term, None)
    return list(terms)


def _tsquery(terms: list[str]) -> str:
    # Every word must match (AND) a whole word of the document. No prefix matching: the search
    # forms are already reduced ("lassers", "lasser", "lassen" → "las"), and "las:*" would find
    # "laser" and "last" too. Terms are letters and digits; quoting keeps anything else literal.
    quoted = ("'" + term.replace("\\", "").replace("'", "''") + "'" for term in terms)
    return " & ".join(quoted)


def search_vacancies(queryset: QuerySet[Vacancy], text: str) -> QuerySet[Vacancy]:
    """The vacancies of ``queryset`` whose document has every word of ``text``, best first.

    A query without a usable word (only punctuation or single letters) finds nothing: a search
    never returns "everything" because its words were dropped.
    """
    terms = query_terms(text)
    if not terms:
        return queryset.none()
    if connection.vendor == "postgresql":
        query = SearchQuery(_tsquery(terms), config=SEARCH_CONFIG, search_type="raw")
        return (
            queryset.filter(search_vector=query)
            .annotate(rank=SearchRank(F("search_vector"), query))
            .order_by("-rank", "-published_at", "-pk")
        )
    for term in terms:
        queryset = queryset.filter(search_text__contains=f" {term} ")
    return queryset.order_by("-published_at", "-pk")
