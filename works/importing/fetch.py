"""Fetching a page someone asked the archive to import, without letting that request reach
anything but the public web (docs/decisions.md, "Importing by URL").

`fetch(url)` is the only way an importer reads a URL. It uses the standard library's
http.client, so every step is ours to check:

- only `http` and `https` URLs, without user names or passwords in them;
- the host is resolved once, and every address it resolves to must be public: no private,
  loopback, link-local, multicast, reserved or unspecified address, IPv4 or IPv6, and none
  hidden inside an IPv6 address (IPv4-mapped, 6to4, Teredo, NAT64). The connection is then
  made to the address that was checked (the request names the host, and HTTPS checks the
  certificate against it), and the socket's peer is compared with it, so a second DNS answer
  cannot send the request elsewhere (DNS rebinding);
- redirects are followed by hand, at most `MAX_REDIRECTS`, each hop checked as the first;
- the answer must be 2xx, and HTML unless the caller accepts other types; its body is read up
  to `ARCHIVE_IMPORT_MAX_BYTES` (also after gzip), and the whole fetch, redirects included,
  must end within `ARCHIVE_IMPORT_TIMEOUT` seconds.

`ARCHIVE_IMPORT_ALLOW_PRIVATE = True` lifts the address check (tests fetch from a live server
on 127.0.0.1; an archive importing from its own network may want it). Every failure is a
`FetchError`, an `archive.errors.Refused` whose message is meant for the person importing.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
import threading
import time
import zlib
from dataclasses import dataclass, field
from urllib.parse import quote, urljoin, urlsplit

from django.conf import settings
from django.utils.translation import gettext as _

from archive.errors import Refused

MAX_REDIRECTS = 5
CHUNK = 64 * 1024
HTML_TYPES = ("text/html", "application/xhtml+xml")
USER_AGENT = "fanarchive-importer/1.0 (an archive importing a work at its author's request)"

# Addresses a public host never has, beyond what `ipaddress` flags (its own tables cover the
# special-purpose registries); the IPv6 prefixes that carry an IPv4 address are unwrapped.
NAT64 = ipaddress.ip_network("64:ff9b::/96")
NAT64_LOCAL = ipaddress.ip_network("64:ff9b:1::/48")


class FetchError(Refused):
    """A fetch that failed or was refused; `code` says which step (bad_url, forbidden_address,
    dns, connection, timeout, too_large, too_many_redirects, not_found, forbidden,
    server_error, http_error, not_html)."""

    def __init__(self, message: str, *, code: str, status: int | None = None):
        super().__init__(message, code=code)
        self.status = status


@dataclass
class Fetched:
    """What a fetch brought back: the URL it ended at, the body and how to read it."""

    url: str
    status: int
    content_type: str
    charset: str
    body: bytes
    redirects: list[str] = field(default_factory=list)

    def text(self) -> str:
        """The body as text: the declared charset, else UTF-8, else Windows-1252."""
        for charset in (self.charset, "utf-8"):
            if charset:
                try:
                    return self.body.decode(charset)
                except (LookupError, UnicodeDecodeError):
                    continue
        return self.body.decode("windows-1252", errors="replace")


def _limits():
    return (
        float(getattr(settings, "ARCHIVE_IMPORT_TIMEOUT", 30)),
        int(getattr(settings, "ARCHIVE_IMPORT_MAX_BYTES", 20 * 1024 * 1024)),
        bool(getattr(settings, "ARCHIVE_IMPORT_ALLOW_PRIVATE", False)),
    )


def fetch(url: str, *, accept: tuple[str, ...] = HTML_TYPES) -> Fetched:
    """GET `url` as a browser would, following redirects; raise FetchError on any refusal."""
    timeout, max_bytes, allow_private = _limits()
    deadline = time.monotonic() + timeout
    redirects: list[str] = []
    while True:
        answer = _get_once(url, deadline=deadline, max_bytes=max_bytes, allow=allow_private)
        if answer.location is None:
            break
        if len(redirects) >= MAX_REDIRECTS:
            raise FetchError(
                _("That address redirects too many times (more than %(count)d).")
                % {"count": MAX_REDIRECTS},
                code="too_many_redirects",
            )
        redirects.append(url)
        url = urljoin(url, answer.location)
        if urlsplit(url).scheme not in ("http", "https"):
            raise FetchError(
                _("That address redirects somewhere the archive does not fetch from."),
                code="bad_url",
            )
    _check_status(answer.status)
    content_type, charset = _content_type(answer.headers.get("Content-Type", ""))
    if accept and content_type not in accept:
        raise FetchError(
            _("That address is not a web page (it sent “%(type)s”).")
            % {"type": content_type or _("no content type")},
            code="not_html",
        )
    return Fetched(
        url=url,
        status=answer.status,
        content_type=content_type,
        charset=charset,
        body=answer.body,
        redirects=redirects,
    )


@dataclass
class _Answer:
    status: int
    headers: http.client.HTTPMessage
    body: bytes
    location: str | None


def _get_once(url: str, *, deadline: float, max_bytes: int, allow: bool) -> _Answer:
    scheme, host, port, target = _split(url)
    addresses = _resolve(host, port, allow=allow)
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise _timeout()
    if scheme == "https":
        connection = _PinnedHTTPS(host, port, addresses, timeout=remaining)
    else:
        connection = _PinnedHTTP(host, port, addresses, timeout=remaining)
    watchdog = threading.Timer(remaining, connection.abort)
    watchdog.daemon = True
    watchdog.start()
    try:
        connection.putrequest("GET", target, skip_accept_encoding=True)
        for name, value in (
            ("User-Agent", USER_AGENT),
            ("Accept", "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5"),
            ("Accept-Language", "en"),
            ("Accept-Encoding", "gzip"),
            ("Connection", "close"),
        ):
            connection.putheader(name, value)
        connection.endheaders()
        response = connection.getresponse()
        if response.status in (301, 302, 303, 307, 308) and response.getheader("Location"):
            return _Answer(response.status, response.headers, b"", response.getheader("Location"))
        body = _read_body(response, max_bytes=max_bytes, deadline=deadline)
        if connection.aborted:  # the deadline cut the body short
            raise _timeout()
        return _Answer(response.status, response.headers, body, None)
    except FetchError:
        raise
    except TimeoutError as error:
        raise _timeout() from error
    except (OSError, http.client.HTTPException) as error:
        if connection.aborted:
            raise _timeout() from error
        if isinstance(error, ssl.SSLError):
            raise FetchError(
                _("The secure connection to %(host)s failed (its certificate was refused).")
                % {"host": host},
                code="connection",
            ) from error
        raise FetchError(
            _("The archive could not connect to %(host)s, or the connection broke off.")
            % {"host": host},
            code="connection",
        ) from error
    finally:
        watchdog.cancel()
        connection.close()


def _split(url: str) -> tuple[str, str, int, str]:
    """Scheme, host (IDNA), port and request target of a URL we may fetch."""
    bad = FetchError(
        _("Please enter a web address starting with http:// or https://."), code="bad_url"
    )
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as error:
        raise bad from error
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise bad
    if parts.username is not None or parts.password is not None:
        raise FetchError(
            _("Please leave the user name and password out of the address."), code="bad_url"
        )
    try:
        host = parts.hostname.encode("idna").decode("ascii")
    except UnicodeError as error:
        raise bad from error
    target = parts.path or "/"
    if parts.query:
        target += "?" + parts.query
    if any(ord(ch) < 33 or ord(ch) > 126 for ch in target):
        target = quote(target, safe="/?&=%:@!$'()*+,;~-._")
    return parts.scheme, host, port or (443 if parts.scheme == "https" else 80), target


def forbidden_address(address: str) -> bool:
    """Whether an IP address is anything but a public unicast one (IPv6 addresses carrying an
    IPv4 address are judged by it too)."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    candidates = [ip]
    if ip.version == 6:
        if ip.ipv4_mapped:
            candidates.append(ip.ipv4_mapped)
        if ip.sixtofour:
            candidates.append(ip.sixtofour)
        if ip.teredo:
            candidates.extend(ip.teredo)
        if ip in NAT64 or ip in NAT64_LOCAL:
            candidates.append(ipaddress.ip_address(int(ip) & 0xFFFFFFFF))
    return any(
        c.is_private
        or c.is_loopback
        or c.is_link_local
        or c.is_multicast
        or c.is_reserved
        or c.is_unspecified
        or not c.is_global
        for c in candidates
    )


