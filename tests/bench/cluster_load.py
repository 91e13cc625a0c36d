"""The load test on many app servers (`make loadtest LOAD_MODE=cluster`, tests/bench/load.py).

Two gunicorn servers (tests/bench/run.py's Server, gthread workers) behind a real nginx
(deploy/nginx.conf rendered for loopback by tests/bench/stack.py), both through one private
PgBouncer in transaction mode (DATABASE_POOLER=transaction), sharing one Redis (LOAD_REDIS_URL,
default DB 12) for the cache, sessions, rate limits, hit buffers and locks, with the same
secret key; reads may go to a real streaming replica made by deploy/replica.sh (its own pool in
PgBouncer, passed as DATABASE_REPLICA_URLS). The load is load.py's guests (reading, listing,
searching, kudos, comments, rate limits on) plus members: each logs in on whichever server
nginx picks, then reads pages until one comes from the other server, and every page must show
them logged in. The clients speak to nginx only; nginx appends to X-Forwarded-For, so the
servers trust two proxies (the simulated load balancer that wrote the reader's address, and
nginx).

Pass: no 5xx, no unexpected status, no connection error, no lost write, no member shown logged
out, at most PgBouncer's pool size of server connections, no PgBouncer error. The report is the
"Cluster" section of tests/bench/LOAD.md.
"""

from __future__ import annotations

import os
import subprocess
import time
from collections import Counter
from datetime import UTC, datetime

import load
import run as bench
import stack

from tests.bench import replica_reads

HEADING = "## Cluster: two app servers behind nginx, PgBouncer, Redis, a replica"
MEMBER_PASSWORD = "load-member-" + load.RUN
MEMBERS_SCRIPT = """
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
User = get_user_model()
secret = make_password({password!r})
for n in range({count}):
    User.objects.update_or_create(username=f"loadmember{{n}}",
        defaults={{"email": f"loadmember{{n}}@example.org", "password": secret, "is_active": True}})
"""


class ClusterResults(load.Results):
    EXPECTED = {**load.Results.EXPECTED, "log-in form": {200}, "log-in": {302}, "member": {200}}

    def __init__(self):
        super().__init__()
        self.servers = Counter()
        self.visits = Counter()  # logged in, crossed to the other server, shown logged out

    def served(self, upstream):
        with self.lock:
            self.servers[upstream or "?"] += 1

    def visit(self, what):
        with self.lock:
            self.visits[what] += 1


class Guest(load.Client):
    def request(self, kind, method, path, body=None, *, address=None):
        status, data = super().request(kind, method, path, body, address=address)
        if status is not None:
            self.results.served(self.served_by)
        return status, data


class Member(Guest):
    """A reader who logs in, then reads until a page comes from the other app server."""

    def __init__(self, *args, accounts: range, **kwargs):
        super().__init__(*args, **kwargs)
        # Each member takes turns over accounts of its own, so no account logs in more often
        # than the log-in limit allows (5 per 20 s): a 429 there would be the test's fault.
        self.accounts, self.jar, self.turn = list(accounts), {}, 0

    def request(self, kind, method, path, body=None, *, address=None):
        self.cookie = "; ".join(f"{k}={v}" for k, v in self.jar.items())
        status, data = super().request(kind, method, path, body, address=address)
        for header in self.last_cookies:
            name, _, value = header.split(";", 1)[0].partition("=")
            self.jar[name] = value
        return status, data

    def run(self):
        while time.monotonic() < self.deadline:
            self.visit()

    def visit(self):
        self.jar, self.conn = {}, None  # a new browser
        account = f"loadmember{self.accounts[self.turn % len(self.accounts)]}"
        self.turn += 1
        address = self.address()  # one reader, one address
        status, data = self.request("log-in form", "GET", "/users/login", address=address)
        token = load.CSRF_INPUT.search(data.decode(errors="replace")) if data else None
        if not token:
            return
        form = {"csrfmiddlewaretoken": token.group(1), "username": account}
        form["password"] = MEMBER_PASSWORD
        status, _ = self.request("log-in", "POST", "/users/login", form, address=address)
        if status != 302 or "sessionid" not in self.jar:
            return
        self.results.visit("logged in")
        logged_in_on, mark = self.served_by, f"/users/{account}/preferences"
        for _ in range(4):
            work, _chapter = self.random.choice(self.works)
            status, data = self.request("member", "GET", f"/works/{work}", address=address)
            if status != 200:
                return
            if mark not in data.decode(errors="replace"):
                self.results.visit("shown logged out")
                self.results.note("member", f"logged out on {self.served_by}: {account}")
                return
            if self.served_by and self.served_by != logged_in_on:
                self.results.visit("crossed servers, still logged in")
                return


