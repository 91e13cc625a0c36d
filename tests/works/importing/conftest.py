"""Importing tests never reach the network: any connection to an address that is not
loopback fails the test before a packet leaves (a refused address must be refused by the
fetcher's own check, and a test that got that wrong would otherwise send traffic out).

They read the importers' messages in English, whatever language an earlier test left active
in the thread (the importers are called directly, with no request to choose one)."""

import ipaddress
import socket

import pytest
from django.utils import translation

_connect = socket.socket.connect


@pytest.fixture(autouse=True)
def loopback_only(monkeypatch):
    def connect(sock, address):
        host = address[0] if isinstance(address, tuple) else None
        if host is not None and not ipaddress.ip_address(host.split("%", 1)[0]).is_loopback:
            pytest.fail(f"A test tried to connect to {address}", pytrace=False)
        return _connect(sock, address)

    monkeypatch.setattr(socket.socket, "connect", connect)


@pytest.fixture(autouse=True, scope="module")
def english():
    with translation.override("en"):
        yield
