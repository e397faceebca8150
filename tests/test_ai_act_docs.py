"""docs/ai-act/ (issue 14): the three documents for deployers exist, cite the articles of the EU AI
Act they answer (every section names one), and everything they point at exists in the repository:
relative links (with their #anchors), file paths and code names in backticks. A code name that is
not (yet) in the code may only appear on a line that says it is planned."""

import re
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
AI_ACT = ROOT / "docs" / "ai-act"
DOCUMENTS = ("instructions-for-use.md", "technical-description.md", "fria-template.md")

# What each document must cite, on top of what the set must cite as a whole.
MUST_CITE = {
    "instructions-for-use.md": (
        "Art. 12",
        "Art. 13",
        "Art. 14",
        "Art. 15",
        "Art. 19",
        "Art. 26",
        "Art. 86",
        "Annex III",
    ),
    "technical-description.md": ("Art. 9", "Art. 10", "Art. 11", "Art. 15", "Annex IV"),
    "fria-template.md": ("Art. 14", "Art. 26", "Art. 27", "Annex III"),
}
SET_MUST_CITE = (
    *(f"Art. {n}" for n in (9, 10, 11, 12, 13, 14, 15, 19, 26, 27, 86)),
    "Annex III",
    "Annex IV",
)
CITATION = re.compile(r"\bArt\. \d+|\bAnnex (?:III|IV|VI)\b")
LINK = re.compile(r"\]\(([^)\s]+)\)")
BACKTICKED = re.compile(r"`([^`\n]+)`")
FILE_SUFFIXES = ("py", "md", "csv", "txt", "toml", "yml", "yaml", "html", "po", "sh", "json")
CODE_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*")
NOT_YET = re.compile(r"planned|not started", re.IGNORECASE)


def read(name: str) -> str:
    return (AI_ACT / name).read_text(encoding="utf-8")


def cites(text: str, article: str) -> bool:
    # "Art. 1" must not be satisfied by "Art. 13", nor "Annex I" by "Annex IV".
    return re.search(re.escape(article) + r"(?![0-9IVX])", text) is not None


def sections(text: str) -> list[tuple[str, str]]:
    """(heading, body) of every "## " section."""
    parts = re.split(r"^## (.+)$", text, flags=re.MULTILINE)
    return list(zip(parts[1::2], parts[2::2]))


def github_anchor(heading: str) -> str:
    """The fragment GitHub gives a heading: lower case, punctuation dropped, spaces to hyphens."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def anchors(path: Path) -> set[str]:
    text = path.read_text(encoding="utf-8")
    return {github_anchor(h) for h in re.findall(r"^#+ (.+)$", text, flags=re.MULTILINE)}


def repository_words() -> set[str]:
    """Every identifier in the repository's code, templates and requirements (not in this test)."""
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split("\n")
    words: set[str] = set()
    for name in listed:
        path = ROOT / name
        if not name or AI_ACT in path.parents or path == Path(__file__) or not path.is_file():
            continue
        if path.suffix not in {".py", ".txt", ".toml", ".html", ".cfg", ".yml"}:  # code, not prose
            continue
        words.update(re.findall(r"\w+", path.read_text(encoding="utf-8", errors="replace")))
    return words


def test_the_documents_and_their_index_exist():
    for name in (*DOCUMENTS, "README.md"):
        assert len(read(name)) > 3000, name
    index = read("README.md")
    for name in DOCUMENTS:
        assert f"]({name})" in index, name


@pytest.mark.parametrize("name", DOCUMENTS)
def test_each_document_cites_its_articles(name):
    text = read(name)
    missing = [article for article in MUST_CITE[name] if not cites(text, article)]
    assert missing == []


def test_the_set_cites_every_article_the_issue_names():
    text = "\n".join(read(name) for name in DOCUMENTS)
    assert [article for article in SET_MUST_CITE if not cites(text, article)] == []


@pytest.mark.parametrize("name", DOCUMENTS)
def test_every_section_cites_the_article_it_answers(name):
    found = sections(read(name))
    assert len(found) >= 6
    uncited = [heading for heading, body in found if not CITATION.search(heading + body)]
    assert uncited == []


def test_the_citation_check_can_fail():
    assert not cites("Art. 13 and Annex IV", "Art. 1")
    assert not cites("Annex IV", "Annex I")
    assert cites("Art. 26(6) and Annex III point 4(a)", "Art. 26")
    assert not CITATION.search("## 3. What the system does\nno article here")


def test_readme_and_architecture_link_the_index():
    assert "](docs/ai-act/README.md)" in (ROOT / "README.md").read_text(encoding="utf-8")
    assert "](ai-act/README.md)" in (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", [*DOCUMENTS, "README.md"])
def test_code_spans_stay_on_one_line(name):
    # The checks below read code spans line by line; a span broken over two lines would hide.
    assert [n for n, line in enumerate(read(name).splitlines(), 1) if line.count("`") % 2] == []


@pytest.mark.parametrize("name", [*DOCUMENTS, "README.md"])
def test_relative_links_and_anchors_resolve(name):
    broken = []
    for target in LINK.findall(read(name)):
        if target.startswith(("http://", "https://", "mailto:", "/")):
            continue
        file_part, _, fragment = target.partition("#")
        path = (AI_ACT / file_part).resolve() if file_part else AI_ACT / name
        if not path.exists() or fragment and path.suffix == ".md" and fragment not in anchors(path):
            broken.append(target)
    assert broken == []


def named_paths(text: str) -> list[str]:
    """Backticked repository paths: `matching/engine/rules.py`, `tests/matching/engine`, `requirements.txt`."""
    paths = []
    for token in BACKTICKED.findall(text):
        if " " in token or "://" in token or token.startswith("/"):
            continue  # a command, a URL or a URL path of the portal
        if "/" in token or re.fullmatch(r"[\w.-]+\.(?:" + "|".join(FILE_SUFFIXES) + ")", token):
            paths.append(token)
    return paths


@pytest.mark.parametrize("name", [*DOCUMENTS, "README.md"])
def test_every_named_path_exists(name):
    paths = named_paths(read(name))
    assert paths, "the documents point at the code"
    assert [p for p in paths if not (ROOT / p).exists()] == []


def test_the_path_check_can_fail():
    assert named_paths("see `matching/engine/nowhere.py` and `python manage.py x`") == ["matching/engine/nowhere.py"]
    assert not (ROOT / "matching/engine/nowhere.py").exists()


@pytest.mark.parametrize("name", [*DOCUMENTS, "README.md"])
def test_code_names_exist_or_are_marked_planned(name):
    words = repository_words()
    claimed = []
    for line in read(name).splitlines():
        if NOT_YET.search(line):
            continue
        for token in BACKTICKED.findall(line):
            if CODE_NAME.fullmatch(token) and not re.search(r"\.(?:" + "|".join(FILE_SUFFIXES) + ")$", token):
                claimed += [part for part in token.split(".") if part not in words]
    assert claimed == []


def test_the_change_log_names_the_current_engine_version():
    from matching.engine import ENGINE_VERSION

    assert f"| engine {ENGINE_VERSION} |" in read("technical-description.md")


def test_the_weights_table_shows_the_default_weights():
    from matching.engine import FACTORS, Weights
    from matching.models import MatchingWeights

    text = read("instructions-for-use.md")
    for name in FACTORS:
        default = MatchingWeights._meta.get_field(name).default
        assert default == getattr(Weights(), name), name
        assert f"| {name} | {default:.2f} |" in text, name
