#!/usr/bin/env python3
"""Where the request threads' time goes, from a JDK Flight Recorder file written by bench/run --jfr FILE.

    python3 bench/profile.py FILE [--jfr-tool PATH] [--top 25]

Reads the recording's CPU samples (jdk.ExecutionSample) of Tomcat's request threads (http-nio-*-exec-*), leaves out
those of the bench's no-op servlet, and prints two tables: where the time goes by layer (each sample counted for the
layer of the topmost frame that belongs to one: Tally's own code, Weld, Jackson, the Redis and PostgreSQL clients,
Tomcat; time in the JDK counts for the layer that called it), and the methods most often on top of the stack (self
time). Needs the JDK's jfr tool (any JDK 17 or later; --jfr-tool names one that is not on the PATH).
"""
import argparse
import collections
import json
import shutil
import subprocess
import sys

LAYERS = [
    ("Tally (dev.tally)", ("dev.tally.",)),
    ("Weld (CDI)", ("org.jboss.weld.",)),
    ("Jackson", ("com.fasterxml.jackson.",)),
    ("Jedis (Redis client)", ("redis.clients.",)),
    ("pgjdbc + HikariCP", ("org.postgresql.", "com.zaxxer.hikari.")),
    ("Tomcat", ("org.apache.catalina.", "org.apache.coyote.", "org.apache.tomcat.")),
]


def layer_of(frames):
    for frame in frames:
        for label, prefixes in LAYERS:
            if frame.startswith(prefixes):
                return label
    return "JDK and JVM only"


def samples(path, tool):
    out = subprocess.run([tool, "print", "--json", "--stack-depth", "128", "--events", "jdk.ExecutionSample",
                          path], capture_output=True, text=True, check=True).stdout
    for event in json.loads(out)["recording"]["events"]:
        values = event["values"]
        thread = (values.get("sampledThread") or {}).get("javaName") or ""
        if "-exec-" not in thread:
            continue
        frames = [f"{f['method']['type']['name'].replace('/', '.')}.{f['method']['name']}"
                  for f in (values.get("stackTrace") or {}).get("frames", [])]
        if frames and not any("NoopServlet" in frame for frame in frames):
            yield frames


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file")
    parser.add_argument("--jfr-tool", default=shutil.which("jfr") or "jfr")
    parser.add_argument("--top", type=int, default=25)
    args = parser.parse_args()
    total = 0
    layers = collections.Counter()
    top = collections.Counter()
    for frames in samples(args.file, args.jfr_tool):
        total += 1
        top[frames[0]] += 1
        layers[layer_of(frames)] += 1
    if not total:
        sys.exit("no CPU samples of request threads in " + args.file)
    print(f"{total} CPU samples of request threads\n")
    print("| layer (with the JDK code it calls) | share of samples |\n|---|---:|")
    for label, count in layers.most_common():
        print(f"| {label} | {100 * count / total:.1f} % |")
    print(f"\n| method on top of the stack (self) | share |\n|---|---:|")
    for method, count in top.most_common(args.top):
        print(f"| `{method}` | {100 * count / total:.1f} % |")


if __name__ == "__main__":
    main()
