"""archive.client.client_address: the one answer to "where is this client", behind proxies."""

from django.test import RequestFactory

from archive.client import client_address


def _request(**meta):
    return RequestFactory().get("/", **meta)


def test_forwarded_for_is_ignored_without_trusted_proxies(settings):
    settings.ARCHIVE_TRUSTED_PROXIES = 0
    request = _request(REMOTE_ADDR="10.1.1.1", HTTP_X_FORWARDED_FOR="6.6.6.6")
    assert client_address(request) == "10.1.1.1"


def test_forwarded_for_is_read_behind_trusted_proxies(settings):
    settings.ARCHIVE_TRUSTED_PROXIES = 1
    request = _request(REMOTE_ADDR="10.1.1.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9")
    # The client spoofed 6.6.6.6; our one proxy appended the address it really saw.
    assert client_address(request) == "203.0.113.9"
    settings.ARCHIVE_TRUSTED_PROXIES = 2
    assert client_address(request) == "6.6.6.6"


def test_a_missing_forwarded_for_behind_proxies_falls_back_to_remote_addr(settings):
    settings.ARCHIVE_TRUSTED_PROXIES = 1
    assert client_address(_request(REMOTE_ADDR="10.1.1.1")) == "10.1.1.1"


def test_a_forwarded_value_that_is_no_address_falls_back_to_remote_addr(settings):
    settings.ARCHIVE_TRUSTED_PROXIES = 1
    request = _request(REMOTE_ADDR="10.1.1.1", HTTP_X_FORWARDED_FOR="<script>")
    assert client_address(request) == "10.1.1.1"


def test_no_address_at_all_is_none(settings):
    settings.ARCHIVE_TRUSTED_PROXIES = 0
    assert client_address(_request(REMOTE_ADDR="")) is None
