from tests.matching.conftest import occupation, occupation_skills  # noqa: F401  (fixtures)
