"""Two app servers behind nginx, through PgBouncer in transaction mode, sharing Redis (DB 13):
what an operator running deploy/nginx.conf and deploy/pgbouncer.ini relies on.

The servers are real gunicorn processes (tests/bench/run.py's Server) on the test database,
which they reach through a private PgBouncer (tests/bench/stack.py); the test is transactional,
so what it creates is committed and visible to them. Its flush at the end (after the servers
have stopped) restores what migrations made, as every transactional test's must
(tests/conftest.py). About 15 s.
"""

import http.client
import os
import re
import secrets
import subprocess
import time
from pathlib import Path
from urllib.parse import urlencode

import pytest
import redis
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection

from tests.bench import stack
from tests.bench.run import ROOT, VENV_BIN, Server
from tests.factories import PASSWORD, make_user, make_work
from works.models import Kudos, WorkStats

REDIS_URL = "redis://127.0.0.1:6379/13"
POOL_SIZE = 4
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')

pytestmark = [pytest.mark.postgres_only, pytest.mark.once]


class AppServer(Server):
    """gunicorn with the cluster's shared settings (one secret key, PgBouncer, Redis)."""

    def __init__(self, url, shared, name):
        super().__init__(url, workers=1, threads=4, name=name)
        self.shared = shared

    def env(self):
        return {**super().env(), **self.shared}


class Browser:
    """A reader's cookies and address, on any of the servers."""

    def __init__(self, address):
        self.address, self.cookies = address, {}

    def request(self, port, method, path, form=None):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        headers = {"Host": "127.0.0.1", "X-Forwarded-For": self.address}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            body = urlencode(form)
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        text = response.read().decode(errors="replace")
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                key, _, val = value.split(";", 1)[0].partition("=")
                self.cookies[key] = val
        conn.close()
        return response.status, response.getheader(stack.UPSTREAM_HEADER, ""), text

    def post_form(self, port, page, action, form, *, post_port=None):
        """Read the form's CSRF token on `page` from `port`, then post to `action`."""
        status, _, text = self.request(port, "GET", page)
        assert status == 200
        match = CSRF_INPUT.search(text)
        assert match, f"no form on {page}"
        form = {**form, "csrfmiddlewaretoken": match.group(1)}
        return self.request(post_port or port, "POST", action, form)


@pytest.fixture
def cluster():
    redis.Redis.from_url(REDIS_URL).flushdb()
    dbname = connection.settings_dict["NAME"]
    host = connection.settings_dict["HOST"] or "127.0.0.1"
    port = connection.settings_dict["PORT"] or 5432
    databases = {dbname: f"host={host} port={port} dbname={dbname} timezone=UTC"}
    with stack.PgBouncer(pool_size=POOL_SIZE, max_client_conn=50, databases=databases) as bouncer:
        shared = {
            "DJANGO_DEBUG": "1",  # no collected static files needed; the rest as production
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "DATABASE_POOLER": "transaction",
            "REDIS_URL": REDIS_URL,
            "ARCHIVE_RATE_LIMITS_ENABLED": "1",
            "ARCHIVE_TRUSTED_PROXIES": "2",  # the reader's load balancer, then nginx
            "ARCHIVE_TASKS_BACKEND": "immediate",
        }
        url = bouncer.url(dbname)
        first, second = AppServer(url, shared, "scale-1"), AppServer(url, shared, "scale-2")
        with first, second:
            upstreams = [f"127.0.0.1:{first.port}", f"127.0.0.1:{second.port}"]
            with stack.Nginx(upstreams, ROOT / "static") as nginx:
                yield {"bouncer": bouncer, "servers": (first, second), "nginx": nginx}
    redis.Redis.from_url(REDIS_URL).flushdb()


