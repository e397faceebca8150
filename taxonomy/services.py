"""Load the reference data files in ``taxonomy/data`` into the database, idempotently.

Each file is built from its source by a script in ``taxonomy/build`` (see
``taxonomy/data/SOURCES.md``). Loading upserts on the natural key (code, URI, GeoNames id),
so running it again changes nothing and a newer file updates labels in place (ids of occupations
and skills stay: candidates, vacancies and matches hold them). The big ESCO tables go in with
PostgreSQL COPY (bulk_create on SQLite); an unchanged set of files is not loaded at all.
"""

import csv
import gzip
import hashlib
import io
from collections.abc import Iterable
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from django.db import connection, transaction

from .models import (
    Diploma,
    IscoGroup,
    Occupation,
    OccupationLabel,
    OccupationSkill,
    Place,
    PostalCode,
    ReferenceDataVersion,
    Skill,
    SkillLabel,
    StudyField,
    TravelTime,
    is_stem_isco,
)
from .signals import reference_data_loaded

DATA_DIR = Path(__file__).resolve().parent / "data"


@dataclass
class LoadReport:
    counts: dict[str, int] = field(default_factory=dict)
    skipped: bool = False  # the same files were loaded before

    def __str__(self) -> str:
        if self.skipped:
            return "unchanged since the last load, skipped"
        return ", ".join(f"{name}: {count}" for name, count in self.counts.items())


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


_TRUE = frozenset({"1", "true", "yes", "y"})


def _flag(value: str) -> bool:
    return value.strip().lower() in _TRUE


def _upsert(model, objects: list, unique_fields: list[str], update_fields: list[str]) -> None:
    model.objects.bulk_create(
        objects, update_conflicts=True, unique_fields=unique_fields, update_fields=update_fields, batch_size=1000
    )


# --- one loader per file: upsert its rows, return how many there were ----------------------------


def _load_diplomas(data_dir: Path) -> int:
    rows = _rows(data_dir / "diplomas.csv")
    _upsert(
        Diploma,
        [
            Diploma(
                code=r["code"],
                country=r["country"],
                framework=r["framework"],
                framework_level=r["framework_level"],
                eqf_level=int(r["eqf_level"]),
                is_minimum_secondary=_flag(r["is_minimum_secondary"]),
                sort_order=int(r["sort_order"]),
                label_nl=r["label_nl"],
                label_en=r["label_en"],
                label_fr=r["label_fr"],
            )
            for r in rows
        ],
        ["code"],
        [
            "country",
            "framework",
            "framework_level",
            "eqf_level",
            "is_minimum_secondary",
            "sort_order",
            "label_nl",
            "label_en",
            "label_fr",
        ],
    )
    return len(rows)


def _load_study_fields(data_dir: Path) -> int:
    rows = _rows(data_dir / "study_fields.csv")
    _upsert(
        StudyField,
        [
            StudyField(
                code=r["code"],
                label_en=r["label_en"],
                label_nl=r["label_nl"],
                label_fr=r["label_fr"],
                is_stem=_flag(r["is_stem"]),
            )
            for r in rows
        ],
        ["code"],
        ["label_en", "label_nl", "label_fr", "is_stem"],
    )
    return len(rows)


def _load_isco_groups(data_dir: Path) -> int:
    """ISCO-08 groups, then their parents (by code, once every group has an id)."""
    rows = sorted(_rows(data_dir / "isco08.csv"), key=lambda r: int(r["level"]))
    _upsert(
        IscoGroup,
        [
            IscoGroup(code=r["code"], level=int(r["level"]), label_en=r["label_en"], label_nl=r.get("label_nl", ""))
            for r in rows
        ],
        ["code"],
        ["level", "label_en", "label_nl"],
    )
    isco_ids = dict(IscoGroup.objects.values_list("code", "id"))
    parents = [
        IscoGroup(id=isco_ids[r["code"]], parent_id=isco_ids[r["parent_code"]]) for r in rows if r["parent_code"]
    ]
    IscoGroup.objects.bulk_update(parents, ["parent"], batch_size=1000)
    return len(rows)


