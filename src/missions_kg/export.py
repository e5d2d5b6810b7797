"""Export the built dataset: deterministic, faithful, written atomically.

``export(built, fmt, which=..., source=...)`` returns bytes:

* ``trig``, ``nquads``, ``jsonld`` keep the named graphs (one per source, ontology, inferred);
* ``turtle``, ``ntriples``, ``xml`` (RDF/XML) hold the *union* of the chosen graphs (a set:
  a fact stated by two sources appears once).

``which``: ``asserted`` (every graph but the inferred one; the default), ``inferred`` (only
``…/graph/inferred``), ``all``. ``source``: one graph, by IRI, CURIE (``mkgg:press-kit``) or the
name after ``…/graph/`` (``press-kit``).

Same input → same bytes: blank nodes are canonicalised (RDFC-1.0), quads sorted, prefixes fixed.
What a format cannot carry faithfully is refused, not mangled (RDF/XML and characters outside
XML 1.0). JSON-LD is compacted with the context shipped in the package
(``missions_kg/jsonld-context.json``, ``@vocab`` schema.org), never fetched.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from importlib import resources
from pathlib import Path

import pyoxigraph as ox

from missions_kg import iris
from missions_kg.errors import UsageError

FORMATS = ("turtle", "trig", "ntriples", "nquads", "xml", "jsonld")
#: Our statements about verified entities for Wikidata (``missions_kg.wikidata``).
WIKIDATA_FORMATS = ("quickstatements", "wikidata-rdf")
WHICH = ("asserted", "inferred", "all")
KEEPS_GRAPHS = ("trig", "nquads", "jsonld")
_OX_FORMAT = {"turtle": ox.RdfFormat.TURTLE, "trig": ox.RdfFormat.TRIG,
              "ntriples": ox.RdfFormat.N_TRIPLES, "nquads": ox.RdfFormat.N_QUADS,
              "xml": ox.RdfFormat.RDF_XML}
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def context() -> dict:
    """The shipped JSON-LD context (``{"@context": {...}}``)."""
    text = resources.files("missions_kg").joinpath("jsonld-context.json").read_text("utf-8")
    return json.loads(text)


def graph_names(built) -> list[str]:
    return sorted(built.graphs) if hasattr(built, "graphs") else sorted(
        {q.graph_name.value for q in built.quads() if isinstance(q.graph_name, ox.NamedNode)})


def resolve_source(built, name: str) -> str:
    """A graph IRI from an IRI, a CURIE or the name after ``…/graph/``."""
    names = graph_names(built)
    prefix, _, local = name.partition(":")
    candidates = [name, iris.PREFIXES.get(prefix, "\0") + local, iris.GRAPH + name]
    for iri in candidates:
        if iri in names:
            return iri
    short = [n[len(iris.GRAPH):] if n.startswith(iris.GRAPH) else n for n in names]
    raise UsageError(f"no source graph {name!r}; graphs: {', '.join(short)}")


def select_quads(built, which: str = "asserted", source: str | None = None) -> list[ox.Quad]:
    if which not in WHICH:
        raise UsageError(f"unknown selection {which!r} (use {', '.join(WHICH)})")
    quads = built.quads()
    if source is not None:
        graph = resolve_source(built, source)
        inferred = graph == iris.GRAPH_INFERRED
        if (which == "asserted" and inferred) or (which == "inferred" and not inferred):
            raise UsageError(f"--source {source} is not among the {which} graphs; add --all")
        return [q for q in quads if q.graph_name.value == graph]
    if which == "all":
        return quads
    want_inferred = which == "inferred"
    return [q for q in quads
            if (getattr(q.graph_name, "value", None) == iris.GRAPH_INFERRED) == want_inferred]


def canonical(quads: list[ox.Quad]) -> list[ox.Quad]:
    """Blank nodes renamed by RDFC-1.0 and quads sorted: the basis of byte-stable output."""
    dataset = ox.Dataset(quads)
    if any(isinstance(t, ox.BlankNode) for q in quads for t in (q.subject, q.object)):
        dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return sorted(dataset, key=str)


def _union(quads: list[ox.Quad]) -> list[ox.Triple]:
    return sorted({ox.Triple(q.subject, q.predicate, q.object) for q in quads}, key=str)


def _check_xml(triples: list[ox.Triple]) -> None:
    for t in triples:
        for term in (t.subject, t.predicate, t.object):
            m = _NOT_XML.search(term.value)
            if m:
                raise UsageError(
                    f"RDF/XML cannot carry character U+{ord(m.group()):04X} found in "
                    f"{term.value[:40]!r}; export as Turtle, N-Triples or JSON-LD instead")


def export(built, fmt: str, *, which: str = "asserted", source: str | None = None) -> bytes:
    """Serialise the chosen graphs of ``built`` in ``fmt`` (see the module docstring)."""
    if fmt in WIKIDATA_FORMATS:
        return _wikidata(built, fmt, which, source)
    if fmt not in FORMATS:
        raise UsageError(f"unknown export format {fmt!r} (use "
                         f"{', '.join(FORMATS + WIKIDATA_FORMATS)})")
    quads = canonical(select_quads(built, which, source))
    if fmt == "jsonld":
        return jsonld_from_quads(quads)
    prefixes = dict(sorted(iris.PREFIXES.items()))
    if fmt in KEEPS_GRAPHS:
        return ox.serialize(quads, format=_OX_FORMAT[fmt], prefixes=prefixes)
    triples = _union(quads)
    if fmt == "xml":
        _check_xml(triples)
        data = ox.serialize(triples, format=_OX_FORMAT[fmt], prefixes=prefixes)
        # pyoxigraph writes CR raw and XML parsers turn it into LF; a CR can only come from a
        # literal (IRIs cannot hold one, lines end in LF), so write it as a character reference
        return data.replace(b"\r", b"&#13;")
    return ox.serialize(triples, format=_OX_FORMAT[fmt], prefixes=prefixes)


def _wikidata(built, fmt: str, which: str, source: str | None) -> bytes:
    """QuickStatements v1 or Wikidata-shaped Turtle: asserted statements, verified items only."""
    if which != "asserted" or source is not None:
        raise UsageError(f"--format {fmt} exports every asserted source graph; "
                         "drop --inferred/--all/--source")
    if fmt == "quickstatements":
        from missions_kg.wikidata.quickstatements import export as quickstatements

        return quickstatements(built)
    from missions_kg.wikidata.wikidata_rdf import export as wikidata_rdf

    return wikidata_rdf(built)


def jsonld_from_quads(quads: list[ox.Quad]) -> bytes:
    """Compact JSON-LD (named graphs kept) with the shipped context; stable key order."""
    from rdflib import Dataset, URIRef

    from missions_kg.loading import quiet_rdflib, rdflib_term

    dataset = Dataset()
    with quiet_rdflib():
        for q in sorted(quads, key=str):
            g = q.graph_name
            graph = (dataset.default_graph if isinstance(g, ox.DefaultGraph)
                     else dataset.graph(URIRef(g.value)))
            graph.add((rdflib_term(q.subject), rdflib_term(q.predicate), rdflib_term(q.object)))
        doc = _compact(dataset, context()["@context"])
    return (json.dumps(_stable(doc), ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode()


def _compact(dataset, ctx: dict) -> dict:
    """rdflib's JSON-LD ``from_rdf`` with one change: with a context, rdflib writes every
    xsd:integer/boolean/double literal as a JSON number or boolean, so a reader gets a new
    lexical form or datatype ("01" -> "1", "1E0"^^xsd:double -> 1 = xsd:integer, ill-typed
    "abc"^^xsd:integer -> a plain string). Keep a native value only where it reads back the
    same literal; write the others as {"@type", "@value"}."""
    from rdflib import Literal
    from rdflib.namespace import XSD
    from rdflib.plugins.serializers.jsonld import Converter
    from rdflib.plugins.shared.jsonld.context import Context

    class Faithful(Converter):
        def to_raw_value(self, graph, s, o, nodemap):
            if isinstance(o, Literal) and o.datatype in (XSD.integer, XSD.boolean, XSD.double) \
                    and not _native_reads_back(str(o), o.datatype == XSD.integer,
                                               o.datatype == XSD.boolean):
                return {self.context.type_key: self.context.to_symbol(o.datatype),
                        self.context.value_key: str(o)}
            return super().to_raw_value(graph, s, o, nodemap)

    compact = Context(ctx)
    result = Faithful(compact, True, False).convert(dataset)
    if isinstance(result, list):
        result = {compact.graph_key: result}
    result["@context"] = ctx
    return result


def _native_reads_back(lexical: str, integer: bool, boolean: bool) -> bool:
    """A JSON number reads back as canonical xsd:integer (safe below 2^53), a JSON boolean as
    "true"/"false"; a double never survives (1.0 reads back as the integer 1)."""
    if integer:
        return re.fullmatch(r"0|-?[1-9][0-9]*", lexical) is not None and abs(int(lexical)) < 2**53
    return boolean and lexical in ("true", "false")


def _stable(node):
    """Sort arrays of node objects by ``@id`` (rdflib follows store order); ``@list`` kept."""
    if isinstance(node, dict):
        return {k: (v if k == "@list" else _stable(v)) for k, v in node.items()}
    if isinstance(node, list):
        items = [_stable(v) for v in node]
        return sorted(items, key=lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False))
    return node


def write_atomic(path: str | os.PathLike, data: bytes) -> None:
    """Write ``data`` to ``path`` via a temp file in the same folder, fsync, ``os.replace``:
    readers see the old file or the new one, never half of it; on error the old file stays."""
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as e:
        raise UsageError(f"{path}: cannot write here ({e.strerror or e})") from None
    try:
        os.fchmod(fd, _new_file_mode(path))  # mkstemp makes 0600; keep what open() would give
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except OSError as e:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise UsageError(f"{path}: write failed ({e.strerror or e}); the old file is "
                         "unchanged") from None


def _new_file_mode(path: Path) -> int:
    """The replaced file's mode, else 0666 minus the umask (as ``open(path, "w")`` would)."""
    try:
        return path.stat().st_mode & 0o7777
    except OSError:
        mask = os.umask(0)
        os.umask(mask)
        return 0o666 & ~mask
