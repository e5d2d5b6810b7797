"""Other SHACL and OWL RL engines against ours: CPU, peak RSS and parity, on one project.

    python bench/engines.py [--root ROOT] [--shacl pyshacl,pyshacl-store,turbo,turbo-store]
                            [--owl owlrl,rules,reasonable] [--cases] [--cap SECONDS]

The project is built once with missions-kg; every engine then runs in a fresh subprocess on
that build (`--one ENGINE NQUADS ROOT`), so each figure is its own CPU (process_time of the
step, load counted apart) and peak RSS (ru_maxrss of the whole child).

SHACL, called as ``missions_kg.validation`` calls pyshacl (shapes/*.ttl, inference none,
advanced off, warnings and infos allowed) on the union of every graph of the build
(asserted + ontology + inferred): ``pyshacl`` and ``turbo`` (pyshacl-turbo) get an rdflib
Graph; ``pyshacl-store`` and ``turbo-store`` a pyoxigraph Store with that union as its
default graph. Parity: the set of (focus, path, component, severity, source shape) against
pyshacl's. ``--cases`` adds every tests/shapes/{valid,invalid} case (built like the tests).

OWL RL, on the asserted union (data + ontology): ``owlrl`` (the reference, configured as in
``missions_kg.reasoning``), ``rules`` (``missions_kg.rules``), ``reasonable``. Parity: the
new triples that survive ``missions_kg.reasoning.is_noise``, with xsd:string literals written
as plain ones, against owlrl's. pyshacl-turbo and reasonable are dependencies of missions-kg
now (the default SHACL engine, and the reasoner for OWL terms rules.py does not cover); an
engine that is not installed is reported as such.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from importlib import metadata
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
INFERRED = "https://w3id.org/missions-kg/graph/inferred"
SHACL = ("pyshacl", "pyshacl-store", "turbo", "turbo-store")
OWL = ("owlrl", "rules", "reasonable")
PACKAGE = {"pyshacl": "pyshacl", "pyshacl-store": "pyshacl", "turbo": "pyshacl-turbo",
           "turbo-store": "pyshacl-turbo", "owlrl": "owlrl", "rules": "missions-kg",
           "reasonable": "reasonable"}


# -- inside the child --------------------------------------------------------------------------

def _quads(nquads: Path, asserted_only: bool = False):
    import pyoxigraph as ox

    for q in ox.parse(path=nquads, format=ox.RdfFormat.N_QUADS):
        if not (asserted_only and q.graph_name.value == INFERRED):
            yield q


def _rdflib_union(nquads: Path, asserted_only: bool = False):
    from rdflib import Graph

    from missions_kg.terms import rdflib_converter

    graph, conv = Graph(), rdflib_converter()
    for q in _quads(nquads, asserted_only):
        graph.add((conv(q.subject), conv(q.predicate), conv(q.object)))
    return graph


def _store_union(nquads: Path):
    import pyoxigraph as ox

    store = ox.Store()
    store.bulk_load(path=str(nquads), format=ox.RdfFormat.N_QUADS)
    store.update("INSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }")
    for graph in list(store.named_graphs()):
        store.remove_graph(graph)  # only the union: what the rdflib engines get
    return store


def _shapes(root: Path):
    from rdflib import Graph

    shapes = Graph()
    for path in sorted((root / "shapes").glob("*.ttl")):
        shapes.parse(path, format="turtle")
    return shapes


def signature(report, shapes) -> list[list[str]]:
    """(focus, path, component, severity, source shape) of each result, so two engines'
    reports compare as sets. A blank-node source shape is written "_:anon": engines given the
    shapes as a Store label them afresh (the path and component still tell them apart)."""
    from rdflib import BNode
    from rdflib.namespace import RDF, SH

    def shape_name(node):
        return "_:anon" if isinstance(node, BNode) else str(node)

    def path_text(path):
        if path is None or not isinstance(path, BNode):
            return str(path)
        inverse = report.value(path, SH.inversePath)
        return f"^{inverse}" if inverse is not None else "(complex)"

    out = set()
    for node in report.subjects(RDF.type, SH.ValidationResult):
        focus = report.value(node, SH.focusNode)
        out.add((str(focus) if not isinstance(focus, BNode) else "_:focus",
                 path_text(report.value(node, SH.resultPath)),
                 str(report.value(node, SH.sourceConstraintComponent)),
                 str(report.value(node, SH.resultSeverity)),
                 shape_name(report.value(node, SH.sourceShape))))
    return sorted(list(t) for t in out)


def run_shacl(engine: str, nquads: Path, root: Path) -> dict:
    start = time.process_time()
    data = _store_union(nquads) if engine.endswith("-store") else _rdflib_union(nquads)
    shapes = _shapes(root)
    loaded = time.process_time()
    if engine.startswith("turbo"):
        import pyshacl_turbo as shacl
    else:
        import pyshacl as shacl
    given = shapes
    if engine == "turbo-store":  # shapes as a Store too: an rdflib "x" is not a Store's
        import pyoxigraph as ox  # "x"^^xsd:string to sh:in (16 false results otherwise)

        given = ox.Store()
        for path in sorted((root / "shapes").glob("*.ttl")):
            given.load(path=str(path), format=ox.RdfFormat.TURTLE)
    conforms, report, _text = shacl.validate(
        data, shacl_graph=given, inference="none", do_owl_imports=False, allow_warnings=True,
        allow_infos=True, advanced=False, inplace=True)
    done = time.process_time()
    sig = signature(report, shapes)
    return {"load_cpu": loaded - start, "cpu": done - loaded, "conforms": bool(conforms),
            "count": len(sig), "signature": sig}


def _plain(term):
    from rdflib import Literal
    from rdflib.namespace import XSD

    if isinstance(term, Literal) and term.datatype == XSD.string and not term.language:
        return Literal(str(term))
    return term


def run_owl(engine: str, nquads: Path, root: Path) -> dict:
    from missions_kg import reasoning

    start = time.process_time()
    graph = _rdflib_union(nquads, asserted_only=True)
    base = set(graph)
    loaded = time.process_time()
    if engine == "owlrl":
        new = reasoning._owlrl(list(base))
    elif engine == "rules":
        from missions_kg import rules

        new = rules.expand(list(base))
    else:
        import reasonable

        reasoner = reasonable.PyReasoner()
        reasoner.from_graph(graph)
        new = {tuple(_plain(t) for t in triple) for triple in reasoner.reason()} - base
    done = time.process_time()
    kept = sorted({" ".join(t.n3() for t in triple) for triple in new
                   if not reasoning.is_noise(*triple)})
    return {"load_cpu": loaded - start, "cpu": done - loaded, "count": len(kept),
            "raw": len(new), "signature": kept}


def child(engine: str, nquads: Path, root: Path) -> None:
    result = (run_shacl if engine in SHACL else run_owl)(engine, nquads, root)
    result["rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(result))


# -- the parent --------------------------------------------------------------------------------

def build(root: Path, cache: Path) -> Path:
    """Build in a child: ru_maxrss survives fork + exec on Linux, so a parent that held a
    large build would raise every later child's peak RSS to its own."""
    code = ("import sys\ntry:\n from missions_kg.dataset import build\nexcept ImportError:\n"
            " from missions_kg.build import build\nfrom missions_kg.project import Project\n"
            "print(build(Project.locate(sys.argv[1]), force=True).nquads_path)")
    env = {**os.environ, "MISSIONS_KG_CACHE": str(cache)}
    proc = subprocess.run([sys.executable, "-c", code, str(root)], env=env, check=True,
                          capture_output=True, text=True)
    return Path(proc.stdout.strip().splitlines()[-1])