def _gz_rows(path: Path) -> list[dict[str, str]]:
    with gzip.open(path, "rt", encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _is_postgresql() -> bool:
    return connection.vendor == "postgresql"


def _copy_rows(table: str, columns: list[str], rows: list[tuple]) -> None:
    """Append rows to a table with PostgreSQL COPY (one round trip for 100,000 rows)."""
    buffer = io.StringIO()
    # Every value quoted: in COPY's CSV format an unquoted empty value would be NULL, not "".
    csv.writer(buffer, lineterminator="\n", quoting=csv.QUOTE_ALL).writerows(rows)
    buffer.seek(0)
    with connection.cursor() as cursor:
        cursor.copy_expert(f"COPY {table} ({', '.join(columns)}) FROM STDIN WITH (FORMAT csv)", buffer)


def _copy_upsert(model, rows: list[tuple], columns: list[str], key: str) -> None:
    """COPY into a temporary table, then insert-or-update by ``key``: existing ids stay."""
    table = model._meta.db_table
    staging = f"{table}_staging"
    updates = ", ".join(f"{column} = EXCLUDED.{column}" for column in columns if column != key)
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TEMPORARY TABLE {staging} ON COMMIT DROP AS SELECT {', '.join(columns)} FROM {table} WITH NO DATA"
        )
    _copy_rows(staging, columns, rows)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({', '.join(columns)}) SELECT {', '.join(columns)} FROM {staging} "
            f"ON CONFLICT ({key}) DO UPDATE SET {updates}"
        )
        cursor.execute(f"DROP TABLE {staging}")


@contextmanager
def _bulk_load_mode(table: str):
    """Drop a table's secondary indexes and its foreign-key and unique constraints, put them back after.

    PostgreSQL builds an index or checks a constraint over 100,000 rows in one pass far faster
    than row by row ("Populating a Database" in its manual). Inside the load's transaction, so
    a failure leaves everything as it was.
    """
    with connection.cursor() as cursor:
        # Django's foreign keys are checked at commit; PostgreSQL alters no table with checks pending.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")  # index builds in memory (trigram GIN)
        cursor.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = %s::regclass AND contype IN ('f', 'u') ORDER BY contype DESC, conname",
            [table],
        )
        constraints = cursor.fetchall()
        cursor.execute(
            "SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid "
            "WHERE x.indrelid = %s::regclass AND NOT x.indisprimary "
            "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid) ORDER BY i.relname",
            [table],
        )
        indexes = cursor.fetchall()
        for name, _definition in constraints:
            cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
        for name, _definition in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
    yield
    with connection.cursor() as cursor:
        for _name, definition in indexes:
            cursor.execute(definition)
        for name, definition in reversed(constraints):  # unique ones first, then foreign keys
            cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")  # back to Django's default


def _replace_all(model, columns: list[str], rows: list[tuple]) -> None:
    """Replace every row of a table that nothing references (labels, occupation-skill links).

    Rows are plain tuples: building 100,000 model instances would cost seconds on PostgreSQL.
    """
    model.objects.all().delete()
    if _is_postgresql():
        with _bulk_load_mode(model._meta.db_table):
            _copy_rows(model._meta.db_table, columns, rows)
    else:
        model.objects.bulk_create([model(**dict(zip(columns, row))) for row in rows], batch_size=2000)


def _load_occupations(data_dir: Path) -> int:
    """ESCO occupations, each in its ISCO-08 group; STEM follows from the group.

    Upsert by URI, so the ids that candidates, vacancies and matches hold survive a reload.
    """
    isco_ids = dict(IscoGroup.objects.values_list("code", "id"))
    rows = _gz_rows(data_dir / "esco_full_occupations.csv.gz")
    columns = ["uri", "isco_group_id", "label_en", "label_nl", "label_fr", "sector", "is_stem", "is_port_relevant"]
    values = [
        (
            r["uri"],
            isco_ids[r["isco_code"]],
            r["label_en"],
            r["label_nl"],
            r["label_fr"],
            r["sector"],
            is_stem_isco(r["isco_code"]),
            _flag(r["is_port_relevant"]),
        )
        for r in rows
    ]
    if _is_postgresql():
        _copy_upsert(Occupation, values, columns, "uri")
    else:
        fields = ["isco_group", "label_en", "label_nl", "label_fr", "sector", "is_stem", "is_port_relevant"]
        _upsert(Occupation, [Occupation(**dict(zip(columns, v, strict=True))) for v in values], ["uri"], fields)
    return len(rows)