def _resolve(host: str, port: int, *, allow: bool) -> list[str]:
    """The addresses to connect to, in the resolver's order: every one must be allowed."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError, OSError) as error:
        raise FetchError(
            _("No server named %(host)s could be found.") % {"host": host}, code="dns"
        ) from error
    addresses = list(dict.fromkeys(info[4][0] for info in infos))
    if not addresses:
        raise FetchError(_("No server named %(host)s could be found.") % {"host": host}, code="dns")
    if not allow and any(forbidden_address(a) for a in addresses):
        raise FetchError(
            _(
                "The archive does not fetch from %(host)s: it is a private or local address, "
                "not a public website."
            )
            % {"host": host},
            code="forbidden_address",
        )
    return addresses


class _Pinned:
    """Connects to one of the checked addresses (the first that answers), then makes sure that
    is whom the socket reached."""

    aborted = False

    def _open_pinned(self):
        error = None
        for address in self.pinned:
            if self.aborted:
                break
            family = socket.AF_INET6 if ":" in address else socket.AF_INET
            sock = socket.socket(family, socket.SOCK_STREAM)
            sock.settimeout(self.timeout)
            self.raw = sock
            try:
                sock.connect((address, self.port))
            except OSError as failed:
                sock.close()
                error = failed
                continue
            peer = sock.getpeername()[0]
            if ipaddress.ip_address(peer.split("%", 1)[0]) != ipaddress.ip_address(address):
                sock.close()
                raise FetchError(
                    _("The connection reached another address than the one checked."),
                    code="forbidden_address",
                )
            return sock
        raise error or OSError("no address to connect to")

    def abort(self):
        """Called by the deadline's timer: unblocks whatever read is waiting."""
        self.aborted = True
        raw = getattr(self, "raw", None)
        if raw is not None:
            try:
                socket.socket.shutdown(raw, socket.SHUT_RDWR)
            except OSError:
                pass