def at_window_start(seconds=20, needed=8):
    """Wait, if need be, so that the next `needed` seconds lie in one rate-limit window
    (archive/ratelimit.py counts in fixed windows)."""
    left = seconds - time.time() % seconds
    if left < needed:
        time.sleep(left + 0.1)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_servers_behind_nginx_share_sessions_limits_and_the_database(cluster):
    first, second = cluster["servers"]
    nginx, bouncer = cluster["nginx"], cluster["bouncer"]
    # The servers run Django's real password hasher, not the test suite's fast one.
    get_user_model().objects.create(
        username="crossing",
        email="crossing@example.org",
        password=PBKDF2PasswordHasher().encode(PASSWORD, PBKDF2PasswordHasher().salt()),
    )
    work = make_work(creator=make_user(username="writer"))

    # A log-in on one server is honoured on the other.
    reader = Browser("198.51.100.7")
    form = {"username": "crossing", "password": PASSWORD}
    status, _, _ = reader.post_form(first.port, "/users/login", "/users/login", form)
    assert status == 302
    sessions = redis.Redis.from_url(REDIS_URL)
    session_key = f":1:django.contrib.sessions.cached_db{reader.cookies['sessionid']}"
    assert sessions.exists(session_key)  # the session lives in the shared Redis
    status, _, page = reader.request(second.port, "GET", f"/works/{work.pk}")
    assert status == 200 and "/users/crossing/preferences" in page

    # Through nginx the pages come from both servers, and every one shows the reader.
    seen = set()
    for _ in range(4):
        status, upstream, page = reader.request(nginx.port, "GET", f"/works/{work.pk}")
        assert status == 200 and "/users/crossing/preferences" in page
        seen.add(upstream)
    assert seen == {f"127.0.0.1:{first.port}", f"127.0.0.1:{second.port}"}

    # Log-in attempts from one address count on both servers together: 5 per 20 s.
    guesser = Browser("203.0.113.9")
    at_window_start()
    statuses = []
    for n in range(6):
        port = (first, second)[n % 2].port
        form = {"username": f"nobody{n}", "password": "wrong"}
        statuses.append(guesser.post_form(port, "/users/login", "/users/login", form)[0])
    assert statuses == [200, 200, 200, 200, 200, 429]

    # Guest kudos from six readers, posted through nginx to both servers, all land.
    answers = []
    for n in range(6):
        guest = Browser(f"192.0.2.{n + 10}")
        page, action = f"/works/{work.pk}", f"/works/{work.pk}/kudos"
        answers.append(guest.post_form(first.port, page, action, {}, post_port=nginx.port)[:2])
    assert [status for status, _ in answers] == [302] * 6
    assert len({upstream for _, upstream in answers}) == 2
    assert Kudos.objects.filter(work=work).count() == 6
    assert WorkStats.objects.get(work=work).kudos == 6

    # PgBouncer lent its few server connections to both servers' threads without an error.
    pools = [p for p in bouncer.admin("SHOW POOLS") if p["database"] != "pgbouncer"]
    servers = sum(p["sv_active"] + p["sv_idle"] + p["sv_used"] + p["sv_login"] for p in pools)
    assert 1 <= servers <= POOL_SIZE
    assert bouncer.errors() == []


SESSION_STATE_SCRIPT = """
import django
django.setup()
from django.db import connection
connection.ensure_connection()
raw = connection.connection
print(raw.info.parameter_status("TimeZone"), connection._configure_timezone(raw),
      connection.settings_dict["DISABLE_SERVER_SIDE_CURSORS"], raw.prepare_threshold)
"""


def test_django_keeps_no_session_state_on_pgbouncer_connections(django_db_setup):
    """Through PgBouncer with DATABASE_POOLER=transaction, Django's connection starts in UTC
    (no SET TIME ZONE is sent), opens no server-side cursor and prepares no statement."""
    dbname = connection.settings_dict["NAME"]
    host = connection.settings_dict["HOST"] or "127.0.0.1"
    port = connection.settings_dict["PORT"] or 5432
    databases = {dbname: f"host={host} port={port} dbname={dbname} timezone=UTC"}
    with stack.PgBouncer(pool_size=2, max_client_conn=10, databases=databases) as bouncer:
        env = {
            **os.environ,
            "DATABASE_URL": bouncer.url(dbname),
            "DATABASE_POOLER": "transaction",
            "DJANGO_SETTINGS_MODULE": "archive.settings",
        }
        out = subprocess.run(
            [str(VENV_BIN / "python"), "-c", SESSION_STATE_SCRIPT],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split()
    assert out == ["UTC", "False", "True", "None"]


def test_nginx_accepts_the_deploy_example(tmp_path):
    conf = tmp_path / "nginx.conf"
    conf.write_text(
        stack.render_nginx_conf(
            stack.NGINX_CONF.read_text(),
            port=stack.free_port(),
            upstreams=["127.0.0.1:8001", "127.0.0.1:8002"],
            static_dir=Path(ROOT / "static"),
            run_dir=tmp_path,
        )
    )
    checked = subprocess.run(
        [
            stack.nginx_binary(),
            "-t",
            "-p",
            str(tmp_path),
            "-e",
            str(tmp_path / "e.log"),
            "-c",
            conf,
        ],
        capture_output=True,
        text=True,
    )
    assert checked.returncode == 0, checked.stderr
    assert "server 127.0.0.1:8002 max_fails=3" in conf.read_text()
