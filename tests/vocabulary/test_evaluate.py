"""The evaluation figures (vocabulary/evaluate.py) and the labelled set they are computed on."""

from vocabulary.evaluate import evaluate, read_items


def fake_suggest(answers):
    def suggest(title, text, *, occupations=3, skills=15):
        occupation_uris, skill_uris = answers[title]
        return {"occupations": [{"uri": u} for u in occupation_uris], "skills": [{"uri": u} for u in skill_uris]}

    return suggest


def item(title, language, occupations, skills, sector="port"):
    return {"id": title, "title": title, "text": "", "language": language, "sector": sector,
            "occupations": occupations, "skills": skills}  # fmt: skip


def test_top1_top3_precision_and_recall_per_language():
    items = [
        item("a", "nl", ["o1"], ["s1", "s2"]),  # top-1 right; 1 of 2 suggested skills right
        item("b", "nl", ["o2"], ["s3"]),  # second place: top-3 only; nothing suggested
        item("c", "fr", ["o3"], ["s4", "s5"], sector="other"),  # missed; both skills right
    ]
    answers = {"a": (["o1", "x"], ["s1", "x"]), "b": (["x", "o2"], []), "c": (["x", "y", "z", "o3"], ["s4", "s5"])}
    report = evaluate(items, fake_suggest(answers))
    assert report.overall == {
        "items": 3,
        "occupation_top1": round(1 / 3, 3),
        "occupation_top3": round(2 / 3, 3),
        "skill_precision": 0.75,  # 3 right of 4 suggested
        "skill_recall": 0.6,  # 3 found of 5 expected
    }
    assert report.by_language["fr"]["occupation_top3"] == 0.0
    assert report.by_sector["other"]["skill_precision"] == 1.0
    assert [miss["id"] for miss in report.misses] == ["c"]


def test_the_labelled_set_is_big_varied_and_coded():
    items = read_items()
    assert len(items) >= 150
    assert len({entry["id"] for entry in items}) == len(items)
    languages = {entry["language"] for entry in items}
    assert languages == {"nl", "fr", "en"}
    assert {entry["region"] for entry in items if entry["language"] == "nl"} == {"BE", "NL"}
    assert {entry["sector"] for entry in items} == {"port", "other"}
    for entry in items:
        assert entry["occupations"], entry["id"]
        assert all(uri.startswith("http://data.europa.eu/esco/occupation/") for uri in entry["occupations"])
        assert all(uri.startswith("http://data.europa.eu/esco/skill/") for uri in entry["skills"])
        assert 1 <= entry["text"].count(".") <= 5, entry["id"]  # a short ad text: 2-4 sentences
