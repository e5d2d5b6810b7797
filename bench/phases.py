"""Where one missions-kg command spends its CPU and memory: a phase-by-phase breakdown.

    MISSIONS_KG_CACHE=DIR python bench/phases.py ROOT build --force
    MISSIONS_KG_CACHE=DIR python bench/phases.py ROOT query cast --timeout 900
    MISSIONS_KG_CACHE=DIR python bench/phases.py ROOT validate

Runs the command in-process (the real CLI, output discarded) with the library's main steps
wrapped: for each, the calls, the CPU seconds spent inside (inclusive: a step that calls
another counts it too) and the peak RSS so far when it returned, then the process's total CPU
and peak RSS. Nothing in src/ changes; the wrappers only read the clock and getrusage.
"""

from __future__ import annotations

import contextlib
import os
import resource
import sys
import time
from collections import defaultdict

STEPS = [  # (module, attribute, label); steps a version does not have are skipped
    ("missions_kg.dataset", "_hashes", "build: hash the inputs (stat index)"),
    ("missions_kg.cache", "read_meta", "cache: check the cache file"),
    ("missions_kg.assembly", "parse", "build: parse every input (pyoxigraph)"),
    ("missions_kg.assembly", "infer", "build: OWL RL inference (streamed rules)"),
    ("missions_kg.assembly", "write", "build: merge, write cache + union + store"),
    ("missions_kg.store", "load_block", "  store: bulk load a block"),
    ("missions_kg.assembly", "assemble", "build: whole cold build"),
    ("missions_kg.store", "_in_memory", "store: in-memory store + union"),
    ("missions_kg.store", "_on_disk", "store: open (or make) the on-disk store"),
    ("missions_kg.engine", "_oxigraph", "query: evaluate + fetch rows"),
    ("missions_kg.shacl", "_turbo", "validate: pyshacl-turbo"),
    ("missions_kg.shacl", "_pyshacl", "validate: pyshacl"),
    ("missions_kg.shacl", "_read", "validate: read the report"),
    ("missions_kg.validation", "run_check", "validate: one *-violation.rq check"),
    ("missions_kg.vocabulary", "check_build", "validate: schema.org vocabulary"),
    ("missions_kg.validation", "_locations", "validate: files and lines of a result"),
    ("missions_kg.exports", "_lines", "export: read + select + canonicalise"),
    ("missions_kg.exports", "stream", "export: whole export"),
    # main before issue 14 (build/validate/export as they were), for the baseline
    ("missions_kg.dataset", "_read_inputs", "build: read every input file"),
    ("missions_kg.loading", "ontology_quads", "build: parse ontology (pyoxigraph)"),
    ("missions_kg.loading", "data_quads", "build: parse data TriG (pyoxigraph)"),
    ("missions_kg.store", "rdflib_dataset", "store: quads -> rdflib Dataset"),
    ("missions_kg.reasoning", "infer", "build: OWL RL inference (incl. rules)"),
    ("missions_kg.rules", "expand", "  rules.expand"),
    ("missions_kg.dataset", "_build", "build: whole cold build (before issue 14)"),
    ("missions_kg.dataset.Built", "quads", "Built.quads: parse N-Quads to a list"),
    ("missions_kg.dataset.Built", "rdflib_dataset", "Built.rdflib_dataset"),
    ("missions_kg.shacl", "union_graph", "validate: union into one rdflib Graph"),
    ("missions_kg.shacl", "shapes_graph", "validate: shapes graph"),
    ("pyshacl", "validate", "validate: pyshacl.validate"),
    ("missions_kg.exports", "canonical", "export: canonical blank nodes + sort"),
    ("missions_kg.exports", "select_quads", "export: select quads"),
]


def peak_mb() -> float:
    """Peak RSS so far (missions-kg's sandbox refuses /proc/self/status, so no current RSS)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def wrap(stats) -> None:
    import importlib

    for module_name, attr, label in STEPS:
        is_class = module_name.endswith(".Built")
        try:
            owner = importlib.import_module(module_name.removesuffix(".Built"))
        except ImportError:
            continue
        if is_class:
            owner = owner.Built
        original = getattr(owner, attr, None)
        if original is None:
            continue

        def wrapper(*args, _original=original, _label=label, **kwargs):
            start = time.process_time()
            try:
                return _original(*args, **kwargs)
            finally:
                entry = stats[_label]
                entry[0] += 1
                entry[1] += time.process_time() - start
                entry[2] = peak_mb()

        setattr(owner, attr, wrapper)


def main() -> None:
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    root, command = sys.argv[1], sys.argv[2:]
    stats: dict[str, list] = defaultdict(lambda: [0, 0.0, 0.0])
    wrap(stats)
    from missions_kg.cli import main as cli

    start = time.process_time()
    code = 0
    with open(os.devnull, "w") as sink, contextlib.redirect_stdout(sink):
        try:
            cli(["--root", root, *command], standalone_mode=False)
        except SystemExit as exc:
            code = exc.code or 0
    total = time.process_time() - start
    print(f"missions-kg {' '.join(command)} on {root}: exit {code}, {total:.2f} s CPU, "
          f"peak RSS {peak_mb():.0f} MB")
    print(f"  {'step (inclusive)':<44} {'calls':>5} {'CPU s':>8} {'peak MB so far':>14}")
    for label in dict.fromkeys(label for _m, _a, label in STEPS):
        if label in stats:
            calls, cpu, rss = stats[label]
            print(f"  {label:<44} {calls:>5} {cpu:>8.2f} {rss:>14.0f}")


if __name__ == "__main__":
    main()
