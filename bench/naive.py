"""The naive pipeline bench/scale.py compares missions-kg with: rdflib, owlrl, pyshacl as is.

    python bench/naive.py load ROOT                  # rdflib: ontology/ + data/ into a Dataset
    python bench/naive.py owlrl ROOT                 # ... then owlrl's OWL RL closure (union)
    python bench/naive.py pyshacl ROOT --closure NQ  # ... then pyshacl on union + closure

``pyshacl`` validates what ``missions-kg validate`` validates (data + ontology + the OWL RL
closure, inference "none", the same options as ``missions_kg.validation``); the closure is
read from the missions-kg build ``NQ`` (its inferred graph, which equals owlrl's) so that this
stage does not wait on the owlrl stage. Each prints one JSON line: the CPU seconds of its own
step (after the load), the load's, and the triple counts.
"""

from __future__ import annotations

import argparse
import json
import logging
import time
from pathlib import Path

INFERRED = "<https://w3id.org/missions-kg/graph/inferred>"
ONTOLOGY = "https://w3id.org/missions-kg/graph/ontology"


def load(root: Path):
    from rdflib import Dataset, URIRef

    dataset = Dataset()
    ontology = dataset.graph(URIRef(ONTOLOGY))
    for path in sorted((root / "ontology").glob("*.ttl")):
        ontology.parse(path, format="turtle")
    for path in sorted((root / "data").glob("*.trig")):
        dataset.parse(path, format="trig")
    return dataset


def union(dataset):
    from rdflib import Graph

    graph = Graph()
    for s, p, o, _g in dataset.quads((None, None, None, None)):
        graph.add((s, p, o))
    return graph


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("stage", choices=["load", "owlrl", "pyshacl"])
    parser.add_argument("root", type=Path)
    parser.add_argument("--closure", type=Path, help="pyshacl: a missions-kg build (N-Quads)")
    args = parser.parse_args()
    logging.getLogger("rdflib.term").setLevel(logging.ERROR)  # ill-typed literal warnings

    start = time.process_time()
    dataset = load(args.root)
    loaded = time.process_time()
    out = {"stage": args.stage, "load_cpu": round(loaded - start, 3),
           "quads": sum(1 for _ in dataset.quads((None, None, None, None)))}
    if args.stage == "owlrl":
        import owlrl

        graph = union(dataset)
        before = len(graph)
        owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(graph)
        out.update(triples=before, closure=len(graph) - before)
    elif args.stage == "pyshacl":
        import pyshacl
        from rdflib import Dataset, Graph

        graph = union(dataset)
        if args.closure:
            lines = [line for line in args.closure.read_text(encoding="utf-8").splitlines()
                     if line.endswith(f"{INFERRED} .")]
            inferred = Dataset()
            inferred.parse(data="\n".join(lines), format="nquads")
            for s, p, o, _g in inferred.quads((None, None, None, None)):
                graph.add((s, p, o))
        shapes = Graph()
        for path in sorted((args.root / "shapes").glob("*.ttl")):
            shapes.parse(path, format="turtle")
        conforms, results, _text = pyshacl.validate(
            graph, shacl_graph=shapes, inference="none", do_owl_imports=False,
            allow_warnings=True, allow_infos=True, advanced=False, inplace=True)
        from rdflib.namespace import RDF, SH

        out.update(triples=len(graph), conforms=bool(conforms),
                   results=len(set(results.subjects(RDF.type, SH.ValidationResult))))
    out["step_cpu"] = round(time.process_time() - loaded, 3)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
