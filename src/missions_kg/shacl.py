"""SHACL: the shapes, one run over the union of every graph of the build, its results read back.

Two engines give the same report (a parity test runs both on the real graph and on every
shape case, with pySHACL as the reference):

* ``turbo`` — pyshacl-turbo, pySHACL's ``validate()`` in Rust, 10-30x faster, called below
  its Python layer (:mod:`missions_kg.turbo`: no rdflib). It is given the build's union file
  (every triple once, N-Triples in ASCII, see :mod:`missions_kg.store`) as text its own
  parser reads, never an rdflib graph (a million triples in rdflib take 1.9 GB), less the
  ``rdf:type`` triples the class hierarchy implies when the shapes cannot tell
  (:mod:`missions_kg.redundant_types`: a fifth of the input at scale), and the
  shapes with every literal typed: with the data read as pyoxigraph reads it, a plain literal
  and an ``xsd:string`` are one term on both sides (plain literals in the shapes would make
  ``sh:in ("verified")`` miss ``"verified"``).
* ``pyshacl`` — the reference, on an rdflib Graph of the same union; used when pyshacl-turbo
  is not installed, or when asked (``validate --engine pyshacl``).

Both reports are read back from N-Triples by one reader. Validated is the union of data +
ontology + inferred (given a Dataset, pySHACL would validate each named graph on its own).
Inference is ``none`` because the build already inferred; ``do_owl_imports=False`` so nothing
is fetched. A shape that cannot be loaded is a
:class:`~missions_kg.errors.ShapesError` (exit 2), never a "does not conform" (exit 1); its
message is pySHACL's (the engines word such errors differently).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib.util import find_spec

from . import iris
from .errors import MissionsKGError, ShapesError
from .project import Project

_SPARQL_IN_SHAPES = re.compile(r"\bSERVICE\b|\bLOAD\b", re.IGNORECASE)
ENGINES = ("turbo", "pyshacl")
_PACKAGES = {"turbo": "pyshacl-turbo", "pyshacl": "pyshacl"}
_OPTIONS = dict(inference="none", do_owl_imports=False, allow_warnings=True,
                allow_infos=True, advanced=False)


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


def available() -> list[str]:
    """The engines installed here, fastest first."""
    return [e for e in ENGINES if find_spec(_PACKAGES[e].replace("-", "_")) is not None]


def default_engine() -> str:
    found = available()
    return found[0] if found else "pyshacl"


def engine_version(engine: str) -> str:
    """What identifies an installed engine (part of the key of a cached report): its name
    and the size and mtime of its package's files, read without importing it (a cached
    report must not pay for rdflib) nor importlib.metadata (20 ms)."""
    import os

    spec = find_spec(_PACKAGES.get(engine, engine).replace("-", "_"))
    if spec is None or not spec.origin:
        return f"{engine} (not installed)"
    folder = os.path.dirname(spec.origin)
    stamp = []
    for entry in sorted(os.scandir(folder), key=lambda e: e.name):
        if entry.is_file() and entry.name.endswith((".py", ".so", ".pyd")):
            st = entry.stat()
            stamp.append(f"{entry.name}:{st.st_size}:{st.st_mtime_ns}")
    return f"{engine} {' '.join(stamp)}"


def shape_quads(project: Project) -> list:
    """Every ``shapes/*.ttl`` as pyoxigraph quads (blank nodes labelled per file, as the
    report names them); SPARQL that uses SERVICE/LOAD is refused."""
    import pyoxigraph as ox

    from .loading import read_quads

    out = []
    for path in project.shape_files():
        for q in read_quads(path, ox.RdfFormat.TURTLE, name=project.relative(path)):
            if _SPARQL_IN_SHAPES.search(q.object.value if isinstance(q.object, ox.Literal)
                                        else "") and q.predicate.value.startswith(iris.SH):
                raise ShapesError(f"{project.relative(path)}: SPARQL in shape "
                                  f"{q.subject.value} uses SERVICE or LOAD (refused)")
            out.append(q)
    return out


def shapes_graph(project: Project, quads: list | None = None):
    """The shapes in one rdflib Graph (pySHACL's input; the tests read shapes from it), from
    ``quads`` when :func:`shape_quads` has read them already."""
    from rdflib import Graph

    from .terms import rdflib_converter

    graph, rdf = Graph(), rdflib_converter()
    for q in shape_quads(project) if quads is None else quads:
        graph.add((rdf(q.subject), rdf(q.predicate), rdf(q.object)))
    return graph


def union_graph(built):
    """Every triple of the build once, in one plain rdflib Graph."""
    import pyoxigraph as ox
    from rdflib import Graph

    from .terms import rdflib_converter

    graph, conv = Graph(), rdflib_converter()
    for t in ox.parse(path=built.union_path, format=ox.RdfFormat.N_TRIPLES):
        graph.add((conv(t.subject), conv(t.predicate), conv(t.object)))
    return graph


def run(project: Project, built, engine: str | None = None
        ) -> tuple[list[ShaclResult], list[str]]:
    """Validate ``built`` against the project's shapes with ``engine`` (default: the
    fastest installed): the results, and notes on what the engine met (a recursive shape
    cut off), worded the same for every engine."""
    from .quiet import quiet_rdflib

    engine = engine or default_engine()
    if engine not in ENGINES:
        raise ShapesError(f"unknown SHACL engine {engine!r} (use {' or '.join(ENGINES)})")
    shapes = shape_quads(project)
    with quiet_rdflib():
        try:
            report, warned = (_turbo(built, shapes) if engine == "turbo"
                              else _pyshacl(built, shapes_graph(project, shapes)))
        except MissionsKGError:
            raise
        except Exception as exc:  # load errors, re.error, pyparsing errors, ...
            raise _shapes_error(exc, project, engine, built, shapes) from exc
    return _read(report), recursion_notes(warned)


def _turbo(built, shapes) -> tuple[str, list[str]]:
    from . import turbo

    return turbo.validate(_turbo_input(built, shapes), shapes)


def _turbo_input(built, shapes) -> str:
    """The union as text, less the types the hierarchy implies when the shapes allow (its
    bytes are let go before the engine runs: a million quads' union is 130 MB)."""
    from . import redundant_types

    data = built.union_path.read_bytes()
    if redundant_types.shapes_allow(shapes):
        data, _left_out = redundant_types.prune(data)
    return data.decode("utf-8")  # ASCII: half the memory of UCS-2


def _pyshacl(built, shapes) -> tuple[str, list[str]]:
    import warnings

    import pyshacl

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        _conforms, results, _text = pyshacl.validate(
            union_graph(built), shacl_graph=shapes, inplace=True, **_OPTIONS)
    recursion = []
    for w in caught:
        if type(w.message).__name__ == "ShapeRecursionWarning":
            recursion.append(str(w.message))
        else:
            warnings.showwarning(w.message, w.category, w.filename, w.lineno)
    return results.serialize(format="nt"), recursion


_DEPTH = re.compile(r"(\d+) levels deep")
_FIRST_SHAPE = re.compile(r"<(?:NodeShape |PropertyShape )?([a-z][a-z0-9+.-]*:[^\s<>]+)>")


def recursion_notes(messages: list[str]) -> list[str]:
    """One note per recursive shape an engine backed out of (pySHACL and pyshacl-turbo word
    the warning differently; the note is the same)."""
    out: list[str] = []
    for message in messages:
        depth, shape = _DEPTH.search(message), _FIRST_SHAPE.search(message)
        note = (f"SHACL: shape {shape.group(1) if shape else '(unnamed)'} leads back to "
                f"itself; validation backed out {depth.group(1) if depth else 'some'} levels "
                "deep, so results along that loop may be missing (SHACL leaves recursive "
                "shapes undefined: https://www.w3.org/TR/shacl/#shapes-recursion)")
        if note not in out:
            out.append(note)
    return out


#: Largest union (bytes) pySHACL re-reads to word a broken shape's error (some errors only
#: show when a shape meets data).
REWORD_BYTES = 4_000_000


def _shapes_error(exc: BaseException, project: Project, engine: str, built,
                  shapes: list) -> ShapesError:
    if engine != "pyshacl":  # say it as the reference engine says it
        try:
            from .quiet import quiet_rdflib

            with quiet_rdflib():
                import pyshacl
                from rdflib import Graph

                small = built.union_path.stat().st_size <= REWORD_BYTES
                pyshacl.validate(union_graph(built) if small else Graph(),
                                 shacl_graph=shapes_graph(project, shapes), **_OPTIONS)
        except MissionsKGError as error:
            return error if isinstance(error, ShapesError) else ShapesError(str(error))
        except Exception as reference:  # noqa: BLE001 (any load error is the message)
            exc = reference
    text = " ".join(str(getattr(exc, "message", None) or exc).split())[:300]
    files = ", ".join(project.relative(p) for p in project.shape_files())
    return ShapesError(f"cannot load the SHACL shapes ({files}): {type(exc).__name__}: {text}",
                       hint="fix the shape named above")


def _read(report: str) -> list[ShaclResult]:
    """The results of a report (N-Triples), whichever engine wrote it."""
    import pyoxigraph as ox

    described: dict = {}
    for t in ox.parse(report, format=ox.RdfFormat.N_TRIPLES):
        described.setdefault(t.subject, {}).setdefault(t.predicate.value, []).append(t.object)

    def value(node, name: str):
        found = described.get(node, {}).get(iris.SH + name)
        return found[0] if found else None

    out, result = [], ox.NamedNode(iris.SH + "ValidationResult")
    for node, about in described.items():
        if result not in about.get(iris.RDF + "type", ()):
            continue
        path = value(node, "resultPath")
        if isinstance(path, ox.BlankNode):
            inverse = value(path, "inversePath")
            path = f"^{inverse.value}" if isinstance(inverse, ox.NamedNode) else "(complex path)"
        severity = value(node, "resultSeverity")
        out.append(ShaclResult(
            focus=value(node, "focusNode"), path=path, value=value(node, "value"),
            messages=tuple(sorted(m.value for m in about.get(iris.SH + "resultMessage", ()))),
            severity=severity.value.rsplit("#", 1)[-1] if severity else "Violation",
            source_shape=value(node, "sourceShape"),
            component=value(node, "sourceConstraintComponent")))
    return out
