"""SHACL with pySHACL: the shapes graph, one run over the whole dataset, its results read back.

pySHACL runs on one plain rdflib Graph holding every triple of the build (data + ontology +
inferred): given a Dataset it would validate each named graph on its own. Inference is
``none`` because the build already inferred; ``do_owl_imports=False`` so nothing is fetched.
A shape that cannot be loaded is a :class:`~missions_kg.errors.ShapesError` (exit 2), never a
"does not conform" (exit 1).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from . import iris
from .errors import MissionsKGError, ShapesError
from .project import Project

_SPARQL_IN_SHAPES = re.compile(r"\bSERVICE\b|\bLOAD\b", re.IGNORECASE)


@dataclass(frozen=True)
class ShaclResult:
    """One ``sh:ValidationResult``, with its terms as pyoxigraph terms (or None)."""

    focus: object
    path: object  # a NamedNode, or a str such as "^schema:actor" for a complex path
    value: object
    messages: tuple[str, ...]
    severity: str
    source_shape: object
    component: object


def shapes_graph(project: Project):
    """Every ``shapes/*.ttl`` in one rdflib Graph; SPARQL that uses SERVICE/LOAD is refused."""
    import pyoxigraph as ox
    from rdflib import Graph

    from .loading import read_quads
    from .terms import oxigraph_to_rdflib as rdf

    graph = Graph()
    for path in project.shape_files():
        for q in read_quads(path, ox.RdfFormat.TURTLE, name=project.relative(path)):
            if _SPARQL_IN_SHAPES.search(q.object.value if isinstance(q.object, ox.Literal)
                                        else "") and q.predicate.value.startswith(iris.SH):
                raise ShapesError(f"{project.relative(path)}: SPARQL in shape "
                                  f"{q.subject.value} uses SERVICE or LOAD (refused)")
            graph.add((rdf(q.subject), rdf(q.predicate), rdf(q.object)))
    return graph


def union_graph(dataset):
    """All triples of an rdflib Dataset in one plain Graph (a set)."""
    from rdflib import Graph

    data = Graph()
    for s, p, o, _g in dataset.quads((None, None, None, None)):
        data.add((s, p, o))
    return data


def run(project: Project, built) -> list[ShaclResult]:
    """Validate ``built`` against the project's shapes with pySHACL."""
    import pyshacl

    from .quiet import quiet_rdflib

    data = union_graph(built.rdflib_dataset())
    shapes = shapes_graph(project)
    with quiet_rdflib():
        try:
            _conforms, results, _text = pyshacl.validate(
                data, shacl_graph=shapes, inference="none", do_owl_imports=False,
                allow_warnings=True, allow_infos=True, advanced=False, inplace=True)
        except MissionsKGError:
            raise
        except Exception as exc:  # pyshacl load errors, re.error, pyparsing errors, ...
            raise _shapes_error(exc, project) from exc
    if isinstance(results, Exception):
        raise _shapes_error(results, project)
    return _read(results)


def _shapes_error(exc: BaseException, project: Project) -> ShapesError:
    text = " ".join(str(getattr(exc, "message", None) or exc).split())[:300]
    files = ", ".join(project.relative(p) for p in project.shape_files())
    return ShapesError(f"cannot load the SHACL shapes ({files}): {type(exc).__name__}: {text}",
                       hint="fix the shape named above")


def _read(results) -> list[ShaclResult]:
    from rdflib import BNode, URIRef
    from rdflib.namespace import RDF, SH

    from .terms import rdflib_to_oxigraph as ox_term

    def term(node):
        return None if node is None else ox_term(node)

    out = []
    for node in results.subjects(RDF.type, SH.ValidationResult):
        path = results.value(node, SH.resultPath)
        if isinstance(path, BNode):
            inverse = results.value(path, SH.inversePath)
            path = f"^{inverse}" if isinstance(inverse, URIRef) else "(complex path)"
        else:
            path = term(path)
        severity = results.value(node, SH.resultSeverity)
        out.append(ShaclResult(
            focus=term(results.value(node, SH.focusNode)), path=path,
            value=term(results.value(node, SH.value)),
            messages=tuple(sorted(str(m) for m in results.objects(node, SH.resultMessage))),
            severity=str(severity).rsplit("#", 1)[-1] if severity else "Violation",
            source_shape=term(results.value(node, SH.sourceShape)),
            component=term(results.value(node, SH.sourceConstraintComponent))))
    return out
