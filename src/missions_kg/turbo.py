"""pyshacl-turbo's Rust engine, called below its Python layer.

``pyshacl_turbo.validate()`` imports rdflib and ``importlib.metadata`` (55 ms, a fifth of a
whole ``validate``), converts the shapes to an rdflib Graph and the report back into one. The
engine itself (``pyshacl_turbo._native``) takes the shapes as term records, the data as the
N-Triples text the build already wrote, and gives the report as N-Triples: this module loads
that extension on its own and reads the report with pyoxigraph, so a validation imports no
rdflib at all.

The interface is pyshacl-turbo's own, not a public one: ``pyproject.toml`` pins the release
whose interface this module speaks, and ``tests/test_shacl_parity.py`` holds it to pySHACL's
report on the real graph and every shape case, and ``tests/test_turbo.py`` to the public
``validate()``'s.
"""

from __future__ import annotations

import sys
from importlib.machinery import EXTENSION_SUFFIXES
from importlib.util import find_spec, module_from_spec, spec_from_file_location
from pathlib import Path

_NAME = "pyshacl_turbo._native"
#: The release whose interface this module speaks (pyproject.toml pins it; a test checks).
PINNED = "0.6.5"

#: The prefixes of ``rdflib.Graph()``, which the public ``validate()`` hands the engine with
#: shapes given as a Graph: it names terms with them in the messages it words itself (for a
#: shape without ``sh:message``). tests/test_turbo.py checks this against rdflib.
RDFLIB_DEFAULT_PREFIXES = (
    ("brick", "https://brickschema.org/schema/Brick#"), ("csvw", "http://www.w3.org/ns/csvw#"),
    ("dc", "http://purl.org/dc/elements/1.1/"), ("dcat", "http://www.w3.org/ns/dcat#"),
    ("dcmitype", "http://purl.org/dc/dcmitype/"), ("dcterms", "http://purl.org/dc/terms/"),
    ("dcam", "http://purl.org/dc/dcam/"), ("doap", "http://usefulinc.com/ns/doap#"),
    ("foaf", "http://xmlns.com/foaf/0.1/"), ("geo", "http://www.opengis.net/ont/geosparql#"),
    ("odrl", "http://www.w3.org/ns/odrl/2/"), ("org", "http://www.w3.org/ns/org#"),
    ("prof", "http://www.w3.org/ns/dx/prof/"), ("prov", "http://www.w3.org/ns/prov#"),
    ("qb", "http://purl.org/linked-data/cube#"), ("schema", "https://schema.org/"),
    ("sh", "http://www.w3.org/ns/shacl#"), ("skos", "http://www.w3.org/2004/02/skos/core#"),
    ("sosa", "http://www.w3.org/ns/sosa/"), ("ssn", "http://www.w3.org/ns/ssn/"),
    ("time", "http://www.w3.org/2006/time#"), ("vann", "http://purl.org/vocab/vann/"),
    ("void", "http://rdfs.org/ns/void#"), ("wgs", "https://www.w3.org/2003/01/geo/wgs84_pos#"),
    ("owl", "http://www.w3.org/2002/07/owl#"),
    ("rdf", "http://www.w3.org/1999/02/22-rdf-syntax-ns#"),
    ("rdfs", "http://www.w3.org/2000/01/rdf-schema#"),
    ("xsd", "http://www.w3.org/2001/XMLSchema#"), ("xml", "http://www.w3.org/XML/1998/namespace"),
)


