#!/usr/bin/env python3
"""Tally's soak: ten minutes of mixed load on the Tomcat distribution with tomcat-conf, heap and threads sampled.

bench/soak builds everything and calls this script. wrk drives bench/wrk/soak.lua (counters, session counters and
data, cache writes and reads, the page, health; memory and Redis stores) with a fixed number of connections for
--minutes; every --every seconds the script records the JVM's live heap (after a full GC, from the class histogram),
its thread count and its resident memory. The verdict compares the samples of the last third of the run with those
of the second third: flat means the live heap grew by less than 10 % and the thread count not at all. Writes
bench/results/<date>-soak.md. Everything it starts stops by its own PID; it talks to 127.0.0.1 only.
"""
import datetime
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import bench

SESSION_CAP = "10000"  # tomcat-conf/context.xml's maxActiveSessions, in force here (bench.py lifts it)


def histogram(pid):
    """Live bytes in all and by class, after the full GC that the class histogram forces."""
    out = subprocess.run(["jcmd", str(pid), "GC.class_histogram"], capture_output=True, text=True,
                         timeout=300).stdout
    classes = {m.group(2): int(m.group(1)) for m in re.finditer(r"^\s*\d+:\s+\d+\s+(\d+)\s+(\S+)", out, re.M)}
    total = int(re.search(r"^Total\s+\d+\s+(\d+)", out, re.M).group(1))
    return total, classes


def threads_and_rss(pid):
    status = Path(f"/proc/{pid}/status").read_text()
    threads = int(next(line.split()[1] for line in status.splitlines() if line.startswith("Threads:")))
    rss_kb = int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmRSS:")))
    return threads, rss_kb * 1024


def main():
    parser = bench.tomcat_arguments(__doc__)
    parser.add_argument("--minutes", type=float, default=10, help="length of the run [10]")
    parser.add_argument("--connections", type=int, default=50, help="wrk connections [50]")
    parser.add_argument("--every", type=int, default=60, help="seconds between samples [60]")
    args = parser.parse_args()
    bench.WORK.mkdir(parents=True, exist_ok=True)
    bench.RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = datetime.datetime.now().strftime("%Y-%m-%d-%H%M")
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    try:
        base = bench.prepare_tomcat(Path(args.war).resolve(), Path(args.tomcat_home).resolve(),
                                    Path(args.noop_classes).resolve())
        # The shipped session manager (context.xml: the cap and a sweep every 10 s), not the benchmark's lifted one:
        # the soak runs Tally as it is deployed. A <Manager> in the descriptor would replace context.xml's whole.
        for descriptor in (base / "conf" / "Catalina" / "localhost").glob("tally*.xml"):
            descriptor.write_text(re.sub(r"\s*<Manager [^>]*/>", "", descriptor.read_text()))
        print(f"Starting Tomcat {args.tomcat_version} on {bench.HOST}:{bench.TOMCAT_PORT} (base {base})", flush=True)
        tomcat, _ = bench.start_tomcat(Path(args.tomcat_home).resolve(), base)
        cookies = {}
        for ctx in ("/tally", "/tally-redis"):
            bench.request("PUT", ctx + "/api/cache/soak-fixed?ttl=7200", b'{"fixed":true}',
                          {"Content-Type": "application/json"})
            response, _ = bench.request("PUT", ctx + "/api/session/data/cart", b'[]',
                                        {"Content-Type": "application/json"})
            cookies[ctx] = response.getheader("Set-Cookie").split(";")[0]
        seconds = int(args.minutes * 60)
        samples = []
        histograms = []
        result = {}

        def load():
            result["run"] = bench.wrk(f"http://{bench.HOST}:{bench.TOMCAT_PORT}/", args.connections, seconds,
                                      script="soak.lua", env={"SOAK_COOKIE_TALLY": cookies["/tally"],
                                                              "SOAK_COOKIE_REDIS": cookies["/tally-redis"]})

        print(f"Soaking: {args.connections} connections for {args.minutes:g} min, a sample every {args.every} s",
              flush=True)
        began = time.monotonic()
        driver = threading.Thread(target=load)
        driver.start()
        while driver.is_alive():
            elapsed = time.monotonic() - began
            if elapsed <= seconds:
                heap, classes = histogram(tomcat.pid)
                threads, rss = threads_and_rss(tomcat.pid)
                samples.append((elapsed, heap, threads, rss))
                histograms.append((elapsed, classes))
                print(f"  {elapsed:6.0f} s  live heap {heap / 2**20:7.1f} MiB  threads {threads:4d}  "
                      f"RSS {rss / 2**20:7.1f} MiB", flush=True)
            driver.join(args.every)
        run = result["run"]

        middle = [s for s in samples if seconds / 3 <= s[0] < 2 * seconds / 3]
        last = [s for s in samples if s[0] >= 2 * seconds / 3]
        heap_growth = max(s[1] for s in last) / max(s[1] for s in middle) - 1 if middle and last else float("nan")
        thread_growth = max(s[2] for s in last) - max(s[2] for s in middle) if middle and last else 0
        flat = heap_growth < 0.10 and thread_growth <= 0
        lines = [
            f"# Soak {stamp}",
            "",
            f"Tomcat {args.tomcat_version} with tomcat-conf (session cap {SESSION_CAP}), Tally on the memory store and "
            f"on Redis, {args.connections} wrk connections for {args.minutes:g} min of "
            "bench/wrk/soak.lua.",
            "",
            f"- requests: {run.requests:,} ({run.rps:,.0f}/s), non-2xx or socket errors: {run.errors}",
            f"- latency: p50 {run.p50:.2f} ms, p99 {run.p99:.2f} ms",
            f"- live heap, last third vs middle third: {heap_growth:+.1%}; threads: {thread_growth:+d}",
            f"- verdict: {'flat' if flat else 'NOT flat'}",
            "",
            "| time (s) | live heap (MiB) | threads | RSS (MiB) |",
            "|---:|---:|---:|---:|",
        ]
        lines += [f"| {t:.0f} | {h / 2**20:.1f} | {n} | {r / 2**20:.1f} |" for t, h, n, r in samples]
        # What grew from the first sample of the middle third to the last one: where to look if anything did.
        since = next((c for t, c in histograms if t >= seconds / 3), histograms[0][1])
        growth = sorted(((b - since.get(name, 0), name) for name, b in histograms[-1][1].items()), reverse=True)[:8]
        lines += ["", "Classes whose live bytes grew most from the middle third to the end:", "",
                  "| class | growth (KiB) |", "|---|---:|"]
        lines += [f"| `{name}` | {delta / 1024:+.1f} |" for delta, name in growth]
        text = "\n".join(lines) + "\n"
        (bench.RESULTS / f"{stamp}-soak.md").write_text(text)
        print()
        print(text)
        print(f"Written: {bench.RESULTS / (stamp + '-soak.md')}")
        return 0 if flat and run.errors == 0 else 1
    finally:
        bench.stop_all()


if __name__ == "__main__":
    sys.exit(main())
