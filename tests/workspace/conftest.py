# The rebuild test makes vacancies and candidates the way the matching tests do.
from tests.matching.conftest import occupation, occupation_skills  # noqa: F401
