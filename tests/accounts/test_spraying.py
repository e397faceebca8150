"""Password spraying is throttled per address across accounts, and the address is the real client's."""

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from accounts.login_throttle import client_ip_address
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"


def login_url() -> str:
    with translation.override("en"):
        return reverse("accounts:login")


def attempt(client, email: str, password: str, ip: str, **extra):
    return client.post(login_url(), {"username": email, "password": password}, REMOTE_ADDR=ip, **extra)


def test_spraying_many_accounts_from_one_address_locks_that_address_only(client, settings):
    settings.AXES_FAILURE_LIMIT = 5
    settings.AXES_IP_FAILURE_LIMIT = 20
    victims = [UserFactory(email=f"victim{i}@example.test") for i in range(12)]
    UserFactory(email="bystander@example.test")
    bot = "203.0.113.7"
    # Two wrong passwords per account: far below the per-account limit of 5 ...
    for victim in victims:
        for _ in range(2):
            attempt(client, victim.email, "Winter2026!", bot)
    # ... but 24 failures from one address: its next login is refused, even with a right password,
    # with the usual lock-out page.
    response = attempt(client, "bystander@example.test", PASSWORD, bot)
    assert response.status_code == 429
    assert "Too many login attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session
    # The same account logs in from another address.
    response = attempt(client, "bystander@example.test", PASSWORD, "198.51.100.20")
    assert response.status_code == 302
    assert "_auth_user_id" in client.session


def test_below_the_address_limit_nobody_is_locked(client, settings):
    settings.AXES_FAILURE_LIMIT = 5
    settings.AXES_IP_FAILURE_LIMIT = 20
    for i in range(9):
        UserFactory(email=f"colleague{i}@example.test")
        for _ in range(2):
            attempt(client, f"colleague{i}@example.test", "typo", "192.0.2.1")
    # 18 failures from an office's shared address: a colleague still logs in.
    UserFactory(email="office@example.test")
    response = attempt(client, "office@example.test", PASSWORD, "192.0.2.1")
    assert response.status_code == 302


def test_a_successful_login_does_not_reset_the_spraying_count(client, settings):
    settings.AXES_FAILURE_LIMIT = 5
    settings.AXES_IP_FAILURE_LIMIT = 6
    UserFactory(email="own@example.test")
    for i in range(3):
        UserFactory(email=f"target{i}@example.test")
        attempt(client, f"target{i}@example.test", "guess", "203.0.113.9")
    # The bot's own valid account logs in: only its own (account, address) record is reset.
    assert attempt(client, "own@example.test", PASSWORD, "203.0.113.9").status_code == 302
    client.logout()
    for i in range(3):
        attempt(client, f"target{i}@example.test", "guess2", "203.0.113.9")
    assert attempt(client, "own@example.test", PASSWORD, "203.0.113.9").status_code == 429


# --- the client address ---------------------------------------------------------------------------


def test_without_a_trusted_proxy_x_forwarded_for_is_ignored(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    request = RequestFactory().post("/", REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_FOR="198.51.100.1")
    assert client_ip_address(request) == "203.0.113.7"


def test_behind_one_trusted_proxy_the_address_it_saw_is_used(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    # The client wrote a fake first entry; the proxy appended the address it really saw.
    request = RequestFactory().post("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.1, 203.0.113.7")
    assert client_ip_address(request) == "203.0.113.7"
    # Two proxies: the outer one's entry is second from the right.
    settings.TRUSTED_PROXY_COUNT = 2
    request = RequestFactory().post(
        "/", REMOTE_ADDR="10.0.0.3", HTTP_X_FORWARDED_FOR="198.51.100.1, 203.0.113.7, 10.0.0.2"
    )
    assert client_ip_address(request) == "203.0.113.7"
    # A request that bypassed the proxies (no header) is known by its peer address.
    assert client_ip_address(RequestFactory().post("/", REMOTE_ADDR="10.0.0.9")) == "10.0.0.9"


def test_spoofed_header_does_not_escape_a_lockout_without_proxy(client, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    settings.AXES_FAILURE_LIMIT = 3
    UserFactory(email="spoof@example.test")
    for n in range(3):
        attempt(client, "spoof@example.test", "wrong", "203.0.113.7", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}")
    response = attempt(client, "spoof@example.test", PASSWORD, "203.0.113.7", HTTP_X_FORWARDED_FOR="198.51.100.99")
    assert response.status_code == 429


def test_behind_a_proxy_one_client_locked_out_does_not_lock_out_the_others(client, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.AXES_FAILURE_LIMIT = 5
    settings.AXES_IP_FAILURE_LIMIT = 4
    proxy = "10.0.0.2"  # every request reaches gunicorn from the proxy's address
    for i in range(4):
        UserFactory(email=f"sprayed{i}@example.test")
        attempt(client, f"sprayed{i}@example.test", "guess", proxy, HTTP_X_FORWARDED_FOR="203.0.113.7")
    UserFactory(email="other@example.test")
    locked = attempt(client, "other@example.test", PASSWORD, proxy, HTTP_X_FORWARDED_FOR="203.0.113.7")
    assert locked.status_code == 429
    # Another client behind the same proxy is not locked out.
    response = attempt(client, "other@example.test", PASSWORD, proxy, HTTP_X_FORWARDED_FOR="198.51.100.20")
    assert response.status_code == 302
