import pytest

from tests.reference import ensure_reference_data


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the real reference data once into the test database."""
    with django_db_blocker.unblock():
        ensure_reference_data()


@pytest.fixture
def reference_data(db):
    """For transactional tests, whose flush empties every table: load it again if needed."""
    ensure_reference_data()


@pytest.fixture(autouse=True)
def dutch_by_default():
    """Every test starts in the portal's default language, whatever the previous one activated."""
    from django.utils import translation

    translation.activate("nl")
    yield
    translation.activate("nl")
