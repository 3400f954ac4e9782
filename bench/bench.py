#!/usr/bin/env python3
"""Tally's benchmark: Tally beside a no-op servlet, the stores' own tools and a Flask + Redis peer, in one run.

bench/run builds everything and calls this script; see docs/performance.md. Everything it starts
(Tomcat, gunicorn, wrk, redis-benchmark, pgbench) is bounded in time and stopped by its own PID before it returns,
also on Ctrl-C. It talks to 127.0.0.1 only.

Figures on a shared 2-core machine drift from run to run, so every figure is measured right next to its baseline,
A B A B ..., and reported as the median ratio of those adjacent pairs.
"""
import argparse
import collections
import datetime
import http.client
import os
import re
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
WORK = ROOT / "target" / "bench"
RESULTS = BENCH / "results"
HOST = "127.0.0.1"
TOMCAT_PORT = 18080
FLASK_PORT = 18090
REDIS_URL = "redis://127.0.0.1:6379"
POSTGRES_URL = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres"
PGBENCH_MAX_CLIENTS = 64  # PostgreSQL here allows 100 connections; Tally's own pool holds 16 of them.


# ---------------------------------------------------------------------------------------------------------------
# Processes: each started with its PID kept, stopped by that PID, never by name.

class Process:
    def __init__(self, name, command, env=None, cwd=None, log=None):
        self.name = name
        self.log = open(log, "w") if log else subprocess.DEVNULL
        self.popen = subprocess.Popen(command, env=env, cwd=cwd, stdout=self.log, stderr=subprocess.STDOUT,
                                      start_new_session=True)

    @property
    def pid(self):
        return self.popen.pid

    def stop(self, grace=30):
        if self.popen.poll() is None:
            self.popen.send_signal(signal.SIGTERM)
            try:
                self.popen.wait(grace)
            except subprocess.TimeoutExpired:
                self.popen.kill()
                self.popen.wait(10)
        if self.log is not subprocess.DEVNULL:
            self.log.close()


RUNNING = []


def start(name, command, **kwargs):
    process = Process(name, command, **kwargs)
    RUNNING.append(process)
    return process


def stop_all():
    while RUNNING:
        RUNNING.pop().stop()


def wait_for(path, port=TOMCAT_PORT, seconds=120, process=None):
    """Polls until GET path answers 200; returns the seconds it took."""
    begin = time.monotonic()
    while time.monotonic() - begin < seconds:
        if process is not None and process.popen.poll() is not None:
            raise SystemExit(f"{process.name} exited early; see its log under {WORK}")
        try:
            connection = http.client.HTTPConnection(HOST, port, timeout=2)
            connection.request("GET", path)
            if connection.getresponse().status == 200:
                return time.monotonic() - begin
        except OSError:
            pass
        time.sleep(0.05)
    raise SystemExit(f"no answer from http://{HOST}:{port}{path} within {seconds} s")


def request(method, path, body=None, headers=None):
    connection = http.client.HTTPConnection(HOST, TOMCAT_PORT, timeout=10)
    connection.request(method, path, body=body, headers=headers or {})
    response = connection.getresponse()
    data = response.read()
    if response.status >= 300:
        raise SystemExit(f"{method} {path}: {response.status} {data[:200]!r}")
    return response, data


# ---------------------------------------------------------------------------------------------------------------
# Tomcat: the distribution and the configuration the run command uses (tomcat-conf/), on 127.0.0.1:18080.