class ClusterServer(load.LoadServer):
    def __init__(self, url, workers, *, threads, name, extra):
        # Keep-alive longer than nginx's upstream keepalive_timeout (deploy/nginx.conf), so
        # gunicorn never closes a connection nginx is about to reuse.
        super().__init__(url, workers, threads=threads, name=name, args=["--keep-alive=75"])
        self.extra = extra

    def env(self):
        return {**super().env(), **self.extra}


def server_reads(url: str, replica: stack.Replica, dbname: str) -> dict:
    """pg_stat_database's counts of the load's database on the primary and on the replica."""
    time.sleep(replica_reads.SETTLE_SECONDS)  # backends report their counts when idle
    reads = {"primary": replica_reads.database_reads(url, dbname)}
    if replica.base:
        reads["replica"] = replica_reads.database_reads(replica.base, dbname)
    return reads


def main(args) -> int:
    url, dbname = args.database_url, bench._dbname(args.database_url)
    redis_url = os.environ.get("LOAD_REDIS_URL", "redis://127.0.0.1:6379/12")
    threads = int(os.environ.get("LOAD_THREADS", 4))
    members = int(os.environ.get("LOAD_MEMBERS", 4))
    bench.ensure_archive(url, args.works)
    facts = bench.archive_facts(url)
    works = load.targets(url)
    bench.manage(url, "shell", "-c", MEMBERS_SCRIPT.format(password=MEMBER_PASSWORD, count=100))
    extra = {"DJANGO_SECRET_KEY": load.SECRET_KEY, "REDIS_URL": redis_url}
    bench.manage(url, "collectstatic", "--noinput", "-v0")  # production static manifest
    import redis

    redis.Redis.from_url(redis_url).flushdb()
    before = load.counts(url)
    port = int(os.environ.get("LOAD_REPLICA_PORT", 5439))
    load.log(f"Starting a streaming replica on port {port} (deploy/replica.sh) ...")
    with stack.Replica(port) as replica:
        primary = "host=127.0.0.1 port=5432 timezone=UTC"
        databases = {dbname: f"{primary} dbname={dbname}"}
        if replica.base:
            databases[f"{dbname}_replica"] = f"host=127.0.0.1 port={port} dbname={dbname}"
            databases[f"{dbname}_replica"] += " timezone=UTC"
        with stack.PgBouncer(pool_size=20, max_client_conn=250, databases=databases) as bouncer:
            extra.update(
                DATABASE_POOLER="transaction",
                ARCHIVE_TRUSTED_PROXIES="2",
                DJANGO_ALLOWED_HOSTS="127.0.0.1",
            )
            if replica.base:
                extra["DATABASE_REPLICA_URLS"] = bouncer.url(f"{dbname}_replica")
            servers = [
                ClusterServer(
                    bouncer.url(dbname),
                    args.workers,
                    threads=threads,
                    name=f"cluster-{n}",
                    extra=extra,
                )
                for n in (1, 2)
            ]
            with servers[0], servers[1]:
                upstreams = [f"127.0.0.1:{s.port}" for s in servers]
                reads_before = server_reads(url, replica, dbname)
                with stack.Nginx(upstreams, bench.ROOT / "staticfiles") as nginx:
                    load.log(
                        f"Cluster: {args.clients} guests + {members} members on nginx "
                        f"{nginx.base} -> {', '.join(upstreams)} ({args.workers} workers x "
                        f"{threads} threads each), {args.seconds} s ..."
                    )
                    with stack.PoolWatch(bouncer, interval=1.0) as watch:
                        results, elapsed = run(nginx.port, works, args, members)
                reads_after = server_reads(url, replica, dbname)
            stats, logged = stack.pool_stats(bouncer), bouncer.errors()
        lag = replica.status()
    after = load.counts(url)

    problems = load.find_problems(results, before, after)
    if results.visits["shown logged out"]:
        problems.append(f"{results.visits['shown logged out']} members shown logged out")
    if not results.visits["crossed servers, still logged in"]:
        problems.append("no member's pages came from the other server")
    if watch.max_servers > 20 * len(databases):
        problems.append(f"{watch.max_servers} server connections for a pool of 20")
    if logged:
        problems.append(f"PgBouncer logged {len(logged)} errors, e.g. {logged[0]}")
    facts.update(
        servers=results.servers,
        upstreams=upstreams,
        threads=threads,
        members=members,
        watch=watch,
        stats=stats,
        replica=(replica.base, lag),
        reads={
            name: replica_reads.since(reads_before[name], reads_after[name]) for name in reads_after
        },
        databases=len(databases),
        pgbouncer_errors=len(logged),
    )
    text = report(args, facts, results, elapsed, before, after, problems)
    load.write_section(HEADING, text)
    load.log(text)
    return 1 if problems else 0


