#!/usr/bin/env python3
"""Where a Tally request's CPU goes, beside the no-op servlet's: the profile behind the goals that are missed.

    bash bench/run gap [--seconds 15] [--connections 100] [--subjects counter-memory,session,...] [--jfr-tool PATH]

Starts the same Tomcat as bench/run (tomcat-conf/, Tally on each store, the bench-only no-op servlet) under JDK
Flight Recorder with its Java sampling asked at 1 ms (the report says how many samples each window got), and loads
one subject at a time with wrk: the no-op servlet first, then each subject. For each, it reads the JVM's own CPU from
/proc thread by thread (user and system time of Tomcat's threads, GC, the JIT compiler) and its context switches,
divides by the requests answered, and splits the user time of Tomcat's threads by what the recording's samples of
that window were running (each sample counts for the topmost frame of a known layer, so a store's own code called
through the metrics' timer is the store's):

- Tally's own code, and the JDK code it calls;
- Tally's metrics (the request and store timers, the requests in flight, Micrometer);
- Weld (its listener for every request, the client proxies of application-scoped beans);
- Tomcat called by Tally (headers, content type, the session, request attributes) or by the no-op servlet;
- Tomcat's filter chain (the calls from one filter to the next);
- Tomcat's access log line;
- the rest of Tomcat: HTTP parsing and writing, valves, mapping, sockets, its thread pool;
- Jedis, pgjdbc and HikariCP, Jackson.

It writes bench/results/<date>-gap.md: microseconds of CPU per request by layer for each subject, and the difference
from the no-op servlet, which is what a ratio to the no-op measures. System time is the kernel's work for the threads
(sockets, waking parked threads) and is shown apart, as JFR samples only Java code.
"""
import argparse
import collections
import datetime
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench  # noqa: E402  (bench/bench.py: the same Tomcat, targets and load generator)

TICKS = os.sysconf("SC_CLK_TCK")
DEFAULT_SUBJECTS = "counter-memory,session,noop-session,cache-get-memory,counter-redis"
METRICS = ("dev.tally.web.RequestMetricsFilter$Timing", "dev.tally.web.RequestMetricsFilter$Route",
           "dev.tally.web.RequestMetricsFilter.timer", "dev.tally.web.RequestMetricsFilter.route",
           "dev.tally.store.StoreStats", "dev.tally.ops.InFlight", "io.micrometer.")
APPLICATION = ("dev.tally.", "org.jboss.weld.", "NoopServlet.", "io.micrometer.")
LAYERS = [
    "Tally's own code",
    "Tally's metrics (timers, in flight, Micrometer)",
    "Weld (listener, client proxies)",
    "Tomcat called by the application (headers, content type, session, attributes)",
    "Tomcat's filter chain",
    "Tomcat's access log",
    "Tomcat: HTTP, valves, mapping, sockets, thread pool",
    "Jedis, pgjdbc, HikariCP, Jackson",
    "the no-op servlet's own code",
    "JDK and JVM only",
]


def layer(frames):
    """The layer a sample's stack (topmost frame first) counts for: that of its topmost frame of a known layer."""
    for i, frame in enumerate(frames):
        if frame.startswith(METRICS):
            return LAYERS[1]
        if frame.startswith("dev.tally."):
            return LAYERS[0]
        if frame.startswith("org.jboss.weld."):
            return LAYERS[2]
        if frame.startswith("NoopServlet."):
            return LAYERS[8]
        if frame.startswith(("redis.clients.", "org.postgresql.", "com.zaxxer.hikari.", "com.fasterxml.jackson.")):
            return LAYERS[7]
        if frame.startswith(("org.apache.catalina.", "org.apache.coyote.", "org.apache.tomcat.")):
            if any("AccessLogValve.log" in f or "AccessLogAdapter.log" in f for f in frames[i:]):
                return LAYERS[5]
            below = next((j for j in range(i, len(frames)) if frames[j].startswith(APPLICATION)), None)
            if below is None:
                return LAYERS[6]
            if frames[below].startswith(METRICS):
                return LAYERS[1]  # Tomcat asked by the metrics (the servlet mapping that names the route)
            if frames[below - 1].startswith("org.apache.catalina.core.ApplicationFilterChain."):
                return LAYERS[4]
            return LAYERS[3]
    return LAYERS[9]


def threads(pid):
    """CPU ticks (user, system) and context switches of each thread of the process, by kind of thread."""
    kinds = collections.defaultdict(lambda: [0, 0, 0, 0])
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            name = (task / "comm").read_text().strip()
            fields = (task / "stat").read_text().rsplit(")", 1)[1].split()
            status = dict(line.split(":", 1) for line in (task / "status").read_text().splitlines() if ":" in line)
        except (FileNotFoundError, ProcessLookupError):
            continue  # a thread that ended meanwhile
        kind = ("tomcat" if name.startswith("http-nio") else "gc" if name.startswith(("GC Thread", "G1 "))
                else "jit" if "Compiler" in name or name.startswith("C1 ") or name.startswith("C2 ") else "other")
        kinds[kind][0] += int(fields[11])
        kinds[kind][1] += int(fields[12])
        kinds[kind][2] += int(status["voluntary_ctxt_switches"])  # the thread waited: parked, or read no data
        kinds[kind][3] += int(status["nonvoluntary_ctxt_switches"])  # the scheduler took the core from it
    return kinds