def prepare_tomcat(war, tomcat_home, noop_classes):
    base = WORK / "base"
    shutil.rmtree(base, ignore_errors=True)
    for folder in ("conf", "logs", "temp", "webapps", "work"):
        (base / folder).mkdir(parents=True)
    for item in (tomcat_home / "conf").iterdir():
        if item.is_file():
            shutil.copy(item, base / "conf" / item.name)
    for name in ("server.xml", "context.xml", "tomcat-users.xml"):
        shutil.copy(ROOT / "tomcat-conf" / name, base / "conf" / name)
    server = (base / "conf" / "server.xml").read_text()
    server = server.replace('port="8005"', 'port="-1"').replace('port="8080"', f'port="{TOMCAT_PORT}"')
    server = server.replace('address="localhost"', f'address="{HOST}"')
    (base / "conf" / "server.xml").write_text(server)
    # The baseline: a bench-only web application with the no-op servlet, beside Tally in the same Tomcat.
    shutil.copytree(noop_classes, base / "webapps" / "noop" / "WEB-INF" / "classes")
    # Tally three times, one context per store, from the one packaged WAR. The session cap, if tomcat-conf sets
    # one, is lifted so that the heap measurement can create 100 000 sessions.
    descriptors = base / "conf" / "Catalina" / "localhost"
    descriptors.mkdir(parents=True)
    for path, store, sessions in (("tally", "memory", "container"), ("tally-redis", REDIS_URL, "container"),
                                  ("tally-pg", POSTGRES_URL, "container"),
                                  ("tally-redis-sessions", REDIS_URL, "store")):
        (descriptors / f"{path}.xml").write_text(
            f'<Context docBase="{war}">\n'
            f'  <Manager maxActiveSessions="-1"/>\n'
            f'  <Parameter name="tally.store" value="{store.replace("&", "&amp;")}" override="false"/>\n'
            f'  <Parameter name="tally.session.store" value="{sessions}" override="false"/>\n'
            f'</Context>\n')
    # The baseline's own sessions are counted too: the same cap lifted for it (webapps/noop stays its docBase).
    (descriptors / "noop.xml").write_text('<Context>\n  <Manager maxActiveSessions="-1"/>\n</Context>\n')
    return base


def start_tomcat(tomcat_home, base, jfr=None, jfr_settings="profile"):
    env = dict(os.environ, CATALINA_HOME=str(tomcat_home), CATALINA_BASE=str(base),
               CATALINA_OUT=str(base / "logs" / "catalina.out"))
    env.pop("CATALINA_OPTS", None)
    env.pop("JAVA_OPTS", None)
    if jfr:
        # A profile of the whole run (JDK Flight Recorder, its "profile" settings), written when Tomcat stops.
        env["CATALINA_OPTS"] = ("-XX:StartFlightRecording=filename=" + str(jfr) + ",settings=" + str(jfr_settings)
                                + ",dumponexit=true")
    began = time.monotonic()
    # "catalina.sh run" execs java in the foreground, so the PID kept is the JVM's own (sh: the zip keeps no
    # execute bits).
    tomcat = start("tomcat", ["sh", str(tomcat_home / "bin" / "catalina.sh"), "run"], env=env,
                   log=WORK / "tomcat.log")
    noop = wait_for("/noop/", process=tomcat)
    for path in ("/tally", "/tally-redis", "/tally-pg", "/tally-redis-sessions"):
        wait_for(path + "/api/health", process=tomcat)
    first = time.monotonic() - began
    log = (WORK / "tomcat.log").read_text()
    deployed = {m.group(1): int(m.group(2).replace(",", ""))
                for m in re.finditer(r"Deployment of .*?[\\/]([\w-]+)(?:\.xml)?\] has finished in \[([\d,]+)\] ms", log)}
    return tomcat, {"noop_first_answer_s": noop, "all_first_answer_s": first, "deploy_ms": deployed}


# ---------------------------------------------------------------------------------------------------------------
# Load generators. Each result: requests/s, p50 and p99 in ms, errors, and the cores the generator used.

@dataclass
class Run:
    rps: float
    p50: float
    p99: float
    errors: int
    requests: int
    load_cores: float
    kinds: dict = field(default_factory=dict)  # what the errors were: connect, read, write, timeout, non-2xx


UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def timed(command, timeout, env=None):
    """Runs a load generator; returns its output and the cores it used (CPU seconds over wall seconds)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    began = time.monotonic()
    done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, env=env)
    wall = time.monotonic() - began
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if done.returncode != 0:
        raise SystemExit(f"{command[0]} failed ({done.returncode}): {done.stderr[-2000:]}")
    return done.stdout, cpu / wall


def wrk(url, connections, seconds, script="post.lua", env=None):
    command = ["wrk", "-t", "1", "-c", str(connections), "-d", f"{seconds}s", "--timeout", "10s", "--latency",
               "-s", str(BENCH / "wrk" / script), url]
    out, cores = timed(command, seconds + 60, dict(os.environ, **(env or {})))

    def latency(percent):
        m = re.search(rf"^\s+{percent}%\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
        return float(m.group(1)) * UNITS[m.group(2)]

    kinds = {kind: int(n) for kind, n in re.findall(r"(connect|read|write|timeout) (\d+)", out) if int(n)}
    m = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if m:
        kinds["non-2xx"] = int(m.group(1))
    requests = int(re.search(r"(\d+) requests in", out).group(1))
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    return Run(rps, latency(50), latency(99), sum(kinds.values()), requests, cores, kinds)


def redis_benchmark(connections, seconds, estimate):
    # redis-benchmark stops after -n requests, not after a time: -n is sized from the warm-up's rate.
    n = max(10_000, int(estimate * seconds))
    out, cores = timed(["redis-benchmark", "-h", HOST, "-p", "6379", "-t", "incr", "-c", str(connections),
                        "-n", str(n), "--csv"], seconds * 10 + 60)
    row = [line for line in out.splitlines() if line.startswith('"INCR"')][0]
    fields = [float(x.strip('"')) for x in row.split(",")[1:]]
    # "rps","avg_latency_ms","min_latency_ms","p50_latency_ms","p95_latency_ms","p99_latency_ms","max_latency_ms"
    return Run(fields[0], fields[3], fields[5], 0, n, cores)


def pgbench(connections, seconds, name):
    clients = min(connections, PGBENCH_MAX_CLIENTS)
    logs = WORK / "pgbench"
    shutil.rmtree(logs, ignore_errors=True)
    logs.mkdir(parents=True)
    out, cores = timed(["pgbench", "-h", HOST, "-U", "postgres", "-n", "-M", "prepared", "-c", str(clients),
                        "-j", "1", "-T", str(seconds), "-D", f"name={name}", "-l", "--log-prefix",
                        str(logs / "log"), "-f", str(BENCH / "pgbench-increment.sql"), "test"], seconds + 60)
    latencies = sorted(int(line.split()[2]) / 1000.0
                       for log in logs.iterdir() for line in log.read_text().splitlines())
    tps = float(re.search(r"tps = ([\d.]+) \(without initial connection time\)", out).group(1))
    failed = re.search(r"number of failed transactions: (\d+)", out)
    return Run(tps, percentile(latencies, 50), percentile(latencies, 99), int(failed.group(1)) if failed else 0,
               len(latencies), cores)


def percentile(values, p):
    return values[min(len(values) - 1, int(len(values) * p / 100))] if values else float("nan")


# ---------------------------------------------------------------------------------------------------------------
# What is measured.

@dataclass
class Target:
    label: str
    measure: object  # (connections, seconds) -> Run
    runs: dict = field(default_factory=dict)  # connections -> [Run]


@dataclass
class Pair:
    subject: Target
    baseline: Target
    goal: float = None  # the ratio subject/baseline the issue asks for, if any
    ratios: dict = field(default_factory=dict)  # connections -> [float]


def targets(run_id, cookies_file):
    base = f"http://{HOST}:{TOMCAT_PORT}"
    flask = f"http://{HOST}:{FLASK_PORT}/"
    user_sessions = {}

    def per_user(port, path):
        """The session-counter run against a server whose cookies are made on first use (it may not run yet)."""
        def run(c, s):
            if (port, path) not in user_sessions:
                user_sessions[(port, path)] = make_cookies(1000, path, port)
            return wrk(f"http://{HOST}:{port}{path}", c, s, "session.lua",
                       {"BENCH_COOKIES": str(user_sessions[(port, path)])})
        return run
    redis_rate = {}

    def http(url, script="post.lua", **env):
        return lambda c, s: wrk(url, c, s, script, env)

    def redis_incr(c, s):
        if c not in redis_rate:
            redis_rate[c] = redis_benchmark(c, 1, 20_000).rps
        return redis_benchmark(c, s, redis_rate[c])

    t = {
        "noop": Target("no-op servlet (POST)", http(f"{base}/noop/")),
        "counter-memory": Target("counter, memory store", http(f"{base}/tally/api/counters/bench-{run_id}")),
        "counter-memory-10k": Target("10 000 counters, memory store",
                                     http(f"{base}/", "counters.lua", BENCH_PREFIX=f"/tally/api/counters/m{run_id}-")),
        "session": Target("session counter inc", http(f"{base}/tally/api/session/counter/inc", "session.lua",
                                                      BENCH_COOKIES=str(cookies_file))),
        "counter-redis": Target("counter, Redis store", http(f"{base}/tally-redis/api/counters/bench-{run_id}")),
        "counter-pg": Target("counter, PostgreSQL store", http(f"{base}/tally-pg/api/counters/bench-{run_id}")),
        "counter-pg-10k": Target("10 000 counters, PostgreSQL store",
                                 http(f"{base}/", "counters.lua", BENCH_PREFIX=f"/tally-pg/api/counters/p{run_id}-")),
        "cache-get-memory": Target("cache GET, memory", http(f"{base}/tally/api/cache/bench", "get.lua")),
        "cache-put-memory": Target("cache PUT, memory", http(f"{base}/", "put.lua", BENCH_PREFIX="/tally/api/cache/k")),
        "cache-get-redis": Target("cache GET, Redis", http(f"{base}/tally-redis/api/cache/bench", "get.lua")),
        "cache-put-redis": Target("cache PUT, Redis", http(f"{base}/", "put.lua",
                                                          BENCH_PREFIX="/tally-redis/api/cache/k")),
        "flask-sync": Target("Flask + Redis, gunicorn 4 sync", http(flask)),
        "flask-gthread": Target("Flask + Redis, gunicorn gthread 2x8", http(flask)),
        "session-redis": Target("session counter inc, sessions in Redis",
                                per_user(TOMCAT_PORT, "/tally-redis-sessions/api/session/counter/inc")),
        "noop-session": Target("no-op servlet with a session counter (POST)",
                               per_user(TOMCAT_PORT, "/noop/?count")),
        "flask-session": Target("Flask-Session + Redis, gunicorn 4 sync",
                                per_user(FLASK_PORT, "/api/session/counter/inc")),
        "redis-benchmark": Target("redis-benchmark -t incr", redis_incr),
        "pgbench": Target(f"pgbench, Tally's increment (clients capped at {PGBENCH_MAX_CLIENTS})",
                          lambda c, s: pgbench(c, s, f"pgbench-{run_id}")),
    }
    return t


def pairs(t):
    return [
        Pair(t["counter-memory"], t["noop"], 0.85),
        Pair(t["session"], t["noop"], 0.8),
        Pair(t["session"], t["noop-session"]),
        Pair(t["counter-redis"], t["noop"]),
        Pair(t["counter-redis"], t["counter-memory"], 0.8),
        Pair(t["counter-pg"], t["noop"]),
        Pair(t["cache-get-memory"], t["noop"], 0.85),
        Pair(t["cache-put-memory"], t["noop"]),
        Pair(t["cache-get-redis"], t["noop"]),
        Pair(t["cache-put-redis"], t["noop"]),
        Pair(t["counter-redis"], t["flask-sync"], 8.0),
        Pair(t["counter-redis"], t["flask-gthread"]),
        Pair(t["counter-redis"], t["redis-benchmark"]),
        Pair(t["counter-pg"], t["pgbench"], 5.0),
        Pair(t["counter-memory-10k"], t["counter-memory"], 0.9),
        Pair(t["counter-pg-10k"], t["counter-pg"]),
        Pair(t["session-redis"], t["flask-session"], 5.0),
        Pair(t["session-redis"], t["session"]),
    ]


FLASK_PEERS = {
    "flask-sync": ["-w", "4", "-k", "sync", "app:app"],
    "flask-gthread": ["-w", "2", "-k", "gthread", "--threads", "8", "app:app"],
    "flask-session": ["-w", "4", "-k", "sync", "session_app:app"],
}


class Flask:
    """Keeps at most one gunicorn running: the one the next measurement needs."""

    def __init__(self):
        self.current = None
        self.process = None

    def ensure(self, key):
        if key == self.current:
            return
        self.stop()
        if key in FLASK_PEERS:
            self.process = start(key, ["gunicorn", "--bind", f"{HOST}:{FLASK_PORT}", "--backlog", "2048",
                                       *FLASK_PEERS[key]], cwd=BENCH / "flask",
                                 log=WORK / f"{key}.log")
            wait_for("/api/session/counter" if key == "flask-session" else "/", FLASK_PORT, 30, self.process)
        self.current = key

    def stop(self):
        if self.process is not None:
            self.process.stop()
            RUNNING.remove(self.process)
            self.process = None
        self.current = None


def key_of(t, target):
    return next(k for k, v in t.items() if v is target)


def measure(t, pair_list, levels, seconds, rounds, flask):
    def one(target, connections):
        flask.ensure(key_of(t, target))
        result = target.measure(connections, seconds)
        target.runs.setdefault(connections, []).append(result)
        return result

    total = len(levels) * rounds * len(pair_list) * 2
    done = 0
    for connections in levels:
        for _ in range(rounds):
            for pair in pair_list:
                a = one(pair.baseline, connections)
                b = one(pair.subject, connections)
                pair.ratios.setdefault(connections, []).append(b.rps / a.rps)
                done += 2
                print(f"  [{done}/{total}] {connections:>4} conns  {pair.subject.label}: {b.rps:,.0f}/s  vs  "
                      f"{pair.baseline.label}: {a.rps:,.0f}/s", flush=True)


def warm_up(t, flask, seconds):
    for key, target in t.items():
        if key in ("redis-benchmark", "pgbench"):
            continue
        flask.ensure(key)
        target.measure(100, seconds)
    flask.stop()


# ---------------------------------------------------------------------------------------------------------------
# Cost growth: heap per idle session.

def live_heap(pid):
    """Bytes of live objects: the class histogram forces a full GC and counts what survives."""
    out = subprocess.run(["jcmd", str(pid), "GC.class_histogram"], capture_output=True, text=True,
                         timeout=300).stdout
    return int(re.search(r"^Total\s+\d+\s+(\d+)", out, re.M).group(1))


def create_sessions(path, count, method="POST", threads=8):
    """Sends count cookieless requests (each creates one session) over keep-alive connections; returns how many
    were answered 200. wrk cannot stop after a number of requests (thread:stop() still waits out -d)."""
    import threading
    created = [0] * threads

    def client(index):
        connection = http.client.HTTPConnection(HOST, TOMCAT_PORT, timeout=10)
        for _ in range(count // threads + (1 if index < count % threads else 0)):
            connection.request(method, path)
            response = connection.getresponse()
            response.read()
            if response.status == 200:
                created[index] += 1
            if response.getheader("Connection", "").lower() == "close":
                connection.close()
                connection = http.client.HTTPConnection(HOST, TOMCAT_PORT, timeout=10)
        connection.close()

    workers = [threading.Thread(target=client, args=(i,)) for i in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return sum(created)


def heap_per_session(pid, count):
    live_heap(pid)
    before = live_heap(pid)
    bare = create_sessions("/noop/?session", count, "GET")
    after_bare = live_heap(pid)
    tally = create_sessions("/tally/api/session/counter/inc", count)
    after_tally = live_heap(pid)
    tomcat_each = (after_bare - before) / bare
    tally_each = (after_tally - after_bare) / tally
    return {"sessions": (bare, tally), "tomcat_bytes": tomcat_each, "tally_bytes": tally_each,
            "beyond_tomcat_bytes": tally_each - tomcat_each}


# ---------------------------------------------------------------------------------------------------------------
# Report.

TALLY_SUBJECTS = ("counter-", "session", "cache-")


def goal_mark(pair, ratio):
    if pair.goal is None:
        return ""
    return " ✓" if ratio >= pair.goal else " ✗"


def report(t, pair_list, levels, startup, heap, settings, lost):
    lines = []
    add = lines.append
    cpu = subprocess.run(["sh", "-c", "grep -m1 'model name' /proc/cpuinfo | cut -d: -f2"], capture_output=True,
                         text=True).stdout.strip()
    java = subprocess.run(["java", "-version"], capture_output=True, text=True).stderr.splitlines()[0]
    add(f"# Tally benchmark, {settings['date']}")
    add("")
    add(f"Machine: {os.cpu_count()} cores ({cpu}), {java}, Tomcat {settings['tomcat']} with tomcat-conf/, "
        f"load generators on the same machine. {settings['seconds']} s per run, {settings['rounds']} round(s) of "
        f"A B (baseline, then subject, right after it) per figure; ratio = subject / its baseline of the same "
        f"round, median over rounds. req/s, p50 and p99 are medians over rounds; errors are summed.")
    add("")
    for connections in levels:
        cores = [r.load_cores for tg in t.values() for r in tg.runs.get(connections, [])]
        add(f"## {connections} connections")
        add("")
        add(f"The load generator took {statistics.mean(cores):.2f} of the {os.cpu_count()} cores on average "
            f"(max {max(cores):.2f}).")
        add("")
        add("| subject | req/s | p50 ms | p99 ms | errors | baseline | req/s | p99 ms | ratio | goal |")
        add("|---|---:|---:|---:|---:|---|---:|---:|---:|---:|")
        for pair in pair_list:
            s, b = pair.subject.runs[connections], pair.baseline.runs[connections]
            ratio = statistics.median(pair.ratios[connections])
            add(f"| {pair.subject.label} | {med(s, 'rps'):,.0f} | {med(s, 'p50'):.2f} | {med(s, 'p99'):.2f} "
                f"| {sum(r.errors for r in s)} | {pair.baseline.label} | {med(b, 'rps'):,.0f} | {med(b, 'p99'):.2f} "
                f"| {ratio:.2f}{goal_mark(pair, ratio)} | {'' if pair.goal is None else f'≥ {pair.goal}'} |")
        add("")
    add("## Tail latency and errors")
    add("")
    add("Goal: the p99 of every Tally subject at most 3 × the no-op servlet's p99 at the same connections, and no "
        "errors at 1000 connections.")
    add("")
    add("| subject | " + " | ".join(f"p99 / no-op p99 at {c}" for c in levels) + " | errors |")
    add("|---|" + "---:|" * (len(levels) + 1))
    for key, target in t.items():
        if not key.startswith(TALLY_SUBJECTS) or not all(target.runs.get(c) for c in levels):
            continue
        cells = []
        for c in levels:
            noop = med(t["noop"].runs[c], "p99") if "noop" in t and t["noop"].runs.get(c) else None
            if not noop:
                cells.append("?")
                continue
            ratio = med(target.runs[c], "p99") / noop
            cells.append(f"{ratio:.1f}{' ✓' if ratio <= 3 else ' ✗'}")
        errors = sum(r.errors for c in levels for r in target.runs[c])
        kinds = collections.Counter()
        for c in levels:
            for r in target.runs[c]:
                kinds.update(r.kinds)
        detail = f" ({', '.join(f'{kind} {n}' for kind, n in sorted(kinds.items()))})" if kinds else ""
        add(f"| {target.label} | " + " | ".join(cells) + f" | {errors}{' ✓' if errors == 0 else ' ✗'}{detail} |")
    add("")
    add("## Lost updates: one user's 10 tabs at once, 50 increments each")
    add("")
    add("| server | increments kept of 500 | errors |")
    add("|---|---:|---:|")
    for label, (kept, errors) in lost.items():
        add(f"| {label} | {kept} | {errors} |")
    add("")
    add("## Cost growth")
    add("")
    deploy = startup["deploy_ms"]
    add(f"- Deploy: Tomcat's own log says the Tally context (memory store) deployed in {deploy.get('tally', '?')} ms, "
        f"Redis {deploy.get('tally-redis', '?')} ms, PostgreSQL {deploy.get('tally-pg', '?')} ms; the no-op "
        f"application in {deploy.get('noop', '?')} ms. From starting the JVM: first answer of /noop after "
        f"{startup['noop_first_answer_s']:.1f} s, of all three Tally contexts after "
        f"{startup['all_first_answer_s']:.1f} s.")
    if heap:
        add(f"- Heap per idle session (live bytes after a full GC, {heap['sessions'][0]:,} and "
            f"{heap['sessions'][1]:,} sessions): a bare Tomcat session {heap['tomcat_bytes']:,.0f} B; a Tally "
            f"session holding its counter {heap['tally_bytes']:,.0f} B, so {heap['beyond_tomcat_bytes']:,.0f} B "
            f"beyond Tomcat's own (goal ≤ 1024 B{' ✓' if heap['beyond_tomcat_bytes'] <= 1024 else ' ✗'}).")
    add("")
    return "\n".join(lines)


def med(runs, attribute):
    return statistics.median(getattr(r, attribute) for r in runs)


def chart(pair_list, levels, png):
    data = WORK / "chart.dat"
    with open(data, "w") as out:
        for pair in pair_list:
            label = f"{pair.subject.label} / {pair.baseline.label}".replace('"', "'")
            ratios = " ".join(f"{statistics.median(pair.ratios[c]):.3f}" for c in levels)
            p99s = " ".join(f"{med(pair.subject.runs[c], 'p99'):.3f}" for c in levels)
            out.write(f'"{label}" {ratios} {p99s}\n')
    n = len(levels)
    ratio_columns = ", ".join(
        f"'{data}' using {i + 2}:xtic(1) title '{c} connections'" for i, c in enumerate(levels))
    p99_columns = ", ".join(
        f"'{data}' using {n + i + 2}:xtic(1) title '{c} connections'" for i, c in enumerate(levels))
    script = f"""
