import pytest
from django.core.management.commands import flush as flush_command
from django.core.management.sql import sql_flush

from tests.reference import ensure_reference_data

# The reference data (all of ESCO, places, travel times: ~250,000 rows) is read-only for every
# test. A transactional test's flush would empty it and the next test would load it again
# (seconds each, ~40 browser and worker tests), so the flush leaves the taxonomy's tables alone.
# Nothing references upwards from them, so truncating the other tables stays valid. A test that
# changes reference data does so inside a rolled-back transaction (tests/taxonomy).
KEPT_ACROSS_FLUSHES = "taxonomy_"


def _flush_keeping_reference_data(style, connection, reset_sequences=True, allow_cascade=False):
    tables = [
        table
        for table in connection.introspection.django_table_names(only_existing=True, include_views=False)
        if not table.startswith(KEPT_ACROSS_FLUSHES)
    ]
    return connection.ops.sql_flush(style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade)


@pytest.fixture(scope="session", autouse=True)
def _keep_reference_data_across_flushes():
    original = flush_command.sql_flush
    assert original is sql_flush, "Django's flush no longer calls management.sql.sql_flush: revisit this fixture"
    flush_command.sql_flush = _flush_keeping_reference_data
    yield
    flush_command.sql_flush = original


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the real reference data once into the test database."""
    with django_db_blocker.unblock():
        ensure_reference_data()


@pytest.fixture
def reference_data(db):
    """For transactional tests: the flush keeps the reference data; the services are loaded again."""
    ensure_reference_data()


@pytest.fixture(autouse=True)
def dutch_by_default():
    """Every test starts in the portal's default language, whatever the previous one activated."""
    from django.utils import translation

    translation.activate("nl")
    yield
    translation.activate("nl")
