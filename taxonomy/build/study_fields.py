"""Build ``taxonomy/data/study_fields.csv``: the ISCED-F 2013 broad fields of education and training.

Run: ``python -m taxonomy.build.study_fields``

Source: UNESCO Institute for Statistics, "ISCED Fields of Education and Training 2013 (ISCED-F
2013)" (English titles; French titles from the UNESCO "CITE-F 2013"); Dutch titles written for this
project in the wording Statbel/CBS use. ``is_stem`` is ``true`` for the fields that count as a STEM
background in the portal (docs/domain.md): 05 natural sciences, mathematics and statistics,
06 ICT, 07 engineering, manufacturing and construction; ``false`` otherwise.
"""

from __future__ import annotations

from .common import write_csv

STEM_FIELDS = {"05", "06", "07"}

# code, English, Dutch, French
FIELDS = [
    (
        "00",
        "Generic programmes and qualifications",
        "Algemene programma's en kwalificaties",
        "Programmes et certifications génériques",
    ),
    ("01", "Education", "Onderwijs", "Éducation"),
    ("02", "Arts and humanities", "Kunst en geesteswetenschappen", "Lettres et arts"),
    (
        "03",
        "Social sciences, journalism and information",
        "Sociale wetenschappen, journalistiek en informatie",
        "Sciences sociales, journalisme et information",
    ),
    (
        "04",
        "Business, administration and law",
        "Bedrijfskunde, administratie en recht",
        "Commerce, administration et droit",
    ),
    (
        "05",
        "Natural sciences, mathematics and statistics",
        "Natuurwetenschappen, wiskunde en statistiek",
        "Sciences naturelles, mathématiques et statistiques",
    ),
    (
        "06",
        "Information and Communication Technologies (ICTs)",
        "Informatie- en communicatietechnologie (ICT)",
        "Technologies de l'information et de la communication (TIC)",
    ),
    (
        "07",
        "Engineering, manufacturing and construction",
        "Techniek, industrie en bouw",
        "Ingénierie, industries de transformation et construction",
    ),
    (
        "08",
        "Agriculture, forestry, fisheries and veterinary",
        "Landbouw, bosbouw, visserij en diergeneeskunde",
        "Agriculture, sylviculture, halieutique et sciences vétérinaires",
    ),
    ("09", "Health and welfare", "Gezondheidszorg en welzijn", "Santé et protection sociale"),
    ("10", "Services", "Dienstverlening", "Services"),
]


def build() -> list[list[str]]:
    return [[code, en, nl, fr, "true" if code in STEM_FIELDS else "false"] for code, en, nl, fr in sorted(FIELDS)]


def main() -> None:
    write_csv("study_fields.csv", ["code", "label_en", "label_nl", "label_fr", "is_stem"], build())


if __name__ == "__main__":
    main()
