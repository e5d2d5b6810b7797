"""JSON-LD that reads back as exactly the same RDF, compacted with the shipped context.

The context (``missions_kg/jsonld-context.json``, ``@vocab`` schema.org) is in the package and
is never fetched. Named graphs are kept. Key order and arrays are stable, so the same dataset
always gives the same bytes.
"""

from __future__ import annotations

import json
import re
from importlib import resources

import pyoxigraph as ox


def context() -> dict:
    """The shipped JSON-LD context (``{"@context": {...}}``)."""
    text = resources.files("missions_kg").joinpath("jsonld-context.json").read_text("utf-8")
    return json.loads(text)


def jsonld_from_quads(quads: list[ox.Quad]) -> bytes:
    """Compact JSON-LD (named graphs kept) with the shipped context; stable key order."""
    from rdflib import Dataset, URIRef

    from .quiet import quiet_rdflib
    from .terms import oxigraph_to_rdflib as rdflib_term

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