def _load_skills(data_dir: Path) -> int:
    rows = _gz_rows(data_dir / "esco_full_skills.csv.gz")
    columns = ["uri", "skill_type", "label_en", "label_nl", "label_fr", "is_port_relevant"]
    values = [
        (r["uri"], r["skill_type"], r["label_en"], r["label_nl"], r["label_fr"], _flag(r["is_port_relevant"]))
        for r in rows
    ]
    if _is_postgresql():
        _copy_upsert(Skill, values, columns, "uri")
    else:
        _upsert(Skill, [Skill(**dict(zip(columns, v, strict=True))) for v in values], ["uri"], columns[1:])
    return len(rows)


def _load_occupation_labels(data_dir: Path) -> int:
    from vocabulary.normalise import search_form

    occupation_ids = dict(Occupation.objects.values_list("uri", "id"))
    rows = _gz_rows(data_dir / "esco_full_occupation_labels.csv.gz")
    normalise = lru_cache(maxsize=None)(search_form)
    _replace_all(
        OccupationLabel,
        ["occupation_id", "language", "text", "is_preferred", "search_form"],
        [
            (occupation_ids[r["uri"]], r["language"], r["text"], _flag(r["is_preferred"]), normalise(r["text"])[:255])
            for r in rows
        ],
    )
    return len(rows)


def _load_skill_labels(data_dir: Path) -> int:
    from vocabulary.normalise import search_form

    skill_ids = dict(Skill.objects.values_list("uri", "id"))
    rows = _gz_rows(data_dir / "esco_full_skill_labels.csv.gz")
    normalise = lru_cache(maxsize=None)(search_form)
    _replace_all(
        SkillLabel,
        ["skill_id", "language", "text", "is_preferred", "is_portal_translation", "search_form"],
        [
            (
                skill_ids[r["uri"]],
                r["language"],
                r["text"],
                _flag(r["is_preferred"]),
                _flag(r["is_portal_translation"]),
                normalise(r["text"])[:255],
            )
            for r in rows
        ],
    )
    return len(rows)


