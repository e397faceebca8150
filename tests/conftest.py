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


@pytest.fixture(autouse=True, scope="session")
def _force_login_passes_the_second_factor():
    """``client.force_login(user)`` also verifies the session's second factor (2FA), as it skips the password.

    Why: caseworkers and admins need a session verified with a TOTP code on every page and
    session API call (accounts/two_factor.py). force_login stands for "this user has logged in"
    in ~130 tests; for these users a complete login includes the code. So, after Django's
    force_login, this stores their confirmed device in the session exactly as the "enter your
    code" page does (django_otp's session key ``otp_device_id``). The device comes from
    tests.factories.UserFactory (the known TOTP_KEY). 2FA stays on in the test settings: the
    login form (``client.post`` to accounts:login, the browser ``login`` fixture) still asks for
    the code, and tests/accounts/test_two_factor.py tests the unverified session that way.
    """
    from django.test.client import ClientMixin
    from django_otp import DEVICE_ID_SESSION_KEY

    from accounts.two_factor import confirmed_device, two_factor_required

    original = ClientMixin.force_login

    def force_login(self, user, backend=None):
        original(self, user, backend)
        device = confirmed_device(user) if two_factor_required(user) else None
        if device is not None:
            session = self.session
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
            session.save()

    ClientMixin.force_login = force_login
    yield
    ClientMixin.force_login = original