def samples(path, tool):
    out = subprocess.run([tool, "print", "--json", "--stack-depth", "128", "--events", "jdk.ExecutionSample",
                          str(path)], capture_output=True, text=True, check=True).stdout
    for event in json.loads(out)["recording"]["events"]:
        values = event["values"]
        thread = (values.get("sampledThread") or {}).get("javaName") or ""
        if not thread.startswith("http-nio"):
            continue
        when = datetime.datetime.fromisoformat(values["startTime"][:26].rstrip("Z")).replace(
            tzinfo=datetime.timezone.utc).timestamp()
        frames = [f"{f['method']['type']['name'].replace('/', '.')}.{f['method']['name']}"
                  for f in (values.get("stackTrace") or {}).get("frames", [])]
        yield when, frames


def seconds(duration):
    """A JFR duration as printed in JSON (PT0.004350076S, PT1M2.5S) in seconds."""
    m = re.fullmatch(r"PT(?:(\d+)H)?(?:(\d+)M)?(?:([\d.]+)S)?", duration)
    return int(m.group(1) or 0) * 3600 + int(m.group(2) or 0) * 60 + float(m.group(3) or 0)


def collections_of(path, tool):
    """Each garbage collection: when, its pauses (s), and the heap used before it and after it (bytes)."""
    out = subprocess.run([tool, "print", "--json", "--events", "jdk.GarbageCollection,jdk.GCHeapSummary", str(path)],
                         capture_output=True, text=True, check=True).stdout
    gcs = {}
    for event in json.loads(out)["recording"]["events"]:
        values = event["values"]
        gc = gcs.setdefault(values["gcId"], {})
        if event["type"] == "jdk.GarbageCollection":
            gc["when"] = datetime.datetime.fromisoformat(values["startTime"][:26].rstrip("Z")).replace(
                tzinfo=datetime.timezone.utc).timestamp()
            gc["pauses"] = seconds(values["sumOfPauses"])
            gc["longest"] = seconds(values["longestPause"])
        else:
            gc["before" if values["when"] == "Before GC" else "after"] = values["heapUsed"]
    ordered = [gcs[i] for i in sorted(gcs) if "when" in gcs[i]]
    for previous, gc in zip(ordered, ordered[1:]):
        gc["allocated"] = gc.get("before", 0) - previous.get("after", 0)
    return ordered


def jfc(path):
    """The JDK's profile settings with Java code sampled every millisecond asked, instead of every 10 or 20."""
    java_home = Path(shutil.which("java")).resolve().parent.parent
    text = (java_home / "lib" / "jfr" / "profile.jfc").read_text()
    text = re.sub(r'<setting name="period" control="method-sampling-java-interval">[^<]*</setting>',
                  '<setting name="period">1 ms</setting>', text)
    path.write_text(text)
    return path


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    for name in ("--war", "--tomcat-home", "--tomcat-version", "--noop-classes"):
        parser.add_argument(name, required=True)
    parser.add_argument("--seconds", type=int, default=15, help="measured seconds per subject [15]")
    parser.add_argument("--connections", type=int, default=100, help="wrk connections [100]")
    parser.add_argument("--subjects", default=DEFAULT_SUBJECTS, help=f"bench.py's subjects [{DEFAULT_SUBJECTS}]")
    parser.add_argument("--jfr-tool", default=shutil.which("jfr") or "jfr")
    args = parser.parse_args()
    stamp = datetime.datetime.now().strftime("%Y-%m-%d-%H%M")
    recording = bench.WORK / "gap.jfr"
    recording.unlink(missing_ok=True)
    measured = []
    try:
        base = bench.prepare_tomcat(Path(args.war).resolve(), Path(args.tomcat_home).resolve(),
                                    Path(args.noop_classes).resolve())
        tomcat, _ = bench.start_tomcat(Path(args.tomcat_home).resolve(), base, recording,
                                       jfc(bench.WORK / "gap.jfc"))
        bench.request("PUT", "/tally/api/cache/bench?ttl=7200", b'{"user":"bench","items":[1,2,3],"ok":true}',
                      {"Content-Type": "application/json"})
        targets = bench.targets(int(time.time()) % 100_000, bench.make_cookies(1000))
        for key in ["noop"] + args.subjects.split(","):
            target = targets[key]
            print(f"{target.label}: warming up, then {args.seconds} s at {args.connections} connections",
                  flush=True)
            target.measure(args.connections, 5)
            before, began = threads(tomcat.pid), time.time()
            run = target.measure(args.connections, args.seconds)
            after, ended = threads(tomcat.pid), time.time()
            cpu = {kind: [(after[kind][i] - before[kind][i]) for i in range(4)] for kind in after}
            measured.append((key, target.label, run, cpu, began, ended))
        tomcat.stop()
        # Where each subject's window lies in the recording, for a closer look at it (jfr print, bench/profile.py).
        (bench.WORK / "gap-windows.json").write_text(json.dumps([[label, began, ended] for _, label, _, _, began,
                                                                  ended in measured], indent=1))
    finally:
        bench.stop_all()
    by_window = [collections.Counter() for _ in measured]
    tops = [collections.Counter() for _ in measured]
    for when, frames in samples(recording, args.jfr_tool):
        for i, (_, _, _, _, began, ended) in enumerate(measured):
            if began <= when <= ended:
                name = layer(frames)
                by_window[i][name] += 1
                if name in LAYERS[:3] and frames:
                    tops[i][frames[0]] += 1
    text = report(measured, by_window, args, stamp)
    gcs = collections_of(recording, args.jfr_tool)
    text += ("\nGarbage collection in each window (pauses stop every request thread; allocation is the young "
             "generation filled between collections):\n\n| subject | collections | paused, % of the time | longest "
             "pause ms | allocated per request, bytes |\n|---|---:|---:|---:|---:|\n")
    for _, label, run, _, began, ended in measured:
        inside = [gc for gc in gcs if began <= gc["when"] <= ended]
        paused = sum(gc["pauses"] for gc in inside)
        # Allocated from the first collection of the window to its last, over the requests answered meanwhile.
        allocated = sum(gc.get("allocated", 0) for gc in inside[1:])
        between = run.rps * (inside[-1]["when"] - inside[0]["when"]) if len(inside) > 1 else 0
        text += (f"| {label} | {len(inside)} | {100 * paused / (ended - began):.1f} | "
                 f"{1000 * max((gc['longest'] for gc in inside), default=0):.1f} | "
                 f"{allocated / between if between else 0:,.0f} |\n")
    text += ("\nThe methods most often on top of the stack in Tally's code, its metrics and Weld (share of the "
             "subject's samples):\n")
    for (_, label, _, _, _, _), counts, top in zip(measured[1:], by_window[1:], tops[1:]):
        total = sum(counts.values()) or 1
        text += f"\n- {label}: " + "; ".join(f"`{method}` {100 * n / total:.1f} %"
                                              for method, n in top.most_common(8))
    text += "\n"
    out = bench.RESULTS / f"{stamp}-gap.md"
    out.write_text(text)
    print()
    print(text)
    print(f"Written: {out}")


