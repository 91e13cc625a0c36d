"""The import fetcher (works/importing/fetch.py): what it refuses, and the limits it keeps,
against a small HTTP server of the test's own on 127.0.0.1."""

import gzip
import socket
import ssl
import subprocess
import time

import pytest

from tests.works.importing.stub_server import StubServer
from works.importing import fetch as fetcher
from works.importing.fetch import FetchError, fetch

PAGE = (
    "<!DOCTYPE html><html><head><title>t</title></head><body><p>Lamplight — café</p></body></html>"
)
HTML = {"Content-Type": "text/html; charset=utf-8"}


def _slow(handler):
    time.sleep(3)
    handler.send_response(200)
    handler.end_headers()


def _trickle(handler):
    handler.send_response(200)
    handler.send_header("Content-Type", "text/html")
    handler.end_headers()
    try:
        for _ in range(40):
            handler.wfile.write(b"<p>.</p>")
            handler.wfile.flush()
            time.sleep(0.1)
    except OSError:
        pass


def _unsized(handler):
    """A body with no Content-Length, ended by closing the connection (HTTP/1.0)."""
    handler.send_response(200)
    handler.send_header("Content-Type", "text/html")
    handler.end_headers()
    try:
        for _ in range(40):
            handler.wfile.write(b"x" * 65536)
    except OSError:
        pass


ROUTES = {
    "/page": (200, HTML, PAGE.encode()),
    "/latin": (
        200,
        {"Content-Type": "text/html; charset=iso-8859-1"},
        "<p>café</p>".encode("latin-1"),
    ),
    "/hop": (302, {"Location": "/page"}, b""),
    "/hop-absolute": (301, {"Location": "PLACEHOLDER"}, b""),
    "/to-private": (302, {"Location": "http://10.20.30.40/works/1"}, b""),
    "/to-metadata": (307, {"Location": "http://169.254.169.254/latest/meta-data/"}, b""),
    "/to-loopback6": (302, {"Location": "http://[::1]/"}, b""),
    "/to-file": (302, {"Location": "file:///etc/passwd"}, b""),
    "/loop": (302, {"Location": "/loop"}, b""),
    "/missing": (404, HTML, b"<p>gone</p>"),
    "/locked": (403, HTML, b"<p>no</p>"),
    "/broken": (500, HTML, b"<p>oops</p>"),
    "/busy": (503, HTML, b"<p>busy</p>"),
    "/plain": (200, {"Content-Type": "text/plain; charset=utf-8"}, b"Just words."),
    "/image": (200, {"Content-Type": "image/png"}, b"\x89PNG"),
    "/big": (200, HTML, b"<p>" + b"a" * (2 * 1024 * 1024) + b"</p>"),
    "/bomb": (
        200,
        {**HTML, "Content-Encoding": "gzip"},
        gzip.compress(b"<p>" + b"\0" * (8 * 1024 * 1024)),
    ),
    "/zipped": (200, {**HTML, "Content-Encoding": "gzip"}, gzip.compress(PAGE.encode())),
    "/slow": _slow,
    "/trickle": _trickle,
    "/unsized": _unsized,
}


@pytest.fixture
def server(settings):
    settings.ARCHIVE_IMPORT_MAX_BYTES = 1024 * 1024
    settings.ARCHIVE_IMPORT_TIMEOUT = 5
    with StubServer(dict(ROUTES)) as stub:
        stub.routes["/hop-absolute"] = (301, {"Location": stub.url("/page")}, b"")
        yield stub


@pytest.fixture
def allow_private(settings):
    settings.ARCHIVE_IMPORT_ALLOW_PRIVATE = True


@pytest.fixture
def loopback_counts_as_public(monkeypatch):
    """127.0.0.1 (the stub server) is treated as a public address, and only it: so a first
    hop reaches the stub while a redirect to a private address is still judged for real."""
    real = fetcher.forbidden_address
    monkeypatch.setattr(
        fetcher, "forbidden_address", lambda address: address != "127.0.0.1" and real(address)
    )


def _refused(url, code):
    with pytest.raises(FetchError) as caught:
        fetch(url)
    assert caught.value.code == code, caught.value.message
    assert str(caught.value)  # a message for the person importing
    return caught.value


# --- what is fetched -------------------------------------------------------------------------