def _load_occupation_skills(data_dir: Path) -> int:
    occupation_ids = dict(Occupation.objects.values_list("uri", "id"))
    skill_ids = dict(Skill.objects.values_list("uri", "id"))
    with gzip.open(data_dir / "esco_full_occupation_skills.csv.gz", "rt", encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        next(reader)  # header: occupation_uri, skill_uri, relation
        links = [(occupation_ids[occupation], skill_ids[skill], relation) for occupation, skill, relation in reader]
    _replace_all(OccupationSkill, ["occupation_id", "skill_id", "relation"], links)
    return len(links)


def _load_places(data_dir: Path) -> int:
    rows = _rows(data_dir / "places.csv")
    _upsert(
        Place,
        [
            Place(
                geonames_id=int(r["geonames_id"]),
                name=r["name"],
                country=r["country"],
                municipality=r["municipality"],
                province=r["province"],
                region=r["region"],
                bank=r["bank"],
                latitude=float(r["latitude"]),
                longitude=float(r["longitude"]),
                population=int(r["population"] or 0),
            )
            for r in rows
        ],
        ["geonames_id"],
        ["name", "country", "municipality", "province", "region", "bank", "latitude", "longitude", "population"],
    )
    return len(rows)


def _load_be_postcodes(data_dir: Path) -> int:
    """Belgian postcodes, each locality linked to its place when the portal has it."""
    place_ids = dict(Place.objects.values_list("geonames_id", "id"))
    rows = _rows(data_dir / "be_postcodes.csv")
    _upsert(
        PostalCode,
        [
            PostalCode(
                country="BE",
                code=r["postcode"],
                municipality=r["municipality"],
                locality=r["locality"],
                place_id=place_ids.get(int(r["place_geonames_id"])) if r["place_geonames_id"] else None,
            )
            for r in rows
        ],
        ["country", "code", "locality"],
        ["municipality", "place"],
    )
    return len(rows)


# In this order: a loader may look up what an earlier one loaded (groups -> occupations ->
# occupation skills; places -> postcodes).
LOADERS = (
    ("diplomas", _load_diplomas),
    ("study_fields", _load_study_fields),
    ("isco_groups", _load_isco_groups),
    ("occupations", _load_occupations),
    ("skills", _load_skills),
    ("occupation_labels", _load_occupation_labels),
    ("skill_labels", _load_skill_labels),
    ("occupation_skills", _load_occupation_skills),
    ("places", _load_places),
    ("be_postcodes", _load_be_postcodes),
)


TRAVEL_TIME_COLUMNS = ["origin_id", "destination_id", "mode", "minutes", "westerschelde_crossing", "crosses_border"]


def travel_times_replace(*, rows: Iterable[tuple[int, int, str, int, str, bool]]) -> int:
    """Replace the whole travel-time table with ``rows`` in the order of TRAVEL_TIME_COLUMNS.

    For the matching app's commute model (~120,000 rows after every reference data load): COPY
    on PostgreSQL takes a fraction of a second where bulk_create of model instances takes seconds.
    """
    rows = list(rows)
    with transaction.atomic():
        _replace_all(TravelTime, TRAVEL_TIME_COLUMNS, rows)
    return len(rows)


DATA_FILES = (
    "diplomas.csv",
    "study_fields.csv",
    "isco08.csv",
    "esco_full_occupations.csv.gz",
    "esco_full_skills.csv.gz",
    "esco_full_occupation_labels.csv.gz",
    "esco_full_skill_labels.csv.gz",
    "esco_full_occupation_skills.csv.gz",
    "places.csv",
    "be_postcodes.csv",
    # The timetable is not loaded here, but the travel times derived after a load depend on it.
    "transit/stops.csv",
    "transit/lines.csv",
    "transit/line_stops.csv",
)
VERSION_NAME = "reference_data"


def reference_data_digest(*, data_dir: Path = DATA_DIR) -> str:
    """SHA-256 over the data files and the label normaliser (a new normaliser means new search forms)."""
    from vocabulary import normalise

    digest = hashlib.sha256()
    for path in [*(data_dir / name for name in DATA_FILES), Path(normalise.__file__)]:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def reference_data_load(*, data_dir: Path = DATA_DIR, force: bool = False) -> LoadReport:
    """Load every data file, unless the same files were loaded last time (``force`` reloads).

    Skipping keeps a second ``make run`` and each test database flush-and-reload cheap: the
    digest of the files is kept in ``ReferenceDataVersion``. ``reference_data_loaded`` is sent
    after a real load only.
    """
    digest = reference_data_digest(data_dir=data_dir)
    if not force and reference_data_is_current(digest=digest):
        return LoadReport(skipped=True)
    return _load_all(data_dir=data_dir, digest=digest)


def reference_data_is_current(*, digest: str) -> bool:
    """Were exactly these files loaded last (and are the tables still filled)?"""
    loaded = ReferenceDataVersion.objects.filter(name=VERSION_NAME, digest=digest).exists()
    return loaded and Occupation.objects.exists() and Place.objects.exists()


@transaction.atomic
def _load_all(*, data_dir: Path, digest: str) -> LoadReport:
    report = LoadReport()
    for name, load in LOADERS:
        report.counts[name] = load(data_dir)
    ReferenceDataVersion.objects.update_or_create(name=VERSION_NAME, defaults={"digest": digest})
    reference_data_loaded.send(sender=LoadReport, report=report)
    return report