def version(engine: str) -> str | None:
    if engine == "rules":
        import missions_kg

        return missions_kg.__version__
    try:
        return metadata.version(PACKAGE[engine])
    except metadata.PackageNotFoundError:
        return None


def spawn(engine: str, nquads: Path, root: Path, cap: float) -> dict:
    if version(engine) is None:
        return {"error": f"{PACKAGE[engine]} not installed"}
    try:
        proc = subprocess.run([sys.executable, __file__, "--one", engine, str(nquads), str(root)],
                              capture_output=True, text=True, timeout=cap)
    except subprocess.TimeoutExpired:
        return {"error": f"capped at {cap:.0f} s"}
    if proc.returncode != 0:
        lines = proc.stderr.strip().splitlines() or ["?"]
        return {"error": f"exit {proc.returncode}: {lines[-1][:200]}"}
    return json.loads(proc.stdout.strip().splitlines()[-1])


def parity(result: dict, reference: dict) -> str:
    if "signature" not in result or "signature" not in reference:
        return "-"
    mine = {json.dumps(x) for x in result["signature"]}
    ref = {json.dumps(x) for x in reference["signature"]}
    return "same" if mine == ref else f"+{len(mine - ref)} -{len(ref - mine)}"


def cases(engines: list[str], work: Path, cap: float) -> list[str]:
    """Each tests/shapes case as the only data of a project with our ontology and shapes."""
    import shutil

    import pyoxigraph as ox

    lines, totals = [], {e: [0, 0.0] for e in engines}
    found = sorted((REPO / "tests" / "shapes").glob("*/*.ttl"))
    for case in found:
        root = work / "case"
        shutil.rmtree(root, ignore_errors=True)
        for folder in ("ontology", "shapes"):
            shutil.copytree(REPO / folder, root / folder)
        (root / "queries").mkdir()
        (root / "data").mkdir()
        graph = ox.NamedNode(f"https://w3id.org/missions-kg/graph/shape-case/{case.stem}")
        quads = [ox.Quad(q.subject, q.predicate, q.object, graph)
                 for q in ox.parse(path=case, format=ox.RdfFormat.TURTLE)]
        (root / "data" / "case.trig").write_bytes(ox.serialize(quads, format=ox.RdfFormat.TRIG))
        nquads = build(root, work / "case-cache")
        results = {e: spawn(e, nquads, root, cap) for e in engines}
        for e in engines:
            same = parity(results[e], results[engines[0]]) == "same"
            totals[e][0] += same
            totals[e][1] += results[e].get("cpu", 0)
            if not same:
                lines.append(f"  {case.parent.name}/{case.name}: {e} "
                             f"{parity(results[e], results[engines[0]])}")
    head = [f"shape cases ({len(found)}): " + ", ".join(
        f"{e} {same}/{len(found)} same as {engines[0]} ({cpu:.1f} s CPU in all)"
        for e, (same, cpu) in totals.items())]
    return head + lines


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--one":
        child(sys.argv[2], Path(sys.argv[3]), Path(sys.argv[4]))
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", default=str(REPO))
    parser.add_argument("--shacl", default=",".join(SHACL))
    parser.add_argument("--owl", default=",".join(OWL))
    parser.add_argument("--cases", action="store_true", help="also every tests/shapes case")
    parser.add_argument("--cap", type=float, default=600, help="seconds per engine run")
    args = parser.parse_args()
    root = Path(args.root).resolve()
    work = Path(tempfile.mkdtemp(prefix="missions-kg-engines-"))
    nquads = build(root, work / "cache")
    lines = [f"project {root}: {sum(1 for _ in _quads(nquads))} quads in the build "
             f"(Python {sys.version.split()[0]})",
             f"{'engine':<14} {'version':<8} {'load s':>7} {'CPU s':>8} {'peak MB':>8} "
             f"{'results':>8}  parity"]
    for group in (args.shacl, args.owl):
        engines = [e for e in group.split(",") if e]
        reference = None
        for engine in engines:
            print(f"... {engine}", file=sys.stderr, flush=True)
            result = spawn(engine, nquads, root, args.cap)
            reference = reference or result
            if "error" in result:
                lines.append(f"{engine:<14} {version(engine) or '-':<8} {result['error']}")
                continue
            lines.append(f"{engine:<14} {version(engine):<8} {result['load_cpu']:>7.2f} "
                         f"{result['cpu']:>8.2f} {result['rss_mb']:>8.0f} "
                         f"{result['count']:>8}  {parity(result, reference)}")
    if args.cases:
        lines += cases([e for e in args.shacl.split(",") if e], work, args.cap)
    print("\n".join(lines))


if __name__ == "__main__":
    main()
