"""The whole-ESCO build script's pieces that need no ESCO download (taxonomy/build/esco_full.py)."""

from pathlib import Path

import pytest

from taxonomy.build.common import BuildError
from taxonomy.build.esco_full import english_skill_labels, guess_english_label, main


@pytest.mark.parametrize(
    ("description", "label"),
    [
        # the plural of the label opens the definition
        (
            "technical director technical and operations director head of technical Technical directors realise "
            "the artistic visions of the creators.",
            "technical director",
        ),
        # ... and the label goes on after the plural word
        (
            "head of higher education institution university president rector Heads of higher education "
            "institutions manage the daily operations.",
            "head of higher education institution",
        ),
        ("welder welding technician Welders use welding equipment.", "welder"),
        # no plural in the definition: the words up to the repetition of the first word
        (
            "metal drawing machine operator metal drawing machine setter Set up and tend drawing machines.",
            "metal drawing machine operator",
        ),
    ],
)
def test_english_preferred_label_is_recovered_from_a_run_together_description(description, label):
    assert guess_english_label(description) == label


def test_known_relation_labels_win_and_the_longest_one_is_taken():
    rows = [
        {"id": "s1", "description": "use welding equipment safely operate welders safely Use welding equipment."},
        {"id": "s2", "description": "use welding equipment operate welders Use welding equipment."},
        {"id": "s3", "description": "plastic welding plastic joining The techniques of welding plastics."},
    ]
    labels = english_skill_labels(rows, {"use welding equipment", "use welding equipment safely"})
    assert labels["s1"] == ("use welding equipment safely", True)
    assert labels["s2"] == ("use welding equipment", True)
    assert labels["s3"] == ("plastic welding", False)  # guessed: not a label of the relations file


def test_the_esco_folder_is_a_required_argument(capsys):
    with pytest.raises(SystemExit):
        main([])
    assert "--esco-dir" in capsys.readouterr().err


def test_a_folder_without_the_esco_files_fails_loudly(tmp_path: Path):
    with pytest.raises(BuildError, match="occupations_nl.csv"):
        main(["--esco-dir", str(tmp_path)])