def native():
    """The engine's extension module, loaded without running ``pyshacl_turbo/__init__``
    (registered under its own name, so a later ``import pyshacl_turbo`` shares it)."""
    module = sys.modules.get(_NAME)
    if module is not None:
        return module
    package = find_spec("pyshacl_turbo")  # finds the folder; runs nothing
    if package is None or not package.submodule_search_locations:
        raise ImportError("pyshacl-turbo is not installed")
    folder = Path(next(iter(package.submodule_search_locations)))
    for suffix in EXTENSION_SUFFIXES:
        path = folder / f"_native{suffix}"
        if path.is_file():
            spec = spec_from_file_location(_NAME, path)
            module = module_from_spec(spec)
            sys.modules[_NAME] = module
            try:
                spec.loader.exec_module(module)
            except BaseException:
                del sys.modules[_NAME]
                raise
            return module
    raise ImportError(f"pyshacl-turbo's engine is missing from {folder}")


def validate(data_text: str, shape_quads) -> tuple[str, list[str]]:
    """The SHACL report (N-Triples) of ``data_text`` (N-Triples) against ``shape_quads``
    (pyoxigraph quads), and the engine's warnings (a recursive shape cut off), with
    missions-kg's options: no inference (the build inferred), warnings and infos kept, no
    advanced features. A broken shape raises the engine's ``ValueError``; an engine that
    does not speak this interface raises :class:`~missions_kg.errors.EngineError`."""
    try:
        engine = native()
        size = engine.SHAPES_BATCH_SIZE
    except (ImportError, AttributeError) as exc:
        raise _mismatch(exc) from exc
    batches = list(_batches(shape_quads, size))
    try:
        shapes = engine.canonical_shapes(iter(batches))
        # not advanced; numeric booleans and prefixes as for shapes given as an rdflib Graph
        compiled = engine.CompiledShapes(shapes, "nt", None, False, True,
                                         list(RDFLIB_DEFAULT_PREFIXES))
        _conforms, report, _text, _expanded, warnings = compiled.validate(
            data_text, "oxigraph-nquads", None,
            False, 100, 15,  # iterate rules, their limit, the validation depth (pySHACL's)
            False, True, True, False,  # in place, allow infos, allow warnings, abort on first
            [], [], [])  # focus nodes, shapes to use, the data's prefixes: none
    except (AttributeError, TypeError) as exc:
        raise _mismatch(exc) from exc
    return report, list(warnings)


def installed_version() -> str:
    """pyshacl-turbo's release, from its ``.dist-info`` folder (no importlib.metadata)."""
    package = find_spec("pyshacl_turbo")
    if package is None or not package.submodule_search_locations:
        return "(not installed)"
    folder = Path(next(iter(package.submodule_search_locations))).parent
    found = sorted(folder.glob("pyshacl_turbo-*.dist-info"))
    return found[0].name[len("pyshacl_turbo-"):-len(".dist-info")] if found else "(unknown)"


def _mismatch(exc: BaseException):
    from .errors import EngineError

    return EngineError(
        f"pyshacl-turbo {installed_version()} cannot be called as missions-kg calls it "
        f"({type(exc).__name__}: {exc})",
        hint=f"install the release missions-kg pins (pip install 'pyshacl-turbo=={PINNED}'), "
             "or validate with --engine pyshacl")


def _batches(quads, size: int):
    """The shapes as the engine's term records (kind, value, datatype, language), in
    batches of at most ``size`` triples; every literal keeps its datatype (a plain
    ``"verified"`` is an ``xsd:string``, as in the data)."""
    for start in range(0, len(quads), size):
        records: list[tuple] = []
        index: dict = {}
        triples = [tuple(_intern(t, records, index) for t in (q.subject, q.predicate, q.object))
                   + (None,) for q in quads[start:start + size]]
        yield records, triples


def _intern(term, records: list, index: dict) -> int:
    import pyoxigraph as ox

    found = index.get(term)
    if found is None:
        if isinstance(term, ox.NamedNode):
            record = (0, term.value, None, None)
        elif isinstance(term, ox.BlankNode):
            record = (1, term.value, None, None)
        elif term.language:
            record = (2, term.value, None, term.language)
        else:
            record = (2, term.value, term.datatype.value, None)
        found = index[term] = len(records)
        records.append(record)
    return found