def served_by(reads: dict) -> list[str]:
    """Where the load's database work ran: pg_stat_database deltas on each server."""
    primary = reads["primary"]
    replica = reads.get("replica", replica_reads.Reads())
    share = replica_reads.ReadShare(replica=replica, primary=primary)
    rows = replica.rows + primary.rows
    return [
        f"- database work during the load (pg_stat_database): replica {replica.transactions:,} "
        f"transactions, {replica.rows:,} rows read; primary {primary.transactions:,} "
        f"transactions (writes included), {primary.rows:,} rows read; the replica ran "
        f"**{share.replica_fraction:.0%} of the transactions** and "
        f"{replica.rows / rows if rows else 0:.0%} of the rows read"
    ]


def run(port, works, args, members) -> tuple[ClusterResults, float]:
    results = ClusterResults()
    started = time.monotonic()
    deadline = started + args.seconds
    clients = [Guest(port, works, deadline, results, seed=n) for n in range(args.clients)]
    clients += [
        Member(port, works, deadline, results, seed=f"member-{n}", accounts=range(n, 100, members))
        for n in range(members)
    ]
    for client in clients:
        client.start()
    for client in clients:
        client.join(timeout=args.seconds + 120)
    return results, time.monotonic() - started


def report(args, facts, results, elapsed, before, after, problems) -> str:
    total = sum(len(v) for v in results.latency.values())
    everything = [s for values in results.latency.values() for s in values]
    watch, stats = facts["watch"], facts["stats"]
    replica, lag = facts["replica"]
    version = subprocess.run([stack.nginx_binary(), "-v"], capture_output=True, text=True)
    version = version.stderr.strip().replace("nginx version: ", "")
    by_server = ", ".join(
        f"{facts['upstreams'].index(u) + 1 if u in facts['upstreams'] else u}: {n:,}"
        for u, n in sorted(facts["servers"].items())
    )
    lines = [
        HEADING,
        "",
        "Made by `make loadtest LOAD_MODE=cluster` (tests/bench/cluster_load.py): load.py's "
        "guests plus members who log in on one server and read on the other, through nginx "
        "(deploy/nginx.conf) to two gunicorn servers, through PgBouncer (deploy/pgbouncer.ini, "
        "transaction mode) to PostgreSQL, Redis shared. Latest run:",
        "",
        f"- date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, commit {load.commit()}, "
        f"{os.cpu_count()} CPUs shared by everything below; {version}",
        f"- archive: {facts['works']:,} works ({facts['db_size']})",
        f"- load: {args.clients} guests + {facts['members']} members on keep-alive connections "
        f"to nginx; 2 gunicorn servers x {args.workers} workers x {facts['threads']} threads; "
        f"{elapsed:.0f} s (asked: {args.seconds} s)",
        f"- result: **{'PASS' if not problems else 'FAIL'}**; {total:,} requests, "
        f"{total / elapsed:.1f} requests/s, p95 {load.percentile(everything, 0.95) * 1000:.0f} ms",
        f"- answered by server {by_server}",
        f"- members: {results.visits['logged in']:,} log-ins; "
        f"{results.visits['crossed servers, still logged in']:,} read on the other server "
        f"still logged in; {results.visits['shown logged out']:,} shown logged out",
        f"- PgBouncer: most clients {watch.max_clients}, most server connections "
        f"{watch.max_servers} (pool 20 per database, {facts['databases']} databases), most "
        f"waiting {watch.max_waiting}; {stats['transactions']:,} transactions; "
        f"{facts['pgbouncer_errors']} errors logged",
        f"- replica: {'none (no deploy/replica.sh)' if not replica else replica}, status `{lag}`",
        *served_by(facts["reads"]),
        "",
        *load.request_table(
            results, [k for k, _ in load.MIX] + ["log-in form", "log-in", "member"], elapsed
        ),
        "",
        *load.write_table(results, before, after),
        "",
        *load.problems_and_samples(results, problems),
    ]
    return "\n".join(lines)
