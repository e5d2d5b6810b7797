"""Time the start-up, build, query and validate paths against ``python -c "import rdflib"``.

Every figure is the best of N fresh subprocesses, measured in the same run so the ratios hold
on any machine: CPU seconds (user + sys of the child, from ``os.wait4``: steady on a shared
machine) and wall seconds (what a user waits for, when the machine is idle). Targets:

* issue 3: cold ``query`` on a cached build <= 1.5x the rdflib import; a cold build <= 1 s;
* issue 14 (P2): ``validate`` on the real graph <= 3x the rdflib import, and an unchanged
  project (the report kept with the build) <= 1x.

    python bench/bench.py [--runs N] [--query NAME] [--root PATH]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent / "missions-kg"


def once(cmd: list[str], env: dict) -> tuple[float, float]:
    """(CPU, wall) seconds of one run of ``cmd``."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
    _pid, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1):  # validate exits 1 on a graph that does not conform
        raise SystemExit(f"{' '.join(cmd)}: exit {code}")
    return usage.ru_utime + usage.ru_stime, wall


def best(cmd: list[str], runs: int, env: dict, before=None) -> tuple[float, float]:
    times = []
    for _ in range(runs):
        if before:
            before()
        times.append(once(cmd, env))
    return min(t[0] for t in times), min(t[1] for t in times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--query", default="cast")
    parser.add_argument("--root", default=str(REPO))
    args = parser.parse_args()

    cache = Path(tempfile.mkdtemp(prefix="missions-kg-bench-"))
    env = {**os.environ, "MISSIONS_KG_CACHE": str(cache), "MISSIONS_KG_ROOT": args.root}
    mkg = [str(BIN)]

    def clear():
        shutil.rmtree(cache, ignore_errors=True)

    def forget_reports():
        for path in cache.glob("*.report-*.json"):
            path.unlink()

    try:
        rows = [("python -c 'import rdflib'",
                 best([sys.executable, "-c", "import rdflib"], args.runs, env))]
        rows.append(("missions-kg build (cold: cache cleared)",
                     best(mkg + ["build"], args.runs, env, before=clear)))
        once(mkg + ["build"], env)
        rows.append(("missions-kg build (nothing changed)",
                     best(mkg + ["build"], args.runs, env)))
        rows.append((f"missions-kg query {args.query} (cached build)",
                     best(mkg + ["query", args.query], args.runs, env)))
        rows.append(("missions-kg validate (cached build)",
                     best(mkg + ["validate"], args.runs, env, before=forget_reports)))
        rows.append(("missions-kg validate (nothing changed)",
                     best(mkg + ["validate"], args.runs, env)))
    finally:
        clear()

    floor_cpu, floor_wall = rows[0][1]
    width = max(len(name) for name, _ in rows)
    print(f"best of {args.runs} runs, Python {sys.version.split()[0]}, root {args.root}")
    print(f"  {'':<{width}}  {'CPU':>8}  {'x rdflib':>8}  {'wall':>8}  {'x rdflib':>8}")
    for name, (cpu, wall) in rows:
        print(f"  {name:<{width}}  {cpu * 1000:6.0f}ms  {cpu / floor_cpu:7.2f}x  "
              f"{wall * 1000:6.0f}ms  {wall / floor_wall:7.2f}x")
    ratio = {name: (cpu / floor_cpu, wall / floor_wall) for name, (cpu, wall) in rows}

    def verdict(name: str, target: float) -> str:
        cpu, wall = ratio[name]
        ok = "ok" if cpu <= target else "MISSED"
        return f"{cpu:.2f}x CPU, {wall:.2f}x wall (target <= {target}x: {ok})"

    print(f"cold query / rdflib import: {verdict(rows[3][0], 1.5)}")
    print(f"validate / rdflib import: {verdict(rows[4][0], 3.0)}")
    print(f"validate, nothing changed / rdflib import: {verdict(rows[5][0], 1.0)}")
    print(f"cold build: {rows[1][1][1]:.2f} s wall, {rows[1][1][0]:.2f} s CPU (target <= 1 s); "
          f"cold / unchanged build: {rows[1][1][0] / rows[2][1][0]:.1f}x CPU")


if __name__ == "__main__":
    main()