def test_fetches_an_html_page_and_reads_its_charset(server, allow_private):
    page = fetch(server.url("/page"))
    assert page.status == 200 and page.content_type == "text/html"
    assert "Lamplight — café" in page.text()
    assert fetch(server.url("/latin")).text() == "<p>café</p>"


def test_sends_a_browser_like_request_naming_the_host(server, allow_private):
    fetch(server.url("/page?view_adult=true"))
    path, query, headers = server.requests[-1]
    assert (path, query) == ("/page", "view_adult=true")
    assert headers["Host"] == f"127.0.0.1:{server.port}"
    assert "text/html" in headers["Accept"] and headers["User-Agent"]


def test_follows_redirects_and_reports_where_it_ended(server, allow_private):
    page = fetch(server.url("/hop"))
    assert page.url == server.url("/page") and page.redirects == [server.url("/hop")]
    assert fetch(server.url("/hop-absolute")).url == server.url("/page")


def test_reads_a_gzipped_page(server, allow_private):
    assert "Lamplight" in fetch(server.url("/zipped")).text()


def test_other_types_only_when_the_caller_accepts_them(server, allow_private):
    _refused(server.url("/plain"), "not_html")
    _refused(server.url("/image"), "not_html")
    assert fetch(server.url("/plain"), accept=("text/plain",)).text() == "Just words."


# --- addresses -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/",
        "http://127.1.2.3:8080/works/1",
        "http://localhost/",
        "http://2130706433/",  # 127.0.0.1 written as one number
        "http://10.1.2.3/works/1",
        "http://172.16.0.9/",
        "http://192.168.1.1/",
        "http://100.64.0.1/",  # shared address space (carrier NAT)
        "http://169.254.169.254/latest/meta-data/",
        "http://0.0.0.0/",
        "http://224.0.0.1/",
        "http://240.0.0.1/",
        "http://[::1]/",
        "http://[::]/",
        "http://[::ffff:127.0.0.1]/",
        "http://[::ffff:10.0.0.1]/",
        "http://[fe80::1]/",
        "http://[fc00::1]/",
        "http://[ff02::1]/",
        "http://[2002:7f00:1::]/",  # 6to4 around 127.0.0.1
        "http://[64:ff9b::a9fe:a9fe]/",  # NAT64 around 169.254.169.254
    ],
)
def test_refuses_private_local_and_special_addresses(url):
    error = _refused(url, "forbidden_address")
    assert "private or local" in error.message


def test_refuses_a_live_server_on_loopback_unless_allowed(server, settings):
    _refused(server.url("/page"), "forbidden_address")
    assert server.requests == []  # refused before connecting
    settings.ARCHIVE_IMPORT_ALLOW_PRIVATE = True
    assert fetch(server.url("/page")).status == 200


def test_a_host_with_any_private_address_is_refused(monkeypatch):
    monkeypatch.setattr(
        socket,
        "getaddrinfo",
        lambda *a, **k: [
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.215.14", 80)),
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.0.0.5", 80)),
        ],
    )
    _refused("http://mixed.example/", "forbidden_address")


@pytest.mark.parametrize("path", ["/to-private", "/to-metadata", "/to-loopback6", "/to-file"])
def test_checks_every_redirect_hop(server, loopback_counts_as_public, path):
    with pytest.raises(FetchError) as caught:
        fetch(server.url(path))
    assert caught.value.code in {"forbidden_address", "bad_url"}
    assert [p for p, _q, _h in server.requests] == [path]


def test_connects_to_the_address_it_checked(server, loopback_counts_as_public, monkeypatch):
    """DNS rebinding: the name is resolved once per hop, and the connection goes to that
    answer, whatever a later lookup would say."""
    answers = iter(["127.0.0.1", "10.66.0.1", "10.66.0.1"])
    lookups = []

    def getaddrinfo(host, port, *args, **kwargs):
        lookups.append(host)
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (next(answers), port))]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    page = fetch(server.url("/page", host="rebind.example"))
    assert "Lamplight" in page.text()
    assert lookups == ["rebind.example"]
    assert server.requests[-1][2]["Host"] == f"rebind.example:{server.port}"


