"""A/B: one missions-kg command from two checkouts, interleaved, CPU of each child process.

Runs minutes apart vary by ~10% on a shared 2-core machine; the same command from two source
trees run turn about cancels most of that. Each side uses its own cache folder (warmed first)
and its own project root, so a changed ontology or query in the change is measured too.

    git worktree add /tmp/before HEAD~3
    .venv/bin/python bench/ab.py /tmp/before . -- query cast
    .venv/bin/python bench/ab.py /tmp/before . --forget-reports -- validate
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path


def cpu(command: list[str], env: dict) -> float:
    """User + system seconds of one child run (``ru_*`` of the finished children)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("a", type=Path, help="checkout A (e.g. a worktree of the base)")
    parser.add_argument("b", type=Path, help="checkout B (e.g. this one)")
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--forget-reports", action="store_true",
                        help="delete kept validation reports before each run")
    argv = sys.argv[1:]
    cut = argv.index("--") if "--" in argv else len(argv)
    args = parser.parse_args(argv[:cut])
    command = argv[cut + 1:] or ["query", "cast"]  # the missions-kg arguments, after --
    work = Path(tempfile.mkdtemp(prefix="missions-kg-ab-"))
    sides = {}
    for label, root in (("A", args.a.resolve()), ("B", args.b.resolve())):
        env = {**os.environ, "PYTHONPATH": str(root / "src"), "MISSIONS_KG_ROOT": str(root),
               "MISSIONS_KG_CACHE": str(work / label)}
        run = [sys.executable, "-c", "from missions_kg.cli import main; main()", *command]
        warm = subprocess.run(run, env=env, capture_output=True, text=True)  # build, headers
        if warm.returncode not in (0, 1):
            sys.exit(f"{label} ({root}): exit {warm.returncode}: {warm.stderr.strip()[-500:]}")
        sides[label] = (run, env, work / label)
    times: dict[str, list[float]] = {"A": [], "B": []}
    for _ in range(args.runs):
        for label, (run, env, cache) in sides.items():
            if args.forget_reports:
                for report in cache.glob("*.report-*.json"):
                    report.unlink()
            times[label].append(cpu(run, env))
    print(f"missions-kg {' '.join(command)}: CPU of the child, {args.runs} runs each, "
          "interleaved")
    for label, root in (("A", args.a), ("B", args.b)):
        t = times[label]
        print(f"  {label} {str(root):<30} min {min(t) * 1000:6.0f} ms  "
              f"median {statistics.median(t) * 1000:6.0f} ms")


if __name__ == "__main__":
    main()
