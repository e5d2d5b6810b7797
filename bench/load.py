"""A bounded loopback load test of ``missions-kg serve`` (issue 11).

Starts ``missions-kg serve --port 0`` (or uses ``--url``), then runs ``--clients`` threads
for ``--seconds`` seconds, each on its own keep-alive connection, sending a mix of pages
and queries (entity pages in three languages, Turtle, search, a graph page, the home page,
stored queries with parameters, protocol SELECT/ASK). Prints latency p50/p99 per kind and
in all, requests per second and errors. Then a runaway query (a cross join that never
ends) next to quick ASKs: the quick ones must stay under 1 s while the runaway waits for
its timeout. Traffic goes to 127.0.0.1 only, and stops by itself.

    .venv/bin/python bench/load.py                      # 8 clients x 30 s
    .venv/bin/python bench/load.py --clients 4 --seconds 5
"""

from __future__ import annotations

import argparse
import http.client
import re
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
ASK = "ASK { ?s ?p ?o }"
SELECT = ("PREFIX schema: <https://schema.org/> PREFIX mkg: <https://w3id.org/missions-kg/"
          "ontology#> SELECT ?c ?n WHERE { ?c a mkg:FictionalCharacter ; schema:name ?n }")
HTML = {"Accept": "text/html"}
JSON = {"Accept": "application/sparql-results+json"}
MIX = [  # (kind, path, headers)
    ("entity", "/id/character-jeanne-renoir", HTML),
    ("entity", "/id/helene-vivies?lang=fr", HTML),
    ("entity", "/id/argos-mission?lang=de", HTML),
    ("entity-ttl", "/id/character-martin-najac", {"Accept": "text/turtle"}),
    ("search", "/search?q=helene", HTML),
    ("graph", "/graph/seed-002-german-description", HTML),
    ("home", "/", HTML),
    ("stored", "/queries/who-plays?character=Jeanne+Renoir", HTML),
    ("stored", "/queries/episodes.csv?season=1", {}),
    ("sparql", "/sparql?" + urllib.parse.urlencode({"query": SELECT}), JSON),
    ("sparql", "/sparql?" + urllib.parse.urlencode({"query": ASK}), JSON),
]


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def client(host: str, port: int, until: float, offset: int, out: list, errors: list) -> None:
    conn = http.client.HTTPConnection(host, port, timeout=30)
    i = offset
    while time.monotonic() < until:
        kind, path, headers = MIX[i % len(MIX)]
        i += 1
        start = time.monotonic()
        try:
            conn.request("GET", path, headers=headers)
            reply = conn.getresponse()
            reply.read()
            if reply.status != 200:
                errors.append(f"{reply.status} {path}")
        except (OSError, http.client.HTTPException) as e:
            errors.append(f"{type(e).__name__} {path}")
            conn.close()
            conn = http.client.HTTPConnection(host, port, timeout=30)
            continue
        out.append((kind, time.monotonic() - start))
    conn.close()


def get(host: str, port: int, query: str) -> tuple[int, float]:
    conn = http.client.HTTPConnection(host, port, timeout=60)
    start = time.monotonic()
    conn.request("GET", "/sparql?" + urllib.parse.urlencode({"query": query}), headers=JSON)
    reply = conn.getresponse()
    reply.read()
    conn.close()
    return reply.status, time.monotonic() - start


def runaway_next_to_quick(host: str, port: int, quick: int = 10) -> None:
    box: dict = {}
    thread = threading.Thread(target=lambda: box.update(result=get(host, port, RUNAWAY)))
    thread.start()
    time.sleep(0.5)
    times = []
    for _ in range(quick):
        status, seconds = get(host, port, ASK)
        assert status == 200, status
        times.append(seconds)
        time.sleep(0.2)
    thread.join(120)
    status, seconds = box["result"]
    print(f"runaway query: HTTP {status} after {seconds:.2f} s (its worker killed at the "
          "timeout)")
    print(f"quick ASK next to it ({quick}x): max {max(times) * 1000:.0f} ms, "
          f"p50 {statistics.median(times) * 1000:.0f} ms "
          f"({'OK' if max(times) < 1.0 else 'FAIL'}: limit 1000 ms)")
    after_status, after = get(host, port, ASK)
    print(f"quick ASK after it (worker replaced): HTTP {after_status}, {after * 1000:.0f} ms")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--timeout", type=float, default=5.0,
                        help="the server's --timeout (the runaway's wait)")
    parser.add_argument("--url", help="an already running server (http://127.0.0.1:PORT/)")
    args = parser.parse_args()
    if not 1 <= args.clients <= 64 or not 0 < args.seconds <= 300:
        parser.error("--clients 1..64 and --seconds up to 300 (a bounded test)")
    proc = None
    url = args.url
    if url is None:
        proc = subprocess.Popen([sys.executable, "-c", "from missions_kg.cli import main; "
                                 "main()", "serve", "--port", "0", "--timeout",
                                 str(args.timeout)], cwd=ROOT, stdout=subprocess.PIPE,
                                text=True)
        line = proc.stdout.readline()
        found = re.search(r"(http://127\.0\.0\.1:\d+/)", line)
        if not found:
            print(f"serve did not start: {line!r}", file=sys.stderr)
            proc.kill()
            return 2
        url = found.group(1)
    parts = urllib.parse.urlsplit(url)
    if parts.hostname not in ("127.0.0.1", "localhost", "::1"):
        parser.error("loopback only")
    host, port = parts.hostname, parts.port
    try:
        for _ in range(100):  # wait until it answers
            try:
                get(host, port, ASK)
                break
            except OSError:
                time.sleep(0.1)
        samples: list = []
        errors: list = []
        until = time.monotonic() + args.seconds
        threads = [threading.Thread(target=client, args=(host, port, until, i, samples, errors))
                   for i in range(args.clients)]
        start = time.monotonic()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.monotonic() - start
        print(f"{args.clients} clients x {args.seconds:g} s on {url}: {len(samples)} requests, "
              f"{len(samples) / elapsed:.0f}/s, {len(errors)} errors")
        kinds = sorted({k for k, _ in samples})
        for kind in kinds + ["all"]:
            values = [s for k, s in samples if kind in ("all", k)]
            print(f"  {kind:<11} n={len(values):>6}  p50 {percentile(values, 50) * 1000:7.1f} ms"
                  f"  p99 {percentile(values, 99) * 1000:7.1f} ms")
        for error in sorted(set(errors))[:10]:
            print(f"  error: {error}")
        runaway_next_to_quick(host, port)
    finally:
        if proc is not None:
            proc.terminate()
            proc.wait(10)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
