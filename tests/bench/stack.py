"""The pieces in front of and behind the app servers, run privately on loopback for the load
tests (tests/bench/pool.py, `make loadtest LOAD_MODE=cluster`) and tests/scale: PgBouncer,
nginx and a streaming replica.

Each is made from the production example it stands for, so a test that passes here also says
the example works: `PgBouncer` renders deploy/pgbouncer.ini with loopback overrides (its own
port, trust auth, its own databases), `Nginx` renders deploy/nginx.conf with the upstream, the
listening port, the static folder and every file path swapped for a temporary folder's. Both
run in the foreground as children of this process and are stopped at the end. Nothing here
imports Django or the archive.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
PGBOUNCER_INI = DEPLOY / "pgbouncer.ini"
NGINX_CONF = DEPLOY / "nginx.conf"
REPLICA_SCRIPT = DEPLOY / "replica.sh"
# Header added to the private nginx only: which gunicorn answered (never in production).
UPSTREAM_HEADER = "X-Archive-Upstream"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for_port(port: int, process: subprocess.Popen, what: str, log: Path) -> None:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{what} exited: {log.read_text(errors='replace')[-2000:]}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"{what} did not listen on {port} within 20 s")


def _stop(process: subprocess.Popen, sig=signal.SIGTERM) -> None:
    if process.poll() is None:
        process.send_signal(sig)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _as_root() -> bool:
    return os.geteuid() == 0


# ---------------------------------------------------------------------------- PgBouncer
def render_pgbouncer_ini(text: str, databases: dict[str, str], settings: dict[str, str]) -> str:
    """deploy/pgbouncer.ini with its [databases] replaced and `settings` overriding (or
    adding) keys of its [pgbouncer] section; comments and every other key are kept."""
    out, section, seen = [], "", set()

    def close_pgbouncer_section():
        out.extend(f"{key} = {value}" for key, value in settings.items() if key not in seen)

    for line in text.splitlines():
        header = re.match(r"^\s*\[(\w+)\]", line)
        if header:
            if section == "pgbouncer":
                close_pgbouncer_section()
            section = header.group(1)
            out.append(line)
            if section == "databases":
                out.extend(f"{name} = {conn}" for name, conn in databases.items())
            continue
        key = re.match(r"^\s*(\w+)\s*=", line)
        if section == "databases" and key:
            continue
        if section == "pgbouncer" and key and key.group(1) in settings:
            seen.add(key.group(1))
            out.append(f"{key.group(1)} = {settings[key.group(1)]}")
            continue
        out.append(line)
    if section == "pgbouncer":
        close_pgbouncer_section()
    return "\n".join(out) + "\n"


class PgBouncer:
    """A private PgBouncer in transaction mode on a free loopback port.

    `databases` maps the names clients ask for to libpq connect strings, e.g.
    {"archive": "host=127.0.0.1 port=5432 dbname=archive timezone=UTC"}; without it, any
    database name goes to the local server (PgBouncer's "*" entry). Trust auth on loopback
    for the user postgres, who is also the admin console's user.
    """

    def __init__(self, *, pool_size=20, max_client_conn=250, databases=None, user="postgres"):
        self.pool_size, self.max_client_conn, self.user = pool_size, max_client_conn, user
        self.databases = databases or {"*": "host=127.0.0.1 port=5432 timezone=UTC"}
        self.port = free_port()

    def url(self, dbname: str) -> str:
        return f"postgres://{self.user}@127.0.0.1:{self.port}/{dbname}"

    def __enter__(self):
        self.dir = Path(tempfile.mkdtemp(prefix="archive-pgbouncer-"))
        (self.dir / "users.txt").write_text(f'"{self.user}" ""\n')
        settings = {
            "listen_addr": "127.0.0.1",
            "listen_port": str(self.port),
            "unix_socket_dir": "",
            "auth_type": "trust",
            "auth_file": str(self.dir / "users.txt"),
            "admin_users": self.user,
            "stats_users": self.user,
            "pool_mode": "transaction",
            "default_pool_size": str(self.pool_size),
            "reserve_pool_size": "0",  # the cap on server connections is the pool size
            "max_db_connections": str(self.pool_size),
            "max_client_conn": str(self.max_client_conn),
            "logfile": str(self.dir / "pgbouncer.log"),
            "pidfile": "",
        }
        ini = self.dir / "pgbouncer.ini"
        ini.write_text(render_pgbouncer_ini(PGBOUNCER_INI.read_text(), self.databases, settings))
        command = [shutil.which("pgbouncer") or "/usr/sbin/pgbouncer", str(ini)]
        if _as_root():  # PgBouncer refuses to run as root; it drops to the postgres user
            os.chmod(self.dir, 0o777)
            command[1:1] = ["-u", "postgres"]
        self.log = self.dir / "pgbouncer.log"
        self.log.touch()
        os.chmod(self.log, 0o666)
        self.process = subprocess.Popen(
            command, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT, cwd=self.dir
        )
        _wait_for_port(self.port, self.process, "pgbouncer", self.log)
        return self

    def admin(self, command: str) -> list[dict]:
        """Rows of an admin console command (SHOW POOLS, SHOW STATS, ...) as dicts."""
        import psycopg

        with psycopg.connect(self.url("pgbouncer"), autocommit=True) as conn:
            cursor = conn.execute(command)
            names = [column.name for column in cursor.description]
            return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    def errors(self) -> list[str]:
        """The log's ERROR and WARNING lines (a refused client, a pool timeout, ...)."""
        text = self.log.read_text(errors="replace") if self.log.exists() else ""
        return [line for line in text.splitlines() if " ERROR " in line or " WARNING " in line]

    def __exit__(self, *exc):
        _stop(self.process)
        shutil.rmtree(self.dir, ignore_errors=True)


class PoolWatch:
    """Samples SHOW POOLS every `interval` seconds: the most clients and server connections
    seen at once, for the databases clients use (not the admin console)."""

    def __init__(self, bouncer: PgBouncer, interval: float = 0.2):
        import threading

        self.bouncer, self.interval = bouncer, interval
        self.max_clients = self.max_servers = self.max_waiting = self.samples = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def sample(self) -> None:
        pools = [p for p in self.bouncer.admin("SHOW POOLS") if p["database"] != "pgbouncer"]
        clients = sum(p["cl_active"] + p["cl_waiting"] for p in pools)
        servers = sum(
            p["sv_active"] + p["sv_idle"] + p["sv_used"] + p["sv_tested"] + p["sv_login"]
            for p in pools
        )
        self.max_clients = max(self.max_clients, clients)
        self.max_servers = max(self.max_servers, servers)
        self.max_waiting = max(self.max_waiting, sum(p["cl_waiting"] for p in pools))
        self.samples += 1

    def _run(self):
        while not self._stop.wait(self.interval):
            self.sample()

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join(timeout=10)
        self.sample()


def pool_stats(bouncer: PgBouncer) -> dict:
    """SHOW STATS totals over the databases clients use."""
    rows = [r for r in bouncer.admin("SHOW STATS") if r["database"] != "pgbouncer"]
    return {
        "transactions": sum(int(r["total_xact_count"]) for r in rows),
        "queries": sum(int(r["total_query_count"]) for r in rows),
        "wait_ms": sum(int(r["total_wait_time"]) for r in rows) / 1000,
    }


# ---------------------------------------------------------------------------- nginx
def render_nginx_conf(
    text: str,
    *,
    port: int,
    upstreams: list[str],
    static_dir: Path,
    run_dir: Path,
    show_upstream: bool = False,
) -> str:
    """deploy/nginx.conf for a private run: listening on 127.0.0.1:port, proxying to
    `upstreams` (host:port), serving /static/ from `static_dir`, every log, pid and temporary
    file in `run_dir`, one worker, and no `user` switch. With `show_upstream`, each answer
    says which gunicorn made it (UPSTREAM_HEADER)."""
    text = re.sub(r"(?m)^\s*user\s+[^;]+;\n", "", text)
    text = re.sub(r"(?m)^(\s*)worker_processes\s+[^;]+;", r"\1worker_processes 1;", text)
    text = re.sub(r"(?m)^(\s*)pid\s+[^;]+;", rf"\1pid {run_dir}/nginx.pid;", text)
    text = re.sub(r"(?m)^(\s*)error_log\s+[^;]+;", rf"\1error_log {run_dir}/error.log warn;", text)
    text = re.sub(
        r"(?m)^(\s*)access_log\s+(?!off)[^;]+;", rf"\1access_log {run_dir}/access.log;", text
    )
    text = re.sub(r"(?m)^(\s*)listen\s+[^;]+;", rf"\1listen 127.0.0.1:{port};", text)
    text = text.replace("/srv/archive/staticfiles/", f"{static_dir}/")

    def upstream_block(match):
        lines = match.group(0).splitlines()
        servers = [line for line in lines if re.match(r"^\s*server\s", line)]
        indent, options = re.match(r"^(\s*)server\s+\S+?(\s[^;]*)?;", servers[0]).groups()
        out = []
        for line in lines:
            if line not in servers:
                out.append(line)
            if re.match(r"^\s*upstream\s", line):
                out.extend(f"{indent}server {address}{options or ''};" for address in upstreams)
        return "\n".join(out)

    text = re.sub(r"(?ms)^\s*upstream\s+\w+\s*\{.*?^\s*\}", upstream_block, text, count=1)
    temp = "".join(
        f"\n    {kind}_temp_path {run_dir}/{kind}_temp;"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    text = re.sub(r"(?m)^http\s*\{", lambda m: m.group(0) + temp, text, count=1)
    if show_upstream:
        text = re.sub(
            r"(?m)^(\s*)location\s+/\s*\{",
            lambda m: (
                f"{m.group(0)}\n{m.group(1)}    add_header {UPSTREAM_HEADER} $upstream_addr always;"
            ),
            text,
            count=1,
        )
    return text


def nginx_binary() -> str:
    return shutil.which("nginx") or "/usr/sbin/nginx"


class Nginx:
    """nginx in the foreground (daemon off) in front of `upstreams`, on a free loopback port."""

    def __init__(self, upstreams: list[str], static_dir: Path, *, show_upstream: bool = True):
        self.upstreams, self.static_dir, self.show_upstream = upstreams, static_dir, show_upstream
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"

    def __enter__(self):
        self.dir = Path(tempfile.mkdtemp(prefix="archive-nginx-"))
        os.chmod(self.dir, 0o755)
        self.conf = self.dir / "nginx.conf"
        self.conf.write_text(
            render_nginx_conf(
                NGINX_CONF.read_text(),
                port=self.port,
                upstreams=self.upstreams,
                static_dir=self.static_dir,
                run_dir=self.dir,
                show_upstream=self.show_upstream,
            )
        )
        command = [nginx_binary(), "-p", str(self.dir), "-e", str(self.dir / "error.log")]
        checked = subprocess.run([*command, "-t", "-c", str(self.conf)], capture_output=True)
        if checked.returncode:
            raise RuntimeError(f"nginx -t refused the config: {checked.stderr.decode()}")
        self.process = subprocess.Popen(
            [*command, "-c", str(self.conf), "-g", "daemon off;"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
        )
        _wait_for_port(self.port, self.process, "nginx", self.dir / "error.log")
        return self

    def __exit__(self, *exc):
        _stop(self.process, signal.SIGQUIT)  # graceful: finish the requests in flight
        shutil.rmtree(self.dir, ignore_errors=True)


# ---------------------------------------------------------------------------- replica
class Replica:
    """A streaming replica made by deploy/replica.sh (start on enter, stop on exit). `base` is
    postgres://USER@127.0.0.1:PORT, or "" when the script is not there."""

    def __init__(self, port: int):
        self.port, self.base = port, ""
        self.env = dict(os.environ, REPLICA_PORT=str(port))

    def run(self, action: str) -> str:
        return subprocess.run(
            ["sh", str(REPLICA_SCRIPT), action],
            env=self.env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()

    def __enter__(self):
        if REPLICA_SCRIPT.exists():
            self.base = self.run("start").splitlines()[-1]
        return self

    def status(self) -> str:
        return self.run("status") if self.base else "no deploy/replica.sh"

    def __exit__(self, *exc):
        if self.base:
            self.run("stop")