def report(measured, by_window, args, stamp):
    def per_request(ticks, run):
        return ticks / TICKS * 1e6 / run.requests

    lines = [f"# Where a request's CPU goes, {stamp}", "",
             f"`bash bench/run gap --seconds {args.seconds} --connections {args.connections} --subjects "
             f"{args.subjects}`: one subject at a time, {args.seconds} s each at {args.connections} connections, "
             "after 5 s of warm-up; CPU of Tomcat's JVM from /proc, thread by thread, in microseconds per request "
             "answered; the user time of Tomcat's threads split by JFR's samples of Java code (1 ms asked) "
             "in that window. Waits and preemptions are the context switches of Tomcat's threads per request: "
             "a thread that waited (parked, or found no data), and one the scheduler took its core from while it "
             "could run. See bench/gap.py.", "",
             "| subject | req/s | p50 ms | p99 ms | errors | Tomcat's threads: user | system | waits | preemptions "
             "| GC | JIT | other threads | JFR samples |", "|---|" + "---:|" * 12]
    split = []
    for (key, label, run, cpu, _, _), counts in zip(measured, by_window):
        tomcat = cpu.get("tomcat", [0, 0, 0, 0])
        user, system = per_request(tomcat[0], run), per_request(tomcat[1], run)
        lines.append(f"| {label} | {run.rps:,.0f} | {run.p50:.2f} | {run.p99:.2f} | {run.errors} | {user:.1f} "
                     f"| {system:.1f} "
                     f"| {tomcat[2] / run.requests:.2f} | {tomcat[3] / run.requests:.3f} "
                     f"| {per_request(sum(cpu.get('gc', [0, 0])[:2]), run):.1f} "
                     f"| {per_request(sum(cpu.get('jit', [0, 0])[:2]), run):.1f} "
                     f"| {per_request(sum(cpu.get('other', [0, 0])[:2]), run):.1f} | {sum(counts.values()):,} |")
        total = sum(counts.values()) or 1
        split.append((label, {name: user * counts[name] / total for name in LAYERS}, system))
    noop = split[0]
    lines += ["", "User time of Tomcat's threads by layer, and system time, in µs per request; in brackets the "
              "difference from the no-op servlet:", "",
              "| layer | " + " | ".join(label for label, _, _ in split) + " |",
              "|---|" + "---:|" * len(split)]
    for name in LAYERS + ["system time (kernel)", "all"]:
        cells = []
        for label, layers, system in split:
            value = (system if name.startswith("system") else sum(layers.values()) + system if name == "all"
                     else layers[name])
            base = (noop[2] if name.startswith("system") else sum(noop[1].values()) + noop[2] if name == "all"
                    else noop[1][name])
            cells.append(f"{value:.2f}" + ("" if label == noop[0] else f" ({value - base:+.2f})"))
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
