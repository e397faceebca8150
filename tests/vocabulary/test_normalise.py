"""The one search form (vocabulary/normalise.py): the words of one trade meet across nl/fr/en,
unrelated words stay apart, and it is fast enough for the whole ESCO at load time."""

import time

import pytest

from vocabulary.normalise import reduce_token, search_form, tokens


def test_lower_case_accents_folded_and_split_on_punctuation():
    assert search_form("Lässer") == search_form("lasser")
    assert search_form("  TIG-lassen ") == "tig las"
    assert search_form("MIG/MAG-lassen") == "mig mag las"
    assert search_form("") == ""
    assert tokens("B-kaart, VCA-VOL 2025") == ["b", "kart", "vka", "vol", "2025"]


@pytest.mark.parametrize(
    "words",
    [
        # The examples: one token per trade, whatever the language.
        ["lassen", "lasser", "lassers", "Lässer", "las"],
        ["soudeur", "soudage", "souder", "soudeuse", "soudeurs"],
        ["welder", "welding", "weld", "welders"],
        # From the port's vacancies.
        ["operator", "opérateur", "operateur", "opératrice", "operators"],
        ["elektromecanicien", "électromécanicien", "electromecanicien", "electromechanic"],
        ["heftruck", "heftrucks"],
        ["kraanmachinist", "kraanmachinisten"],
        ["kraan", "kranen"],
        ["machinist", "machiniste", "machinisten"],
        ["technicien", "technicus", "technician", "technique", "techniek"],
        ["elektricien", "électricien", "electrician"],
        ["logistiek", "logistique", "logistics"],
        ["infirmier", "infirmière", "infirmières"],
        ["inspecteur", "inspector", "inspecteurs"],
        ["monteur", "monteurs"],
        ["conducteur", "conductor", "conductrice"],
        ["opleiding", "opleidingen"],
    ],
)
def test_inflections_and_languages_meet(words):
    assert len({search_form(word) for word in words}) == 1, {word: search_form(word) for word in words}


def test_tig_lassen_shares_a_token_with_lassen_soudeur_does_not_with_welder():
    assert set(tokens("lassen")) <= set(tokens("TIG-lassen"))
    # Different words in different languages stay different: synonyms come from ESCO's labels.
    assert search_form("soudeur") != search_form("welder")


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("haven", "have"),  # a port is not a verb: short words are never cut
        ("lader", "ladder"),
        ("monteur", "monster"),
        ("laden", "lassen"),
        ("portier", "port"),  # -ier is a trade, not an infinitive
        ("kraan", "kaart"),
        ("heftruck", "vrachtwagen"),
        ("kraan", "quran"),  # a crane is not a holy book: "qu" is a k only before a vowel
    ],
)
def test_unrelated_words_stay_apart(one, other):
    assert search_form(one) != search_form(other)


def test_digits_and_short_words_are_kept_whole():
    assert reduce_token("2025") == "2025"
    assert reduce_token("ce") == "ce"
    assert search_form("B2") == "b2"


def test_normalises_more_than_20000_labels_per_second():
    labels = [f"{word} {i}" for i in range(20_000) for word in ("Elektromecanicien ploegen",)]
    labels += [f"operateur{i} de production" for i in range(20_000)]  # unseen words: no cache hits
    started = time.perf_counter()
    forms = [search_form(label) for label in labels]
    per_second = len(labels) / (time.perf_counter() - started)
    assert forms[0] == "elektromekanik ploeg 0"
    # About 50,000/s measured on unseen words (a real label mostly repeats cached words); the
    # bound leaves room for a busy machine.
    assert per_second > 20_000, per_second