set terminal pngcairo size 1500,1300 font ",10"
set output '{png}'
set multiplot layout 2,1
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.8 border -1
set boxwidth 0.9
set grid ytics
set key top right
set xtics rotate by -35 scale 0 font ",8"
set bmargin 12
set rmargin 24
set title 'Throughput ratio: subject / its baseline in the same run (higher is better; 1.0 = as fast)'
set yrange [0:*]
plot {ratio_columns}
set title 'Subject p99 latency, ms (log scale; lower is better)'
set logscale y
set yrange [*:*]
plot {p99_columns}
unset multiplot
"""
    subprocess.run(["gnuplot"], input=script, text=True, check=True)


# ---------------------------------------------------------------------------------------------------------------

def make_cookies(count, path="/tally/api/session/counter/inc", port=TOMCAT_PORT):
    """Sessions for a session-counter run: one per simulated user, made before the clock starts."""
    file = WORK / f"cookies-{port}-{path.strip('/').split('/')[0]}.txt"
    connection = http.client.HTTPConnection(HOST, port, timeout=10)
    with open(file, "w") as out:
        for _ in range(count):
            connection.request("POST", path)
            response = connection.getresponse()
            response.read()
            if response.status != 200:
                raise SystemExit(f"POST {path} on port {port}: {response.status}")
            out.write(response.getheader("Set-Cookie").split(";")[0] + "\n")
    connection.close()
    return file


def lost_updates(port, path, tabs=10, each=50):
    """One user's tabs at once, tabs x each increments with one cookie: answers (increments kept, errors)."""
    import threading
    connection = http.client.HTTPConnection(HOST, port, timeout=10)

    def value(cookie):
        connection.request("GET", path.rsplit("/", 1)[0], headers={"Cookie": cookie})
        return int(re.search(rb'"value":\s*(-?\d+)', connection.getresponse().read()).group(1))

    connection.request("POST", path)
    response = connection.getresponse()
    response.read()
    cookie = response.getheader("Set-Cookie").split(";")[0]
    before = value(cookie)
    errors = [0] * tabs
    start = threading.Barrier(tabs)

    def tab(index):
        own = http.client.HTTPConnection(HOST, port, timeout=10)
        start.wait()
        for _ in range(each):
            own.request("POST", path, headers={"Cookie": cookie})
            answer = own.getresponse()
            answer.read()
            errors[index] += answer.status != 200
        own.close()

    workers = [threading.Thread(target=tab, args=(i,)) for i in range(tabs)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    kept = value(cookie) - before
    connection.close()
    return kept, sum(errors)


def tomcat_arguments(doc):
    """The arguments bench/run and bench/soak pass: what they built and where."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--war", required=True)
    parser.add_argument("--tomcat-home", required=True)
    parser.add_argument("--tomcat-version", required=True)
    parser.add_argument("--noop-classes", required=True)
    return parser


def main():
    parser = tomcat_arguments(__doc__)
    parser.add_argument("--seconds", type=int, default=4, help="length of one measured run [4]")
    parser.add_argument("--rounds", type=int, default=2, help="A B rounds per figure [2]")
    parser.add_argument("--connections", default="10,100,1000", help="connection counts [10,100,1000]")
    parser.add_argument("--sessions", type=int, default=100_000, help="sessions for the heap figure [100000]")
    parser.add_argument("--only", default="", help="measure only the pairs of these subjects, e.g. session-redis")
    parser.add_argument("--jfr", default="", help="record Tomcat with JDK Flight Recorder into this file")
    args = parser.parse_args()
    levels = [int(c) for c in args.connections.split(",")]
    WORK.mkdir(parents=True, exist_ok=True)
    RESULTS.mkdir(parents=True, exist_ok=True)
    run_id = datetime.datetime.now().strftime("%H%M%S")
    stamp = datetime.datetime.now().strftime("%Y-%m-%d-%H%M")
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    try:
        base = prepare_tomcat(Path(args.war).resolve(), Path(args.tomcat_home).resolve(),
                              Path(args.noop_classes).resolve())
        print(f"Starting Tomcat {args.tomcat_version} on {HOST}:{TOMCAT_PORT} (base {base})", flush=True)
        tomcat, startup = start_tomcat(Path(args.tomcat_home).resolve(), base,
                                       Path(args.jfr).resolve() if args.jfr else None)
        # A TTL longer than the whole run: with the default (300 s) the key expired mid-run and GETs became 404s.
        request("PUT", "/tally/api/cache/bench?ttl=7200", b'{"user":"bench","items":[1,2,3],"ok":true}',
                {"Content-Type": "application/json"})
        request("PUT", "/tally-redis/api/cache/bench?ttl=7200", b'{"user":"bench","items":[1,2,3],"ok":true}',
                {"Content-Type": "application/json"})
        cookies = make_cookies(1000)
        t = targets(run_id, cookies)
        pair_list = pairs(t)
        if args.only:
            only = set(args.only.split(","))
            pair_list = [p for p in pair_list if key_of(t, p.subject) in only]
            used = {key_of(t, p.subject) for p in pair_list} | {key_of(t, p.baseline) for p in pair_list}
            t = {k: v for k, v in t.items() if k in used}
        flask = Flask()
        print("Warming up (JIT, pools)", flush=True)
        warm_up(t, flask, 3)
        print(f"Measuring: {len(pair_list)} pairs x {len(levels)} connection counts x {args.rounds} round(s)",
              flush=True)
        measure(t, pair_list, levels, args.seconds, args.rounds, flask)
        print("Lost updates: 10 concurrent tabs of one user, 50 increments each", flush=True)
        lost = {}
        for key, label, port, path in (
                ("flask-session", "Flask-Session + Redis, gunicorn 4 sync", FLASK_PORT, "/api/session/counter/inc"),
                ("session-redis", "Tally, sessions in Redis", TOMCAT_PORT,
                 "/tally-redis-sessions/api/session/counter/inc"),
                ("session", "Tally, container sessions (one node)", TOMCAT_PORT, "/tally/api/session/counter/inc")):
            if args.only and key not in t:
                continue
            flask.ensure(key)
            lost[label] = lost_updates(port, path)
            print(f"  {label}: {lost[label][0]} of 500 kept, {lost[label][1]} errors", flush=True)
        flask.stop()
        heap = None
        if args.sessions:
            print(f"Heap per idle session: {args.sessions:,} bare Tomcat sessions, then {args.sessions:,} "
                  f"Tally sessions", flush=True)
            heap = heap_per_session(tomcat.pid, args.sessions)
        settings = {"date": stamp, "tomcat": args.tomcat_version, "seconds": args.seconds, "rounds": args.rounds}
        text = report(t, pair_list, levels, startup, heap, settings, lost)
        png = RESULTS / f"{stamp}-bench.png"
        chart(pair_list, levels, png)
        text += f"\n![Throughput ratios and p99 latency]({png.name})\n"
        (RESULTS / f"{stamp}-bench.md").write_text(text)
        print()
        print(text)
        print(f"Written: {RESULTS / (stamp + '-bench.md')} and {png}")
    finally:
        stop_all()


if __name__ == "__main__":
    main()