def test_tries_each_checked_address_until_one_answers(server, allow_private, monkeypatch):
    def getaddrinfo(host, port, *args, **kwargs):
        return [
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.2", port)),  # nobody there
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", port)),
        ]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    assert "Lamplight" in fetch(server.url("/page", host="two.example")).text()


def test_a_name_that_does_not_resolve(monkeypatch):
    def getaddrinfo(*args, **kwargs):
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    error = _refused("https://no-such-archive.invalid/works/1", "dns")
    assert "no-such-archive.invalid" in error.message


@pytest.mark.parametrize(
    "url",
    [
        "ftp://archive.example/works/1",
        "file:///etc/passwd",
        "javascript:alert(1)",
        "gopher://archive.example/",
        "archive.example/works/1",
        "",
        "http://",
        "http://archive.example:99999/",
        "https://reader:secret@archive.example/works/1",
    ],
)
def test_refuses_addresses_that_are_not_web_addresses(url):
    _refused(url, "bad_url")


# --- answers ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "code", "status"),
    [
        ("/missing", "not_found", 404),
        ("/locked", "forbidden", 403),
        ("/broken", "server_error", 500),
        ("/busy", "server_error", 503),
    ],
)
def test_error_answers_have_their_own_message(server, allow_private, path, code, status):
    error = _refused(server.url(path), code)
    assert error.status == status and str(status) in error.message


def test_stops_after_too_many_redirects(server, allow_private):
    _refused(server.url("/loop"), "too_many_redirects")
    assert len(server.requests) == fetcher.MAX_REDIRECTS + 1


# --- limits ----------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/big", "/unsized", "/bomb"])
def test_stops_reading_past_the_size_limit(server, allow_private, path):
    error = _refused(server.url(path), "too_large")
    assert "1 MB" in error.message


def test_a_server_that_does_not_answer_times_out(server, allow_private, settings):
    settings.ARCHIVE_IMPORT_TIMEOUT = 0.5
    started = time.monotonic()
    _refused(server.url("/slow"), "timeout")
    assert time.monotonic() - started < 2.5


def test_a_server_that_trickles_is_cut_off_at_the_deadline(server, allow_private, settings):
    settings.ARCHIVE_IMPORT_TIMEOUT = 0.6
    started = time.monotonic()
    _refused(server.url("/trickle"), "timeout")
    assert time.monotonic() - started < 2.5


# --- HTTPS -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def certificate(tmp_path_factory):
    """A self-signed certificate for archive.test (and 127.0.0.1), made with openssl."""
    folder = tmp_path_factory.mktemp("tls")
    key, cert = folder / "key.pem", folder / "cert.pem"
    subprocess.run(
        [
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
            "-keyout", str(key), "-out", str(cert), "-subj", "/CN=archive.test",
            "-addext", "subjectAltName=DNS:archive.test,IP:127.0.0.1",
        ],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return key, cert


@pytest.fixture
def tls_server(certificate, settings):
    key, cert = certificate
    settings.ARCHIVE_IMPORT_ALLOW_PRIVATE = True
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    with StubServer({"/page": (200, HTML, PAGE.encode())}, tls=context) as stub:
        yield stub


@pytest.fixture
def resolve_to_loopback(monkeypatch):
    def getaddrinfo(host, port, *args, **kwargs):
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", port))]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)


def _trusting(monkeypatch, cert):
    monkeypatch.setattr(
        fetcher, "_tls_context", lambda: ssl.create_default_context(cafile=str(cert))
    )


def test_https_to_the_checked_address_verifies_the_host_name(
    tls_server, certificate, monkeypatch, resolve_to_loopback
):
    _trusting(monkeypatch, certificate[1])
    page = fetch(tls_server.url("/page", host="archive.test"))
    assert "Lamplight" in page.text()
    assert tls_server.requests[-1][2]["Host"] == f"archive.test:{tls_server.port}"


def test_https_with_an_untrusted_certificate_is_refused(tls_server):
    error = _refused(tls_server.url("/page"), "connection")
    assert "certificate" in error.message


def test_https_with_another_hosts_certificate_is_refused(
    tls_server, certificate, monkeypatch, resolve_to_loopback
):
    _trusting(monkeypatch, certificate[1])
    error = _refused(tls_server.url("/page", host="impostor.test"), "connection")
    assert "impostor.test" in error.message and "certificate" in error.message
