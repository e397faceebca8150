"""Load the reference data files in ``taxonomy/data`` into the database, idempotently.

Each file is built from its source by a script in ``taxonomy/build`` (see
``taxonomy/data/SOURCES.md``). Loading upserts on the natural key (code, URI, GeoNames id),
so running it again changes nothing and a newer file updates labels in place.
"""

import csv
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from .models import (
    Diploma,
    IscoGroup,
    Occupation,
    OccupationSkill,
    Place,
    PostalCode,
    Skill,
    StudyField,
    is_stem_isco,
)
from .signals import reference_data_loaded

DATA_DIR = Path(__file__).resolve().parent / "data"


@dataclass
class LoadReport:
    counts: dict[str, int] = field(default_factory=dict)

    def __str__(self) -> str:
        return ", ".join(f"{name}: {count}" for name, count in self.counts.items())


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _flag(value: str) -> bool:
    return value.strip().lower() in {"1", "true", "yes", "y"}


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


def _load_occupations(data_dir: Path) -> int:
    """ESCO occupations, each in its ISCO-08 group; STEM follows from the group."""
    isco_ids = dict(IscoGroup.objects.values_list("code", "id"))
    rows = _rows(data_dir / "esco_occupations.csv")
    _upsert(
        Occupation,
        [
            Occupation(
                uri=r["uri"],
                isco_group_id=isco_ids[r["isco_code"]],
                label_en=r["label_en"],
                label_nl=r["label_nl"],
                label_fr=r["label_fr"],
                sector=r["sector"],
                is_stem=is_stem_isco(r["isco_code"]),
            )
            for r in rows
        ],
        ["uri"],
        ["isco_group", "label_en", "label_nl", "label_fr", "sector", "is_stem"],
    )
    return len(rows)


def _load_skills(data_dir: Path) -> int:
    rows = _rows(data_dir / "esco_skills.csv")
    _upsert(
        Skill,
        [
            Skill(
                uri=r["uri"],
                skill_type=r["skill_type"],
                label_en=r["label_en"],
                label_nl=r["label_nl"],
                label_fr=r["label_fr"],
            )
            for r in rows
        ],
        ["uri"],
        ["skill_type", "label_en", "label_nl", "label_fr"],
    )
    return len(rows)


def _load_occupation_skills(data_dir: Path) -> int:
    occupation_ids = dict(Occupation.objects.values_list("uri", "id"))
    skill_ids = dict(Skill.objects.values_list("uri", "id"))
    rows = _rows(data_dir / "occupation_skills.csv")
    _upsert(
        OccupationSkill,
        [
            OccupationSkill(
                occupation_id=occupation_ids[r["occupation_uri"]],
                skill_id=skill_ids[r["skill_uri"]],
                relation=r["relation"],
            )
            for r in rows
        ],
        ["occupation", "skill"],
        ["relation"],
    )
    return len(rows)


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
    ("occupation_skills", _load_occupation_skills),
    ("places", _load_places),
    ("be_postcodes", _load_be_postcodes),
)


@transaction.atomic
def reference_data_load(*, data_dir: Path = DATA_DIR) -> LoadReport:
    report = LoadReport()
    for name, load in LOADERS:
        report.counts[name] = load(data_dir)
    reference_data_loaded.send(sender=LoadReport, report=report)
    return report
