"""CPU seconds and peak RSS per stage of missions-kg and of the naive pipeline, by size.

    python bench/scale.py [--quick | --sizes 10k,100k,300k,1M] [-o FILE] [--json FILE]

For each size, a synthetic project (bench/synth.py, cached under --cache) goes through, each
stage in a fresh subprocess measured with os.wait4 (user+sys CPU and ru_maxrss of the
child): missions-kg ``build --force`` (cache cleared), ``build`` again (nothing changed),
``query cast`` twice (the first after the build, then warm), ``validate`` (then again:
nothing changed, the report kept with the build) and ``export --format nquads``, all under
the CLI's default memory ceiling (``--max-memory 1024``: a stage that passes it ends in exit
2 and shows so); then the naive pipeline
(bench/naive.py: rdflib load, + owlrl closure, + pyshacl). A stage that runs past its cap is
killed and its CPU extrapolated (power law through the two largest sizes it finished, slope
at least 1), and larger sizes of it are not run. ``python -c "import rdflib"`` is measured
in the same run, as in bench/bench.py, so the figures can be read as ratios on any machine.
Issue 14's targets: build + first query + validate <= 2x naive load at 100k and 1M, peak RSS
<= 1 GB at 1M, log-log slope <= 1.1 between 100k and 1M.
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import json
import math
import os
import platform
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass
from importlib import metadata
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BENCH = Path(__file__).resolve().parent
BIN = Path(sys.executable).parent / "missions-kg"
SIZES = {"10k": 10_000, "100k": 100_000, "300k": 300_000, "1M": 1_000_000}
STAGES = {  # key: (label, kind)
    "build": ("missions-kg build --force (cold)", "mkg"),
    "build2": ("missions-kg build (nothing changed)", "mkg"),
    "query": ("missions-kg query cast (1st after build)", "mkg"),
    "query2": ("missions-kg query cast (2nd, warm)", "mkg"),
    "validate": ("missions-kg validate", "mkg"),
    "validate2": ("missions-kg validate (nothing changed)", "mkg"),
    "export": ("missions-kg export --format nquads", "mkg"),
    "naive-load": ("naive: rdflib load (Dataset)", "naive"),
    "naive-owlrl": ("naive: load + owlrl closure", "naive"),
    "naive-pyshacl": ("naive: load + pyshacl (closure given)", "naive"),
}
PIPELINE = ("build", "query", "validate")


@dataclass
class Run:
    stage: str
    size: str
    quads: int
    cpu: float | None = None  # user + sys of the child, seconds (or extrapolated)
    rss_mb: float | None = None
    wall: float | None = None
    status: str = "ok"  # ok | exit N | capped | extrapolated | failed
    note: str = ""


def measure(cmd: list[str], env: dict, cap: float, out: Path, err: Path) -> tuple:
    """Run ``cmd`` in its own session; return (exit code or None if capped, cpu, MB, wall)."""
    killed = threading.Event()
    start = time.perf_counter()
    with out.open("wb") as so, err.open("wb") as se:
        proc = subprocess.Popen(cmd, env=env, stdout=so, stderr=se, stdin=subprocess.DEVNULL,
                                start_new_session=True)

    def kill():
        killed.set()
        try:
            os.killpg(proc.pid, signal.SIGKILL)  # the group of the child started above
        except ProcessLookupError:
            pass

    timer = threading.Timer(cap, kill)
    timer.start()
    try:
        _pid, status, usage = os.wait4(proc.pid, 0)
    finally:
        timer.cancel()
    proc.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - start
    code = None if killed.is_set() else proc.returncode
    return code, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, wall


def last_line(path: Path) -> str:
    lines = [x for x in path.read_text(errors="replace").splitlines() if x.strip()]
    return lines[-1][:160] if lines else ""


def extrapolate(points: list[tuple[int, float]], quads: int) -> float | None:
    if not points:
        return None
    (q2, c2) = points[-1]
    slope = 1.0
    if len(points) >= 2:
        (q1, c1) = points[-2]
        slope = max(1.0, math.log(c2 / c1) / math.log(q2 / q1))
    return c2 * (quads / q2) ** slope


def synth_project(n: int, label: str, cache: Path, seed: int, root: Path) -> tuple[Path, dict]:
    """The cached synthetic project for ``n`` (regenerated when synth.py or the copied
    ontology/shapes/queries change)."""
    digest = hashlib.sha256(f"{n} {seed}".encode() + (BENCH / "synth.py").read_bytes())
    for folder in ("ontology", "shapes", "queries"):
        for path in sorted((root / folder).rglob("*")):
            if path.is_file():
                digest.update(path.relative_to(root).as_posix().encode() + path.read_bytes())
    folder = cache / f"{label}-s{seed}-{digest.hexdigest()[:12]}"
    if not (folder / "synth.json").exists():
        for stale in cache.glob(f"{label}-s{seed}-*"):
            shutil.rmtree(stale, ignore_errors=True)
        progress(f"[{label}] generating {n} quads into {folder}")
        subprocess.run([sys.executable, str(BENCH / "synth.py"), str(n), str(folder),
                        "--seed", str(seed), "--from", str(root)], check=True,
                       stdout=subprocess.DEVNULL)
    return folder, json.loads((folder / "synth.json").read_text())


def progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def commands(stage: str, root: Path, work: Path, cache_dir: Path, cap: float) -> list[str]:
    mkg = [str(BIN), "--root", str(root)]
    query = mkg + ["query", "cast", "--format", "tsv", "--timeout", str(int(cap))]
    naive = [sys.executable, str(BENCH / "naive.py")]
    builds = sorted(cache_dir.glob("build-*.nq"), key=lambda p: p.stat().st_mtime)
    return {
        "build": mkg + ["build", "--force"],
        "build2": mkg + ["build"],
        "query": query,
        "query2": query,
        "validate": mkg + ["validate"],
        "validate2": mkg + ["validate"],
        "export": mkg + ["export", "--format", "nquads", "-o", str(work / "export.nq")],
        "naive-load": naive + ["load", str(root)],
        "naive-owlrl": naive + ["owlrl", str(root)],
        "naive-pyshacl": naive + ["pyshacl", str(root)]
        + (["--closure", str(builds[-1])] if builds else []),
    }[stage]


def run_size(label: str, n: int, args, work: Path, runs: list[Run]) -> None:
    root, manifest = synth_project(n, label, Path(args.cache), args.seed, Path(args.root))
    quads = manifest["quads"]
    cache_dir = work / f"cache-{label}"
    shutil.rmtree(cache_dir, ignore_errors=True)  # cold: no build, no on-disk store
    env = {k: v for k, v in os.environ.items() if k != "MISSIONS_KG_ROOT"}
    env["MISSIONS_KG_CACHE"] = str(cache_dir)
    for stage, (name, kind) in STAGES.items():
        if kind == "naive" and args.no_naive:
            continue
        run = Run(stage, label, quads)
        runs.append(run)
        earlier = [r for r in runs if r.stage == stage and r is not run]
        cap = args.mkg_cap if kind == "mkg" else args.naive_cap
        points = [(r.quads, r.cpu) for r in earlier if r.status in ("ok",) and r.cpu]
        if any(r.status in ("capped", "extrapolated") for r in earlier):
            run.status, run.cpu = "extrapolated", extrapolate(points, quads)
            run.note = "not run: capped at a smaller size"
            progress(f"[{label}] {name}: not run (capped at a smaller size)")
            continue
        progress(f"[{label}] {name} ...")
        cmd = commands(stage, root, work, cache_dir, cap)
        out, err = work / f"{label}-{stage}.out", work / f"{label}-{stage}.err"
        try:
            code, cpu, mb, wall = measure(cmd, env, cap, out, err)
        except OSError as exc:  # e.g. no missions-kg in this venv: reported, not fatal
            run.status, run.note = "failed", str(exc)[:160]
            progress(f"[{label}] {name}: failed: {exc}")
            continue
        run.rss_mb, run.wall = mb, wall
        if code is None:
            run.status, run.cpu = "capped", max(extrapolate(points, quads) or 0, cpu)
            run.note = f"killed after {cap:.0f} s wall ({cpu:.0f} s CPU, {mb:.0f} MB so far)"
        else:
            run.cpu = cpu
            if code != 0:
                run.status, run.note = f"exit {code}", last_line(err)
            elif stage.startswith("query"):
                run.note = f"{max(0, len(out.read_text().splitlines()) - 1)} rows"
            elif stage.startswith("naive"):
                info = json.loads(last_line(out) or "{}")
                run.note = (f"step {info.get('step_cpu')} s CPU after a "
                            f"{info.get('load_cpu')} s load")
            elif stage == "export":
                run.note = f"{(work / 'export.nq').stat().st_size / 1e6:.0f} MB written"
        progress(f"[{label}] {name}: {cell(run)} ({wall:.1f} s wall) {run.note}")
    (work / "export.nq").unlink(missing_ok=True)


def cell(run: Run | None) -> str:
    if run is None:
        return "-"
    cpu = "?" if run.cpu is None else (f"{run.cpu:.2f}" if run.cpu < 100 else f"{run.cpu:.0f}")
    mb = "?" if run.rss_mb is None else f"{run.rss_mb:.0f}"
    if run.status == "ok":
        return f"{cpu} / {mb}"
    if run.status in ("capped", "extrapolated"):
        return f"≈{cpu} (extrapolated)" + (f" / ≥{mb}" if run.status == "capped" else "")
    return f"{run.status}: {cpu} / {mb}"


def slope(a: Run | None, b: Run | None, attr: str) -> str:
    """d log(attr) / d log(quads) from ``a`` to ``b``; "(extrap.)" when a CPU was extrapolated."""
    usable = ("ok", "capped", "extrapolated") if attr == "cpu" else ("ok",)
    if not a or not b or a.status not in usable or b.status not in usable:
        return "-"
    x, y = getattr(a, attr), getattr(b, attr)
    if not x or not y:
        return "-"
    value = math.log(y / x) / math.log(b.quads / a.quads)
    return f"{value:.2f}" + ("" if a.status == b.status == "ok" else " (extrap.)")


def floor_line(args, floor: Run) -> list[str]:
    return [
        f"floor: python -c 'import rdflib' = {floor.cpu:.3f} s CPU, {floor.rss_mb:.0f} MB peak "
        f"(best of {args.floor_runs}); caps: missions-kg {args.mkg_cap:.0f} s, "
        f"naive {args.naive_cap:.0f} s per stage (wall); this script's own peak RSS "
        f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB (Linux keeps "
        "ru_maxrss across fork + exec: no child reads below it)",
    ]


def header(args, _floor=None) -> list[str]:
    def git(*cmd):
        proc = subprocess.run(["git", "-C", str(REPO), *cmd], capture_output=True, text=True)
        return proc.stdout.strip() if proc.returncode == 0 else "?"

    import missions_kg

    base = git("merge-base", "HEAD", "main")
    changed = " (differs: see git diff)" if git("diff", "--stat", base, "--", "src") else ""
    versions = ", ".join(f"{p} {metadata.version(p)}" for p in
                         ("rdflib", "pyoxigraph", "pyshacl", "owlrl"))
    return [
        f"date: {datetime.datetime.now(datetime.UTC).strftime('%Y-%m-%d %H:%M UTC')}",
        f"command: python bench/scale.py {' '.join(sys.argv[1:])}".rstrip(),
        f"measured: missions_kg from {Path(missions_kg.__file__).parent}, checkout "
        f"{git('rev-parse', '--short', 'HEAD')} on {git('rev-parse', '--abbrev-ref', 'HEAD')}; "
        f"its src/ against main {base[:7]} (where it branched){changed}",
        f"machine: {os.cpu_count()} CPUs, Python {platform.python_version()}, {versions}",
        "cells: CPU seconds (user+sys of the child) / peak RSS MB; quads = asserted quads of "
        "data/*.trig",
    ]


def report(args, floor: Run, runs: list[Run], labels: list[str], started: list[str]) -> str:
    lines = started + floor_line(args, floor) + [""]
    by = {(r.stage, r.size): r for r in runs}
    quads = {r.size: r.quads for r in runs}
    cols = [f"{label} ({quads.get(label, 0):,} q)" for label in labels]
    stages = [s for s in STAGES if any((s, lab) in by for lab in labels)]
    table = [["stage", *cols]] + [[STAGES[s][0], *(cell(by.get((s, lab))) for lab in labels)]
                                  for s in stages]
    widths = [max(len(row[i]) for row in table) for i in range(len(table[0]))]
    for row in table:
        lines.append("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())
    lines.append("")
    for label in labels:
        parts = [by.get((s, label)) for s in PIPELINE]
        load = by.get(("naive-load", label))
        if all(p and p.cpu for p in parts):
            total = sum(p.cpu for p in parts)
            approx = "≈" if any(p.status != "ok" for p in parts) else ""
            peak = max(r.rss_mb or 0 for r in runs if r.size == label and r.stage in STAGES
                       and STAGES[r.stage][1] == "mkg")
            ratio = f", {approx}{total / load.cpu:.1f}x naive load ({load.cpu:.2f} s)" \
                if load and load.cpu and load.status == "ok" else ""
            lines.append(f"{label}: build + 1st query + validate = {approx}{total:.1f} s CPU "
                         f"= {approx}{total / floor.cpu:.0f}x floor{ratio}; peak RSS of "
                         f"missions-kg stages {peak:.0f} MB")
    low = "100k" if "100k" in labels else labels[0]
    high = "1M" if "1M" in labels else labels[-1]
    if low != high:
        lines += ["", f"log-log slope {low} -> {high} (CPU / peak RSS):"]
        for s in stages:
            a, b = by.get((s, low)), by.get((s, high))
            lines.append(f"  {STAGES[s][0]:<44} {slope(a, b, 'cpu'):>14} / "
                         f"{slope(a, b, 'rss_mb')}")
        ends = [[by.get((s, size)) for s in PIPELINE] for size in (low, high)]
        if all(r and r.cpu and r.status == "ok" for end in ends for r in end):
            total = [sum(r.cpu for r in end) for end in ends]
            value = math.log(total[1] / total[0]) / math.log(ends[1][0].quads / ends[0][0].quads)
            lines.append(f"  {'build + 1st query + validate (P3: <= 1.1)':<44} {value:>14.2f}")
    notes = [f"  {r.size} {STAGES[r.stage][0]}: {r.status}: {r.note}" for r in runs
             if r.note and r.status != "ok"]
    notes += [f"  {r.size} {STAGES[r.stage][0]}: {r.note}" for r in runs
              if r.note and r.status == "ok"]
    if notes:
        lines += ["", "notes:", *notes]
    return "\n".join(lines) + "\n"


def parse_sizes(text: str) -> list[tuple[str, int]]:
    out = []
    for item in text.split(","):
        item = item.strip()
        if item in SIZES:
            out.append((item, SIZES[item]))
        else:
            n = int(float(item.rstrip("kKmM")) * (1000 if item[-1] in "kK" else
                                                  1_000_000 if item[-1] in "mM" else 1))
            out.append((item, n))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10k,100k,300k,1M", help="comma list (10k, 2.5M, 5000)")
    parser.add_argument("--quick", action="store_true", help="10k and 100k only")
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument("--from", dest="root", default=str(REPO),
                        help="project whose ontology/, shapes/, queries/ the synthetic ones copy")
    parser.add_argument("--cache", default=str(Path(tempfile.gettempdir()) / "missions-kg-synth"),
                        help="where generated projects are kept between runs")
    parser.add_argument("--mkg-cap", type=float, default=900, help="seconds per missions-kg stage")
    parser.add_argument("--naive-cap", type=float, default=240, help="seconds per naive stage")
    parser.add_argument("--no-naive", action="store_true", help="skip the naive pipeline")
    parser.add_argument("--floor-runs", type=int, default=5)
    parser.add_argument("-o", "--output", help="also write the report to this file")
    parser.add_argument("--json", help="write every measurement as JSON to this file")
    args = parser.parse_args()
    sizes = parse_sizes("10k,100k" if args.quick else args.sizes)
    Path(args.cache).mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="missions-kg-scale-"))
    runs: list[Run] = []
    started = header(args, None)  # before the run: commits made meanwhile do not change it
    try:
        floors = []
        for _ in range(args.floor_runs):
            code, cpu, mb, wall = measure([sys.executable, "-c", "import rdflib"], dict(os.environ),
                                          60, work / "floor.out", work / "floor.err")
            floors.append(Run("floor", "-", 0, cpu, mb, wall))
        floor = min(floors, key=lambda r: r.cpu)
        for label, n in sizes:
            run_size(label, n, args, work, runs)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    text = report(args, floor, runs, [label for label, _ in sizes], started)
    print(text, end="")
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
    if args.json:
        Path(args.json).write_text(json.dumps({"floor": asdict(floor),
                                               "runs": [asdict(r) for r in runs]}, indent=1))


if __name__ == "__main__":
    main()