class _PinnedHTTP(_Pinned, http.client.HTTPConnection):
    def __init__(self, host, port, pinned, *, timeout):
        super().__init__(host, port, timeout=timeout)
        self.pinned = pinned

    def connect(self):
        self.sock = self._open_pinned()


class _PinnedHTTPS(_Pinned, http.client.HTTPSConnection):
    def __init__(self, host, port, pinned, *, timeout):
        super().__init__(host, port, timeout=timeout, context=_tls_context())
        self.pinned = pinned

    def connect(self):
        sock = self._open_pinned()
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)
        self.raw = self.sock


def _tls_context() -> ssl.SSLContext:
    """The system's trusted certificates, the host name checked."""
    return ssl.create_default_context()


def _read_body(response, *, max_bytes: int, deadline: float) -> bytes:
    too_large = FetchError(
        _("That page is too large to import (more than %(size)s MB).")
        % {"size": _megabytes(max_bytes)},
        code="too_large",
    )
    length = response.getheader("Content-Length")
    if length and length.isdigit() and int(length) > max_bytes:
        raise too_large
    encoding = (response.getheader("Content-Encoding") or "identity").strip().lower()
    if encoding not in ("identity", "gzip", "x-gzip", "deflate"):
        raise FetchError(
            _("That server sent the page in a form the archive cannot read (%(encoding)s).")
            % {"encoding": encoding},
            code="http_error",
        )
    unzip = None
    if encoding != "identity":
        unzip = zlib.decompressobj(47 if "gzip" in encoding else zlib.MAX_WBITS)
    chunks, size = [], 0
    while True:
        if time.monotonic() > deadline:
            raise _timeout()
        chunk = response.read1(CHUNK) if hasattr(response, "read1") else response.read(CHUNK)
        if not chunk:
            break
        if unzip is not None:
            chunk = unzip.decompress(chunk, max_bytes + 1 - size)
            if unzip.unconsumed_tail:
                raise too_large
        size += len(chunk)
        if size > max_bytes:
            raise too_large
        chunks.append(chunk)
    return b"".join(chunks)


def _check_status(status: int) -> None:
    if 200 <= status < 300:
        return
    if status in (404, 410):
        message, code = _("There is no page at that address (error %(status)d)."), "not_found"
    elif status in (401, 403):
        message, code = _("That page is not open to the archive (error %(status)d)."), "forbidden"
    elif status == 429:
        message, code = (
            _("That site asks the archive to slow down (error %(status)d). Try again later."),
            "server_error",
        )
    elif status >= 500:
        message, code = (
            _("That site had a problem answering (error %(status)d). Try again later."),
            "server_error",
        )
    else:
        message, code = _("That site answered with error %(status)d."), "http_error"
    raise FetchError(message % {"status": status}, code=code, status=status)


def _content_type(header: str) -> tuple[str, str]:
    message = http.client.HTTPMessage()
    message["Content-Type"] = header
    return message.get_content_type() if header else "", message.get_content_charset() or ""


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):g}"


def _timeout() -> FetchError:
    return FetchError(
        _("That site took too long to answer. Try again later."),
        code="timeout",
    )
