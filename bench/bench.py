"""Time the start-up and build paths against ``python -c "import rdflib"``, in one run.

Every timing is the best of N fresh subprocesses (what a user waits for), measured in the
same run so the ratios hold on any machine. Targets (issue 3): cold ``query`` on a cached
build <= 1.5x the rdflib import; a full (cold) build <= 1 s.

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


def best(cmd: list[str], runs: int, env: dict, before=None) -> float:
    times = []
    for _ in range(runs):
        if before:
            before()
        start = time.perf_counter()
        subprocess.run(cmd, env=env, check=True, stdout=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
    return min(times)


def has_query_command(env: dict) -> bool:
    proc = subprocess.run([str(BIN), "query", "--help"], env=env, capture_output=True)
    return proc.returncode == 0


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

    try:
        rows = [("python -c 'import rdflib'",
                 best([sys.executable, "-c", "import rdflib"], args.runs, env))]
        rows.append(("missions-kg build (cold: cache cleared)",
                     best(mkg + ["build"], args.runs, env, before=clear)))
        subprocess.run(mkg + ["build"], env=env, check=True, stdout=subprocess.DEVNULL)
        rows.append(("missions-kg build --no-force (cached)",
                     best(mkg + ["build", "--no-force"], args.runs, env)))
        if has_query_command(env):
            label, cmd = f"missions-kg query {args.query} (cached)", ["query", args.query]
        else:
            label, cmd = "missions-kg stats (cached; no query command yet)", ["stats"]
        rows.append((label, best(mkg + cmd, args.runs, env)))
    finally:
        clear()

    baseline = rows[0][1]
    width = max(len(name) for name, _ in rows)
    print(f"best of {args.runs} runs, Python {sys.version.split()[0]}, root {args.root}")
    for name, seconds in rows:
        print(f"  {name:<{width}}  {seconds * 1000:7.0f} ms  {seconds / baseline:5.2f}x rdflib")
    query = rows[-1][1]
    print(f"cold query / rdflib import: {query / baseline:.2f}x (target <= 1.5x)")
    print(f"cold build: {rows[1][1]:.2f} s (target <= 1 s); "
          f"cold / cached build: {rows[1][1] / rows[2][1]:.1f}x")


if __name__ == "__main__":
    main()
